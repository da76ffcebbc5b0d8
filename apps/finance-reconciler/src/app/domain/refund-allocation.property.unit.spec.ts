import { runDecider } from '@oms/event-store/testing';
import fc from 'fast-check';
import { ledgerDecider, type LedgerCommand, type LedgerState } from './ledger';
import type { LedgerEvent, ShippingCharge } from './ledger-events';
import { refundUnits, type UnitsRefund } from './refund-allocation';
import { cancel, chargedLine, commitPo, nodeCosts, q, recognizeCharge, returned, ship, type ChargeLine, type LineQuantity } from './testing/ledger-fixtures';
import { NotYetKnownError } from './ledger';

/**
 * Properties of the per-unit split (`refundUnits`) over random lines and random sequences of partial
 * refunds, and of the ledger's refunds over random orders: what is refunded never exceeds what was
 * charged, adds up exactly when everything comes back, and a redelivered refund refunds nothing.
 */

const RUNS = 300;

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const lineArb = (lineId: string, taxesIncluded: boolean, maxQuantity: number): fc.Arbitrary<ChargeLine> =>
  fc
    .record({ quantity: fc.integer({ min: 1, max: maxQuantity }), unitPrice: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100_000 })), tax: fc.integer({ min: 0, max: 20_000 }) })
    .chain(({ quantity, unitPrice, tax }) =>
      fc
        .oneof(fc.constant(0), fc.integer({ min: 0, max: quantity * unitPrice }), fc.constant(quantity * unitPrice))
        .map((discount) => chargedLine(lineId, quantity, unitPrice, { discount, tax, taxesIncluded })),
    );

/** A refund of `count` units, as a cancellation (from the first unit up) or a return (from the last down). */
const stepArb = fc.record({ kind: fc.constantFrom('cancel' as const, 'return' as const), count: fc.integer({ min: 0, max: 50 }) });

const splitArb = fc.boolean().chain((taxesIncluded) =>
  fc.record({
    taxesIncluded: fc.constant(taxesIncluded),
    line: lineArb('l1', taxesIncluded, 50),
    steps: fc.array(stepArb, { maxLength: 12 }),
    /** Then refund every unit left, this way (or leave them). */
    rest: fc.constantFrom('cancel' as const, 'return' as const, undefined),
  }),
);

const shippingArb = (taxesIncluded: boolean): fc.Arbitrary<ShippingCharge> =>
  fc.oneof(
    fc.constant({ amount: 0, discount: 0, tax: 0, total: 0 }),
    fc
      .record({ amount: fc.integer({ min: 1, max: 2_000 }), tax: fc.integer({ min: 0, max: 500 }) })
      .chain(({ amount, tax }) => fc.integer({ min: 0, max: amount }).map((discount) => ({ amount, discount, tax, total: amount - discount + (taxesIncluded ? 0 : tax) }))),
  );

const LINE_IDS = ['l1', 'l2', 'l3', 'l4'];

const orderArb = fc.boolean().chain((taxesIncluded) =>
  fc.integer({ min: 1, max: LINE_IDS.length }).chain((lineCount) =>
    fc.record({
      taxesIncluded: fc.constant(taxesIncluded),
      lines: fc.tuple(...LINE_IDS.slice(0, lineCount).map((lineId) => lineArb(lineId, taxesIncluded, 12))),
      shipping: shippingArb(taxesIncluded),
      unitCost: fc.integer({ min: 0, max: 50_000 }),
    }),
  ),
);

/** Units of some lines, possibly more than the line has, possibly a line twice. */
const picksArb = fc.array(fc.record({ line: fc.integer({ min: 0, max: LINE_IDS.length - 1 }), quantity: fc.integer({ min: 0, max: 14 }) }), { minLength: 1, maxLength: 4 });

type Op =
  | { readonly kind: 'cancel'; readonly id: string; readonly picks: readonly { line: number; quantity: number }[] }
  | { readonly kind: 'ship'; readonly id: string; readonly picks: readonly { line: number; quantity: number }[]; readonly viaPo: boolean }
  | { readonly kind: 'return'; readonly id: string; readonly picks: readonly { line: number; quantity: number }[]; readonly destination: 'supplier' | 'retailer'; readonly named: boolean };

