import type { ChargebackRule } from './ledger-events';

/** A service-level defect the supplier's terms may charge back: which rule, for what, and why. */
export interface Defect {
  readonly rule: ChargebackRule;
  /** What the defect is about (the late shipment, the cancellation): one chargeback per occurrence. */
  readonly occurrenceId: string;
  readonly reason: string;
}

/** A supplier shipment's defects: shipped after the PO's ship-by, or a tracking number that fails its check. */
export function shipmentDefects(shipment: { shipmentId: string; shippedAt: string; shipBy?: string; trackingValid?: boolean; trackingNumber: string; carrier: string }): Defect[] {
  const defects: Defect[] = [];
  if (shipment.shipBy && Date.parse(shipment.shippedAt) > Date.parse(shipment.shipBy)) {
    defects.push({ rule: 'late_shipment', occurrenceId: shipment.shipmentId, reason: `shipped ${shipment.shippedAt}, due by ${shipment.shipBy}` });
  }
  if (shipment.trackingValid === false) {
    defects.push({ rule: 'invalid_tracking', occurrenceId: shipment.shipmentId, reason: `tracking ${shipment.trackingNumber} (${shipment.carrier}) fails its carrier's check` });
  }
  return defects;
}

/**
 * A cancellation's defect: the supplier cancelling units it had accepted. Only the report that
 * actually released units counts — the same cancellation sent again releases nothing.
 */
export function cancellationDefects(cancellation: { sourceId: string; by?: 'retailer' | 'supplier'; acknowledged: boolean; released: boolean; reason?: string }): Defect[] {
  return cancellation.by === 'supplier' && cancellation.acknowledged && cancellation.released
    ? [{ rule: 'cancelled_after_acceptance', occurrenceId: cancellation.sourceId, reason: cancellation.reason ?? 'cancelled by the supplier after accepting' }]
    : [];
}
