import {
  FULFILMENT_FACTS,
  FULFILMENT_REQUESTS,
  LinesUnfulfillableV1,
  FulfilmentPlannedV1,
  OrderLinesCancelledV1,
  PurchaseOrderAcknowledgedV1,
  PurchaseOrderLinesFactV1,
  RefundIssuedV1,
  ReturnReceivedV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
} from '@oms/contracts';
import type { OrderFact } from '../domain/order-decider';

/** How each fulfilment fact another service publishes becomes a fact about the order. */
interface FactReader<T extends { orderId: string }> {
  readonly schema: new () => T;
  readonly toFact: (payload: T) => OrderFact;
}

// Each reader validates with its own schema before toFact runs, so erasing T here is safe.
const reader = <T extends { orderId: string }>(schema: new () => T, toFact: (payload: T) => OrderFact): FactReader<{ orderId: string }> =>
  ({ schema, toFact }) as unknown as FactReader<{ orderId: string }>;

const purchaseOrderStep =
  (step: 'dispatched' | 'cancelled' | 'timed_out') =>
  (p: PurchaseOrderLinesFactV1): OrderFact => ({
    kind: 'purchase_order',
    poId: p.poId,
    supplierId: p.supplierId,
    step,
    lines: p.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
    ...(p.reason !== undefined ? { reason: p.reason } : {}),
    at: p.at,
  });

function returned(p: ReturnReceivedV1): OrderFact {
  return { kind: 'return', returnId: p.returnId, lines: lines(p.lines), at: p.receivedAt };
}

function cancellation(p: OrderLinesCancelledV1): OrderFact {
  return { kind: 'cancellation', cancellationId: p.cancellationId, lines: lines(p.lines), reason: p.reason, at: p.cancelledAt };
}

const lines = (ls: readonly { lineId: string; quantity: number }[]) => ls.map((l) => ({ lineId: l.lineId, quantity: l.quantity }));

export const FACT_READERS: Readonly<Record<string, FactReader<{ orderId: string }>>> = {
  [FULFILMENT_FACTS.fulfilmentPlanned]: reader(FulfilmentPlannedV1, (p) => ({
    kind: 'plan',
    version: p.version,
    groups: p.groups.map((g) => ({ groupId: g.groupId, nodeId: g.nodeId, nodeKind: g.nodeKind, lines: lines(g.lines) })),
    unfulfillable: lines(p.unfulfillable ?? []),
    at: p.plannedAt,
  })),
  [FULFILMENT_FACTS.orderLinesCancelled]: reader(OrderLinesCancelledV1, cancellation),
  [FULFILMENT_REQUESTS.linesUnfulfillable]: reader(LinesUnfulfillableV1, cancellation),
  [FULFILMENT_FACTS.purchaseOrderDispatched]: reader(PurchaseOrderLinesFactV1, purchaseOrderStep('dispatched')),
  [FULFILMENT_FACTS.purchaseOrderCancelled]: reader(PurchaseOrderLinesFactV1, purchaseOrderStep('cancelled')),
  [FULFILMENT_FACTS.purchaseOrderTimedOut]: reader(PurchaseOrderLinesFactV1, purchaseOrderStep('timed_out')),
  [FULFILMENT_FACTS.purchaseOrderAcknowledged]: reader(PurchaseOrderAcknowledgedV1, (p) => ({
    kind: 'purchase_order',
    poId: p.poId,
    supplierId: p.supplierId,
    step: 'acknowledged',
    lines: p.lines.map((l) => ({ lineId: l.lineId, quantity: l.accepted + l.rejected + l.backordered, accepted: l.accepted, rejected: l.rejected, backordered: l.backordered })),
    at: p.at,
  })),
  [FULFILMENT_FACTS.shipmentDispatched]: reader(ShipmentDispatchedV1, (p) => ({
    kind: 'shipment',
    shipmentId: p.shipmentId,
    nodeId: p.nodeId,
    ...(p.poId !== undefined ? { poId: p.poId } : {}),
    carrier: p.carrier,
    trackingNumber: p.trackingNumber,
    ...(p.trackingUrl !== undefined ? { trackingUrl: p.trackingUrl } : {}),
    lines: lines(p.lines),
    at: p.shippedAt,
  })),
  [FULFILMENT_FACTS.shipmentDelivered]: reader(ShipmentDeliveredV1, (p) => ({ kind: 'delivery', shipmentId: p.shipmentId, at: p.deliveredAt })),
  [FULFILMENT_FACTS.returnReceived]: reader(ReturnReceivedV1, returned),
  [FULFILMENT_FACTS.refundApproved]: reader(ReturnReceivedV1, returned),
  [FULFILMENT_FACTS.refundIssued]: reader(RefundIssuedV1, (p) => ({
    kind: 'refund',
    refundId: p.refundId,
    amount: p.amount,
    currency: p.currency,
    lines: (p.lines ?? []).map((l) => ({ lineId: l.lineId, quantity: l.quantity, amount: l.amount })),
    at: p.issuedAt,
  })),
};
