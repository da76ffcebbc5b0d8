import { only, facts, history, openState, placeOrder, recordFact, requestCancellation } from './testing/order-fixtures';
import { viewOrder } from './order-view';

describe('order regressions found in review', () => {
  it('prices a line named twice in one cancellation after its first mention, never beyond the line total', () => {
    const events = history(placeOrder(), recordFact(facts.cancellation('c-1', [{ lineId: 'L4', quantity: 3 }, { lineId: 'L4', quantity: 3 }])));
    const cancelled = only(events, 'LinesCancelled');
    expect(cancelled.data.lines).toEqual([{ lineId: 'L4', quantity: 3 }]);
    expect(cancelled.data.refund.amount).toBe(1000);
    const twice = only(history(placeOrder(), recordFact(facts.cancellation('c-2', [{ lineId: 'L4', quantity: 1 }, { lineId: 'L4', quantity: 1 }]))), 'LinesCancelled');
    expect(twice.data.refund.amount).toBe(334 + 333);
  });

  it('gives the same view whichever of two contradicting facts arrives first', () => {
    const shipped = recordFact(facts.shipment('s-1', 'supplier-2', [{ lineId: 'L4', quantity: 3 }]));
    const cancelled = recordFact(facts.cancellation('c-1', [{ lineId: 'L4', quantity: 1 }]));
    const a = viewOrder(openState(history(placeOrder(), shipped, cancelled))).lines.find((l) => l.lineId === 'L4')!;
    const b = viewOrder(openState(history(placeOrder(), cancelled, shipped))).lines.find((l) => l.lineId === 'L4')!;
    expect(a.shipped).toBe(3);
    expect(b.shipped).toBe(3);
    expect(a.status).toBe(b.status);
  });

  it('splits refused cancellation units by why they are refused', () => {
    const events = history(
      placeOrder(),
      recordFact(facts.shipment('s-1', 'supplier-2', [{ lineId: 'L4', quantity: 1 }])),
      recordFact(facts.cancellation('c-1', [{ lineId: 'L4', quantity: 1 }])),
      requestCancellation('r-1', { lines: [{ lineId: 'L4', quantity: 5 }] }),
    );
    expect(only(events, 'CancellationRequested').data).toMatchObject({
      lines: [{ lineId: 'L4', quantity: 1 }],
      notCancellable: [
        { lineId: 'L4', quantity: 1, reason: 'already shipped' },
        { lineId: 'L4', quantity: 1, reason: 'already cancelled' },
        { lineId: 'L4', quantity: 2, reason: 'more than ordered' },
      ],
    });
  });
});
