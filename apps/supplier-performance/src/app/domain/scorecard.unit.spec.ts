import { compositeScore, DEFAULT_SCORING, percentile, scorecard, windowMetrics, type WindowMetrics } from './scorecard';
import type { SupplierFact } from './supplier-facts';
import { emptyHistory } from './supplier-history';
import {
  acknowledged,
  AT,
  cancelled,
  daysBefore,
  dispatched,
  goodPo,
  historyOf,
  hoursAfter,
  invoice,
  poCreated,
  returned,
  shipment,
  timedOut,
} from './testing/supplier-fact-builders';

/*
 * Each figure of a window worked out by hand on a small history. Every PO below is created ten
 * days before `AT` unless said otherwise, so it belongs to the 30- and 90-day windows.
 */

const metrics = (facts: readonly SupplierFact[], days = 30, at: Date = AT) => windowMetrics(historyOf(facts), at, days);
const BASE = daysBefore(10);
const after = (hours: number) => hoursAfter(BASE, hours);

describe('percentile (nearest rank)', () => {
  it('takes the value at rank ceil(p/100 × n)', () => {
    expect(percentile([50, 2, 30, 5], 50)).toBe(5);
    expect(percentile([50, 2, 30, 5], 90)).toBe(50);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });
});

describe('windowMetrics', () => {
  it('gives nothing but nulls for a supplier with no history', () => {
    expect(windowMetrics(emptyHistory(), AT, 30)).toEqual({
      days: 30,
      purchaseOrders: 0,
      acknowledgeHours: null,
      shipHours: null,
      onTimeAcknowledgement: null,
      onTimeShipment: null,
      fillRate: null,
      rejectionRate: null,
      backorderRate: null,
      supplierCancellationRate: null,
      timeoutRate: null,
      trackingDefectRate: null,
      quantityAccuracy: null,
      lateAsnRate: null,
      invoiceDisputeRate: null,
      returnRate: null,
    });
  });

  it('measures time to acknowledge from dispatch (or creation) and on-time acknowledgement against confirm-by', () => {
    const m = metrics([
      // 2 h from creation, before confirm-by (24 h): on time
      poCreated('p1', BASE),
      acknowledged('p1', after(2), { accepted: 10 }),
      // dispatched 1 h after creation, acknowledged at 6 h: 5 h, on time
      poCreated('p2', BASE),
      dispatched('p2', after(1)),
      acknowledged('p2', after(6), { accepted: 10 }),
      // 30 h, after confirm-by (24 h): late
      poCreated('p3', BASE),
      acknowledged('p3', after(30), { accepted: 10 }),
      // 50 h, after confirm-by (48 h): late
      poCreated('p4', BASE, { confirmAfter: 48 }),
      acknowledged('p4', after(50), { accepted: 10 }),
      // never acknowledged, confirm-by passed: measured, late
      poCreated('p5', BASE),
      // never acknowledged, confirm-by still ahead: not measured yet
      poCreated('p6', hoursAfter(AT, -1)),
    ]);

    expect(m.purchaseOrders).toBe(6);
    expect(m.acknowledgeHours).toEqual({ p50: 5, p90: 50 });
    expect(m.onTimeAcknowledgement).toBe(0.4);
  });

  it('measures time to ship from creation to the first shipment, and on-time shipment against ship-by', () => {
    const m = metrics([
      // first shipment at 24 h, ship-by 72 h: on time
      poCreated('s1', BASE),
      shipment('s1', 's1-a', after(24), 10),
      // two shipments, the earlier (48 h) counts even though it is recorded second: on time
      poCreated('s2', BASE),
      shipment('s2', 's2-b', after(90), 5),
      shipment('s2', 's2-a', after(48), 5),
      // 100 h: late
      poCreated('s3', BASE),
      shipment('s3', 's3-a', after(100), 10),
      // nothing shipped and ship-by passed: measured, late
      poCreated('s4', BASE),
      // the supplier accepted nothing: judged on acknowledging, not on shipping
      poCreated('s5', BASE),
      acknowledged('s5', after(3), { accepted: 0, rejected: 10 }),
      // ship-by still ahead and nothing shipped: not measured yet
      poCreated('s6', daysBefore(1)),
    ]);

    expect(m.shipHours).toEqual({ p50: 48, p90: 100 });
    expect(m.onTimeShipment).toBe(0.5);
  });

  it('counts an acknowledgement at exactly confirm-by, and a shipment at exactly ship-by, as on time', () => {
    const m = metrics([poCreated('p1', BASE), acknowledged('p1', after(24), { accepted: 10 }), shipment('p1', 'a', after(72), 10)]);

    expect(m.onTimeAcknowledgement).toBe(1);
    expect(m.onTimeShipment).toBe(1);
    expect(m.acknowledgeHours).toEqual({ p50: 24, p90: 24 });
  });

  it('computes the fill rate over settled POs only: ship-by passed, shipped in full or timed out', () => {
    const m = metrics([
      // ship-by passed: settled, 10 of 10
      poCreated('f1', BASE, { lines: { L1: 10 } }),
      shipment('f1', 'f1-a', after(24), 10),
      // ship-by passed: settled, 4 of 10
      poCreated('f2', BASE, { lines: { L1: 10 } }),
      shipment('f2', 'f2-a', after(24), 4),
      // ship-by ahead but shipped in full: settled, 5 of 5
      poCreated('f3', daysBefore(1), { lines: { L1: 5 } }),
      shipment('f3', 'f3-a', hoursAfter(daysBefore(1), 6), 5),
      // ship-by ahead, half shipped: still open, left out
      poCreated('f4', daysBefore(1), { lines: { L1: 20 } }),
      shipment('f4', 'f4-a', hoursAfter(daysBefore(1), 6), 10),
      // ship-by ahead but timed out: settled, 0 of 5
      poCreated('f5', daysBefore(1), { lines: { L1: 5 } }),
      timedOut('f5', hoursAfter(daysBefore(1), 20)),
    ]);

    // (10 + 4 + 5 + 0) / (10 + 10 + 5 + 5)
    expect(m.fillRate).toBe(0.6333);
  });

  it('does not let units over-shipped on one PO make up for units missing on another', () => {
    const m = metrics([
      poCreated('g1', BASE, { lines: { L1: 10 } }),
      shipment('g1', 'g1-a', after(24), 15),
      poCreated('g2', BASE, { lines: { L1: 10 } }),
      shipment('g2', 'g2-a', after(24), 5),
    ]);

    // g1 filled (10 of 10, the 5 extra are not a fill), g2 half filled: 15 / 20
    expect(m.fillRate).toBe(0.75);
  });

  it('computes rejection and backorder rates over the units of acknowledged POs', () => {
    const m = metrics([
      poCreated('r1', BASE, { lines: { L1: 10 } }),
      acknowledged('r1', after(2), { accepted: 8, rejected: 2 }),
      poCreated('r2', BASE, { lines: { L1: 10 } }),
      acknowledged('r2', after(2), { accepted: 5, backordered: 5 }),
      // not acknowledged: its units are not in the denominator
      poCreated('r3', BASE, { lines: { L1: 20 } }),
    ]);

    expect(m.rejectionRate).toBe(0.1);
    expect(m.backorderRate).toBe(0.25);
  });

  it('counts only the supplier’s cancellations, each cancellation event once', () => {
    const m = metrics([
      poCreated('c1', BASE, { lines: { L1: 10 } }),
      cancelled('c1', 'ev-1', after(5), 'supplier', 2),
      cancelled('c1', 'ev-2', after(6), 'supplier', 2),
      cancelled('c1', 'ev-2', after(6), 'supplier', 2),
      poCreated('c2', BASE, { lines: { L1: 10 } }),
      cancelled('c2', 'ev-3', after(5), 'retailer', 10),
    ]);

    expect(m.supplierCancellationRate).toBe(0.2);
  });

  it('computes the time-out rate over POs that timed out, are acknowledged, or whose confirm-by passed', () => {
    const m = metrics([
      poCreated('t1', BASE),
      timedOut('t1', after(24)),
      poCreated('t2', BASE),
      acknowledged('t2', after(2), { accepted: 10 }),
      // confirm-by passed, not acknowledged, no time-out (yet): measured
      poCreated('t3', BASE),
      // confirm-by ahead: not measured
      poCreated('t4', hoursAfter(AT, -1)),
      // acknowledged, then missed its ship-by
      poCreated('t5', BASE),
      acknowledged('t5', after(2), { accepted: 10 }),
      timedOut('t5', after(72), 'ship'),
    ]);

    expect(m.timeoutRate).toBe(0.5);
  });

  it('counts a shipment with an invalid tracking number, and both shipments of two POs sharing one', () => {
    const day = daysBefore(5);
    const m = metrics([
      shipment('p1', 'sh1', day, 1, { trackingNumber: 'A' }),
      shipment('p1', 'sh2', day, 1, { trackingNumber: 'B', trackingValid: false }),
      shipment('p2', 'sh3', day, 1, { trackingNumber: 'C' }),
      shipment('p3', 'sh4', day, 1, { trackingNumber: 'C' }),
      // one PO shipping in two parcels under one number is not a defect
      shipment('p4', 'sh5', day, 1, { trackingNumber: 'D' }),
      shipment('p4', 'sh6', day, 1, { trackingNumber: 'D' }),
    ]);

    expect(m.trackingDefectRate).toBe(0.5);
  });

  it('sees a tracking number reused from another PO outside the window', () => {
    const facts = [shipment('old', 'sh-old', daysBefore(40), 1, { trackingNumber: 'E' }), shipment('new', 'sh-new', daysBefore(2), 1, { trackingNumber: 'E' })];

    expect(metrics(facts, 7).trackingDefectRate).toBe(1);
    expect(metrics(facts, 90).trackingDefectRate).toBe(1);
  });

  it('computes quantity accuracy per PO with shipments: a line over-shipped or never ordered makes it inaccurate', () => {
    const m = metrics([
      // shipped exactly what was ordered
      poCreated('q1', BASE, { lines: { L1: 5, L2: 5 } }),
      shipment('q1', 'q1-a', after(24), 10, { lines: { L1: 5, L2: 5 } }),
      // 3 + 3 of a line ordered 5 times, over two shipments
      poCreated('q2', BASE, { lines: { L1: 5 } }),
      shipment('q2', 'q2-a', after(24), 3, { lines: { L1: 3 } }),
      shipment('q2', 'q2-b', after(30), 3, { lines: { L1: 3 } }),
      // a line the PO never ordered
      poCreated('q3', BASE, { lines: { L1: 5 } }),
      shipment('q3', 'q3-a', after(24), 1, { lines: { L9: 1 } }),
      // short, but not wrong
      poCreated('q4', BASE, { lines: { L1: 5 } }),
      shipment('q4', 'q4-a', after(24), 2, { lines: { L1: 2 } }),
      // nothing shipped: not measured
      poCreated('q5', BASE, { lines: { L1: 5 } }),
    ]);

    expect(m.quantityAccuracy).toBe(0.5);
  });

  it('counts a shipment notice as late only when it came more than 24 h after the shipment', () => {
    const day = daysBefore(5);
    const m = metrics([
      shipment('p1', 'a', day, 1, { reportedAfter: 1 }),
      shipment('p1', 'b', day, 1, { reportedAfter: 24 }),
      shipment('p1', 'c', day, 1, { reportedAfter: 25 }),
      shipment('p1', 'd', day, 1, { reportedAfter: 48 }),
    ]);

    expect(m.lateAsnRate).toBe(0.5);
  });

  it('computes the invoice dispute rate over the invoices in the window', () => {
    const m = metrics([
      invoice('p1', 'INV-1', daysBefore(3), true),
      invoice('p2', 'INV-2', daysBefore(3)),
      invoice('p3', 'INV-3', daysBefore(3)),
      // outside the 30-day window
      invoice('p4', 'INV-4', daysBefore(45), true),
    ]);

    expect(m.invoiceDisputeRate).toBe(0.3333);
  });

  it('computes the return rate from attributable returned units over units shipped in the window', () => {
    const m = metrics([
      shipment('p1', 'a', daysBefore(5), 10),
      shipment('p2', 'b', daysBefore(5), 10),
      returned('r1', daysBefore(2), 3),
      returned('r2', daysBefore(2), 1),
      // the customer changed their mind: not the supplier's doing
      returned('r3', daysBefore(2), 5, false),
      // outside the window
      returned('r4', daysBefore(40), 2),
    ]);

    expect(m.returnRate).toBe(0.2);
  });

  it('only sees, at `at`, a shipment that happened by `at`', () => {
    // The shipment is dated an hour after `at` (a supplier clock ahead of ours, say).
    const m = metrics([poCreated('p1', daysBefore(5), { shipAfter: 5 * 24 + 24 }), shipment('p1', 'a', hoursAfter(AT, 1), 10)]);

    expect(m.shipHours).toBeNull();
    expect(m.onTimeShipment).toBeNull();
    expect(m.fillRate).toBeNull();
  });
});

