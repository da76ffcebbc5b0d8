import { runDecider } from '@oms/event-store/testing';
import {
  availableFor,
  nodeStockDecider,
  ReservationRefusedError,
  unheldStock,
  type NodeStockCommand,
  type NodeStockEvent,
  type NodeStockState,
  type SkuQuantity,
} from './node-stock';

/*
 * Given the commands a node's stock stream has seen, when one more arrives, then these events.
 * Feed and shipment times are hours of one day, so "older" and "newer" read at a glance.
 */

const T = (hour: number) => new Date(Date.UTC(2026, 10, 25, hour)).toISOString();

function run(commands: readonly NodeStockCommand[], from: NodeStockState = nodeStockDecider.initialState()): { state: NodeStockState; events: NodeStockEvent[] } {
  return runDecider(nodeStockDecider, commands, from);
}

function given(...commands: NodeStockCommand[]) {
  const past = run(commands);
  return {
    state: past.state,
    when: (...next: NodeStockCommand[]) => run(next, past.state),
  };
}

const items = (counts: Record<string, number>): SkuQuantity[] => Object.entries(counts).map(([sku, quantity]) => ({ sku, quantity }));
const snapshot = (asOf: string, counts: Record<string, number>): NodeStockCommand => ({ type: 'RecordStockLevels', data: { mode: 'snapshot', items: items(counts), asOf } });
const delta = (asOf: string, counts: Record<string, number>): NodeStockCommand => ({ type: 'RecordStockLevels', data: { mode: 'delta', items: items(counts), asOf } });
const reserve = (orderId: string, counts: Record<string, number>, safetyBuffer = 0): NodeStockCommand => ({
  type: 'SetReservation',
  data: { orderId, items: items(counts), safetyBuffer, reason: 'plan 1' },
});
const consume = (orderId: string, shipmentId: string, counts: Record<string, number>, shippedAt: string): NodeStockCommand => ({
  type: 'ConsumeReservation',
  data: { orderId, shipmentId, items: items(counts), shippedAt },
});
const levelsOf = (state: NodeStockState) => Object.fromEntries(Object.entries(state.levels).map(([sku, level]) => [sku, level.quantity]));

function refusal(run: () => unknown): ReservationRefusedError {
  try {
    run();
  } catch (error) {
    if (error instanceof ReservationRefusedError) return error;
    throw error;
  }
  throw new Error('expected the reservation to be refused');
}

