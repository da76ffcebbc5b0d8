import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AggregateCache, categoryOf, streamName, type EventStore, type RecordedEvent, type Subscription } from '@oms/event-store';
import { EVENT_STORE, SERVICE_ENV } from '@oms/platform';
import { applyCatalogFact, emptyCatalog, planningView, type CatalogDefaults, type CatalogFact, type NodeCatalog } from '../domain/node-catalog';
import { nodeStockDecider, type NodeStockCommand, type NodeStockEvent, type NodeStockState } from '../domain/node-stock';
import type { PlanningLine } from '../domain/planning-types';
import type { SourcingEnv } from '../sourcing.env';

/** Stream categories of what sourcing learns about nodes. */
export const NODE_CATALOG_CATEGORY = 'nodecatalog';
export const SUPPLIER_STANDING_CATEGORY = 'supplierstanding';
export const NODE_STOCK_CATEGORY = 'nodestock';

/** How a catalog fact is stored: its kind is the event type, the rest its data. */
export const FACT_EVENT_TYPES = { offers: 'NodeOffersRecorded', scorecard: 'SupplierScorecardRecorded', profile: 'SupplierProfileRecorded' } as const;
const KIND_BY_TYPE = Object.fromEntries(Object.entries(FACT_EVENT_TYPES).map(([kind, type]) => [type, kind])) as Record<string, CatalogFact['kind']>;

export const nodeStockStream = (nodeId: string) => streamName(NODE_STOCK_CATEGORY, nodeId);

/**
 * Sourcing's read model of the fulfilment nodes, rebuilt from its own store at start and followed
 * live: offers, scorecards and profiles fold into the node catalog; each node's stock stream into a
 * cache that is also the write side of reservations (so a reservation decides on the freshest
 * stock this process has, and reads only what is new when another replica wrote first).
 */
@Injectable()
export class NodeCatalogProjection implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('NodeCatalogProjection');
  private catalog: NodeCatalog = emptyCatalog();
  readonly stock: AggregateCache<NodeStockCommand, NodeStockState, NodeStockEvent>;
  private subscription: Subscription | undefined;
  readonly defaults: CatalogDefaults;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_ENV) env: SourcingEnv,
  ) {
    this.stock = new AggregateCache(store, nodeStockDecider);
    this.defaults = {
      safetyBuffer: env.SOURCING_SAFETY_BUFFER,
      freshnessLimitHours: { warehouse: env.SOURCING_WAREHOUSE_FRESHNESS_HOURS, supplier: env.SOURCING_SUPPLIER_FRESHNESS_HOURS },
    };
  }

  onModuleInit(): void {
    this.subscription = this.store.subscribe({
      categories: [NODE_CATALOG_CATEGORY, SUPPLIER_STANDING_CATEGORY, NODE_STOCK_CATEGORY],
      batchSize: 1000,
      onEvents: async (events) => {
        for (const event of events) this.apply(event);
      },
      onError: (error) => this.log.error(`node catalog projection stopped: ${(error as Error)?.message ?? String(error)}`),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }

  /** Resolves once everything stored before the start has been folded: plan nothing before. */
  get ready(): Promise<void> {
    return this.subscription?.caughtUp ?? Promise.resolve();
  }

  apply(event: RecordedEvent): void {
    if (categoryOf(event.streamName) === NODE_STOCK_CATEGORY) {
      this.stock.apply(event);
      return;
    }
    const kind = KIND_BY_TYPE[event.type];
    if (kind) this.catalog = applyCatalogFact(this.catalog, { kind, ...event.data } as unknown as CatalogFact);
  }

  view(orderId: string, lines: readonly PlanningLine[], currency: string) {
    return planningView(this.catalog, (nodeId) => this.stock.peek(nodeStockStream(nodeId))?.state, orderId, lines, this.defaults, currency);
  }

  safetyBufferOf(nodeId: string): number {
    return this.catalog.nodes[nodeId]?.value.safetyBuffer ?? this.defaults.safetyBuffer;
  }

  /**
   * One node as sourcing sees it, for support and for tests that wait for a feed to land. The id is
   * the caller's: only the catalog's own entries count (`/nodes/constructor` is no node).
   */
  node(nodeId: string) {
    const details = own(this.catalog.nodes, nodeId);
    const stock = this.stock.peek(nodeStockStream(nodeId));
    if (!details && !stock) return undefined;
    return {
      nodeId,
      details: details?.value,
      detailsAsOf: details?.asOf,
      offers: Object.fromEntries(Object.entries(own(this.catalog.offers, nodeId) ?? {}).map(([sku, o]) => [sku, { unitCost: o.value, asOf: o.asOf }])),
      scorecard: own(this.catalog.scorecards, nodeId),
      status: own(this.catalog.profiles, nodeId)?.value ?? 'active',
      stock: stock ? { revision: stock.revision, levels: stock.state.levels, reserved: stock.state.reserved, inTransit: stock.state.inTransit } : undefined,
    };
  }
}

/** A record's own entry, never something inherited from Object.prototype. */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
