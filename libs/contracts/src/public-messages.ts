import { AddressChangeRequestV1, CancellationRequestV1, COMMERCE_ORDER_CANCELLATION_REQUESTED, COMMERCE_ORDER_PLACED, COMMERCE_SHIPPING_ADDRESS_CHANGED, OrderPlacedV1 } from './commerce/order-placed';
import { COMMERCE_RETURN_REQUESTED, ReturnPartReceivedV1, ReturnRequestV1 } from './commerce/return-requested';
import { DIAGNOSTIC_PING_ANSWERED, DIAGNOSTIC_PING_REQUESTED } from './diagnostics/diagnostic-events';
import { CATALOG_EVENTS, NodeOffersPublishedV1, StockReportedV1, SupplierProfileUpdatedV1, SupplierScorecardUpdatedV1 } from './catalog/catalog-events';
import { SETTLEMENT_INVOICE_EVENTS, SupplierInvoiceOutcomeSchemaV1 } from './finance/settlement-events';
import { FULFILMENT_FACTS, RefundIssuedV1, ShipmentDeliveredV1, ShipmentDispatchedV1 } from './fulfilment/fulfilment-events';
import { FULFILMENT_REQUESTS, FulfilmentCancellationRequestedV1, FulfilmentRequestedV1, WarehouseLinesFactV1 } from './fulfilment/fulfilment-requests';
import { LinesCancelledSchemaV1, OrderAcceptedSchemaV1, OrderCancellationRequestedSchemaV1, OrderShippingAddressChangedSchemaV1 } from './orders/order-event-schemas';
import { ORDER_EVENTS } from './orders/order-events';
import { TOPICS, type TopicKey } from './topics';

/**
 * One message type on a public topic: who writes it and, where the contract has one, the
 * class-validator schema its readers validate. `docs/api/asyncapi.yaml` is generated from this map
 * (`npm run docs:api`); a type with no schema class here has its payload described, and checked
 * against its TypeScript type, by the generator in `tools/contracts-docs`.
 */
export interface PublicMessage {
  /** The `event-type` header (or, on inbound topics, the payload's `type` field). */
  readonly type: string;
  /**
   * `outside`: integrators write it and the services consume it; `oms`: a service publishes it;
   * `both`: either (stock feeds come from warehouses and, normalised, from the supplier gateway).
   */
  readonly from: 'outside' | 'oms' | 'both';
  readonly summary: string;
  /** What readers validate the payload with. Published payloads may carry more fields than it checks. */
  readonly schema?: new () => object;
  /** The Kafka key, where it differs from the topic's. */
  readonly key?: string;
}

/** Sent by warehouses (on `wms.shipments.v1`) when a routed return part arrives. */
export const RETURN_PART_RECEIVED = 'ReturnPartReceived';

/** Settlement events on `finance.settlements.v1` beyond the invoice outcomes and refunds. */
export const SETTLEMENT_EVENT_TYPES = {
  customerChargeRecognised: 'CustomerChargeRecognised',
  refundIssued: FULFILMENT_FACTS.refundIssued,
  supplierPayableAccrued: 'SupplierPayableAccrued',
  supplierPayableReleased: 'SupplierPayableReleased',
  marginRecognised: 'MarginRecognised',
  supplierInvoiceMatched: SETTLEMENT_INVOICE_EVENTS.matched,
  supplierInvoiceDisputed: SETTLEMENT_INVOICE_EVENTS.disputed,
  chargebackRaised: 'ChargebackRaised',
  supplierCreditExpected: 'SupplierCreditExpected',
  returnedToStock: 'ReturnedToStock',
  supplierCreditReceived: 'SupplierCreditReceived',
  supplierPaymentRecorded: 'SupplierPaymentRecorded',
} as const;