describe('node stock decider', () => {
  describe('RecordStockLevels', () => {
    it('records a feed as given', () => {
      expect(given().when(snapshot(T(1), { A: 5 })).events).toEqual([{ type: 'StockLevelsRecorded', data: { mode: 'snapshot', items: [{ sku: 'A', quantity: 5 }], asOf: T(1) } }]);
    });

    it('a snapshot zeroes the skus it does not list; a delta leaves them', () => {
      const stocked = given(snapshot(T(1), { A: 5, B: 3 }));
      const snap = stocked.when(snapshot(T(2), { A: 4 }));
      expect(levelsOf(snap.state)).toEqual({ A: 4, B: 0 });
      expect(snap.state.levels['B']).toEqual({ quantity: 0, asOf: T(2) });
      const del = stocked.when(delta(T(2), { A: 4 }));
      expect(levelsOf(del.state)).toEqual({ A: 4, B: 3 });
      expect(del.state.levels['B']!.asOf).toBe(T(1));
    });

    it('a snapshot that only zeroes still records', () => {
      const { events, state } = given(snapshot(T(1), { A: 5, B: 3 })).when(snapshot(T(2), {}));
      expect(events).toHaveLength(1);
      expect(levelsOf(state)).toEqual({ A: 0, B: 0 });
    });

    it('an older feed arriving late changes nothing, and records nothing when it brings nothing newer', () => {
      const stocked = given(snapshot(T(5), { A: 5, B: 3 }));
      expect(stocked.when(snapshot(T(4), { A: 99 })).events).toEqual([]);
      expect(stocked.when(delta(T(4), { A: 99, B: 99 })).events).toEqual([]);
      expect(stocked.when(snapshot(T(5), { A: 99 })).events).toEqual([]); // the same time is not newer
      // A late snapshot that does bring a sku never seen: recorded for that sku only; it zeroes nothing newer.
      const late = stocked.when(snapshot(T(4), { A: 99, C: 2 }));
      expect(late.events).toHaveLength(1);
      expect(levelsOf(late.state)).toEqual({ A: 5, B: 3, C: 2 });
      expect(late.state.levels['A']!.asOf).toBe(T(5));
    });

    it('keeps the newest figure per sku when feeds interleave', () => {
      const { state } = given(snapshot(T(1), { A: 5, B: 3 }), delta(T(3), { B: 1 })).when(snapshot(T(2), { A: 4, B: 9 }));
      expect(levelsOf(state)).toEqual({ A: 4, B: 1 });
    });
  });

  describe('SetReservation', () => {
    const stocked = given(snapshot(T(1), { A: 3, B: 2 }));

    it('holds the units for the order', () => {
      const { events, state } = stocked.when(reserve('o-1', { A: 2 }));
      expect(events).toEqual([{ type: 'ReservationSet', data: { orderId: 'o-1', items: [{ sku: 'A', quantity: 2 }], reason: 'plan 1' } }]);
      expect(unheldStock(state, 'A', 'o-2')).toBe(1);
      expect(unheldStock(state, 'A', 'o-1')).toBe(3);
    });

    it('two orders racing for the last unit: the one decided second on the new state is refused with the shortage', () => {
      const lastUnit = given(snapshot(T(1), { A: 1 }));
      const first = lastUnit.when(reserve('o-1', { A: 1 }));
      expect(first.events).toHaveLength(1);
      const error = refusal(() => nodeStockDecider.decide(reserve('o-2', { A: 1 }), first.state));
      expect(error.shortages).toEqual([{ sku: 'A', requested: 1, available: 0 }]);
      expect(error.message).toBe('Not enough stock: A 1 requested, 0 available');
      // On the state it read before the first append, the second would have passed: the revision check is what stops it.
      expect(lastUnit.when(reserve('o-2', { A: 1 })).events).toHaveLength(1);
    });

    it('lists every sku short, and holds nothing when any is', () => {
      const error = refusal(() => stocked.when(reserve('o-1', { A: 4, B: 2, C: 1 })));
      expect(error.shortages).toEqual([
        { sku: 'A', requested: 4, available: 3 },
        { sku: 'C', requested: 1, available: 0 },
      ]);
    });

    it('keeps the safety buffer back', () => {
      expect(stocked.when(reserve('o-1', { A: 2 }, 1)).events).toHaveLength(1);
      expect(refusal(() => stocked.when(reserve('o-1', { A: 3 }, 1))).shortages).toEqual([{ sku: 'A', requested: 3, available: 2 }]);
      const held = stocked.when(reserve('o-1', { A: 1 }, 1));
      expect(availableFor(held.state, 'A', 'o-2', 1)).toBe(1);
      expect(refusal(() => run([reserve('o-2', { A: 2 }, 1)], held.state)).shortages).toEqual([{ sku: 'A', requested: 2, available: 1 }]);
      expect(availableFor(stocked.state, 'A', 'o-1', 5)).toBe(0);
    });

    it("an order's own hold stays available to it: raising it counts only others' holds", () => {
      const held = stocked.when(reserve('o-1', { A: 1 }), reserve('o-2', { A: 1 }));
      expect(run([reserve('o-1', { A: 2 })], held.state).events).toHaveLength(1);
      expect(refusal(() => run([reserve('o-1', { A: 3 })], held.state)).shortages).toEqual([{ sku: 'A', requested: 3, available: 2 }]);
    });

    it('setting the same target again records nothing', () => {
      const held = stocked.when(reserve('o-1', { A: 2, B: 1 }));
      expect(run([reserve('o-1', { A: 2, B: 1 })], held.state).events).toEqual([]);
      expect(run([reserve('o-1', { B: 1, A: 2 })], held.state).events).toEqual([]);
      // A zero for a sku not held is the same target too.
      expect(run([reserve('o-1', { A: 2, B: 1, C: 0 })], held.state).events).toEqual([]);
      expect(stocked.when(reserve('o-1', {})).events).toEqual([]);
    });

    it('the target is absolute: a sku left out is released', () => {
      const held = stocked.when(reserve('o-1', { A: 2, B: 1 }));
      const { events, state } = run([reserve('o-1', { A: 2 })], held.state);
      expect(events).toHaveLength(1);
      expect(state.reserved['B']).toBeUndefined();
      expect(state.reserved['A']).toEqual({ 'o-1': 2 });
    });

    it('lowering or keeping a hold is allowed after the feed dropped below it', () => {
      const held = stocked.when(reserve('o-1', { A: 3 }), snapshot(T(2), { A: 1, B: 2 }));
      expect(run([reserve('o-1', { A: 3 })], held.state).events).toEqual([]);
      const lowered = run([reserve('o-1', { A: 2 })], held.state);
      expect(lowered.events).toEqual([{ type: 'ReservationSet', data: { orderId: 'o-1', items: [{ sku: 'A', quantity: 2 }], reason: 'plan 1' } }]);
      expect(lowered.state.reserved['A']).toEqual({ 'o-1': 2 });
      // Keeping A while adding B is checked for B only.
      expect(run([reserve('o-1', { A: 3, B: 2 })], held.state).events).toHaveLength(1);
      // Raising it back is not.
      expect(() => run([reserve('o-1', { A: 2 }), reserve('o-1', { A: 3 })], held.state)).toThrow(ReservationRefusedError);
    });

    it('setting 0 releases the hold for other orders', () => {
      const held = stocked.when(reserve('o-1', { A: 3, B: 1 }));
      expect(availableFor(held.state, 'A', 'o-2', 0)).toBe(0);
      const released = run([reserve('o-1', { A: 0, B: 0 })], held.state);
      expect(released.events).toEqual([{ type: 'ReservationSet', data: { orderId: 'o-1', items: [], reason: 'plan 1' } }]);
      expect(released.state.reserved).toEqual({});
      expect(availableFor(released.state, 'A', 'o-2', 0)).toBe(3);
      expect(run([reserve('o-1', { A: 0 })], released.state).events).toEqual([]);
    });

    it("releasing one order's hold leaves other orders' holds alone", () => {
      const held = stocked.when(reserve('o-1', { A: 1 }), reserve('o-2', { A: 2 }));
      const { state } = run([reserve('o-1', {})], held.state);
      expect(state.reserved['A']).toEqual({ 'o-2': 2 });
      expect(unheldStock(state, 'A', 'o-3')).toBe(1);
    });
  });

  describe('ConsumeReservation', () => {
    const held = given(snapshot(T(1), { A: 5 }), reserve('o-1', { A: 3 }));

    it("ends the order's hold and keeps the shipped units unavailable until a newer feed", () => {
      const { events, state } = held.when(consume('o-1', 'sh-1', { A: 2 }, T(2)));
      expect(events).toEqual([{ type: 'ReservationConsumed', data: { orderId: 'o-1', shipmentId: 'sh-1', items: [{ sku: 'A', quantity: 2 }], shippedAt: T(2) } }]);
      expect(state.reserved['A']).toEqual({ 'o-1': 1 });
      // The feed still says 5: 2 are gone, 1 is held for o-1.
      expect(unheldStock(state, 'A', 'o-2')).toBe(2);
      expect(unheldStock(state, 'A', 'o-1')).toBe(3);

      const all = held.when(consume('o-1', 'sh-1', { A: 3 }, T(2)));
      expect(all.state.reserved['A']).toBeUndefined();
      expect(unheldStock(all.state, 'A', 'o-2')).toBe(2);
      expect(unheldStock(all.state, 'A', 'o-1')).toBe(2);
    });

    it('a feed produced after the shipment counts the units itself: they stop counting as in transit', () => {
      const shipped = held.when(consume('o-1', 'sh-1', { A: 3 }, T(2)));
      const { state } = run([snapshot(T(3), { A: 2 })], shipped.state);
      expect(state.inTransit).toEqual({});
      expect(unheldStock(state, 'A', 'o-2')).toBe(2);
      const byDelta = run([delta(T(3), { A: 2 })], shipped.state);
      expect(unheldStock(byDelta.state, 'A', 'o-2')).toBe(2);
    });

    it('a feed produced before the shipment keeps them in transit', () => {
      const shipped = held.when(consume('o-1', 'sh-1', { A: 3 }, T(3)));
      const { events, state } = run([snapshot(T(2), { A: 5 })], shipped.state);
      expect(events).toHaveLength(1); // newer than the last feed, so recorded…
      expect(state.inTransit['A']).toEqual([{ shipmentId: 'sh-1', quantity: 3, shippedAt: T(3) }]);
      expect(unheldStock(state, 'A', 'o-2')).toBe(2); // …but it does not know of the shipment yet
      // A delta about another sku does not speak for A.
      expect(unheldStock(run([delta(T(4), { B: 7 })], shipped.state).state, 'A', 'o-2')).toBe(2);
    });

    it('a shipment the last feed already reflects is not counted twice', () => {
      const reflected = held.when(snapshot(T(3), { A: 2 }), consume('o-1', 'sh-1', { A: 3 }, T(2)));
      expect(reflected.state.inTransit).toEqual({});
      expect(unheldStock(reflected.state, 'A', 'o-2')).toBe(2);
    });

    it('records the same shipment once, and nothing for a shipment without units', () => {
      const once = held.when(consume('o-1', 'sh-1', { A: 2 }, T(2)));
      const again = run([consume('o-1', 'sh-1', { A: 2 }, T(2))], once.state);
      expect(again.events).toEqual([]);
      expect(unheldStock(again.state, 'A', 'o-2')).toBe(2);
      expect(held.when(consume('o-1', 'sh-2', { A: 0 }, T(2))).events).toEqual([]);
    });

    it("leaves other orders' holds alone", () => {
      const two = given(snapshot(T(1), { A: 5 }), reserve('o-1', { A: 2 }), reserve('o-2', { A: 2 }));
      const { state } = two.when(consume('o-1', 'sh-1', { A: 2 }, T(2)));
      expect(state.reserved['A']).toEqual({ 'o-2': 2 });
      expect(unheldStock(state, 'A', 'o-3')).toBe(1);
    });
  });
});
