import type { PoRecord, SupplierHistory } from './supplier-history';

/**
 * A supplier's figures over a rolling window ending at `at`. A PO belongs to the window by its
 * creation time; rates are null when nothing in the window could be measured yet. Times in hours.
 */
export interface WindowMetrics {
  readonly days: number;
  readonly purchaseOrders: number;
  readonly acknowledgeHours: Percentiles | null;
  readonly shipHours: Percentiles | null;
  readonly onTimeAcknowledgement: number | null;
  readonly onTimeShipment: number | null;
  /** Units shipped / units ordered, over POs whose ship-by has passed or that shipped in full. */
  readonly fillRate: number | null;
  readonly rejectionRate: number | null;
  readonly backorderRate: number | null;
  readonly supplierCancellationRate: number | null;
  readonly timeoutRate: number | null;
  /** Shipments with a tracking number that fails its check, or that another PO already used. */
  readonly trackingDefectRate: number | null;
  /** Shipments that carried units of lines the PO did not order, or more than ordered. */
  readonly quantityAccuracy: number | null;
  /** Shipment notices more than 24 hours after the shipment. */
  readonly lateAsnRate: number | null;
  readonly invoiceDisputeRate: number | null;
  /** Returned units the supplier caused (defective, wrong item) / units shipped. */
  readonly returnRate: number | null;
}

export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
}

export interface ScoringPolicy {
  /** Weights of each component of the composite score (normalised by their sum). */
  readonly weights: Readonly<Record<ScoreComponent, number>>;
  /** Fewer POs than this in the window: "insufficient data", no score, no flag change. */
  readonly minSample: number;
  readonly windows: readonly number[];
}

export type ScoreComponent = 'onTimeAcknowledgement' | 'onTimeShipment' | 'fillRate' | 'timeouts' | 'trackingAccuracy' | 'quantityAccuracy' | 'invoiceAccuracy' | 'returns';

export const DEFAULT_SCORING: ScoringPolicy = {
  weights: { onTimeAcknowledgement: 1, onTimeShipment: 2, fillRate: 2, timeouts: 2, trackingAccuracy: 1, quantityAccuracy: 1, invoiceAccuracy: 0.5, returns: 1 },
  minSample: 10,
  windows: [7, 30, 90],
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Nearest-rank percentile of a non-empty sample. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const round = (value: number | null, digits = 4) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);
const time = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export function windowMetrics(history: SupplierHistory, at: Date, days: number): WindowMetrics {
  const end = at.getTime();
  const start = end - days * DAY;
  const inWindow = (iso: string | undefined) => {
    const t = time(iso);
    return t !== undefined && t > start && t <= end;
  };
  const pos = Object.values(history.pos).filter((p) => inWindow(p.createdAt));
  const due = (deadline: string | undefined) => deadline !== undefined && Date.parse(deadline) <= end;

  const acked = pos.filter((p) => p.acknowledgedAt !== undefined && Date.parse(p.acknowledgedAt) <= end);
  const ackHours = acked.map((p) => (Date.parse(p.acknowledgedAt!) - Date.parse(p.dispatchedAt ?? p.createdAt!)) / HOUR);
  const ackMeasured = pos.filter((p) => (p.acknowledgedAt !== undefined && Date.parse(p.acknowledgedAt) <= end) || due(p.confirmBy));
  const ackOnTime = ackMeasured.filter((p) => p.acknowledgedAt !== undefined && p.confirmBy !== undefined && Date.parse(p.acknowledgedAt) <= Date.parse(p.confirmBy));

  // Only what had happened by `at` counts: a figure for a past moment must not see the future.
  const shippedByAt = new Map<string, number>();
  for (const s of Object.values(history.shipments)) if (Date.parse(s.at) <= end) shippedByAt.set(s.poId, (shippedByAt.get(s.poId) ?? 0) + s.units);
  const shippedBy = (p: PoRecord) => shippedByAt.get(p.poId) ?? 0;
  const firstShipped = (p: PoRecord) => (p.firstShippedAt !== undefined && Date.parse(p.firstShippedAt) <= end ? p.firstShippedAt : undefined);
  const shippedPos = pos.filter((p) => firstShipped(p) !== undefined);
  const shipHours = shippedPos.map((p) => (Date.parse(p.firstShippedAt!) - Date.parse(p.createdAt!)) / HOUR);
  // A PO the supplier accepted nothing of is judged on acknowledging, not on shipping.
  const shipMeasured = pos.filter((p) => (p.accepted === undefined || p.accepted > 0) && (firstShipped(p) !== undefined || due(p.shipBy)));
  const shipOnTime = shipMeasured.filter((p) => firstShipped(p) !== undefined && p.shipBy !== undefined && Date.parse(firstShipped(p)!) <= Date.parse(p.shipBy));

  const settled = pos.filter((p) => due(p.shipBy) || (p.units > 0 && shippedBy(p) >= p.units) || p.timedOut !== undefined);
  const ordered = (list: readonly PoRecord[]) => list.reduce((n, p) => n + p.units, 0);
  const answered = pos.filter((p) => p.accepted !== undefined);

  const shipments = Object.values(history.shipments).filter((s) => inWindow(s.at));
  const trackingUses = new Map<string, Set<string>>();
  for (const s of Object.values(history.shipments)) trackingUses.set(s.trackingNumber, (trackingUses.get(s.trackingNumber) ?? new Set()).add(s.poId));
  const defective = shipments.filter((s) => !s.trackingValid || (trackingUses.get(s.trackingNumber)?.size ?? 0) > 1);
  const inaccurate = pos.filter((p) => p.createdAt !== undefined && Object.entries(p.shippedLines).some(([lineId, units]) => units > (p.lines[lineId] ?? 0)));
  const withShipments = pos.filter((p) => p.shipped > 0);
  const invoices = Object.values(history.invoices).filter((i) => inWindow(i.at));
  const returns = Object.values(history.returns).filter((r) => inWindow(r.at) && r.attributable);
  const shippedUnits = shipments.reduce((n, s) => n + s.units, 0);

  return {
    days,
    purchaseOrders: pos.length,
    acknowledgeHours: ackHours.length > 0 ? { p50: round(percentile(ackHours, 50), 2)!, p90: round(percentile(ackHours, 90), 2)! } : null,
    shipHours: shipHours.length > 0 ? { p50: round(percentile(shipHours, 50), 2)!, p90: round(percentile(shipHours, 90), 2)! } : null,
    onTimeAcknowledgement: round(rate(ackOnTime.length, ackMeasured.length)),
    onTimeShipment: round(rate(shipOnTime.length, shipMeasured.length)),
    // Per PO, never more than it ordered: one PO's over-shipment does not hide another's shortfall.
    fillRate: round(rate(settled.reduce((n, p) => n + Math.min(shippedBy(p), p.units), 0), ordered(settled))),
    rejectionRate: round(rate(answered.reduce((n, p) => n + (p.rejected ?? 0), 0), ordered(answered))),
    backorderRate: round(rate(answered.reduce((n, p) => n + (p.backordered ?? 0), 0), ordered(answered))),
    supplierCancellationRate: round(rate(pos.reduce((n, p) => n + p.cancelledBySupplier, 0), ordered(pos))),
    timeoutRate: round(rate(pos.filter((p) => p.timedOut !== undefined).length, pos.filter((p) => p.timedOut !== undefined || due(p.confirmBy) || p.acknowledgedAt !== undefined).length)),
    trackingDefectRate: round(rate(defective.length, shipments.length)),
    quantityAccuracy: round(rate(withShipments.length - inaccurate.length, withShipments.length)),
    lateAsnRate: round(rate(shipments.filter((s) => Date.parse(s.reportedAt) - Date.parse(s.at) > DAY).length, shipments.length)),
    invoiceDisputeRate: round(rate(invoices.filter((i) => i.disputed).length, invoices.length)),
    returnRate: round(rate(returns.reduce((n, r) => n + r.units, 0), shippedUnits)),
  };
}

