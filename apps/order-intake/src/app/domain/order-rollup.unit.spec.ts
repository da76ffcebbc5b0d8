import fc from 'fast-check';
import { orderDecider, type OrderCommand, type OrderFact } from './order-decider';
import type { OrderEvent, PlanGroup } from './order-events';
import type { OpenOrder, OrderState } from './order-state';
import { viewOrder, type OrderView } from './order-view';
import { at, facts, fold, iso, placeOrder, recordFact } from './testing/order-fixtures';

/**
 * One order across three nodes — warehouse W ships L1; supplier S1 ships L2 and L3 in two packages;
 * supplier S2 ships L4 — fed to the decider as the facts the other services publish. A first plan
 * had L3 on S2 (its PO is cancelled by the re-plan); S2 rejects one of the three L4 units, which
 * sourcing then cancels (334 of the line's 1000); one L1 unit comes back and is refunded.
 */
const groupsV1: PlanGroup[] = [
  { groupId: 'G-W', nodeId: 'W', nodeKind: 'warehouse', lines: [{ lineId: 'L1', quantity: 2 }] },
  { groupId: 'G-S1', nodeId: 'S1', nodeKind: 'supplier', lines: [{ lineId: 'L2', quantity: 1 }] },
  {
    groupId: 'G-S2',
    nodeId: 'S2',
    nodeKind: 'supplier',
    lines: [
      { lineId: 'L3', quantity: 2 },
      { lineId: 'L4', quantity: 3 },
    ],
  },
];
const groupsV2: PlanGroup[] = [
  { groupId: 'G-W', nodeId: 'W', nodeKind: 'warehouse', lines: [{ lineId: 'L1', quantity: 2 }] },
  {
    groupId: 'G-S1b',
    nodeId: 'S1',
    nodeKind: 'supplier',
    lines: [
      { lineId: 'L2', quantity: 1 },
      { lineId: 'L3', quantity: 2 },
    ],
  },
  { groupId: 'G-S2b', nodeId: 'S2', nodeKind: 'supplier', lines: [{ lineId: 'L4', quantity: 3 }] },
];

/** The facts in the order they happened. */
const FACTS: readonly OrderFact[] = [
  facts.plan(1, groupsV1, [], 1),
  facts.purchaseOrder('PO-S2-OLD', 'S2', 'dispatched', [{ lineId: 'L3', quantity: 2 }], 2),
  facts.plan(2, groupsV2, [], 3),
  facts.purchaseOrder('PO-S2-OLD', 'S2', 'cancelled', [{ lineId: 'L3', quantity: 2 }], 4),
  facts.purchaseOrder(
    'PO-S1',
    'S1',
    'dispatched',
    [
      { lineId: 'L2', quantity: 1 },
      { lineId: 'L3', quantity: 2 },
    ],
    5,
  ),
  facts.purchaseOrder('PO-S2', 'S2', 'dispatched', [{ lineId: 'L4', quantity: 3 }], 5),
  facts.purchaseOrder(
    'PO-S1',
    'S1',
    'acknowledged',
    [
      { lineId: 'L2', quantity: 1, accepted: 1, rejected: 0, backordered: 0 },
      { lineId: 'L3', quantity: 2, accepted: 2, rejected: 0, backordered: 0 },
    ],
    20,
  ),
  facts.purchaseOrder('PO-S2', 'S2', 'acknowledged', [{ lineId: 'L4', quantity: 3, accepted: 2, rejected: 1, backordered: 0 }], 25),
  facts.cancellation('C-1', [{ lineId: 'L4', quantity: 1 }], 'rejected by supplier', 30),
  facts.shipment('SH-W', 'W', [{ lineId: 'L1', quantity: 2 }], { minutes: 60 }),
  facts.shipment('SH-S1-A', 'S1', [{ lineId: 'L2', quantity: 1 }], { poId: 'PO-S1', minutes: 90 }),
  facts.shipment('SH-S2', 'S2', [{ lineId: 'L4', quantity: 2 }], { poId: 'PO-S2', minutes: 120 }),
  facts.shipment('SH-S1-B', 'S1', [{ lineId: 'L3', quantity: 2 }], { poId: 'PO-S1', minutes: 240 }),
  facts.delivery('SH-W', 1500),
  facts.delivery('SH-S1-A', 1600),
  facts.delivery('SH-S2', 1700),
  facts.delivery('SH-S1-B', 2900),
  facts.refund('RF-C-1', 334, [{ lineId: 'L4', quantity: 1, amount: 334 }], 3000),
  facts.return('RT-1', [{ lineId: 'L1', quantity: 1 }], 5000),
  facts.refund('RF-RT-1', 2500, [{ lineId: 'L1', quantity: 1, amount: 2500 }], 5100),
];

