import {
  allocationDecider,
  AllocationError,
  groupsAt,
  heldAt,
  planInForce,
  reservationTargets,
  unplanned,
  unshippedAt,
  type AllocationCommand,
  type AllocationState,
  type NodeReport,
  type OpenAllocation,
} from './allocation';
import type { Address, AllocationEvent, LineQuantity, OrderLine } from './allocation-events';
import { planFulfilment } from './planner';
import type { Offer, Plan } from './planning-types';
import { allocationOf, daysFromNow, NOW, offer, planningInput, supplier } from './testing/planner-fixtures';

/*
 * Given the commands an order has seen, when one more arrives, then these events. Plans are built
 * by the real planner on the allocation's own `unplanned` and `excluded`, as the application does.
 *
 * The order: 3 kettles (A), 1 toaster (B), 2 of an unnamed C. S1 sells A and B cheapest; S2 sells
 * A dearer and is the only one with C. So plan 1 is S1 {l1, l2} + S2 {l3}, and a kettle S1 gives
 * back goes to S2.
 */

const ORDER_ID = 'o-1';
const LATER = new Date(NOW.getTime() + 3_600_000);
const SHIP_TO: Address = { name: 'Jane Doe', line1: '1 rue de la Paix', city: 'Lyon', postalCode: '69001', country: 'FR' };
const NEW_SHIP_TO: Address = { name: 'Jane Doe', line1: '8 quai Saint-Vincent', city: 'Lyon', postalCode: '69001', country: 'FR' };
const LINES: readonly OrderLine[] = [
  { lineId: 'l1', sku: 'A', quantity: 3, name: 'Kettle' },
  { lineId: 'l2', sku: 'B', quantity: 1, name: 'Toaster' },
  { lineId: 'l3', sku: 'C', quantity: 2 },
];
const NODES = [supplier('S1'), supplier('S2')];
const OFFERS: readonly Offer[] = [
  offer('S1', 'A', { unitCost: 1000 }),
  offer('S1', 'B', { unitCost: 800 }),
  offer('S2', 'A', { unitCost: 1500 }),
  offer('S2', 'C', { unitCost: 700 }),
];
// Suppliers are promised on their observed p90 (4 days) plus 3 days in transit.
const SHIP_BY = daysFromNow(4);
const DELIVER_BY = daysFromNow(7);

/** A command, or one built from the allocation as it stands (a plan is made on the current state). */
type Step = AllocationCommand | ((state: OpenAllocation) => AllocationCommand);

function opened(state: AllocationState): OpenAllocation {
  if (state.status !== 'open') throw new Error('expected an open allocation');
  return state;
}

function run(steps: readonly Step[], from: AllocationState = allocationDecider.initialState()): { state: AllocationState; events: AllocationEvent[] } {
  let state = from;
  const events: AllocationEvent[] = [];
  for (const step of steps) {
    const out = allocationDecider.decide(typeof step === 'function' ? step(opened(state)) : step, state);
    events.push(...out);
    state = out.reduce(allocationDecider.evolve, state);
  }
  return { state, events };
}

function given(...steps: Step[]) {
  const past = run(steps);
  return {
    state: past.state,
    get open() {
      return opened(past.state);
    },
    /** The events decided for `step` on the state so far, and the state they lead to. */
    when(...next: Step[]) {
      const { state, events } = run(next, past.state);
      return { events, state, open: () => opened(state) };
    },
  };
}

const openAllocation = (lines: readonly OrderLine[] = LINES, extra: { orderNumber?: string; shipTo?: Address } = {}): AllocationCommand => ({
  type: 'OpenAllocation',
  data: { orderId: ORDER_ID, orderNumber: '#1001', currency: 'EUR', shipTo: SHIP_TO, lines, now: NOW, ...extra },
});
const planOn = (state: OpenAllocation, offers: readonly Offer[] = OFFERS): Plan =>
  planFulfilment(planningInput({ lines: unplanned(state), offers, nodes: NODES, excluded: state.excluded }));
const recordPlan = (plan: Plan, now: Date = NOW): AllocationCommand => ({ type: 'RecordPlan', data: { plan, now } });
/** Plan what is unplanned on the current state, and record it. */
const replan =
  (offers: readonly Offer[] = OFFERS, now: Date = NOW): Step =>
  (state) =>
    recordPlan(planOn(state, offers), now);
