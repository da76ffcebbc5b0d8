import {
  CATALOG_EVENTS,
  declaredTypes,
  COMMERCE_RETURN_REQUESTED,
  DIAGNOSTIC_PING_REQUESTED,
  DiagnosticPingRequestedV1,
  FULFILMENT_FACTS,
  FULFILMENT_REQUESTS,
  FulfilmentCancellationRequestedV1,
  FulfilmentRequestedV1,
  LinesCancelledSchemaV1,
  NodeOffersPublishedV1,
  ORDER_EVENTS,
  OrderAcceptedSchemaV1,
  OrderCancellationRequestedSchemaV1,
  OrderShippingAddressChangedSchemaV1,
  PurchaseOrderAcknowledgedV1,
  PurchaseOrderCreatedV1,
  PurchaseOrderFactV1,
  PurchaseOrderInvoicedV1,
  PurchaseOrderLinesFactV1,
  RETURN_PART_RECEIVED,
  ReturnPartReceivedV1,
  ReturnReceivedV1,
  ReturnRequestV1,
  SETTLEMENT_INVOICE_EVENTS,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  StockReportedV1,
  SupplierInvoiceOutcomeSchemaV1,
  SupplierProfileUpdatedV1,
  SupplierScorecardUpdatedV1,
  TOPICS,
  WarehouseLinesFactV1,
} from '@oms/contracts';
import { FACT_READERS } from '../../apps/order-intake/src/app/messaging/fulfilment-facts';
import { ALL_SERVICES } from '../../tools/embedded/services';

type Schema = new () => object;
type Follows = Readonly<Record<string, Schema>>;

const T = TOPICS;
const factReaders: Follows = Object.fromEntries(Object.entries(FACT_READERS).map(([type, reader]) => [type, reader.schema]));
const PO_LINES = PurchaseOrderLinesFactV1;

/**
 * Which message types each service's handlers follow on each topic it consumes, and the schema
 * each validates them with — read off the handlers (`apps/<service>/src/app/messaging`). A record
 * of a followed type that its schema refuses must be dead-lettered by that service's group; a type
 * the topic carries that a service does not follow is for another reader and is skipped.
 * `'every'`: the handler takes every record and answers each bad one itself (order intake records
 * an OrderRejected and dead-letters the record).
 */