// Small id pools, so that ids come round again: a redelivery, or the same id with other lines.
const cancelOpArb: fc.Arbitrary<Op> = fc.record({ kind: fc.constant('cancel' as const), id: fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5'), picks: picksArb });
const shipOpArb: fc.Arbitrary<Op> = fc.record({ kind: fc.constant('ship' as const), id: fc.constantFrom('s1', 's2', 's3', 's4', 's5'), picks: picksArb, viaPo: fc.boolean() });
const returnOpArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant('return' as const),
  id: fc.constantFrom('r1', 'r2', 'r3', 'r4'),
  picks: picksArb,
  destination: fc.constantFrom('supplier' as const, 'retailer' as const),
  named: fc.boolean(),
});
const opsArb = fc.array(fc.oneof(cancelOpArb, shipOpArb, returnOpArb), { maxLength: 16 });
const cancelOpsArb = fc.array(cancelOpArb, { maxLength: 10 });

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function componentsAddUp(refund: UnitsRefund, taxesIncluded: boolean): void {
  expect(refund.amount).toBe(refund.items - refund.discount + (taxesIncluded ? 0 : refund.tax));
  for (const value of [refund.amount, refund.items, refund.discount, refund.tax]) expect(value).toBeGreaterThanOrEqual(0);
}

type Order = { readonly taxesIncluded: boolean; readonly lines: readonly ChargeLine[]; readonly shipping: ShippingCharge; readonly unitCost: number };

const toLines = (order: Order, picks: readonly { line: number; quantity: number }[]): LineQuantity[] =>
  picks.map((p) => q(order.lines[p.line % order.lines.length]!.lineId, p.quantity));

function commandOf(order: Order, op: Op): LedgerCommand {
  const lines = toLines(order, op.picks);
  switch (op.kind) {
    case 'cancel':
      return cancel(op.id, lines);
    case 'ship':
      return op.viaPo ? ship(op.id, 'S1', lines, 'po-1') : ship(op.id, 'W1', lines);
    case 'return':
      return returned(op.id, lines, op.destination, op.named ? 'S1' : undefined);
  }
}

/** The charge, a PO from S1 for every unit and warehouse W1's costs; returns the state and events. */
function charged(order: Order): { state: LedgerState; events: LedgerEvent[] } {
  const setup = [
    recognizeCharge(order.lines, order.shipping, order.taxesIncluded),
    commitPo(
      'po-1',
      'S1',
      order.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, unitCost: order.unitCost })),
    ),
    nodeCosts(
      'W1',
      order.lines.map((l) => ({ lineId: l.lineId, unitCost: order.unitCost })),
    ),
  ];
  return apply(ledgerDecider.initialState(), setup);
}

/**
 * Folds the commands; one the ledger cannot take yet (a return of units still to ship: in the
 * service the message is retried until the shipment arrives) is left out, as if not yet delivered.
 */
function apply(from: LedgerState, commands: readonly LedgerCommand[]): { state: LedgerState; events: LedgerEvent[] } {
  let state = from;
  const events: LedgerEvent[] = [];
  for (const command of commands) {
    try {
      const out = runDecider(ledgerDecider, [command], state);
      state = out.state;
      events.push(...out.events);
    } catch (error) {
      if (!(error instanceof NotYetKnownError)) throw error;
    }
  }
  return { state, events };
}

const refundsIn = (events: readonly LedgerEvent[]) => events.flatMap((e) => (e.type === 'RefundIssued' ? [e.data] : []));
const chargeTotal = (order: Order) => sum(order.lines.map((l) => l.total)) + order.shipping.total;

/** Cancel every unit neither cancelled nor returned yet, under a fresh id. */
const cancelTheRest = (order: Order, state: LedgerState): LedgerCommand =>
  cancel(
    'the-rest',
    order.lines.map((l) => q(l.lineId, l.quantity - (state.cancelled[l.lineId] ?? 0) - (state.returned[l.lineId] ?? 0))),
  );

// ---------------------------------------------------------------------------------------------