/** Each component as "higher is better", 0–1; null when not measured (left out of the score). */
export function components(m: WindowMetrics): Record<ScoreComponent, number | null> {
  const inverse = (v: number | null) => (v === null ? null : 1 - v);
  return {
    onTimeAcknowledgement: m.onTimeAcknowledgement,
    onTimeShipment: m.onTimeShipment,
    fillRate: m.fillRate,
    timeouts: inverse(m.timeoutRate),
    trackingAccuracy: inverse(m.trackingDefectRate),
    quantityAccuracy: m.quantityAccuracy,
    invoiceAccuracy: inverse(m.invoiceDisputeRate),
    returns: m.returnRate === null ? null : Math.max(0, 1 - m.returnRate),
  };
}

/**
 * The composite score: the weighted mean of the measured components, or null ("insufficient
 * data") below the minimum sample — a supplier with three orders is not perfect, just unknown.
 */
export function compositeScore(m: WindowMetrics, policy: ScoringPolicy): number | null {
  if (m.purchaseOrders < policy.minSample) return null;
  let weighted = 0;
  let weights = 0;
  for (const [name, value] of Object.entries(components(m)) as [ScoreComponent, number | null][]) {
    if (value === null) continue;
    weighted += value * policy.weights[name];
    weights += policy.weights[name];
  }
  return weights === 0 ? null : round(weighted / weights);
}

export interface Scorecard {
  readonly at: string;
  readonly windows: readonly (WindowMetrics & { readonly score: number | null })[];
  /** From the 30-day window (or the middle one configured): what sourcing uses. */
  readonly score: number | null;
  readonly reliability: number | null;
  readonly observedShipDays: Percentiles | null;
  readonly sufficient: boolean;
}

export function scorecard(history: SupplierHistory, at: Date, policy: ScoringPolicy): Scorecard {
  const windows = policy.windows.map((days) => {
    const m = windowMetrics(history, at, days);
    return { ...m, score: compositeScore(m, policy) };
  });
  const main = windows[Math.floor(windows.length / 2)] ?? windows[0]!;
  const sufficient = main.purchaseOrders >= policy.minSample;
  const reliability = sufficient && main.fillRate !== null && main.onTimeShipment !== null ? round(main.fillRate * main.onTimeShipment) : null;
  // Lead time is judged over the longest window: promises need the tail, not last week's luck.
  const longest = windows[windows.length - 1]!;
  const observedShipDays = longest.shipHours && longest.purchaseOrders >= policy.minSample ? { p50: round(longest.shipHours.p50 / 24, 2)!, p90: round(longest.shipHours.p90 / 24, 2)! } : null;
  return { at: at.toISOString(), windows, score: main.score, reliability, observedShipDays, sufficient };
}