export const FOLLOWED: Readonly<Record<string, Readonly<Record<string, Follows | 'every'>>>> = {
  'order-intake': {
    [T.commerceOrders.name]: 'every',
    // The fact readers are keyed by type, whichever of these topics the fact arrives on.
    [T.sourcingAllocations.name]: factReaders,
    [T.supplierPurchaseOrders.name]: factReaders,
    [T.wmsShipments.name]: factReaders,
    [T.carrierTracking.name]: factReaders,
    [T.returns.name]: factReaders,
    [T.financeSettlements.name]: factReaders,
  },
  sourcing: {
    [T.omsOrders.name]: { [ORDER_EVENTS.accepted]: OrderAcceptedSchemaV1, [ORDER_EVENTS.cancellationRequested]: OrderCancellationRequestedSchemaV1, [ORDER_EVENTS.shippingAddressChanged]: OrderShippingAddressChangedSchemaV1 },
    [T.catalogOffers.name]: { [CATALOG_EVENTS.nodeOffersPublished]: NodeOffersPublishedV1 },
    [T.inventoryStock.name]: { [CATALOG_EVENTS.stockReported]: StockReportedV1 },
    [T.supplierScorecards.name]: { [CATALOG_EVENTS.supplierScorecardUpdated]: SupplierScorecardUpdatedV1 },
    [T.supplierProfiles.name]: { [CATALOG_EVENTS.supplierProfileUpdated]: SupplierProfileUpdatedV1 },
    [T.supplierPurchaseOrders.name]: {
      [FULFILMENT_FACTS.purchaseOrderAcknowledged]: PurchaseOrderAcknowledgedV1,
      [FULFILMENT_FACTS.purchaseOrderTimedOut]: PO_LINES,
      [FULFILMENT_FACTS.purchaseOrderCancelled]: PO_LINES,
      [FULFILMENT_FACTS.shipmentDispatched]: ShipmentDispatchedV1,
    },
    [T.wmsShipments.name]: { [FULFILMENT_REQUESTS.fulfilmentShortageReported]: WarehouseLinesFactV1, [FULFILMENT_REQUESTS.fulfilmentCancelled]: WarehouseLinesFactV1, [FULFILMENT_FACTS.shipmentDispatched]: ShipmentDispatchedV1 },
  },
  'supplier-gateway': {
    [T.sourcingAllocations.name]: { [FULFILMENT_REQUESTS.fulfilmentRequested]: FulfilmentRequestedV1, [FULFILMENT_REQUESTS.fulfilmentCancellationRequested]: FulfilmentCancellationRequestedV1 },
  },
  'returns-router': {
    [T.commerceReturns.name]: { [COMMERCE_RETURN_REQUESTED]: ReturnRequestV1 },
    [T.omsOrders.name]: { [ORDER_EVENTS.accepted]: OrderAcceptedSchemaV1, [ORDER_EVENTS.shipmentAdded]: ShipmentDispatchedV1 },
    [T.wmsShipments.name]: { [FULFILMENT_FACTS.shipmentDelivered]: ShipmentDeliveredV1, [RETURN_PART_RECEIVED]: ReturnPartReceivedV1 },
    [T.carrierTracking.name]: { [FULFILMENT_FACTS.shipmentDelivered]: ShipmentDeliveredV1, [RETURN_PART_RECEIVED]: ReturnPartReceivedV1 },
    [T.supplierPurchaseOrders.name]: { [FULFILMENT_FACTS.shipmentDelivered]: ShipmentDeliveredV1, [RETURN_PART_RECEIVED]: ReturnPartReceivedV1 },
    [T.supplierProfiles.name]: { [CATALOG_EVENTS.supplierProfileUpdated]: SupplierProfileUpdatedV1 },
  },
  'supplier-performance': {
    [T.supplierPurchaseOrders.name]: {
      [FULFILMENT_FACTS.purchaseOrderCreated]: PurchaseOrderCreatedV1,
      [FULFILMENT_FACTS.purchaseOrderDispatched]: PurchaseOrderFactV1,
      [FULFILMENT_FACTS.purchaseOrderAcknowledged]: PurchaseOrderAcknowledgedV1,
      [FULFILMENT_FACTS.shipmentDispatched]: ShipmentDispatchedV1,
      [FULFILMENT_FACTS.purchaseOrderTimedOut]: PO_LINES,
      [FULFILMENT_FACTS.purchaseOrderCancelled]: PO_LINES,
      [FULFILMENT_FACTS.supplierMessageRefused]: PurchaseOrderFactV1,
    },
    [T.financeSettlements.name]: { [SETTLEMENT_INVOICE_EVENTS.matched]: SupplierInvoiceOutcomeSchemaV1, [SETTLEMENT_INVOICE_EVENTS.disputed]: SupplierInvoiceOutcomeSchemaV1 },
    [T.returns.name]: { [FULFILMENT_FACTS.returnReceived]: ReturnReceivedV1, [FULFILMENT_FACTS.refundApproved]: ReturnReceivedV1 },
  },
  'finance-reconciler': {
    [T.omsOrders.name]: { [ORDER_EVENTS.accepted]: OrderAcceptedSchemaV1, [ORDER_EVENTS.linesCancelled]: LinesCancelledSchemaV1 },
    [T.sourcingAllocations.name]: { [FULFILMENT_REQUESTS.fulfilmentRequested]: FulfilmentRequestedV1 },
    [T.wmsFulfilmentRequests.name]: { [FULFILMENT_REQUESTS.fulfilmentRequested]: FulfilmentRequestedV1 },
    [T.supplierPurchaseOrders.name]: {
      [FULFILMENT_FACTS.purchaseOrderCreated]: PurchaseOrderCreatedV1,
      [FULFILMENT_FACTS.purchaseOrderAcknowledged]: PurchaseOrderAcknowledgedV1,
      [FULFILMENT_FACTS.shipmentDispatched]: ShipmentDispatchedV1,
      [FULFILMENT_FACTS.purchaseOrderCancelled]: PO_LINES,
      [FULFILMENT_FACTS.purchaseOrderTimedOut]: PO_LINES,
      [FULFILMENT_FACTS.purchaseOrderInvoiced]: PurchaseOrderInvoicedV1,
    },
    [T.wmsShipments.name]: { [FULFILMENT_FACTS.shipmentDispatched]: ShipmentDispatchedV1 },
    [T.returns.name]: { [FULFILMENT_FACTS.returnReceived]: ReturnReceivedV1, [FULFILMENT_FACTS.refundApproved]: ReturnReceivedV1 },
    [T.supplierProfiles.name]: { [CATALOG_EVENTS.supplierProfileUpdated]: SupplierProfileUpdatedV1 },
  },
};