const report = (
  sourceId: string,
  nodeId: string,
  lines: readonly LineQuantity[],
  outcome: NodeReport['outcome'] = 'rejected',
  resolution: NodeReport['resolution'] = 'resource',
  reason?: string,
): AllocationCommand => ({ type: 'RecordNodeReport', data: { sourceId, nodeId, lines, outcome, resolution, ...(reason !== undefined ? { reason } : {}), now: LATER } });
const ship = (shipmentId: string, nodeId: string, lines: readonly LineQuantity[]): AllocationCommand => ({
  type: 'RecordShipment',
  data: { shipmentId, nodeId, lines, shippedAt: LATER.toISOString() },
});
const cancel = (requestId: string, lines: readonly LineQuantity[], reason?: string): AllocationCommand => ({
  type: 'RequestCancellation',
  data: { requestId, lines, ...(reason !== undefined ? { reason } : {}), now: LATER },
});
const changeShipTo = (requestId: string, shipTo: Address): AllocationCommand => ({ type: 'ChangeShipTo', data: { requestId, shipTo, now: LATER } });

const q = (lineId: string, quantity: number): LineQuantity => ({ lineId, quantity });
const ofType = <T extends AllocationEvent['type']>(events: readonly AllocationEvent[], type: T) =>
  events.filter((e): e is Extract<AllocationEvent, { type: T }> => e.type === type);
/** What the plan in force holds, `groupId → lineId → units`. */
const inForce = (state: OpenAllocation) => Object.fromEntries(planInForce(state).groups.map((g) => [g.groupId, Object.fromEntries(g.lines.map((l) => [l.lineId, l.quantity]))]));

/** Opened and planned once: S1 holds l1 ×3 and l2 ×1, S2 holds l3 ×2. */
const PLANNED: Step[] = [openAllocation(), replan()];
/** …then S1 rejected the kettles and they were re-planned to S2 (plan 2). */
const REPLANNED: Step[] = [...PLANNED, report('ack-1', 'S1', [q('l1', 3)]), replan()];

