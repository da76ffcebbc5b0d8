import { randomUUID } from 'node:crypto';
import { FULFILMENT_FACTS, TOPICS } from '@oms/contracts';
import type { OutgoingMessage } from '@oms/messaging';

/**
 * The PO facts the performance service consumes, as the supplier gateway publishes them on
 * `supplier.purchase-orders.v1` (keyed by order id), built by hand so a test's figures are its own.
 * Every builder returns a fresh message with a fresh event id unless given one; a message's
 * `occurredAt` is when the gateway learned the fact (the shipment notice's time for a shipment).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The deadlines the gateway sets on a PO, and when a healthy supplier meets them. */
export const PO_TIMELINE = { confirmWithinHours: 24, shipWithinHours: 72, acknowledgedAfterHours: 2, shippedAfterHours: 30 } as const;

export interface PoRef {
  readonly orderId: string;
  readonly poId: string;
  readonly supplierId: string;
  /** When the PO was created; its deadlines follow from it. */
  readonly createdAt: Date;
  /** Units of the PO's only line. */
  readonly units: number;
}

export type PoOutcome = 'shipped' | 'timed_out';

const iso = (at: Date) => at.toISOString();
const after = (po: PoRef, hours: number) => new Date(po.createdAt.getTime() + hours * HOUR);

export function message(type: string, key: string, payload: object, options: { eventId?: string; occurredAt?: Date } = {}): OutgoingMessage {
  return {
    topic: TOPICS.supplierPurchaseOrders.name,
    key,
    eventId: options.eventId ?? randomUUID(),
    type,
    schemaVersion: 1,
    occurredAt: iso(options.occurredAt ?? new Date()),
    payload,
  };
}

/** A PO of `units` units created `daysAgo` days ago (fractions allowed). */
export function newPo(supplierId: string, daysAgo: number, units = 2, now = new Date()): PoRef {
  const orderId = randomUUID();
  return { orderId, poId: `po-${orderId}`, supplierId, createdAt: new Date(now.getTime() - daysAgo * DAY), units };
}

const fact = (po: PoRef, at: Date) => ({ orderId: po.orderId, poId: po.poId, supplierId: po.supplierId, at: iso(at) });

export function purchaseOrderCreated(po: PoRef, eventId?: string): OutgoingMessage {
  return message(
    FULFILMENT_FACTS.purchaseOrderCreated,
    po.orderId,
    {
      ...fact(po, po.createdAt),
      poNumber: `PO-${po.orderId.slice(0, 8)}`,
      groupId: `${po.orderId}:1:${po.supplierId}`,
      currency: 'USD',
      lines: [{ lineNumber: 1, lineId: 'l1', sku: 'SKU-1', quantity: po.units, unitCost: 1250 }],
      confirmBy: iso(after(po, PO_TIMELINE.confirmWithinHours)),
      shipBy: iso(after(po, PO_TIMELINE.shipWithinHours)),
    },
    { occurredAt: po.createdAt, ...(eventId ? { eventId } : {}) },
  );
}

export function purchaseOrderDispatched(po: PoRef): OutgoingMessage {
  const at = new Date(po.createdAt.getTime() + 60_000);
  return message(FULFILMENT_FACTS.purchaseOrderDispatched, po.orderId, fact(po, at), { occurredAt: at });
}

export function purchaseOrderAcknowledged(po: PoRef, hoursAfterCreation: number = PO_TIMELINE.acknowledgedAfterHours, eventId?: string): OutgoingMessage {
  const at = after(po, hoursAfterCreation);
  return message(
    FULFILMENT_FACTS.purchaseOrderAcknowledged,
    po.orderId,
    { ...fact(po, at), lines: [{ lineId: 'l1', accepted: po.units, rejected: 0, backordered: 0 }] },
    { occurredAt: at, ...(eventId ? { eventId } : {}) },
  );
}

/** The whole PO in one parcel; a tracking number of its own. */
export function shipmentDispatched(po: PoRef, hoursAfterCreation: number = PO_TIMELINE.shippedAfterHours, eventId?: string): OutgoingMessage {
  const at = after(po, hoursAfterCreation);
  return message(
    FULFILMENT_FACTS.shipmentDispatched,
    po.orderId,
    {
      orderId: po.orderId,
      nodeId: po.supplierId,
      poId: po.poId,
      shipmentId: `pkg-${po.poId}`,
      carrier: 'UPS',
      trackingNumber: `1Z${po.poId.replace(/[^0-9a-f]/gi, '').slice(-16).toUpperCase()}`,
      trackingValid: true,
      lines: [{ lineId: 'l1', quantity: po.units }],
      shippedAt: iso(at),
    },
    { occurredAt: at, ...(eventId ? { eventId } : {}) },
  );
}

/** The supplier let the confirmation deadline pass: the gateway timed the PO out. */
export function purchaseOrderTimedOut(po: PoRef): OutgoingMessage {
  const at = after(po, PO_TIMELINE.confirmWithinHours);
  return message(
    FULFILMENT_FACTS.purchaseOrderTimedOut,
    po.orderId,
    { ...fact(po, at), lines: [{ lineId: 'l1', quantity: po.units }], deadline: 'confirm', reason: 'not confirmed in time' },
    { occurredAt: at },
  );
}

/**
 * Every fact of one PO in the order the gateway publishes them: created and dispatched, then
 * acknowledged and shipped on time, or timed out at its confirmation deadline. The PO must be old
 * enough for its facts to lie in the past (at least `shippedAfterHours` for a shipped one).
 */
export function poFacts(po: PoRef, outcome: PoOutcome): OutgoingMessage[] {
  const opened = [purchaseOrderCreated(po), purchaseOrderDispatched(po)];
  return outcome === 'shipped' ? [...opened, purchaseOrderAcknowledged(po), shipmentDispatched(po)] : [...opened, purchaseOrderTimedOut(po)];
}