/** Every service answers diagnostic pings (libs/platform), on top of its own topics. */
const PING: Follows = { [DIAGNOSTIC_PING_REQUESTED]: DiagnosticPingRequestedV1 };

/**
 * What this run expects of a record whose type its topic does not declare (an unknown type), per
 * topic visibility. Every topic declares its types (libs/contracts: the public contracts and
 * INTERNAL_MESSAGE_TYPES), and the messaging layer dead-letters an undeclared type in every consumer
 * (EnvelopeServer.declareTypes); order intake's handler answers every type on commerce.orders.v1
 * itself. 'dead-lettered or skipped' is kept for a topic that would declare none.
 *  - 'dead-lettered': every consuming group must dead-letter it;
 *  - 'dead-lettered or skipped': either is accepted; the skipped ones are counted and reported.
 */
export const UNKNOWN_TYPE_EXPECTATION: Readonly<Record<'public' | 'internal', 'dead-lettered' | 'dead-lettered or skipped'>> = {
  public: 'dead-lettered',
  internal: 'dead-lettered',
};

export interface TopicConsumer {
  readonly service: string;
  readonly follows: Follows | 'every';
}

/** Every topic some service consumes (the diagnostics topic included), with its consumers. */
export function consumedTopics(): Map<string, TopicConsumer[]> {
  const out = new Map<string, TopicConsumer[]>();
  for (const d of ALL_SERVICES) {
    const table = FOLLOWED[d.name];
    if (!table) throw new Error(`No FOLLOWED entry for ${d.name}`);
    for (const t of d.consumes) {
      const follows = table[t.name];
      if (!follows) throw new Error(`FOLLOWED does not say what ${d.name} reads on ${t.name}`);
      out.set(t.name, [...(out.get(t.name) ?? []), { service: d.name, follows }]);
    }
    out.set(T.diagnostics.name, [...(out.get(T.diagnostics.name) ?? []), { service: d.name, follows: PING }]);
  }
  return out;
}

/** Types some consumer of the topic follows: the "known types" a bad record can claim to be. */
export function followedTypes(consumers: readonly TopicConsumer[]): string[] {
  return [...new Set(consumers.flatMap((c) => (c.follows === 'every' ? [] : Object.keys(c.follows))))];
}

/** The types a topic declares: its public contract, or the internal topic's list (libs/contracts). */
export { declaredTypes };

export type RecordOutcome = 'dead-lettered' | 'skipped' | 'unknown type';

/**
 * What one consumer must do with a record it cannot take: `value` undefined means it is not JSON
 * (or empty) — the transport dead-letters it before any handler — otherwise `type` is the type the
 * envelope resolves to (the `event-type` header, else the payload's `type`, else 'unknown').
 */
export function expectedOf(consumer: TopicConsumer, topic: string, record: { readonly json: boolean; readonly type: string }): RecordOutcome {
  if (!record.json || consumer.follows === 'every') return 'dead-lettered';
  if (Object.hasOwn(consumer.follows, record.type)) return 'dead-lettered';
  const declared = declaredTypes(topic);
  if (declared?.includes(record.type)) return 'skipped';
  return 'unknown type';
}