/** Flag decisions on `supplier.scorecards.v1`, beside `SupplierScorecardUpdated`. */
export const SUPPLIER_FLAG_EVENT_TYPES = {
  flagged: 'SupplierFlagged',
  cleared: 'SupplierCleared',
  suspended: 'SupplierSuspended',
  reinstated: 'SupplierReinstated',
} as const;

const flagSummary = (what: string) => `${what}, with the reasons and the figures behind the decision.`;

/** Every public topic (`TOPICS[key].visibility === 'public'`) and the message types it carries. */
export const PUBLIC_MESSAGES: Readonly<Partial<Record<TopicKey, readonly PublicMessage[]>>> = {
  commerceOrders: [
    { type: COMMERCE_ORDER_PLACED, from: 'outside', summary: 'A customer placed an order (the canonical order).', schema: OrderPlacedV1 },
    { type: COMMERCE_ORDER_CANCELLATION_REQUESTED, from: 'outside', summary: 'The customer asks to cancel the whole order or some line quantities.', schema: CancellationRequestV1 },
    { type: COMMERCE_SHIPPING_ADDRESS_CHANGED, from: 'outside', summary: "The order's shipping address changed.", schema: AddressChangeRequestV1 },
  ],
  commerceReturns: [{ type: COMMERCE_RETURN_REQUESTED, from: 'outside', summary: 'A customer asks to return units of shipped lines.', schema: ReturnRequestV1 }],
  catalogOffers: [
    { type: CATALOG_EVENTS.nodeOffersPublished, from: 'outside', summary: "A fulfilment node's details and the skus it sells at what unit cost.", schema: NodeOffersPublishedV1 },
  ],
  inventoryStock: [{ type: CATALOG_EVENTS.stockReported, from: 'both', summary: 'Stock per sku at one node, as of the time the feed was produced.', schema: StockReportedV1 }],
  wmsFulfilmentRequests: [
    { type: FULFILMENT_REQUESTS.fulfilmentRequested, from: 'oms', summary: 'A warehouse is asked to ship these lines to the customer by the promised dates.', schema: FulfilmentRequestedV1 },
    {
      type: FULFILMENT_REQUESTS.fulfilmentCancellationRequested,
      from: 'oms',
      summary: 'The customer cancelled: the warehouse is asked to give these units back (answer with FulfilmentCancelled for what it could stop).',
      schema: FulfilmentCancellationRequestedV1,
    },
  ],
  wmsShipments: [
    { type: FULFILMENT_FACTS.shipmentDispatched, from: 'outside', summary: 'A warehouse handed a package to a carrier.', schema: ShipmentDispatchedV1 },
    { type: FULFILMENT_FACTS.shipmentDelivered, from: 'outside', summary: 'A warehouse shipment was delivered.', schema: ShipmentDeliveredV1 },
    { type: FULFILMENT_REQUESTS.fulfilmentShortageReported, from: 'outside', summary: 'The warehouse cannot ship units it was asked for: they are planned elsewhere.', schema: WarehouseLinesFactV1 },
    { type: FULFILMENT_REQUESTS.fulfilmentCancelled, from: 'outside', summary: 'The warehouse stopped units as asked by FulfilmentCancellationRequested.', schema: WarehouseLinesFactV1 },
    { type: RETURN_PART_RECEIVED, from: 'outside', summary: 'What the returns dock received of a routed return part, and in what condition.', schema: ReturnPartReceivedV1 },
  ],
  carrierTracking: [{ type: FULFILMENT_FACTS.shipmentDelivered, from: 'outside', summary: "A carrier delivered one of any node's shipments.", schema: ShipmentDeliveredV1 }],
  omsOrders: [
    { type: ORDER_EVENTS.accepted, from: 'oms', summary: 'The order was accepted: lines with their exact amounts, totals, ship-to.', schema: OrderAcceptedSchemaV1 },
    {
      type: ORDER_EVENTS.rejected,
      from: 'oms',
      summary: 'An order message was refused, with every failing field.',
      key: 'order id, or the external order id when the message could not be tied to an order',
    },
    { type: ORDER_EVENTS.statusChanged, from: 'oms', summary: "The order's customer-facing status (or cancellation state) changed." },
    { type: ORDER_EVENTS.shipmentAdded, from: 'oms', summary: 'A package left a warehouse or a supplier, with its tracking.' },
    { type: ORDER_EVENTS.linesCancelled, from: 'oms', summary: 'Line quantities were definitively cancelled, with the exact refund.', schema: LinesCancelledSchemaV1 },
    {
      type: ORDER_EVENTS.cancellationRequested,
      from: 'oms',
      summary: 'A cancellation was requested: the unshipped quantities being stopped, and what can no longer be cancelled.',
      schema: OrderCancellationRequestedSchemaV1,
    },
    { type: ORDER_EVENTS.shippingAddressChanged, from: 'oms', summary: 'The shipping address changed; lines already shipped to the old one are named.', schema: OrderShippingAddressChangedSchemaV1 },
    { type: ORDER_EVENTS.completed, from: 'oms', summary: 'Every line is delivered, cancelled or returned.' },
  ],
  supplierProfiles: [
    { type: CATALOG_EVENTS.supplierProfileUpdated, from: 'oms', summary: "A supplier's settings as registered in the gateway (never its credentials).", schema: SupplierProfileUpdatedV1 },
  ],
  supplierScorecards: [
    { type: CATALOG_EVENTS.supplierScorecardUpdated, from: 'oms', summary: "A supplier's new scorecard: reliability, observed ship days, flags.", schema: SupplierScorecardUpdatedV1 },
    { type: SUPPLIER_FLAG_EVENT_TYPES.flagged, from: 'oms', summary: flagSummary('The supplier was flagged (sourcing avoids it)') },
    { type: SUPPLIER_FLAG_EVENT_TYPES.cleared, from: 'oms', summary: flagSummary('The supplier is no longer flagged') },
    { type: SUPPLIER_FLAG_EVENT_TYPES.suspended, from: 'oms', summary: flagSummary('The supplier was suspended on its performance (sourcing gives it nothing)') },
    { type: SUPPLIER_FLAG_EVENT_TYPES.reinstated, from: 'oms', summary: flagSummary('The supplier was reinstated') },
  ],
  financeSettlements: [
    { type: SETTLEMENT_EVENT_TYPES.customerChargeRecognised, from: 'oms', summary: 'What the customer was charged, per line and for shipping.' },
    { type: SETTLEMENT_EVENT_TYPES.refundIssued, from: 'oms', summary: 'A refund for cancelled or returned units, split exactly per line.', schema: RefundIssuedV1 },
    { type: SETTLEMENT_EVENT_TYPES.supplierPayableAccrued, from: 'oms', summary: 'A supplier shipment: what the retailer owes for it at the PO unit cost.' },
    { type: SETTLEMENT_EVENT_TYPES.supplierPayableReleased, from: 'oms', summary: 'Units cancelled or timed out before shipping: the commitment is released.' },
    { type: SETTLEMENT_EVENT_TYPES.marginRecognised, from: 'oms', summary: "Net revenue less cost for a shipment or a return, per line, and the order's running margin." },
    { type: SETTLEMENT_EVENT_TYPES.supplierInvoiceMatched, from: 'oms', summary: 'A supplier invoice matched the PO and what shipped.', schema: SupplierInvoiceOutcomeSchemaV1 },
    { type: SETTLEMENT_EVENT_TYPES.supplierInvoiceDisputed, from: 'oms', summary: 'A supplier invoice is disputed, line by line.', schema: SupplierInvoiceOutcomeSchemaV1 },
    { type: SETTLEMENT_EVENT_TYPES.chargebackRaised, from: 'oms', summary: "A chargeback by the supplier's terms (late shipment, invalid tracking, cancelled after acceptance)." },
    { type: SETTLEMENT_EVENT_TYPES.supplierCreditExpected, from: 'oms', summary: 'Returned units went back to the supplier: a credit is due from it.' },
    { type: SETTLEMENT_EVENT_TYPES.returnedToStock, from: 'oms', summary: "Returned units went back to the retailer's stock, at their cost." },
    { type: SETTLEMENT_EVENT_TYPES.supplierCreditReceived, from: 'oms', summary: 'A credit received from a supplier was recorded.', key: 'supplier id' },
    { type: SETTLEMENT_EVENT_TYPES.supplierPaymentRecorded, from: 'oms', summary: 'A payment to a supplier was recorded.', key: 'supplier id' },
  ],
};

