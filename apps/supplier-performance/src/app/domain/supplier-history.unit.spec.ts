import fc from 'fast-check';
import { windowMetrics } from './scorecard';
import type { SupplierFact } from './supplier-facts';
import { factKey } from './supplier-facts';
import { applyFact, emptyHistory } from './supplier-history';
import {
  acknowledged,
  AT,
  cancelled,
  daysBefore,
  dispatched,
  historyOf,
  hoursAfter,
  invoice,
  poCreated,
  refused,
  returned,
  shipment,
  timedOut,
} from './testing/supplier-fact-builders';

/*
 * Facts arrive late, out of order and more than once: the history (and so every figure) must
 * depend only on the set of facts.
 */

const BASE = daysBefore(10);
const after = (hours: number) => hoursAfter(BASE, hours);
const allWindows = (facts: readonly SupplierFact[]) => [7, 30, 90].map((days) => windowMetrics(historyOf(facts), AT, days));

describe('applyFact', () => {
  const created = poCreated('p1', BASE, { lines: { L1: 6, L2: 4 } });
  const sent = dispatched('p1', after(1));
  const ack = acknowledged('p1', after(3), { accepted: 8, rejected: 1, backordered: 1 });
  const first = shipment('p1', 's1', after(30), 5, { lines: { L1: 5 } });
  const second = shipment('p1', 's2', after(20), 4, { lines: { L1: 1, L2: 3 } });

  it('folds a PO’s facts into one record', () => {
    const history = historyOf([created, sent, ack, first, second, cancelled('p1', 'c1', after(40), 'supplier', 1), refused('p1', 'm1', after(2))]);

    expect(history.pos['p1']).toEqual({
      poId: 'p1',
      createdAt: BASE,
      confirmBy: after(24),
      shipBy: after(72),
      units: 10,
      lines: { L1: 6, L2: 4 },
      dispatchedAt: after(1),
      acknowledgedAt: after(3),
      accepted: 8,
      rejected: 1,
      backordered: 1,
      shipped: 9,
      firstShippedAt: after(20),
      shippedLines: { L1: 6, L2: 3 },
      cancelledBySupplier: 1,
      refused: 1,
    });
    expect(history.shipments['s2']).toEqual({ poId: 'p1', at: after(20), units: 4, trackingNumber: 'TRK-s2', trackingValid: true, reportedAt: after(21) });
    expect(Object.keys(history.seen)).toHaveLength(7);
  });

  it('gives the same history when the shipments come before the PO and the acknowledgement before the dispatch', () => {
    const inOrder = [created, sent, ack, first, second];
    const outOfOrder = [second, first, ack, sent, created];

    expect(historyOf(outOfOrder)).toEqual(historyOf(inOrder));
    expect(allWindows(outOfOrder)).toEqual(allWindows(inOrder));
    // the acknowledgement is measured from the dispatch whichever came first
    expect(allWindows(outOfOrder)[1]!.acknowledgeHours).toEqual({ p50: 2, p90: 2 });
  });

  it('changes nothing for a fact seen before', () => {
    const history = historyOf([created, sent, ack, first, invoice('p1', 'I1', after(50)), returned('r1', after(60), 1)]);

    for (const again of [created, sent, ack, first, invoice('p1', 'I1', after(50)), returned('r1', after(60), 1)]) {
      expect(applyFact(history, again)).toBe(history);
    }
  });

  it('records a shipment id once, even if it comes again with other figures', () => {
    const history = historyOf([created, first]);
    const resent = { ...first, units: 50, lines: [{ lineId: 'L1', quantity: 50 }], at: after(10) };

    expect(applyFact(history, resent)).toBe(history);
    expect(history.pos['p1']).toMatchObject({ shipped: 5, shippedLines: { L1: 5 }, firstShippedAt: after(30) });
  });

  it('remembers a retailer’s cancellation as seen without charging it to the supplier', () => {
    const history = historyOf([created, cancelled('p1', 'c9', after(5), 'retailer', 10)]);

    expect(history.seen['po_cancelled:c9']).toBe(true);
    expect(history.pos['p1']!.cancelledBySupplier).toBe(0);
  });

  it('counts two cancellations of one PO, as two events', () => {
    const history = historyOf([cancelled('p1', 'c1', after(5), 'supplier', 2), created, cancelled('p1', 'c2', after(6), 'supplier', 3)]);

    expect(history.pos['p1']!.cancelledBySupplier).toBe(5);
  });
});

