import { allocationDecider, AllocationError, unplanned, type AllocationCommand, type AllocationState } from './allocation';
import { availableFor, nodeStockDecider, ReservationRefusedError, type NodeStockCommand, type NodeStockEvent, type NodeStockState } from './node-stock';
import { planFulfilment } from './planner';
import { DEFAULT_POLICY, type NodeProfile, type Offer } from './planning-types';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const FRESH = '2026-11-25T11:00:00.000Z';
const node = (nodeId: string, kind: 'warehouse' | 'supplier'): NodeProfile => ({
  nodeId,
  kind,
  safetyBuffer: 0,
  freshnessLimitHours: 24,
  shipping: { perShipment: 500, perUnit: 0 },
  claimedShipDays: 1,
  transitDays: 2,
  dropShipAllowed: true,
  status: 'active',
  reliability: 1,
});
const nodes = { S1: node('S1', 'supplier'), S2: node('S2', 'supplier') };
const offer = (nodeId: string, unitCost: number, reportedStock = 10): Offer => ({ nodeId, sku: 'A', unitCost, reportedStock, stockAsOf: FRESH });
const lines = [{ lineId: 'l1', sku: 'A', quantity: 2 }];

function run<C, S, E>(decider: { decide(c: C, s: S): readonly E[]; evolve(s: S, e: E): S; initialState(): S }, commands: C[]): { state: S; events: E[] } {
  let state = decider.initialState();
  const events: E[] = [];
  for (const c of commands) {
    const out = decider.decide(c, state);
    events.push(...out);
    state = out.reduce(decider.evolve, state);
  }
  return { state, events };
}

const plan = (state: AllocationState, offers: Offer[]) => {
  if (state.status !== 'open') throw new Error('not open');
  return planFulfilment({ lines: unplanned(state), offers, nodes, policy: DEFAULT_POLICY, now: NOW, excluded: state.excluded });
};

describe('allocation', () => {
  const open: AllocationCommand = { type: 'OpenAllocation', data: { orderId: 'o-1', lines, now: NOW } };

  it('plans the cheapest supplier, and after its rejection re-plans the same quantity to the next one', () => {
    const first = run(allocationDecider, [open]);
    const p1 = plan(first.state, [offer('S1', 100), offer('S2', 150)]);
    const planned = run(allocationDecider, [open, { type: 'RecordPlan', data: { plan: p1, now: NOW } }]);
    expect(planned.events[1]).toMatchObject({ type: 'FulfilmentPlanned', data: { version: 1, groups: [{ nodeId: 'S1', lines: [{ lineId: 'l1', quantity: 2 }] }] } });

    const rejected: AllocationCommand = { type: 'RecordNodeFailure', data: { sourceId: 'ack-1', nodeId: 'S1', lines: [{ lineId: 'l1', quantity: 2 }], reason: 'rejected', now: NOW } };
    const afterReject = run(allocationDecider, [open, { type: 'RecordPlan', data: { plan: p1, now: NOW } }, rejected, rejected]);
    expect(afterReject.events.filter((e) => e.type === 'NodeFailed')).toHaveLength(1); // the redelivery frees nothing twice
    const p2 = plan(afterReject.state, [offer('S1', 100), offer('S2', 150)]);
    expect(p2.groups.map((g) => g.nodeId)).toEqual(['S2']);
    expect(p2.candidates['l1']!.find((c) => c.nodeId === 'S1')!.excluded).toBe('failed this line before');
    const replanned = allocationDecider.decide({ type: 'RecordPlan', data: { plan: p2, now: NOW } }, afterReject.state);
    expect(replanned[0]).toMatchObject({ type: 'FulfilmentPlanned', data: { version: 2, groups: [{ nodeId: 'S2' }] } });
  });

  it('reports the lines no node can take as unfulfillable once, and then has nothing left to plan', () => {
    const opened = run(allocationDecider, [open]);
    const p = plan(opened.state, [offer('S1', 100, 1)]);
    expect(p.unfulfillable).toEqual([{ lineId: 'l1', sku: 'A', quantity: 1, reason: 'not enough stock at any eligible node' }]);
    const done = run(allocationDecider, [open, { type: 'RecordPlan', data: { plan: p, now: NOW } }]);
    expect(done.state.status === 'open' && unplanned(done.state)).toEqual([]);
  });

  it('refuses a plan that would cover a quantity twice, or send a line back to a node that failed it', () => {
    const planned = run(allocationDecider, [open, { type: 'RecordPlan', data: { plan: plan(run(allocationDecider, [open]).state, [offer('S1', 100)]), now: NOW } }]);
    const again = planFulfilment({ lines, offers: [offer('S1', 100)], nodes, policy: DEFAULT_POLICY, now: NOW });
    expect(() => allocationDecider.decide({ type: 'RecordPlan', data: { plan: again, now: NOW } }, planned.state)).toThrow(AllocationError);
    const failed = run(allocationDecider, [open, { type: 'RecordPlan', data: { plan: again, now: NOW } }, { type: 'RecordNodeFailure', data: { sourceId: 't-1', nodeId: 'S1', lines: [{ lineId: 'l1', quantity: 2 }], reason: 'timed_out', now: NOW } }]);
    expect(() => allocationDecider.decide({ type: 'RecordPlan', data: { plan: again, now: NOW } }, failed.state)).toThrow(/failed it/);
  });
});

describe('node stock reservations', () => {
  const stock: NodeStockCommand = { type: 'RecordStockLevels', data: { mode: 'snapshot', items: [{ sku: 'A', quantity: 3 }], asOf: FRESH } };
  const reserve = (orderId: string, quantity: number): NodeStockCommand => ({ type: 'SetReservation', data: { orderId, items: [{ sku: 'A', quantity }], safetyBuffer: 1, reason: 'planned' } });

  it('lets two orders share what is left after the buffer, and refuses the one that comes second for the last unit', () => {
    const { state } = run<NodeStockCommand, NodeStockState, NodeStockEvent>(nodeStockDecider, [stock, reserve('o-1', 1)]);
    expect(availableFor(state, 'A', 'o-2', 1)).toBe(1);
    const taken = run<NodeStockCommand, NodeStockState, NodeStockEvent>(nodeStockDecider, [stock, reserve('o-1', 1), reserve('o-2', 1)]);
    expect(() => nodeStockDecider.decide(reserve('o-3', 1), taken.state)).toThrow(ReservationRefusedError);
  });

  it('is idempotent for the same reservation and frees units when set to zero', () => {
    const once = run<NodeStockCommand, NodeStockState, NodeStockEvent>(nodeStockDecider, [stock, reserve('o-1', 2)]);
    expect(nodeStockDecider.decide(reserve('o-1', 2), once.state)).toEqual([]);
    const released = run<NodeStockCommand, NodeStockState, NodeStockEvent>(nodeStockDecider, [stock, reserve('o-1', 2), reserve('o-1', 0)]);
    expect(availableFor(released.state, 'A', 'o-2', 1)).toBe(2);
  });

  it('ignores an older feed that arrives late', () => {
    const older: NodeStockCommand = { type: 'RecordStockLevels', data: { mode: 'snapshot', items: [{ sku: 'A', quantity: 99 }], asOf: '2026-11-24T00:00:00.000Z' } };
    const { state, events } = run<NodeStockCommand, NodeStockState, NodeStockEvent>(nodeStockDecider, [stock, older]);
    expect(state.levels['A']!.quantity).toBe(3);
    expect(events.filter((e: NodeStockEvent) => e.type === 'StockLevelsRecorded')).toHaveLength(1);
  });
});

