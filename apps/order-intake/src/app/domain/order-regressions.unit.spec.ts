import { only, facts, history, openState, planGroups, placeOrder, recordFact, requestCancellation } from './testing/order-fixtures';
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
  // Found by end-to-end scenario 4: the customer cancelled L2 of S1's PO after S1 acknowledged it;
  // the gateway's PurchaseOrderCancelled for that one line made the whole PO look cancelled, so L3
  // (still with S1, to ship) fell back to `planned` and the PO showed `cancelled`.
  it('keeps a PO and its other lines with the supplier when a cancellation covers only part of it', () => {
    const S1_LINES = [
      { lineId: 'L2', quantity: 1 },
      { lineId: 'L3', quantity: 2 },
    ];
    const acknowledgedLines = S1_LINES.map((l) => ({ ...l, accepted: l.quantity, rejected: 0, backordered: 0 }));
    const partly = history(
      placeOrder(),
      recordFact(facts.plan(1, planGroups())),
      recordFact(facts.purchaseOrder('PO-S1', 'S1', 'dispatched', S1_LINES, 2)),
      recordFact(facts.purchaseOrder('PO-S1', 'S1', 'acknowledged', acknowledgedLines, 3)),
      recordFact(facts.purchaseOrder('PO-S1', 'S1', 'cancelled', [{ lineId: 'L2', quantity: 1 }], 40)),
      recordFact(facts.cancellation('c-1', [{ lineId: 'L2', quantity: 1 }])),
    );
    const view = viewOrder(openState(partly));
    expect(view.purchaseOrders).toEqual([{ poId: 'PO-S1', supplierId: 'S1', state: 'acknowledged' }]);
    const line = (lineId: string) => view.lines.find((l) => l.lineId === lineId)!;
    expect(line('L2')).toMatchObject({ sentToSupplier: 0, acknowledged: 0, cancelled: 1, status: 'cancelled' });
    expect(line('L3')).toMatchObject({ sentToSupplier: 2, acknowledged: 2, status: 'acknowledged' });

    // Once the rest has shipped, nothing is left on the PO; a cancellation of all that was left ends it.
    const rest = history(
      placeOrder(),
      recordFact(facts.purchaseOrder('PO-S1', 'S1', 'dispatched', S1_LINES, 2)),
      recordFact(facts.purchaseOrder('PO-S1', 'S1', 'acknowledged', acknowledgedLines, 3)),
      recordFact(facts.shipment('sh-1', 'S1', [{ lineId: 'L3', quantity: 2 }], { poId: 'PO-S1' })),
      recordFact(facts.purchaseOrder('PO-S1', 'S1', 'cancelled', [{ lineId: 'L2', quantity: 1 }], 70)),
    );
    expect(viewOrder(openState(rest)).purchaseOrders).toEqual([{ poId: 'PO-S1', supplierId: 'S1', state: 'cancelled' }]);
  });
});