describe('refundUnits properties', () => {
  it('splits any sequence of partial cancellations (from the bottom) and returns (from the top) into refunds that add up, never beyond the line, exactly to it when every unit comes back', () => {
    fc.assert(
      fc.property(splitArb, ({ taxesIncluded, line, steps, rest }) => {
        let cancelled = 0;
        let returnedUnits = 0;
        const refunds: { kind: 'cancel' | 'return'; refund: UnitsRefund }[] = [];
        const take = (kind: 'cancel' | 'return', wanted: number) => {
          const count = Math.min(wanted, line.quantity - cancelled - returnedUnits);
          const from = kind === 'cancel' ? cancelled : line.quantity - returnedUnits - count;
          const refund = refundUnits(line, taxesIncluded, from, count);
          expect(refund.quantity).toBe(count);
          componentsAddUp(refund, taxesIncluded);
          refunds.push({ kind, refund });
          if (kind === 'cancel') cancelled += count;
          else returnedUnits += count;
          expect(sum(refunds.map((r) => r.refund.amount))).toBeLessThanOrEqual(line.total);
        };
        for (const step of steps) take(step.kind, step.count);
        if (rest) take(rest, line.quantity);

        // However the units were taken, the cancellations are the bottom units and the returns the top ones.
        const of = (kind: 'cancel' | 'return') => refunds.filter((r) => r.kind === kind).map((r) => r.refund);
        expect(sum(of('cancel').map((r) => r.amount))).toBe(refundUnits(line, taxesIncluded, 0, cancelled).amount);
        expect(sum(of('return').map((r) => r.amount))).toBe(refundUnits(line, taxesIncluded, line.quantity - returnedUnits, returnedUnits).amount);

        const totals = {
          amount: sum(refunds.map((r) => r.refund.amount)),
          items: sum(refunds.map((r) => r.refund.items)),
          discount: sum(refunds.map((r) => r.refund.discount)),
          tax: sum(refunds.map((r) => r.refund.tax)),
        };
        expect(totals.items).toBeLessThanOrEqual(line.unitPrice * line.quantity);
        expect(totals.discount).toBeLessThanOrEqual(line.discount);
        expect(totals.tax).toBeLessThanOrEqual(line.tax);
        if (cancelled + returnedUnits === line.quantity) {
          expect(totals).toEqual({ amount: line.total, items: line.unitPrice * line.quantity, discount: line.discount, tax: line.tax });
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('ledger refund properties', () => {
  it('never refunds more than was charged, through any cancellations, shipments and returns; cancelling what is left then refunds the whole charge (shipping only if nothing was returned)', () => {
    fc.assert(
      fc.property(orderArb, opsArb, (order, ops) => {
        const total = chargeTotal(order);
        let { state } = charged(order);
        expect(state.charge?.total).toBe(total);
        let refunded = 0;
        for (const op of ops) {
          const { state: after, events } = apply(state, [commandOf(order, op)]);
          for (const r of refundsIn(events)) {
            for (const l of r.lines) componentsAddUp(l, order.taxesIncluded);
            expect(r.amount).toBe(sum(r.lines.map((l) => l.amount)) + (r.shipping?.total ?? 0));
            refunded += r.amount;
          }
          state = after;
          expect(state.refunded).toBe(refunded);
          expect(refunded).toBeLessThanOrEqual(total);
          for (const l of order.lines) {
            expect((state.cancelled[l.lineId] ?? 0) + (state.returned[l.lineId] ?? 0)).toBeLessThanOrEqual(l.quantity);
            expect(state.returned[l.lineId] ?? 0).toBeLessThanOrEqual(state.recognised[l.lineId] ?? 0);
          }
        }

        const anyReturned = order.lines.some((l) => (state.returned[l.lineId] ?? 0) > 0);
        state = apply(state, [cancelTheRest(order, state)]).state;
        expect(state.refunded).toBe(anyReturned ? total - order.shipping.total : total);
      }),
      { numRuns: RUNS },
    );
  });

  it('refunds exactly the charged total, shipping once, when every unit ends cancelled in random partial cancellations, redelivered or not', () => {
    fc.assert(
      fc.property(orderArb, cancelOpsArb, (order, ops) => {
        const start = charged(order).state;
        const { state, events } = apply(start, [...ops.map((op) => commandOf(order, op)), ...ops.map((op) => commandOf(order, op))]);
        const final = apply(state, [cancelTheRest(order, state)]);
        const refunds = refundsIn([...events, ...final.events]);
        expect(sum(refunds.map((r) => r.amount))).toBe(chargeTotal(order));
        expect(final.state.refunded).toBe(chargeTotal(order));
        expect(refunds.filter((r) => r.shipping !== undefined)).toHaveLength(order.shipping.total !== 0 ? 1 : 0);
        for (const l of order.lines) {
          const ofLine = refunds.flatMap((r) => r.lines.filter((u) => u.lineId === l.lineId));
          expect({ lineId: l.lineId, amount: sum(ofLine.map((u) => u.amount)), items: sum(ofLine.map((u) => u.items)), discount: sum(ofLine.map((u) => u.discount)), tax: sum(ofLine.map((u) => u.tax)) }).toEqual({
            lineId: l.lineId,
            amount: l.total,
            items: l.unitPrice * l.quantity,
            discount: l.discount,
            tax: l.tax,
          });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('refunds nothing the second time a cancellation or return id comes, whatever its lines, and records nothing for a redelivered command', () => {
    fc.assert(
      fc.property(orderArb, opsArb, (order, ops) => {
        let { state } = charged(order);
        const refundedIds = new Set<string>();
        const tookEffect: LedgerCommand[] = [];
        for (const op of ops) {
          const command = commandOf(order, op);
          const { state: after, events } = apply(state, [command]);
          if (op.kind !== 'ship' && refundedIds.has(`${op.kind}:${op.id}`)) expect(events).toEqual([]);
          if (refundsIn(events).length > 0) refundedIds.add(`${op.kind}:${op.id}`);
          if (events.length > 0) tookEffect.push(command);
          state = after;
          // Delivered again at once…
          expect(apply(state, [command]).events).toEqual([]);
        }
        // …or again at the end, after everything else.
        expect(apply(state, tookEffect).events).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
