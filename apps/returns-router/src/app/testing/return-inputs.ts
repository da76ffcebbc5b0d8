import { randomUUID } from 'node:crypto';
import { CATALOG_EVENTS, COMMERCE_RETURN_REQUESTED, ORDER_EVENTS, TOPICS, type ReturnRequestV1, type ShipmentAddedV1 } from '@oms/contracts';
import type { OutgoingMessage } from '@oms/messaging';
import type { Condition } from '../domain/return-events';
import { RETURN_PART_RECEIVED } from '../messaging/returns-inputs.handler';

/**
 * The facts the returns router consumes, as their publishers send them (storefronts, order intake,
 * the supplier gateway, the nodes), built by hand so a test's figures are its own. Every builder
 * returns a fresh message with a fresh event id unless given one.
 */

export type ReturnReason = ReturnRequestV1['lines'][number]['reason'];
export type Address = Readonly<Record<string, string>>;

export function message(topic: string, key: string, type: string, payload: object, eventId: string = randomUUID()): OutgoingMessage {
  return { topic, key, eventId, type, schemaVersion: 1, occurredAt: new Date().toISOString(), payload };
}

/** A supplier's settings as the gateway publishes them: its return policy and where returns go. */
export function supplierReturnPolicy(supplierId: string, policy: { windowDays: number; acceptsReturns: boolean; returnAddress?: Address }, asOf: Date = new Date()): OutgoingMessage {
  return message(TOPICS.supplierProfiles.name, supplierId, CATALOG_EVENTS.supplierProfileUpdated, {
    supplierId,
    returnPolicy: { windowDays: policy.windowDays, acceptsReturns: policy.acceptsReturns },
    ...(policy.returnAddress ? { returnAddress: policy.returnAddress } : {}),
    status: 'active',
    asOf: asOf.toISOString(),
  });
}

/** Order intake's ShipmentAdded on `oms.orders.v1`: what the customer received, and from which node. */
export function shipmentAdded(orderId: string, shipment: { shipmentId: string; nodeId: string; lines: readonly { lineId: string; quantity: number }[]; shippedAt?: Date }): OutgoingMessage {
  const payload: ShipmentAddedV1 = {
    orderId,
    shipmentId: shipment.shipmentId,
    nodeId: shipment.nodeId,
    carrier: 'UPS',
    trackingNumber: '1Z999AA10123456784',
    lines: shipment.lines,
    shippedAt: (shipment.shippedAt ?? new Date()).toISOString(),
  };
  return message(TOPICS.omsOrders.name, orderId, ORDER_EVENTS.shipmentAdded, payload);
}

/** The body of a storefront's return request (`commerce.returns.v1` or `POST /returns`). */
export function returnRequest(orderId: string, externalReturnId: string, lines: readonly { lineId: string; quantity: number; reason: ReturnReason }[], comment?: string): ReturnRequestV1 {
  return { type: COMMERCE_RETURN_REQUESTED, orderId, externalReturnId, lines: [...lines], ...(comment ? { comment } : {}), requestedAt: new Date().toISOString() };
}

/** A storefront's ReturnRequested on `commerce.returns.v1`, keyed by the order. */
export function returnRequested(request: ReturnRequestV1 | Record<string, unknown>, key: string, eventId?: string): OutgoingMessage {
  return message(TOPICS.commerceReturns.name, key, COMMERCE_RETURN_REQUESTED, request, eventId);
}

/** A node's receipt of a routed part: from a supplier through the gateway, or from a warehouse. */
export function returnPartReceived(
  orderId: string,
  receipt: { returnId: string; partId: string; receiptId: string; lines: readonly { lineId: string; quantity: number; condition: Condition }[] },
  from: 'supplier' | 'warehouse' = 'supplier',
): OutgoingMessage {
  const topic = from === 'supplier' ? TOPICS.supplierPurchaseOrders.name : TOPICS.wmsShipments.name;
  return message(topic, orderId, RETURN_PART_RECEIVED, { orderId, ...receipt, receivedAt: new Date().toISOString() });
}