describe('windows', () => {
  const oldPo = goodPo('old', daysBefore(40));

  it('counts a PO 40 days old in the 90-day window but not in the 30- or 7-day ones', () => {
    expect([7, 30, 90].map((days) => metrics(oldPo, days).purchaseOrders)).toEqual([0, 0, 1]);
    expect(metrics(oldPo, 90).onTimeShipment).toBe(1);
    expect(metrics(oldPo, 30).onTimeShipment).toBeNull();
  });

  it('drops the PO from the 90-day window once `at` moves past 90 days after its creation', () => {
    expect(metrics(oldPo, 90, new Date(hoursAfter(AT, 24 * 49))).purchaseOrders).toBe(1);
    expect(metrics(oldPo, 90, new Date(hoursAfter(AT, 24 * 51))).purchaseOrders).toBe(0);
  });

  it('keeps a PO created exactly at `at`, drops one created exactly `days` before it, and ignores one created after it', () => {
    const facts = [poCreated('edge-end', AT.toISOString()), poCreated('edge-start', daysBefore(30)), poCreated('just-in', hoursAfter(daysBefore(30), 0.001)), poCreated('future', hoursAfter(AT, 1))];

    expect(metrics(facts, 30).purchaseOrders).toBe(2);
  });

  it('places shipments, invoices and returns by their own time, not their PO’s', () => {
    // Created 40 days ago, shipped 5 days ago.
    const facts = [poCreated('p1', daysBefore(40), { shipAfter: 24 * 40 }), shipment('p1', 'a', daysBefore(5), 10, { reportedAfter: 30 })];

    const week = metrics(facts, 7);
    expect(week.purchaseOrders).toBe(0);
    expect(week.lateAsnRate).toBe(1);
    expect(week.shipHours).toBeNull();
  });
});