const PLACE = placeOrder();

interface Run {
  readonly state: OpenOrder;
  readonly events: readonly OrderEvent[];
  /** What each command decided, in feed order. */
  readonly decided: readonly (readonly OrderEvent[])[];
}

/** Decides each command on the state left by the ones before, as the command handler does. */
function feed(commands: readonly OrderCommand[]): Run {
  let state: OrderState = orderDecider.initialState();
  const events: OrderEvent[] = [];
  const decided: OrderEvent[][] = [];
  for (const command of commands) {
    const out = [...orderDecider.decide(command, state)];
    state = fold(out, state);
    events.push(...out);
    decided.push(out);
  }
  if (state.status !== 'open') throw new Error(`the feed left the order ${state.status}`);
  return { state, events, decided };
}

const inOrder = (): OrderCommand[] => [PLACE, ...FACTS.map((f, i) => recordFact(f, at(10_000 + i)))];

describe('the roll-up of a 3-node order', () => {
  const ordered = feed(inOrder());
  const expectedView: OrderView = viewOrder(ordered.state);

  it('ends completed with a partial cancellation, every line where its facts put it', () => {
    const view = expectedView;
    expect(view).toMatchObject({ status: 'completed', cancellation: 'partial', cancelledValue: 334, refunded: 2834 });
    expect(view.lines).toEqual([
      expect.objectContaining({
        lineId: 'L1',
        ordered: 2,
        planned: [{ nodeId: 'W', nodeKind: 'warehouse', quantity: 2 }],
        sentToSupplier: 0,
        shipped: 2,
        delivered: 2,
        cancelled: 0,
        returned: 1,
        refunded: 2500,
        status: 'delivered',
      }),
      expect.objectContaining({
        lineId: 'L2',
        ordered: 1,
        planned: [{ nodeId: 'S1', nodeKind: 'supplier', quantity: 1 }],
        sentToSupplier: 1,
        acknowledged: 1,
        shipped: 1,
        delivered: 1,
        status: 'delivered',
      }),
      expect.objectContaining({
        lineId: 'L3',
        ordered: 2,
        // The re-plan moved L3 to S1; the PO cancelled on S2 no longer counts as sent.
        planned: [{ nodeId: 'S1', nodeKind: 'supplier', quantity: 2 }],
        sentToSupplier: 2,
        acknowledged: 2,
        shipped: 2,
        delivered: 2,
        status: 'delivered',
      }),
      expect.objectContaining({
        lineId: 'L4',
        ordered: 3,
        planned: [{ nodeId: 'S2', nodeKind: 'supplier', quantity: 3 }],
        sentToSupplier: 3,
        acknowledged: 2,
        rejected: 1,
        shipped: 2,
        delivered: 2,
        cancelled: 1,
        refunded: 334,
        status: 'delivered',
      }),
    ]);
    expect(view.shipments.map((s) => [s.shipmentId, s.nodeId, s.poId, s.lines, s.deliveredAt])).toEqual([
      ['SH-S1-A', 'S1', 'PO-S1', [{ lineId: 'L2', quantity: 1 }], iso(1600)],
      ['SH-S1-B', 'S1', 'PO-S1', [{ lineId: 'L3', quantity: 2 }], iso(2900)],
      ['SH-S2', 'S2', 'PO-S2', [{ lineId: 'L4', quantity: 2 }], iso(1700)],
      ['SH-W', 'W', undefined, [{ lineId: 'L1', quantity: 2 }], iso(1500)],
    ]);
    expect(view.purchaseOrders).toEqual([
      { poId: 'PO-S1', supplierId: 'S1', state: 'acknowledged' },
      { poId: 'PO-S2', supplierId: 'S2', state: 'acknowledged' },
      { poId: 'PO-S2-OLD', supplierId: 'S2', state: 'cancelled' },
    ]);
  });

  it('announces each status once, in the order it was reached, and completion once', () => {
    expect(ordered.events.filter((e) => e.type === 'OrderStatusChanged').map((e) => [e.data.previousStatus, e.data.status, e.data.cancellation])).toEqual([
      ['accepted', 'processing', 'none'],
      ['processing', 'processing', 'partial'],
      ['processing', 'partially_shipped', 'partial'],
      ['partially_shipped', 'shipped', 'partial'],
      ['shipped', 'completed', 'partial'],
    ]);
    expect(ordered.events.filter((e) => e.type === 'OrderCompleted')).toHaveLength(1);
    expect(ordered.state.announced).toEqual({ status: 'completed', cancellation: 'partial', completed: true });
  });

  it('refunds the cancelled unit exactly once: 334 of the 1000 line', () => {
    const cancelled = ordered.events.filter((e) => e.type === 'LinesCancelled');
    expect(cancelled).toEqual([
      {
        type: 'LinesCancelled',
        data: { cancellationId: 'C-1', lines: [{ lineId: 'L4', quantity: 1 }], reason: 'rejected by supplier', refund: { amount: 334, currency: 'EUR' }, cancelledAt: iso(30) },
      },
    ]);
  });

  it('ends in the same view, announcements settled the same, whatever the order of the facts and however often each comes', () => {
    const count = FACTS.length;
    const duplicate = fc.record({ index: fc.integer({ min: -1, max: count - 1 }), position: fc.nat() });
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...FACTS.keys()], { minLength: count, maxLength: count }),
        fc.array(duplicate, { maxLength: 12 }),
        (permutation, duplicates) => {
          // -1 duplicates the placement itself; everything after the first command may be re-delivered.
          const sequence: number[] = [...permutation];
          for (const { index, position } of duplicates) sequence.splice(position % (sequence.length + 1), 0, index);
          const commands = [PLACE, ...sequence.map((index, i) => (index === -1 ? placeOrder(undefined, 'fp-1', at(20_000 + i)) : recordFact(FACTS[index]!, at(20_000 + i))))];

          const run = feed(commands);

          expect(viewOrder(run.state)).toEqual(expectedView);
          expect(run.state.announced).toEqual({ status: 'completed', cancellation: 'partial', completed: true });
          expect(run.events.filter((e) => e.type === 'OrderCompleted')).toHaveLength(1);
          // The last announcement is the final status; each fact is recorded once, its copies decide nothing.
          const announcements = run.events.filter((e) => e.type === 'OrderStatusChanged');
          expect(announcements.at(-1)?.data).toMatchObject({ status: 'completed', cancellation: 'partial' });
          const seen = new Set<number>();
          sequence.forEach((index, i) => {
            if (index === -1 || seen.has(index)) expect(run.decided[i + 1]).toEqual([]);
            seen.add(index);
          });
          const recordedFacts = run.events.filter((e) => e.type !== 'OrderStatusChanged' && e.type !== 'OrderCompleted' && e.type !== 'OrderAccepted');
          expect(recordedFacts.length).toBeLessThanOrEqual(count);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ends in the same view when the facts come in reverse, with every fact twice', () => {
    const reversed = [...FACTS].reverse();
    const run = feed([PLACE, ...[...reversed, ...reversed].map((f, i) => recordFact(f, at(30_000 + i)))]);
    expect(viewOrder(run.state)).toEqual(expectedView);
    expect(run.decided.slice(1 + FACTS.length).every((d) => d.length === 0)).toBe(true);
  });

  it('differs when a fact is missing, so the comparison has teeth', () => {
    const withoutLastDelivery = FACTS.filter((f) => !(f.kind === 'delivery' && f.shipmentId === 'SH-S1-B'));
    const view = viewOrder(feed([PLACE, ...withoutLastDelivery.map((f) => recordFact(f))]).state);
    expect(view.status).toBe('shipped');
    expect(view).not.toEqual(expectedView);
  });
});
