/**
 * Every topic the services share, with who writes it and how it is keyed. Public topics are the
 * contract with the outside world (DESIGN.md); internal ones follow the same naming and envelope.
 * Dead letters are `<topic>.dlq`, created beside each consumed topic.
 */
export interface TopicDefinition {
  readonly name: string;
  readonly visibility: 'public' | 'internal';
  readonly description: string;
  /** What the Kafka key is: per-key order is kept. */
  readonly key: string;
  /** Partitions in production; a consumer group scales to at most this many replicas. */
  readonly partitions: number;
}

const topic = (definition: TopicDefinition): TopicDefinition => definition;

export const TOPICS = {
  commerceOrders: topic({
    name: 'commerce.orders.v1',
    visibility: 'public',
    description: 'Storefronts and marketplaces: order placed, cancellation requested, shipping address changed.',
    key: 'external order id',
    partitions: 12,
  }),
  commerceReturns: topic({
    name: 'commerce.returns.v1',
    visibility: 'public',
    description: 'Storefronts: return requested.',
    key: 'external order id',
    partitions: 6,
  }),
  catalogOffers: topic({
    name: 'catalog.offers.v1',
    visibility: 'public',
    description: 'PIM/ERP or supplier catalog feeds: which node sells which sku at what cost.',
    key: 'node id',
    partitions: 6,
  }),
  inventoryStock: topic({
    name: 'inventory.stock.v1',
    visibility: 'public',
    description: 'Stock per node and sku with the feed time, from warehouses and (normalised) suppliers.',
    key: 'node id',
    partitions: 6,
  }),
  omsOrders: topic({
    name: 'oms.orders.v1',
    visibility: 'public',
    description: 'Order accepted / rejected, customer-facing status, shipment added, lines cancelled.',
    key: 'order id',
    partitions: 12,
  }),
  supplierProfiles: topic({
    name: 'supplier.profiles.v1',
    visibility: 'public',
    description: 'Supplier settings as registered in the gateway.',
    key: 'supplier id',
    partitions: 3,
  }),
  supplierScorecards: topic({
    name: 'supplier.scorecards.v1',
    visibility: 'public',
    description: 'Supplier scorecards and flags from the performance service.',
    key: 'supplier id',
    partitions: 3,
  }),
  financeSettlements: topic({
    name: 'finance.settlements.v1',
    visibility: 'public',
    description: 'Charges, refunds, payables, invoice matches and disputes, chargebacks, margin.',
    key: 'order id',
    partitions: 12,
  }),
  wmsFulfilmentRequests: topic({
    name: 'wms.fulfilment-requests.v1',
    visibility: 'public',
    description: "Requests to the retailer's own warehouse systems to ship lines.",
    key: 'order id',
    partitions: 6,
  }),
  wmsShipments: topic({
    name: 'wms.shipments.v1',
    visibility: 'public',
    description: 'Warehouse shipments (carrier, tracking, lines) and deliveries.',
    key: 'order id',
    partitions: 6,
  }),
  carrierTracking: topic({
    name: 'carrier.tracking.v1',
    visibility: 'public',
    description: "Carrier tracking feeds (a tracking aggregator or the carriers): deliveries of any node's shipments, by shipment id.",
    key: 'order id',
    partitions: 6,
  }),
  sourcingAllocations: topic({
    name: 'sourcing.allocations.v1',
    visibility: 'internal',
    description: 'Fulfilment plans and re-plans per order; lines definitively cancelled or unfulfillable.',
    key: 'order id',
    partitions: 12,
  }),
  supplierPurchaseOrders: topic({
    name: 'supplier.purchase-orders.v1',
    visibility: 'internal',
    description: 'PO lifecycle: dispatched, acknowledged, shipped, cancelled, timed out.',
    key: 'order id',
    partitions: 12,
  }),
  returns: topic({
    name: 'returns.returns.v1',
    visibility: 'internal',
    description: 'Returns routed and received, per order.',
    key: 'order id',
    partitions: 6,
  }),
  diagnostics: topic({
    name: 'oms.diagnostics.v1',
    visibility: 'internal',
    description: 'Diagnostic pings every service answers: proves consume → store → relay → publish.',
    key: 'ping id',
    partitions: 3,
  }),
  diagnosticReplies: topic({
    name: 'oms.diagnostic-replies.v1',
    visibility: 'internal',
    description: 'One reply per service to each diagnostic ping.',
    key: 'ping id',
    partitions: 3,
  }),
} as const;

export type TopicKey = keyof typeof TOPICS;
