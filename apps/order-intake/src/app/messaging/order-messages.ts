import { ORDER_EVENTS, TOPICS } from '@oms/contracts';
import type { RecordedEvent } from '@oms/event-store';
import { outgoingFrom, type OutgoingMessage } from '@oms/messaging';
import { ORDER_CATEGORY, REJECTION_CATEGORY } from '../application/order-application';
import type { OrderEvent } from '../domain/order-events';

/**
 * Which stored events leave the service, and as what, on `oms.orders.v1` (key: order id). Facts
 * recorded from other services stay private: what changes for the customer is announced instead.
 */
export function orderMessages(event: RecordedEvent): OutgoingMessage[] {
  const category = event.streamName.slice(0, event.streamName.indexOf('-'));
  if (category === REJECTION_CATEGORY) {
    const data = event.data as Record<string, unknown>;
    const key = (data['orderId'] as string | undefined) ?? (data['externalOrderId'] as string | undefined) ?? event.streamName;
    return [outgoingFrom(event, TOPICS.omsOrders.name, key, ORDER_EVENTS.rejected, data)];
  }
  if (category !== ORDER_CATEGORY) return [];
  const orderId = event.streamName.slice(ORDER_CATEGORY.length + 1);
  const stored = { type: event.type, data: event.data } as unknown as OrderEvent;
  switch (stored.type) {
    case 'OrderAccepted': {
      const { fingerprint: _fingerprint, ...accepted } = stored.data;
      return [outgoingFrom(event, TOPICS.omsOrders.name, orderId, ORDER_EVENTS.accepted, accepted)];
    }
    case 'OrderRejected':
      return [outgoingFrom(event, TOPICS.omsOrders.name, orderId, ORDER_EVENTS.rejected, stored.data)];
    case 'OrderPlacementConflicted': {
      const { fingerprint: _fingerprint, ...ids } = stored.data;
      return [
        outgoingFrom(event, TOPICS.omsOrders.name, orderId, ORDER_EVENTS.rejected, {
          ...ids,
          reason: 'conflict',
          errors: [{ field: '$', message: 'An order with this channel and external id was accepted with different content; it stands unchanged' }],
        }),
      ];
    }
    case 'ShipmentRecorded':
      return [outgoingFrom(event, TOPICS.omsOrders.name, orderId, ORDER_EVENTS.shipmentAdded, { orderId, ...stored.data })];
    case 'LinesCancelled':
      return stored.data.lines.length === 0 ? [] : [outgoingFrom(event, TOPICS.omsOrders.name, orderId, ORDER_EVENTS.linesCancelled, { orderId, ...stored.data })];
    case 'CancellationRequested':
      return [outgoingFrom(event, TOPICS.omsOrders.name, orderId, ORDER_EVENTS.cancellationRequested, { orderId, ...stored.data })];
    case 'ShippingAddressChanged':
      return [outgoingFrom(event, TOPICS.omsOrders.name, orderId, ORDER_EVENTS.shippingAddressChanged, { orderId, ...stored.data })];
    case 'OrderStatusChanged':
      return [outgoingFrom(event, TOPICS.omsOrders.name, orderId, ORDER_EVENTS.statusChanged, { orderId, ...stored.data })];
    case 'OrderCompleted':
      return [outgoingFrom(event, TOPICS.omsOrders.name, orderId, ORDER_EVENTS.completed, { orderId, ...stored.data })];
    case 'FulfilmentPlanRecorded':
    case 'PurchaseOrderRecorded':
    case 'ShipmentDeliveryRecorded':
    case 'ReturnRecorded':
    case 'RefundRecorded':
      return [];
    default: {
      const never: never = stored;
      return never;
    }
  }
}