describe('compositeScore', () => {
  const window: WindowMetrics = {
    days: 30,
    purchaseOrders: 10,
    acknowledgeHours: { p50: 2, p90: 4 },
    shipHours: { p50: 24, p90: 48 },
    onTimeAcknowledgement: 1,
    onTimeShipment: 0.5,
    fillRate: 0.8,
    rejectionRate: 0.3,
    backorderRate: 0.3,
    supplierCancellationRate: 0.3,
    timeoutRate: 0.1,
    trackingDefectRate: 0.2,
    quantityAccuracy: 1,
    lateAsnRate: 0.9,
    invoiceDisputeRate: 0,
    returnRate: 0.05,
  };

  it('is the weighted mean of the components, each as “higher is better”', () => {
    // 1×1 + 2×0.5 + 2×0.8 + 2×0.9 + 1×0.8 + 1×1 + 0.5×1 + 1×0.95 = 8.65, over weights 10.5
    expect(compositeScore(window, DEFAULT_SCORING)).toBe(0.8238);
  });

  it('leaves unmeasured components out of the mean, and a return rate above 1 counts as 0', () => {
    expect(compositeScore({ ...window, invoiceDisputeRate: null, returnRate: null }, DEFAULT_SCORING)).toBe(0.8);
    // 7.2 + 0.5×1 + 1×0 = 7.7, over 10.5
    expect(compositeScore({ ...window, returnRate: 1.5 }, DEFAULT_SCORING)).toBe(0.7333);
  });

  it('is null below the minimum sample, and when nothing could be measured', () => {
    expect(compositeScore({ ...window, purchaseOrders: 9 }, DEFAULT_SCORING)).toBeNull();
    expect(compositeScore({ ...window, purchaseOrders: 3 }, { ...DEFAULT_SCORING, minSample: 3 })).toBe(0.8238);
    const nothing = windowMetrics(emptyHistory(), AT, 30);
    expect(compositeScore({ ...nothing, purchaseOrders: 10 }, DEFAULT_SCORING)).toBeNull();
  });
});

