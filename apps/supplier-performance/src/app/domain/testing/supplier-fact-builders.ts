import type { SupplierFact } from '../supplier-facts';
import { applyFact, emptyHistory, type SupplierHistory } from '../supplier-history';

/**
 * Hand-built facts for the performance tests. Times are given relative to a fixed `AT` (the
 * moment the scorecard is computed), so the expected figures can be worked out by hand.
 */

export const AT = new Date('2026-03-31T00:00:00.000Z');

const HOUR = 3_600_000;

/** `hours` after `from` (negative: before), as an ISO string. */
export const hoursAfter = (from: Date | string, hours: number): string => new Date(new Date(from).getTime() + hours * HOUR).toISOString();
export const daysBefore = (days: number, at: Date = AT): string => hoursAfter(at, -24 * days);

type Fact<K extends SupplierFact['kind']> = Extract<SupplierFact, { kind: K }>;

export interface PoOptions {
  /** Hours from creation to the confirm-by deadline. */
  readonly confirmAfter?: number;
  /** Hours from creation to the ship-by deadline. */
  readonly shipAfter?: number;
  /** Ordered quantity per line id; units are their sum. */
  readonly lines?: Readonly<Record<string, number>>;
}

export function poCreated(poId: string, at: string, options: PoOptions = {}): Fact<'po_created'> {
  const lines = Object.entries(options.lines ?? { L1: 10 }).map(([lineId, quantity]) => ({ lineId, sku: `SKU-${lineId}`, quantity }));
  return {
    kind: 'po_created',
    poId,
    at,
    confirmBy: hoursAfter(at, options.confirmAfter ?? 24),
    shipBy: hoursAfter(at, options.shipAfter ?? 72),
    units: lines.reduce((n, l) => n + l.quantity, 0),
    lines,
  };
}

export const dispatched = (poId: string, at: string): Fact<'po_dispatched'> => ({ kind: 'po_dispatched', poId, at });

export const acknowledged = (poId: string, at: string, answer: { accepted: number; rejected?: number; backordered?: number }): Fact<'po_acknowledged'> => ({
  kind: 'po_acknowledged',
  poId,
  at,
  accepted: answer.accepted,
  rejected: answer.rejected ?? 0,
  backordered: answer.backordered ?? 0,
});

export interface ShipmentOptions {
  /** Units per line id; defaults to all units on L1. */
  readonly lines?: Readonly<Record<string, number>>;
  readonly trackingNumber?: string;
  readonly trackingValid?: boolean;
  /** Hours from the shipment to its notice reaching us. */
  readonly reportedAfter?: number;
}

export function shipment(poId: string, shipmentId: string, at: string, units: number, options: ShipmentOptions = {}): Fact<'shipment'> {
  return {
    kind: 'shipment',
    poId,
    shipmentId,
    at,
    units,
    lines: Object.entries(options.lines ?? { L1: units }).map(([lineId, quantity]) => ({ lineId, quantity })),
    trackingNumber: options.trackingNumber ?? `TRK-${shipmentId}`,
    trackingValid: options.trackingValid ?? true,
    reportedAt: hoursAfter(at, options.reportedAfter ?? 1),
  };
}

export const timedOut = (poId: string, at: string, deadline: 'confirm' | 'ship' = 'confirm'): Fact<'po_timed_out'> => ({ kind: 'po_timed_out', poId, at, deadline });

export const cancelled = (poId: string, eventId: string, at: string, by: 'supplier' | 'retailer', units: number): Fact<'po_cancelled'> => ({
  kind: 'po_cancelled',
  poId,
  eventId,
  at,
  by,
  units,
});

export const refused = (poId: string, eventId: string, at: string): Fact<'message_refused'> => ({ kind: 'message_refused', poId, eventId, at });

export const invoice = (poId: string, invoiceNumber: string, at: string, disputed = false): Fact<'invoice'> => ({ kind: 'invoice', poId, invoiceNumber, at, disputed });

export const returned = (returnId: string, at: string, units: number, attributable = true): Fact<'return'> => ({ kind: 'return', returnId, at, units, attributable });

/**
 * A PO handled well: acknowledged in full 2 h after creation (confirm-by is 24 h), shipped in
 * full 48 h after creation (ship-by is 72 h) on a valid, unique tracking number.
 */
export const goodPo = (poId: string, createdAt: string, units = 10): SupplierFact[] => [
  poCreated(poId, createdAt, { lines: { L1: units } }),
  acknowledged(poId, hoursAfter(createdAt, 2), { accepted: units }),
  shipment(poId, `${poId}-s1`, hoursAfter(createdAt, 48), units),
];

export const historyOf = (facts: readonly SupplierFact[], from: SupplierHistory = emptyHistory()): SupplierHistory => facts.reduce(applyFact, from);