/** What the returns router publishes on `returns.returns.v1`, beside RefundApproved. */
export const RETURN_EVENT_TYPES = {
  routed: 'ReturnRouted',
  rejected: 'ReturnRejected',
  partReceived: RETURN_PART_RECEIVED,
  exception: 'ReturnException',
  refundApproved: FULFILMENT_FACTS.refundApproved,
} as const;

/**
 * The types each internal topic carries: what its producers publish and what its consumers
 * follow. Internal topics are free to change between releases of the services, but each still
 * names its types, so that a consumer can tell a type meant for another reader (skipped) from one
 * nobody declared (dead-lettered).
 */
export const INTERNAL_MESSAGE_TYPES: Readonly<Partial<Record<TopicKey, readonly string[]>>> = {
  sourcingAllocations: [
    FULFILMENT_FACTS.fulfilmentPlanned,
    FULFILMENT_REQUESTS.fulfilmentRequested,
    FULFILMENT_REQUESTS.fulfilmentCancellationRequested,
    FULFILMENT_REQUESTS.linesUnfulfillable,
    FULFILMENT_FACTS.orderLinesCancelled,
  ],
  supplierPurchaseOrders: [
    FULFILMENT_FACTS.purchaseOrderCreated,
    FULFILMENT_FACTS.purchaseOrderDispatched,
    FULFILMENT_FACTS.purchaseOrderAcknowledged,
    FULFILMENT_FACTS.shipmentDispatched,
    FULFILMENT_FACTS.purchaseOrderInvoiced,
    FULFILMENT_FACTS.purchaseOrderCancelled,
    FULFILMENT_FACTS.purchaseOrderCancellationRefused,
    FULFILMENT_FACTS.purchaseOrderTimedOut,
    FULFILMENT_FACTS.purchaseOrderClosed,
    FULFILMENT_FACTS.supplierMessageRefused,
    // What suppliers report about a PO's parcels and returns: deliveries, and receipts of routed return parts.
    FULFILMENT_FACTS.shipmentDelivered,
    RETURN_PART_RECEIVED,
  ],
  // ReturnReceived: the receipt fact before RefundApproved carried it; finance, order intake and the
  // scorecards still read it.
  returns: [...Object.values(RETURN_EVENT_TYPES), FULFILMENT_FACTS.returnReceived],
  diagnostics: [DIAGNOSTIC_PING_REQUESTED],
  diagnosticReplies: [DIAGNOSTIC_PING_ANSWERED],
};

/**
 * The message types a topic declares, by topic name (public topics: their contract; internal ones:
 * INTERNAL_MESSAGE_TYPES). A consumer skips a declared type it does not follow (it is for another
 * reader) but dead-letters any other type: an unknown type is a producer's mistake or a contract
 * not yet deployed, and either must be seen, not dropped.
 */
export function declaredTypes(topicName: string): readonly string[] | undefined {
  const key = (Object.keys(TOPICS) as TopicKey[]).find((k) => TOPICS[k].name === topicName);
  if (key === undefined) return undefined;
  return PUBLIC_MESSAGES[key]?.map((m) => m.type) ?? INTERNAL_MESSAGE_TYPES[key];
}