describe('scorecard', () => {
  /** Ten POs ten days ago: eight shipped in full on time, two half-shipped late. */
  const tenPos = (created: string): SupplierFact[] =>
    Array.from({ length: 10 }, (_, i) => {
      const poId = `po-${i}`;
      const late = i >= 8;
      return [
        poCreated(poId, created, { lines: { L1: 10 } }),
        acknowledged(poId, hoursAfter(created, 2), { accepted: 10 }),
        shipment(poId, `${poId}-s`, hoursAfter(created, late ? 96 : 48), late ? 5 : 10),
      ];
    }).flat();

  it('scores the 30-day window, with reliability = fill × on-time and ship days from the 90-day window', () => {
    const card = scorecard(historyOf(tenPos(BASE)), AT, DEFAULT_SCORING);

    expect(card.at).toBe(AT.toISOString());
    expect(card.windows.map((w) => w.days)).toEqual([7, 30, 90]);
    const month = card.windows[1]!;
    expect(month).toMatchObject({ purchaseOrders: 10, onTimeShipment: 0.8, fillRate: 0.9, onTimeAcknowledgement: 1, timeoutRate: 0, returnRate: 0, invoiceDisputeRate: null });
    // 1×1 + 2×0.8 + 2×0.9 + 2×1 + 1×1 + 1×1 + 1×1 = 9.4, over 10 (no invoices)
    expect(month.score).toBe(0.94);
    expect(card.score).toBe(0.94);
    expect(card.windows[0]!.score).toBeNull();
    expect(card.sufficient).toBe(true);
    expect(card.reliability).toBe(0.72);
    // ship hours: eight at 48, two at 96 → p50 48 h, p90 96 h
    expect(card.observedShipDays).toEqual({ p50: 2, p90: 4 });
  });

  it('has no score and no reliability below the minimum sample, however bad the figures', () => {
    const facts = ['a', 'b', 'c'].flatMap((poId) => [poCreated(poId, BASE), timedOut(poId, after(24))]);
    const card = scorecard(historyOf(facts), AT, DEFAULT_SCORING);

    expect(card.windows[1]).toMatchObject({ purchaseOrders: 3, timeoutRate: 1, fillRate: 0 });
    expect(card.score).toBeNull();
    expect(card.sufficient).toBe(false);
    expect(card.reliability).toBeNull();
    expect(card.observedShipDays).toBeNull();
  });

  it('takes ship days from the longest window even when the 30-day window is short of data', () => {
    const card = scorecard(historyOf(tenPos(daysBefore(40))), AT, DEFAULT_SCORING);

    expect(card.sufficient).toBe(false);
    expect(card.score).toBeNull();
    expect(card.reliability).toBeNull();
    expect(card.windows[2]!.score).toBe(0.94);
    expect(card.observedShipDays).toEqual({ p50: 2, p90: 4 });
  });
});
