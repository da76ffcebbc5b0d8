import { randomUUID } from 'node:crypto';
import {
  CATALOG_EVENTS,
  FULFILMENT_FACTS,
  FULFILMENT_REQUESTS,
  ORDER_EVENTS,
  TOPICS,
  type AcceptedLineV1,
  type LinesCancelledV1,
  type OrderAcceptedV1,
} from '@oms/contracts';
import type { OutgoingMessage } from '@oms/messaging';

/**
 * The facts finance consumes, as the upstream services publish them (order intake, sourcing, the
 * supplier gateway, the WMS, returns, supplier profiles), built by hand so a test's figures are
 * its own. Every builder returns a fresh message with a fresh event id.
 */

export type LineQuantity = { readonly lineId: string; readonly quantity: number };
export type CostedLine = { readonly lineId: string; readonly sku: string; readonly quantity: number; readonly unitCost: number };

export const SHIP_TO = { name: 'Ann Smith', line1: '1 Main St', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' };
export const CURRENCY = 'USD';

const DAY = 86_400_000;
const iso = (at: Date) => at.toISOString();

export function message(topic: string, key: string, type: string, payload: object, eventId: string = randomUUID()): OutgoingMessage {
  return { topic, key, eventId, type, schemaVersion: 1, occurredAt: new Date().toISOString(), payload };
}

/** Order intake's OrderAccepted, totals summed from the lines as it computes them. */
export function orderAccepted(
  orderId: string,
  order: { readonly lines: readonly AcceptedLineV1[]; readonly shipping: { amount: number; discount: number; tax: number }; readonly taxesIncluded?: boolean; readonly channel?: string },
): OutgoingMessage {
  const now = iso(new Date());
  const taxesIncluded = order.taxesIncluded ?? false;
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  const shippingTotal = order.shipping.amount - order.shipping.discount + (taxesIncluded ? 0 : order.shipping.tax);
  const payload: OrderAcceptedV1 = {
    orderId,
    channel: order.channel ?? 'finance-test',
    externalOrderId: orderId,
    orderNumber: `#${orderId.slice(0, 8)}`,
    placedAt: now,
    acceptedAt: now,
    currency: CURRENCY,
    customer: { email: 'ann@example.com' },
    shipTo: SHIP_TO,
    lines: order.lines,
    shipping: order.shipping,
    taxesIncluded,
    totals: {
      subtotal: sum(order.lines.map((l) => l.unitPrice * l.quantity)),
      discount: sum(order.lines.map((l) => l.discount)) + order.shipping.discount,
      shipping: order.shipping.amount,
      tax: sum(order.lines.map((l) => l.tax)) + order.shipping.tax,
      total: sum(order.lines.map((l) => l.total)) + shippingTotal,
    },
    discrepancies: [],
  };
  return message(TOPICS.omsOrders.name, orderId, ORDER_EVENTS.accepted, payload);
}

/** Order intake's LinesCancelled: the definitive end of these units, with the refund it computed. */
export function linesCancelled(orderId: string, cancellationId: string, lines: readonly LineQuantity[], refund: number, reason = 'supplier could not ship'): OutgoingMessage {
  const payload: LinesCancelledV1 = { orderId, cancellationId, lines, reason, refund: { amount: refund, currency: CURRENCY }, cancelledAt: iso(new Date()) };
  return message(TOPICS.omsOrders.name, orderId, ORDER_EVENTS.linesCancelled, payload);
}

/** Sourcing's request to a node: its unit costs for the lines it is to ship. */
export function fulfilmentRequested(orderId: string, nodeId: string, lines: readonly CostedLine[], nodeKind: 'supplier' | 'warehouse' = 'supplier'): OutgoingMessage {
  const now = new Date();
  return message(TOPICS.sourcingAllocations.name, orderId, FULFILMENT_REQUESTS.fulfilmentRequested, {
    orderId,
    groupId: `${orderId}:1:${nodeId}`,
    nodeId,
    nodeKind,
    planVersion: 1,
    currency: CURRENCY,
    lines,
    shipTo: SHIP_TO,
    shipBy: iso(new Date(now.getTime() + 2 * DAY)),
    deliverBy: iso(new Date(now.getTime() + 5 * DAY)),
    requestedAt: iso(now),
  });
}

const poFact = (orderId: string, type: string, payload: object) => message(TOPICS.supplierPurchaseOrders.name, orderId, type, { orderId, at: iso(new Date()), ...payload });

export function purchaseOrderCreated(orderId: string, po: { poId: string; supplierId: string; lines: readonly CostedLine[]; shipBy?: string }): OutgoingMessage {
  const now = Date.now();
  return poFact(orderId, FULFILMENT_FACTS.purchaseOrderCreated, {
    poId: po.poId,
    supplierId: po.supplierId,
    poNumber: `PO-${po.poId.slice(-8)}`,
    groupId: `${orderId}:1:${po.supplierId}`,
    currency: CURRENCY,
    lines: po.lines.map((l, i) => ({ lineNumber: i + 1, ...l })),
    confirmBy: iso(new Date(now + DAY)),
    shipBy: po.shipBy ?? iso(new Date(now + 2 * DAY)),
  });
}

export function purchaseOrderAcknowledged(orderId: string, poId: string, supplierId: string, lines: readonly LineQuantity[]): OutgoingMessage {
  return poFact(orderId, FULFILMENT_FACTS.purchaseOrderAcknowledged, { poId, supplierId, lines: lines.map((l) => ({ lineId: l.lineId, accepted: l.quantity, rejected: 0, backordered: 0 })) });
}

export function purchaseOrderTimedOut(orderId: string, poId: string, supplierId: string, lines: readonly LineQuantity[]): OutgoingMessage {
  return poFact(orderId, FULFILMENT_FACTS.purchaseOrderTimedOut, { poId, supplierId, lines, reason: 'not confirmed by the confirm-by time', resolution: 'cancel' });
}

/** A PO cancelled, by the retailer's request or (`by: 'supplier'`) by the supplier itself. */
export function purchaseOrderCancelled(orderId: string, poId: string, supplierId: string, lines: readonly LineQuantity[], by?: 'retailer' | 'supplier', reason = 'out of stock'): OutgoingMessage {
  return poFact(orderId, FULFILMENT_FACTS.purchaseOrderCancelled, { poId, supplierId, lines, reason, ...(by ? { by } : {}) });
}

export function purchaseOrderInvoiced(orderId: string, invoice: { poId: string; supplierId: string; invoiceNumber: string; lines: readonly { lineId: string; quantity: number; unitCost: number }[]; total?: number }): OutgoingMessage {
  const total = invoice.total ?? invoice.lines.reduce((a, l) => a + l.quantity * l.unitCost, 0);
  return poFact(orderId, FULFILMENT_FACTS.purchaseOrderInvoiced, { poId: invoice.poId, supplierId: invoice.supplierId, invoiceNumber: invoice.invoiceNumber, currency: CURRENCY, lines: invoice.lines, total });
}

/** A shipment: from a supplier on its PO (supplier.purchase-orders.v1), or from a warehouse (wms.shipments.v1). */
export function shipmentDispatched(
  orderId: string,
  shipment: { shipmentId: string; nodeId: string; poId?: string; lines: readonly LineQuantity[]; shippedAt?: string; shipBy?: string; trackingValid?: boolean },
): OutgoingMessage {
  const { poId, shippedAt, ...rest } = shipment;
  const payload = { orderId, ...rest, ...(poId ? { poId } : {}), carrier: 'UPS', trackingNumber: '1Z999AA10123456784', shippedAt: shippedAt ?? iso(new Date()) };
  return message(poId ? TOPICS.supplierPurchaseOrders.name : TOPICS.wmsShipments.name, orderId, FULFILMENT_FACTS.shipmentDispatched, payload);
}

export function returnReceived(orderId: string, received: { returnId: string; destination: 'supplier' | 'retailer'; nodeId: string; lines: readonly LineQuantity[] }): OutgoingMessage {
  return message(TOPICS.returns.name, orderId, FULFILMENT_FACTS.returnReceived, { orderId, ...received, receivedAt: iso(new Date()) });
}

export function supplierProfileUpdated(supplierId: string, chargebacks: { lateShipment?: number; invalidTracking?: number; cancelledAfterAcceptance?: number }, asOf: Date = new Date()): OutgoingMessage {
  return message(TOPICS.supplierProfiles.name, supplierId, CATALOG_EVENTS.supplierProfileUpdated, { supplierId, chargebacks, status: 'active', asOf: iso(asOf) });
}
