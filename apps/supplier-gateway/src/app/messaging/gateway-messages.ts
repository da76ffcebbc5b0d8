import { CATALOG_EVENTS, FULFILMENT_FACTS, TOPICS } from '@oms/contracts';
import { categoryOf, type RecordedEvent } from '@oms/event-store';
import { outgoingFrom, type OutgoingMessage } from '@oms/messaging';
import { PO_CATEGORY } from '../application/purchase-order-index';
import { SUPPLIER_CATEGORY } from '../application/supplier-directory';
import type { PurchaseOrderEvent } from '../domain/purchase-order-events';
import type { SupplierEvent, SupplierSettings } from '../domain/supplier';

export const SUPPLIER_FEED_CATEGORY = 'supplierfeed';

/**
 * What leaves the gateway. PO facts go on `supplier.purchase-orders.v1` keyed by order id (sourcing,
 * order intake, finance and performance follow them); the raw supplier messages stay in the store.
 * Supplier settings go on `supplier.profiles.v1` without credentials; stock feeds, normalised, on
 * `inventory.stock.v1`.
 *
 * The relay maps one event at a time: every PO event's metadata names its order, supplier and PO
 * number, and the events carry the rest of what their facts need.
 */
export function gatewayMessages(event: RecordedEvent): OutgoingMessage[] {
  const category = categoryOf(event.streamName);
  if (category === SUPPLIER_CATEGORY) return supplierMessages(event);
  if (category === SUPPLIER_FEED_CATEGORY && event.type === 'SupplierStockReceived') {
    const { received: _received, ...feed } = event.data as { nodeId: string; received?: unknown };
    return [outgoingFrom(event, TOPICS.inventoryStock.name, feed.nodeId, CATALOG_EVENTS.stockReported, feed)];
  }
  if (category !== PO_CATEGORY) return [];
  const stored = { type: event.type, data: event.data } as unknown as PurchaseOrderEvent;
  const meta = event.metadata as { orderId?: unknown; supplierId?: unknown; poNumber?: unknown };
  if (typeof meta.orderId !== 'string' || typeof meta.supplierId !== 'string' || typeof meta.poNumber !== 'string') return [];
  const orderId = meta.orderId;
  const base = { orderId, poId: event.streamName.slice(PO_CATEGORY.length + 1), poNumber: meta.poNumber, supplierId: meta.supplierId };
  const out = (type: string, payload: object) => [outgoingFrom(event, TOPICS.supplierPurchaseOrders.name, orderId, type, { ...base, ...payload })];
  switch (stored.type) {
    case 'PurchaseOrderCreated': {
      const po = stored.data;
      return out(FULFILMENT_FACTS.purchaseOrderCreated, {
        groupId: po.groupId,
        currency: po.currency,
        lines: po.lines.map(({ name: _name, ...l }) => l),
        confirmBy: po.confirmBy,
        shipBy: po.shipBy,
        connector: po.connector,
        at: po.createdAt,
      });
    }
    case 'PurchaseOrderDispatched': {
      const { document: _document, ...dispatched } = stored.data;
      return out(FULFILMENT_FACTS.purchaseOrderDispatched, { ...dispatched, at: dispatched.dispatchedAt });
    }
    case 'PurchaseOrderAcknowledged':
      return out(FULFILMENT_FACTS.purchaseOrderAcknowledged, {
        lines: stored.data.lines.map((l) => ({ lineId: l.lineId, accepted: l.accepted, rejected: l.rejected, backordered: l.backordered, ...(l.reason ? { reason: l.reason } : {}) })),
        channel: stored.data.received.channel,
        at: stored.data.acknowledgedAt,
      });
    case 'PurchaseOrderShipped': {
      const { received: _received, tracking, ...shipment } = stored.data;
      return out(FULFILMENT_FACTS.shipmentDispatched, {
        ...shipment,
        nodeId: meta.supplierId,
        trackingValid: tracking.valid,
        ...(tracking.reason ? { trackingIssue: tracking.reason } : {}),
        at: shipment.shippedAt,
      });
    }
    case 'PurchaseOrderInvoiced': {
      const { received: _received, ...invoice } = stored.data;
      return out(FULFILMENT_FACTS.purchaseOrderInvoiced, { ...invoice, at: invoice.invoicedAt });
    }
    case 'PurchaseOrderCancelled': {
      const { received: _received, ...cancelled } = stored.data;
      // The supplier stopping units on its own is a failure to re-source; our own cancellations
      // settle what the customer asked for.
      return out(FULFILMENT_FACTS.purchaseOrderCancelled, { ...cancelled, resolution: 'resource', at: cancelled.cancelledAt });
    }
    case 'PurchaseOrderCancellationRefused': {
      const { received: _received, ...refused } = stored.data;
      return out(FULFILMENT_FACTS.purchaseOrderCancellationRefused, { ...refused, at: refused.refusedAt });
    }
    case 'PurchaseOrderTimedOut':
      return out(FULFILMENT_FACTS.purchaseOrderTimedOut, { ...stored.data, reason: `not ${stored.data.deadline === 'confirm' ? 'acknowledged' : 'shipped'} by ${stored.data.due}`, at: stored.data.timedOutAt });
    case 'PurchaseOrderClosed':
      return out(FULFILMENT_FACTS.purchaseOrderClosed, { at: stored.data.closedAt });
    case 'SupplierMessageRefused': {
      const { received, ...refused } = stored.data;
      return out(FULFILMENT_FACTS.supplierMessageRefused, { ...refused, ...(received ? { channel: received.channel } : {}), at: refused.refusedAt });
    }
    case 'PurchaseOrderCancellationRequested':
    case 'SupplierNotified':
      return [];
    default: {
      const never: never = stored;
      return never;
    }
  }
}

function supplierMessages(event: RecordedEvent): OutgoingMessage[] {
  const stored = { type: event.type, data: event.data } as unknown as SupplierEvent;
  const supplierId = event.streamName.slice(SUPPLIER_CATEGORY.length + 1);
  const profile = (settings: SupplierSettings, asOf: string) => {
    const { webhookUrl: _url, edi: _edi, ...shared } = settings;
    // Suppliers registered before defaults were kept had no status stored: they were active.
    return [outgoingFrom(event, TOPICS.supplierProfiles.name, supplierId, CATALOG_EVENTS.supplierProfileUpdated, { supplierId, ...shared, status: shared.status ?? 'active', asOf })];
  };
  switch (stored.type) {
    case 'SupplierRegistered':
      return profile(stored.data.settings, stored.data.registeredAt);
    case 'SupplierSettingsChanged':
      return profile(stored.data.settings, stored.data.changedAt);
    case 'SupplierCredentialsIssued':
    case 'SupplierPreviousCredentialsRetired':
      return [];
    default: {
      const never: never = stored;
      return never;
    }
  }
}