describe('applyFact, whatever the order and the repeats (property)', () => {
  const hours = (max: number) => fc.integer({ min: 0, max });

  /** Everything that may happen to one PO; ids unique per PO, so every fact has its own identity. */
  const poFacts = (poId: string): fc.Arbitrary<SupplierFact[]> =>
    fc
      .record({
        createdAt: hours(24 * 120),
        lines: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
        dispatch: fc.option(hours(4)),
        ack: fc.option(fc.record({ after: hours(60), rejected: fc.nat(2), backordered: fc.nat(2) })),
        shipments: fc.array(fc.record({ after: hours(150), line: fc.nat(3), quantity: fc.nat(6), tracking: fc.constantFrom('T1', 'T2', 'T3', undefined), valid: fc.boolean(), reportedAfter: hours(48) }), { maxLength: 3 }),
        timeout: fc.option(fc.constantFrom('confirm' as const, 'ship' as const)),
        cancellations: fc.array(fc.record({ by: fc.constantFrom('supplier' as const, 'retailer' as const), units: fc.nat(3) }), { maxLength: 2 }),
        refusals: fc.nat(2),
        invoices: fc.array(fc.boolean(), { maxLength: 2 }),
      })
      .map((p) => {
        const start = hoursAfter(daysBefore(120), p.createdAt);
        const at = (h: number) => hoursAfter(start, h);
        const lines = Object.fromEntries(p.lines.map((quantity, i) => [`L${i}`, quantity]));
        const units = p.lines.reduce((n, q) => n + q, 0);
        return [
          poCreated(poId, start, { lines }),
          ...(p.dispatch === null ? [] : [dispatched(poId, at(p.dispatch))]),
          ...(p.ack === null ? [] : [acknowledged(poId, at(p.ack.after), { accepted: Math.max(0, units - p.ack.rejected - p.ack.backordered), rejected: p.ack.rejected, backordered: p.ack.backordered })]),
          ...p.shipments.map((s, i) =>
            shipment(poId, `${poId}-s${i}`, at(s.after), s.quantity, { lines: { [`L${s.line}`]: s.quantity }, trackingNumber: s.tracking, trackingValid: s.valid, reportedAfter: s.reportedAfter }),
          ),
          ...(p.timeout === null ? [] : [timedOut(poId, at(p.timeout === 'confirm' ? 24 : 72), p.timeout)]),
          ...p.cancellations.map((c, i) => cancelled(poId, `${poId}-c${i}`, at(10 + i), c.by, c.units)),
          ...Array.from({ length: p.refusals }, (_, i) => refused(poId, `${poId}-m${i}`, at(1 + i))),
          ...p.invoices.map((disputed, i) => invoice(poId, `INV-${i}`, at(100 + i), disputed)),
        ];
      });

  const returns = fc.array(fc.record({ at: hours(24 * 120), units: fc.integer({ min: 1, max: 3 }), attributable: fc.boolean() }), { maxLength: 4 }).map((list) =>
    list.map((r, i) => returned(`r${i}`, hoursAfter(daysBefore(120), r.at), r.units, r.attributable)),
  );

  const factsArb = fc
    .integer({ min: 1, max: 6 })
    .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => poFacts(`po-${i}`)), returns))
    .map((groups) => groups.flat());

  /** The facts, some of them twice, in any order. */
  const deliveries = factsArb.chain((facts) =>
    fc
      .array(fc.nat(facts.length - 1), { maxLength: facts.length })
      .chain((repeats) => {
        const delivered = [...facts, ...repeats.map((i) => facts[i]!)];
        return fc.shuffledSubarray(delivered, { minLength: delivered.length, maxLength: delivered.length });
      })
      .map((delivered) => ({ facts, delivered })),
  );

  it('the generated facts have distinct identities (so the property is about order and repeats only)', () => {
    fc.assert(fc.property(factsArb, (facts) => new Set(facts.map(factKey)).size === facts.length));
  });

  it('yields the same history, and the same figures, from the facts shuffled and partly repeated', () => {
    fc.assert(
      fc.property(deliveries, ({ facts, delivered }) => {
        expect(historyOf(delivered)).toEqual(historyOf(facts));
        expect(allWindows(delivered)).toEqual(allWindows(facts));
      }),
      { numRuns: 300 },
    );
  });

  it('folds each fact into the empty history once: applying the whole list twice is applying it once', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const once = historyOf(facts);
        expect(historyOf(facts, once)).toBe(once);
        expect(historyOf(facts, emptyHistory())).toEqual(once);
      }),
    );
  });
});