describe('allocation decider', () => {
  describe('OpenAllocation', () => {
    it('opens with the order as given and the time it was opened', () => {
      expect(given().when(openAllocation()).events).toEqual([
        { type: 'AllocationOpened', data: { orderId: ORDER_ID, orderNumber: '#1001', currency: 'EUR', shipTo: SHIP_TO, lines: LINES, openedAt: NOW.toISOString() } },
      ]);
    });

    it('is idempotent: a second open, even with other data, records nothing and changes nothing', () => {
      const order = given(openAllocation());
      const again = order.when(openAllocation([{ lineId: 'l9', sku: 'Q', quantity: 1 }], { shipTo: NEW_SHIP_TO }));
      expect(again.events).toEqual([]);
      expect(again.open().lines).toEqual(LINES);
    });

    it.each<[string, AllocationCommand]>([
      ['RecordPlan', recordPlan({ groups: [], unfulfillable: [], candidates: {}, objective: 0 })],
      ['RecordNodeReport', report('ack-1', 'S1', [q('l1', 1)])],
      ['RecordShipment', ship('sh-1', 'S1', [q('l1', 1)])],
      ['RequestCancellation', cancel('r-1', [q('l1', 1)])],
      ['ChangeShipTo', changeShipTo('ch-1', NEW_SHIP_TO)],
    ])('refuses %s before the allocation is open', (_name, command) => {
      expect(() => given().when(command)).toThrow(AllocationError);
    });
  });

  describe('RecordPlan', () => {
    const WITH_Z: readonly OrderLine[] = [...LINES, { lineId: 'l4', sku: 'Z', quantity: 1, name: 'Nobody sells this' }];

    it('records the plan in force, asks each node for its group with what it needs to ship, and gives up the lines no node offers', () => {
      const order = given(openAllocation(WITH_Z));
      const plan = planOn(order.open);
      expect(allocationOf(plan)).toEqual({ S1: { l1: 3, l2: 1 }, S2: { l3: 2 } });
      expect(plan.unfulfillable).toEqual([{ lineId: 'l4', sku: 'Z', quantity: 1, reason: 'no eligible node offers this sku' }]);

      const { events, state } = order.when(recordPlan(plan));

      expect(events.map((e) => e.type)).toEqual(['FulfilmentPlanned', 'FulfilmentRequested', 'FulfilmentRequested', 'LinesUnfulfillable']);
      expect(events[0]).toEqual({
        type: 'FulfilmentPlanned',
        data: {
          version: 1,
          groups: [
            { groupId: 'o-1:1:S1', nodeId: 'S1', nodeKind: 'supplier', lines: [q('l1', 3), q('l2', 1)] },
            { groupId: 'o-1:1:S2', nodeId: 'S2', nodeKind: 'supplier', lines: [q('l3', 2)] },
          ],
          unfulfillable: [q('l4', 1)],
          candidates: plan.candidates,
          objective: plan.objective,
          plannedAt: NOW.toISOString(),
        },
      });
      expect(events[1]).toEqual({
        type: 'FulfilmentRequested',
        data: {
          groupId: 'o-1:1:S1',
          nodeId: 'S1',
          nodeKind: 'supplier',
          planVersion: 1,
          orderNumber: '#1001',
          currency: 'EUR',
          shipTo: SHIP_TO,
          lines: [
            { lineId: 'l1', sku: 'A', quantity: 3, unitCost: 1000, name: 'Kettle' },
            { lineId: 'l2', sku: 'B', quantity: 1, unitCost: 800, name: 'Toaster' },
          ],
          shipBy: SHIP_BY,
          deliverBy: DELIVER_BY,
          requestedAt: NOW.toISOString(),
        },
      });
      expect(events[2]).toMatchObject({ type: 'FulfilmentRequested', data: { groupId: 'o-1:1:S2', nodeId: 'S2', planVersion: 1, lines: [{ lineId: 'l3', sku: 'C', quantity: 2, unitCost: 700 }] } });
      // A line without a name carries none (not `name: undefined`).
      expect(ofType(events, 'FulfilmentRequested')[1]!.data.lines[0]).not.toHaveProperty('name');
      expect(events[3]).toEqual({
        type: 'LinesUnfulfillable',
        data: { cancellationId: 'o-1:unfulfillable:1', lines: [q('l4', 1)], reason: 'no eligible node offers this sku', cancelledAt: NOW.toISOString() },
      });
      expect(unplanned(opened(state))).toEqual([]);
      expect(opened(state).version).toBe(1);
    });

    it('records no unfulfillable lines when every unit has a node, and leaves nothing to plan', () => {
      const { events, open } = given(openAllocation()).when(replan());
      expect(ofType(events, 'LinesUnfulfillable')).toEqual([]);
      expect(ofType(events, 'FulfilmentRequested')).toHaveLength(2);
      expect(unplanned(open())).toEqual([]);
    });

    it('leaves out the order number when the order has none', () => {
      const { orderNumber: _orderNumber, ...withoutNumber } = (openAllocation() as Extract<AllocationCommand, { type: 'OpenAllocation' }>).data;
      const { events } = given({ type: 'OpenAllocation', data: withoutNumber }).when(replan());
      for (const requested of ofType(events, 'FulfilmentRequested')) expect(requested.data).not.toHaveProperty('orderNumber');
    });

    it('records nothing for an empty plan', () => {
      const order = given(...PLANNED);
      const empty = planOn(order.open);
      expect(empty.groups).toEqual([]);
      expect(order.when(recordPlan(empty)).events).toEqual([]);
    });

    it('refuses a plan that covers a quantity already held, twice within itself, or beyond the order', () => {
      const order = given(...PLANNED);
      const fresh = planOn(given(openAllocation()).open);
      expect(() => order.when(recordPlan(fresh))).toThrow(AllocationError);

      const start = given(openAllocation());
      const plan = planOn(start.open);
      // The same kettles at S1 and again at S2.
      const twice: Plan = { ...plan, groups: [...plan.groups, { ...plan.groups[1]!, lines: [{ lineId: 'l1', sku: 'A', quantity: 1, unitCost: 1500 }] }] };
      expect(() => start.when(recordPlan(twice))).toThrow(/Plan covers 4 of line l1 but only 3 needs a node/);
      // Units both planned and reported unfulfillable.
      const both: Plan = { ...plan, unfulfillable: [{ lineId: 'l2', sku: 'B', quantity: 1, reason: 'no stock' }] };
      expect(() => start.when(recordPlan(both))).toThrow(AllocationError);
      // A line the order does not have.
      const stranger: Plan = { ...plan, unfulfillable: [{ lineId: 'l9', sku: 'Q', quantity: 1, reason: 'no stock' }] };
      expect(() => start.when(recordPlan(stranger))).toThrow(/only 0 needs a node/);
    });

    it('refuses a plan that sends a line back to the node that failed it, but allows other lines there', () => {
      const failed = given(...PLANNED, report('ack-1', 'S1', [q('l1', 3)]));
      // Planned without the exclusions, S1 is cheapest again for the kettles.
      const naive = planFulfilment(planningInput({ lines: unplanned(failed.open), offers: OFFERS, nodes: NODES }));
      expect(allocationOf(naive)).toEqual({ S1: { l1: 3 } });
      expect(() => failed.when(recordPlan(naive))).toThrow(/S1, which failed it/);

      // S1 failed the kettles only: another line it can ship (S2 backordered C) may go to it.
      const both = given(...PLANNED, report('ack-1', 'S1', [q('l1', 3)]), report('ack-2', 'S2', [q('l3', 2)]));
      const plan: Plan = {
        groups: [{ nodeId: 'S1', kind: 'supplier', lines: [{ lineId: 'l3', sku: 'C', quantity: 2, unitCost: 900 }], shipBy: SHIP_BY, deliverBy: DELIVER_BY, cost: 2300 }],
        unfulfillable: [],
        candidates: {},
        objective: 2300,
      };
      expect(both.when(recordPlan(plan)).events.map((e) => e.type)).toEqual(['FulfilmentPlanned', 'FulfilmentRequested']);
    });
  });

  describe('RecordNodeReport', () => {
    it('a supplier rejection gives the units back, rules the supplier out for the line, and the re-plan goes to the next node', () => {
      const planned = given(...PLANNED);
      const { events, state } = planned.when(report('ack-1', 'S1', [q('l1', 3)], 'rejected', 'resource', 'discontinued'));
      expect(events).toEqual([
        {
          type: 'UnitsReturnedByNode',
          data: { sourceId: 'ack-1', nodeId: 'S1', lines: [q('l1', 3)], outcome: 'rejected', reason: 'discontinued', excludedLineIds: ['l1'], returnedAt: LATER.toISOString() },
        },
      ]);
      const rejected = opened(state);
      expect(unplanned(rejected)).toEqual([{ lineId: 'l1', sku: 'A', quantity: 3 }]);
      expect(rejected.excluded).toEqual([{ nodeId: 'S1', lineId: 'l1' }]);

      const plan2 = planOn(rejected);
      expect(allocationOf(plan2)).toEqual({ S2: { l1: 3 } });
      expect(plan2.candidates['l1']!.find((c) => c.nodeId === 'S1')!.excluded).toBe('failed this line before');

      const replanned = given(...PLANNED, report('ack-1', 'S1', [q('l1', 3)])).when(recordPlan(plan2, LATER));
      expect(replanned.events[0]).toEqual({
        type: 'FulfilmentPlanned',
        data: {
          version: 2,
          // S1's group shrank to the toaster; S2 now holds two groups.
          groups: [
            { groupId: 'o-1:1:S1', nodeId: 'S1', nodeKind: 'supplier', lines: [q('l2', 1)] },
            { groupId: 'o-1:1:S2', nodeId: 'S2', nodeKind: 'supplier', lines: [q('l3', 2)] },
            { groupId: 'o-1:2:S2', nodeId: 'S2', nodeKind: 'supplier', lines: [q('l1', 3)] },
          ],
          unfulfillable: [],
          candidates: plan2.candidates,
          objective: plan2.objective,
          plannedAt: LATER.toISOString(),
        },
      });
      expect(ofType(replanned.events, 'FulfilmentRequested').map((e) => [e.data.groupId, e.data.lines.map((l) => [l.lineId, l.quantity, l.unitCost])])).toEqual([
        ['o-1:2:S2', [['l1', 3, 1500]]],
      ]);
      expect(unplanned(replanned.open())).toEqual([]);
    });

    it('drops a group the node gave back entirely', () => {
      const { open } = given(...PLANNED).when(report('ack-1', 'S2', [q('l3', 2)], 'backordered'), replan([...OFFERS, offer('S1', 'C', { unitCost: 900 })]));
      expect(inForce(open())).toEqual({ 'o-1:1:S1': { l1: 3, l2: 1 }, 'o-1:2:S1': { l3: 2 } });
      expect(groupsAt(open(), 'S2')).toEqual([]);
    });

    it('a redelivered report (same source id) changes nothing, even once the units were re-planned', () => {
      const rejection = report('ack-1', 'S1', [q('l1', 3)]);
      expect(given(...PLANNED, rejection).when(rejection).events).toEqual([]);
      // After the re-plan S2 holds the kettles; a redelivery naming S1 must not touch them, nor S1's toaster.
      const after = given(...REPLANNED);
      expect(after.when(rejection).events).toEqual([]);
      expect(after.when(report('ack-1', 'S1', [q('l2', 1)])).events).toEqual([]);
    });

    it('a partial rejection (1 of 3) shrinks the group to 2 and re-plans the one unit', () => {
      const { events, open } = given(...PLANNED).when(report('ack-1', 'S1', [q('l1', 1)], 'shortage'));
      expect(events).toMatchObject([{ type: 'UnitsReturnedByNode', data: { lines: [q('l1', 1)], excludedLineIds: ['l1'] } }]);
      expect(inForce(open())['o-1:1:S1']).toEqual({ l1: 2, l2: 1 });
      expect(heldAt(open(), 'S1', 'l1')).toBe(2);
      expect(unplanned(open())).toEqual([{ lineId: 'l1', sku: 'A', quantity: 1 }]);
      expect(allocationOf(planOn(open()))).toEqual({ S2: { l1: 1 } });
    });

    it("resolution 'cancel' (the supplier time-out policy) gives the units up instead of re-planning them", () => {
      const { events, open } = given(...PLANNED).when(report('t-1', 'S1', [q('l1', 3), q('l2', 1)], 'timed_out', 'cancel', 'no acknowledgement in 48h'));
      expect(events).toEqual([
        {
          type: 'UnitsReturnedByNode',
          data: {
            sourceId: 't-1',
            nodeId: 'S1',
            lines: [q('l1', 3), q('l2', 1)],
            outcome: 'timed_out',
            reason: 'no acknowledgement in 48h',
            excludedLineIds: ['l1', 'l2'],
            returnedAt: LATER.toISOString(),
          },
        },
        {
          type: 'LinesUnfulfillable',
          data: { cancellationId: 'unfulfillable:t-1', lines: [q('l1', 3), q('l2', 1)], reason: 'timed_out: no acknowledgement in 48h', cancelledAt: LATER.toISOString() },
        },
      ]);
      expect(unplanned(open())).toEqual([]);
      expect(planInForce(open()).unfulfillable).toEqual([q('l1', 3), q('l2', 1)]);
      expect(given(...PLANNED, report('t-1', 'S1', [q('l1', 3), q('l2', 1)], 'timed_out', 'cancel')).when(replan()).events).toEqual([]);
    });

    it('caps what a node gives back at what it holds and has not shipped; a report that returns nothing records nothing', () => {
      const planned = given(...PLANNED);
      expect(planned.when(report('r-x', 'S9', [q('l1', 3)])).events).toEqual([]); // unknown node
      expect(planned.when(report('r-x', 'S2', [q('l1', 1)])).events).toEqual([]); // a line the node does not hold
      expect(planned.when(report('r-x', 'S1', [q('l1', 0)])).events).toEqual([]);
      expect(planned.when(report('r-x', 'S1', [q('l1', 5)])).events).toMatchObject([{ data: { lines: [q('l1', 3)] } }]);
      // The same line twice in one report counts once against what is held.
      expect(planned.when(report('r-x', 'S1', [q('l1', 2), q('l1', 2)])).events).toMatchObject([{ data: { lines: [q('l1', 3)] } }]);

      const shipped = given(...PLANNED, ship('sh-1', 'S1', [q('l1', 2)]));
      expect(shipped.when(report('r-x', 'S1', [q('l1', 3), q('l2', 1)])).events).toMatchObject([{ data: { lines: [q('l1', 1), q('l2', 1)] } }]);
      const allShipped = given(...PLANNED, ship('sh-1', 'S1', [q('l1', 3), q('l2', 1)]));
      expect(allShipped.when(report('r-x', 'S1', [q('l1', 3), q('l2', 1)])).events).toEqual([]);
      // A report that returned nothing is not remembered: it leaves nothing behind to block a real one.
      expect(allShipped.when(report('r-x', 'S1', [q('l1', 3)])).state).toEqual(allShipped.state);
    });
  });

  describe('RecordShipment', () => {
    it('records a shipment once per shipment id, without its empty lines', () => {
      const planned = given(...PLANNED);
      const shipment = ship('sh-1', 'S1', [q('l1', 2), q('l2', 0)]);
      expect(planned.when(shipment).events).toEqual([
        { type: 'ShipmentRecorded', data: { shipmentId: 'sh-1', nodeId: 'S1', lines: [q('l1', 2)], shippedAt: LATER.toISOString() } },
      ]);
      expect(planned.when(shipment, shipment).events).toHaveLength(1);
      expect(planned.when(ship('sh-2', 'S1', [q('l1', 0)])).events).toEqual([]);
      // A second, different shipment from the same node adds up.
      const twice = planned.when(shipment, ship('sh-2', 'S1', [q('l1', 1)]));
      expect(twice.events).toHaveLength(2);
      expect(unshippedAt(twice.open(), 'S1', 'l1')).toBe(0);
    });

    it('shipped units can no longer be given back by a later report', () => {
      const { events, open } = given(...PLANNED, ship('sh-1', 'S1', [q('l1', 3)])).when(report('ack-1', 'S1', [q('l1', 3), q('l2', 1)]));
      expect(events).toMatchObject([{ type: 'UnitsReturnedByNode', data: { lines: [q('l2', 1)], excludedLineIds: ['l2'] } }]);
      expect(unplanned(open())).toEqual([{ lineId: 'l2', sku: 'B', quantity: 1 }]);
      expect(heldAt(open(), 'S1', 'l1')).toBe(3);
    });

    it('reservation targets are the unshipped units per sku, several lines of one sku at a node added up', () => {
      const lines: OrderLine[] = [...LINES, { lineId: 'l5', sku: 'A', quantity: 2, name: 'Kettle, red' }];
      const order = given(openAllocation(lines), replan());
      expect(allocationOf(planOn(given(openAllocation(lines)).open))).toEqual({ S1: { l1: 3, l2: 1, l5: 2 }, S2: { l3: 2 } });
      const bySku = (state: OpenAllocation, nodeId: string) => Object.fromEntries(reservationTargets(state, nodeId).map((t) => [t.sku, t.quantity]));
      expect(bySku(order.open, 'S1')).toEqual({ A: 5, B: 1 });
      expect(bySku(order.open, 'S2')).toEqual({ C: 2 });
      expect(reservationTargets(order.open, 'S9')).toEqual([]);

      const shipped = order.when(ship('sh-1', 'S1', [q('l1', 2), q('l5', 2), q('l2', 1)]));
      expect(reservationTargets(shipped.open(), 'S1')).toEqual([{ sku: 'A', quantity: 1 }]);
      expect(reservationTargets(order.when(ship('sh-1', 'S1', [q('l1', 3), q('l5', 2), q('l2', 1)])).open(), 'S1')).toEqual([]);
      // Units given back leave the target too.
      expect(bySku(order.when(report('ack-1', 'S1', [q('l5', 1)])).open(), 'S1')).toEqual({ A: 4, B: 1 });
    });
  });

  describe('RequestCancellation', () => {
    it('cancels at once what no node holds yet (given back, not re-planned)', () => {
      const rejected = given(...PLANNED, report('ack-1', 'S1', [q('l1', 3)]));
      const { events, open } = rejected.when(cancel('r-1', [q('l1', 2)], 'changed my mind'));
      expect(events).toEqual([{ type: 'OrderLinesCancelled', data: { cancellationId: 'r-1', lines: [q('l1', 2)], reason: 'changed my mind', cancelledAt: LATER.toISOString() } }]);
      expect(events[0]!.data).not.toHaveProperty('nodeId');
      expect(unplanned(open())).toEqual([{ lineId: 'l1', sku: 'A', quantity: 1 }]);
      expect(opened(rejected.when(cancel('r-1', [q('l1', 3)])).state).cancelled).toEqual({ l1: 3 });
      expect(unplanned(rejected.when(cancel('r-1', [q('l1', 3)])).open())).toEqual([]);
    });

    it('asks each node holding the units, newest groups first; what is unplanned goes at once', () => {
      // S1: l2 (plan 1). S2: l3 (plan 1), l1 (plan 2).
      const order = given(...REPLANNED);
      const { events } = order.when(cancel('r-2', [q('l1', 3), q('l2', 1), q('l3', 1)], 'duplicate order'));
      expect(events).toEqual([
        {
          type: 'FulfilmentCancellationRequested',
          data: { requestId: 'r-2:S1', nodeId: 'S1', nodeKind: 'supplier', groupIds: ['o-1:1:S1'], lines: [q('l2', 1)], reason: 'duplicate order', requestedAt: LATER.toISOString() },
        },
        {
          type: 'FulfilmentCancellationRequested',
          data: { requestId: 'r-2:S2', nodeId: 'S2', nodeKind: 'supplier', groupIds: ['o-1:2:S2', 'o-1:1:S2'], lines: [q('l1', 3), q('l3', 1)], reason: 'duplicate order', requestedAt: LATER.toISOString() },
        },
      ]);

      // Two kettles: the one given back and not yet re-planned goes at once, only the other is asked of S1.
      const mixed = given(...PLANNED, report('ack-1', 'S1', [q('l1', 1)])).when(cancel('r-3', [q('l1', 2)]));
      expect(mixed.events).toEqual([
        { type: 'OrderLinesCancelled', data: { cancellationId: 'r-3', lines: [q('l1', 1)], reason: 'cancelled at the customer request', cancelledAt: LATER.toISOString() } },
        { type: 'FulfilmentCancellationRequested', data: { requestId: 'r-3:S1', nodeId: 'S1', nodeKind: 'supplier', groupIds: ['o-1:1:S1'], lines: [q('l1', 1)], requestedAt: LATER.toISOString() } },
      ]);
    });

    it('does not ask for shipped units, nor more than the order has', () => {
      const shipped = given(...PLANNED, ship('sh-1', 'S1', [q('l1', 2)]));
      expect(shipped.when(cancel('r-1', [q('l1', 3)])).events).toMatchObject([{ type: 'FulfilmentCancellationRequested', data: { nodeId: 'S1', lines: [q('l1', 1)] } }]);
      expect(given(...PLANNED, ship('sh-1', 'S1', [q('l1', 3)])).when(cancel('r-1', [q('l1', 3)])).events).toEqual([]);
      expect(given(...PLANNED).when(cancel('r-1', [q('l3', 10)])).events).toMatchObject([{ data: { nodeId: 'S2', lines: [q('l3', 2)] } }]);
    });

    it('does not ask a node again for units whose cancellation is already pending there', () => {
      const asked = given(...PLANNED, cancel('r-1', [q('l1', 2)]));
      expect(asked.open.pendingCancel).toEqual({ S1: { l1: 2 } });
      expect(asked.when(cancel('r-2', [q('l1', 2)])).events).toMatchObject([{ data: { requestId: 'r-2:S1', lines: [q('l1', 1)] } }]);
      const all = given(...PLANNED, cancel('r-1', [q('l1', 3)]));
      expect(all.when(cancel('r-2', [q('l1', 3)])).events).toEqual([]);
      expect(all.when(cancel('r-2', [q('l1', 3), q('l2', 1)])).events).toMatchObject([{ data: { requestId: 'r-2:S1', lines: [q('l2', 1)] } }]);
    });

    it("the node's cancellation settles the pending units: cancelled, the node not ruled out, nothing to re-plan", () => {
      const asked = given(...PLANNED, cancel('r-1', [q('l1', 3)]));
      const { events, open } = asked.when(report('c-ack-1', 'S1', [q('l1', 3)], 'cancelled'));
      expect(events).toEqual([
        {
          type: 'UnitsReturnedByNode',
          data: { sourceId: 'c-ack-1', nodeId: 'S1', lines: [q('l1', 3)], outcome: 'cancelled', excludedLineIds: [], returnedAt: LATER.toISOString() },
        },
        { type: 'OrderLinesCancelled', data: { cancellationId: 'c-ack-1', nodeId: 'S1', lines: [q('l1', 3)], reason: 'cancelled at the customer request', cancelledAt: LATER.toISOString() } },
      ]);
      expect(unplanned(open())).toEqual([]);
      expect(open().excluded).toEqual([]);
      expect(open().pendingCancel['S1']?.['l1'] ?? 0).toBe(0);
      expect(open().cancelled).toEqual({ l1: 3 });
      expect(inForce(open())).toEqual({ 'o-1:1:S1': { l2: 1 }, 'o-1:1:S2': { l3: 2 } });
      expect(reservationTargets(open(), 'S1')).toEqual([{ sku: 'B', quantity: 1 }]);
      // Nothing left of the line to cancel again.
      expect(run([cancel('r-2', [q('l1', 3)])], open()).events).toEqual([]);
    });

    it('a node that cancels more than was asked: the extra rules it out and is re-planned', () => {
      const asked = given(...PLANNED, cancel('r-1', [q('l1', 1)]));
      const { events, open } = asked.when(report('c-ack-1', 'S1', [q('l1', 3)], 'cancelled'));
      expect(events).toMatchObject([
        { type: 'UnitsReturnedByNode', data: { lines: [q('l1', 3)], excludedLineIds: ['l1'] } },
        { type: 'OrderLinesCancelled', data: { nodeId: 'S1', lines: [q('l1', 1)] } },
      ]);
      expect(events).toHaveLength(2);
      expect(unplanned(open())).toEqual([{ lineId: 'l1', sku: 'A', quantity: 2 }]);
      expect(allocationOf(planOn(open()))).toEqual({ S2: { l1: 2 } });
    });

    it("a node that cancels more than was asked under resolution 'cancel': the extra is given up", () => {
      const asked = given(...PLANNED, cancel('r-1', [q('l1', 1)]));
      const { events, open } = asked.when(report('c-ack-1', 'S1', [q('l1', 3)], 'cancelled', 'cancel'));
      expect(events.map((e) => e.type)).toEqual(['UnitsReturnedByNode', 'OrderLinesCancelled', 'LinesUnfulfillable']);
      expect(events[2]).toEqual({
        type: 'LinesUnfulfillable',
        data: { cancellationId: 'unfulfillable:c-ack-1', lines: [q('l1', 2)], reason: 'cancelled', cancelledAt: LATER.toISOString() },
      });
      expect(unplanned(open())).toEqual([]);
      expect(open().cancelled).toEqual({ l1: 1 });
      expect(open().unfulfillable).toEqual({ l1: 2 });
    });

    it('a node that fails units whose cancellation is pending: those are cancelled, not re-planned', () => {
      const asked = given(...PLANNED, cancel('r-1', [q('l1', 2)]));
      const { events, open } = asked.when(report('ack-1', 'S1', [q('l1', 3)], 'rejected'));
      expect(events).toMatchObject([
        { type: 'UnitsReturnedByNode', data: { lines: [q('l1', 3)], outcome: 'rejected', excludedLineIds: ['l1'] } },
        { type: 'OrderLinesCancelled', data: { cancellationId: 'ack-1', nodeId: 'S1', lines: [q('l1', 2)] } },
      ]);
      expect(unplanned(open())).toEqual([{ lineId: 'l1', sku: 'A', quantity: 1 }]);
      expect(open().pendingCancel['S1']?.['l1'] ?? 0).toBe(0);

      const allAsked = given(...PLANNED, cancel('r-1', [q('l1', 3)])).when(report('ack-1', 'S1', [q('l1', 3)], 'shortage', 'cancel'));
      expect(allAsked.events.map((e) => e.type)).toEqual(['UnitsReturnedByNode', 'OrderLinesCancelled']);
      expect(unplanned(allAsked.open())).toEqual([]);
    });
  });

  describe('ChangeShipTo', () => {
    it('records a new address, and groups planned after it carry it', () => {
      const order = given(...PLANNED);
      const { events } = order.when(changeShipTo('ch-1', NEW_SHIP_TO));
      expect(events).toEqual([{ type: 'ShipToChanged', data: { requestId: 'ch-1', shipTo: NEW_SHIP_TO, changedAt: LATER.toISOString() } }]);

      const after = order.when(changeShipTo('ch-1', NEW_SHIP_TO), report('ack-1', 'S1', [q('l1', 3)]), replan());
      const requested = ofType(after.events, 'FulfilmentRequested');
      expect(requested.map((e) => [e.data.groupId, e.data.shipTo])).toEqual([['o-1:2:S2', NEW_SHIP_TO]]);
    });

    it('records nothing when the address is the same', () => {
      expect(given(...PLANNED).when(changeShipTo('ch-1', { ...SHIP_TO })).events).toEqual([]);
      expect(given(...PLANNED, changeShipTo('ch-1', NEW_SHIP_TO)).when(changeShipTo('ch-1', NEW_SHIP_TO)).events).toEqual([]);
    });

    it('records nothing when the same address comes with its fields in another order (as read back from a jsonb column)', () => {
      const { name, line1, city, postalCode, country } = SHIP_TO;
      // PostgreSQL jsonb keeps object keys shortest first, so a reloaded state holds this order.
      const reordered: Address = { city, name, line1, country, postalCode };
      expect(given(...PLANNED).when(changeShipTo('ch-1', reordered)).events).toEqual([]);
    });
  });

  describe('planInForce', () => {
    it('orders groups by plan version, then group id', () => {
      const { open } = given(...REPLANNED);
      const [s1, s2, s2v2] = [open.groups['o-1:1:S1']!, open.groups['o-1:1:S2']!, open.groups['o-1:2:S2']!];
      const shuffled: OpenAllocation = { ...open, groups: { [s2v2.groupId]: s2v2, [s2.groupId]: s2, [s1.groupId]: s1 } };
      expect(planInForce(shuffled).groups.map((g) => g.groupId)).toEqual(['o-1:1:S1', 'o-1:1:S2', 'o-1:2:S2']);
      // Plan versions compare as numbers: plan 10 comes after plan 9.
      const v9 = { ...s1, groupId: 'o-1:9:S1', planVersion: 9 };
      const v10 = { ...s1, groupId: 'o-1:10:S1', planVersion: 10 };
      expect(planInForce({ ...open, groups: { [v10.groupId]: v10, [v9.groupId]: v9 } }).groups.map((g) => g.groupId)).toEqual(['o-1:9:S1', 'o-1:10:S1']);
    });

    it('never lists a line whose units all came back', () => {
      const { open } = given(...PLANNED, report('ack-1', 'S1', [q('l2', 1)], 'shortage'), report('ack-2', 'S1', [q('l1', 1)], 'shortage'));
      expect(planInForce(open).groups).toEqual([
        { groupId: 'o-1:1:S1', nodeId: 'S1', nodeKind: 'supplier', lines: [q('l1', 2)] },
        { groupId: 'o-1:1:S2', nodeId: 'S2', nodeKind: 'supplier', lines: [q('l3', 2)] },
      ]);
    });

    it('refuses a plan that gives a node a zero or negative quantity', () => {
      const start = given(openAllocation());
      const plan = planOn(start.open);
      for (const quantity of [0, -2]) {
        const bad: Plan = { ...plan, groups: [plan.groups[0]!, { ...plan.groups[1]!, lines: [...plan.groups[1]!.lines, { lineId: 'l1', sku: 'A', quantity, unitCost: 1500 }] }] };
        expect(() => start.when(recordPlan(bad))).toThrow(/no positive whole quantity/);
      }
    });
  });
});
