import { unheldStock, type NodeStockState } from './node-stock';
import type { NodeKind, NodeProfile, Offer, PlanningLine } from './planning-types';

/**
 * Sourcing's own picture of the fulfilment nodes, folded from what it consumes: offers (with node
 * details), supplier scorecards and profiles. Stock and reservations live in each node's
 * `nodestock` stream (see node-stock.ts). Pure: the service keeps it up to date from its store.
 */
export interface NodeDetails {
  readonly kind: NodeKind;
  readonly region?: string;
  readonly handlingDays: number;
  readonly transitDays: number;
  readonly shipping: { readonly perShipment: number; readonly perUnit: number };
  readonly dropShipAllowed: boolean;
  readonly safetyBuffer?: number;
  readonly freshnessLimitHours?: number;
  /** Currency of the node's costs: a node is only a candidate for orders in that currency. */
  readonly currency?: string;
}

export type CatalogFact =
  | {
      readonly kind: 'offers';
      readonly nodeId: string;
      readonly node: NodeDetails;
      readonly offers: readonly { readonly sku: string; readonly unitCost: number }[];
      readonly snapshot: boolean;
      readonly asOf: string;
    }
  | {
      readonly kind: 'scorecard';
      readonly supplierId: string;
      readonly reliability?: number;
      readonly observedShipDays?: { readonly p50: number; readonly p90: number };
      readonly flagged: boolean;
      readonly suspended?: boolean;
      readonly asOf: string;
    }
  | { readonly kind: 'profile'; readonly supplierId: string; readonly status: 'active' | 'suspended'; readonly asOf: string };

interface Dated<T> {
  readonly value: T;
  readonly asOf: string;
}

export interface NodeCatalog {
  readonly nodes: Readonly<Record<string, Dated<NodeDetails>>>;
  /** node → sku → unit cost */
  readonly offers: Readonly<Record<string, Readonly<Record<string, Dated<number>>>>>;
  readonly scorecards: Readonly<Record<string, Dated<{ reliability?: number; observedShipDays?: { p50: number; p90: number }; flagged: boolean; suspended?: boolean }>>>;
  readonly profiles: Readonly<Record<string, Dated<'active' | 'suspended'>>>;
}

export const emptyCatalog = (): NodeCatalog => ({ nodes: {}, offers: {}, scorecards: {}, profiles: {} });

const newer = (asOf: string, current: Dated<unknown> | undefined) => !current || Date.parse(asOf) > Date.parse(current.asOf);

/** Feeds arrive late and twice: an older figure never overwrites a newer one. */
export function applyCatalogFact(catalog: NodeCatalog, fact: CatalogFact): NodeCatalog {
  switch (fact.kind) {
    case 'offers': {
      const nodes = newer(fact.asOf, catalog.nodes[fact.nodeId]) ? { ...catalog.nodes, [fact.nodeId]: { value: fact.node, asOf: fact.asOf } } : catalog.nodes;
      const current = catalog.offers[fact.nodeId] ?? {};
      const next: Record<string, Dated<number>> = fact.snapshot
        ? Object.fromEntries(Object.entries(current).filter(([, o]) => Date.parse(o.asOf) > Date.parse(fact.asOf)))
        : { ...current };
      for (const o of fact.offers) if (newer(fact.asOf, current[o.sku])) next[o.sku] = { value: o.unitCost, asOf: fact.asOf };
      return { ...catalog, nodes, offers: { ...catalog.offers, [fact.nodeId]: next } };
    }
    case 'scorecard': {
      // Scorecards come in order on the supplier's key, each dated no earlier than the one before:
      // of two with the same time (one millisecond), the later is the newer decision.
      const current = catalog.scorecards[fact.supplierId];
      if (current && Date.parse(fact.asOf) < Date.parse(current.asOf)) return catalog;
      const value = {
        flagged: fact.flagged,
        ...(fact.suspended ? { suspended: true } : {}),
        ...(fact.reliability !== undefined ? { reliability: fact.reliability } : {}),
        ...(fact.observedShipDays ? { observedShipDays: fact.observedShipDays } : {}),
      };
      return { ...catalog, scorecards: { ...catalog.scorecards, [fact.supplierId]: { value, asOf: fact.asOf } } };
    }
    case 'profile':
      return newer(fact.asOf, catalog.profiles[fact.supplierId])
        ? { ...catalog, profiles: { ...catalog.profiles, [fact.supplierId]: { value: fact.status, asOf: fact.asOf } } }
        : catalog;
    default: {
      const never: never = fact;
      return never;
    }
  }
}

export interface CatalogDefaults {
  readonly safetyBuffer: number;
  readonly freshnessLimitHours: Readonly<Record<NodeKind, number>>;
}

export const DEFAULT_CATALOG_DEFAULTS: CatalogDefaults = { safetyBuffer: 0, freshnessLimitHours: { warehouse: 6, supplier: 24 } };

/**
 * The planner's input for one order: offers for its skus with stock less what other orders have
 * reserved (its own reservations stay available to it, so a re-plan can keep them), and node
 * profiles merged with scorecards and supplier status.
 */
export function planningView(
  catalog: NodeCatalog,
  stockOf: (nodeId: string) => NodeStockState | undefined,
  orderId: string,
  lines: readonly PlanningLine[],
  defaults: CatalogDefaults = DEFAULT_CATALOG_DEFAULTS,
  currency?: string,
): { offers: Offer[]; nodes: Record<string, NodeProfile> } {
  const skus = [...new Set(lines.map((l) => l.sku))];
  const offers: Offer[] = [];
  const nodes: Record<string, NodeProfile> = {};
  for (const [nodeId, bySku] of Object.entries(catalog.offers)) {
    const details = catalog.nodes[nodeId]?.value;
    if (!details) continue;
    // Costs in another currency cannot be weighed against this order's: not a candidate.
    if (currency !== undefined && details.currency !== undefined && details.currency !== currency) continue;
    const stock = stockOf(nodeId);
    let offersHere = 0;
    for (const sku of skus) {
      const cost = bySku[sku];
      if (!cost) continue;
      offersHere++;
      const level = stock?.levels[sku];
      offers.push({
        nodeId,
        sku,
        unitCost: cost.value,
        reportedStock: stock ? unheldStock(stock, sku, orderId) : 0,
        // No feed yet: as old as can be, so freshness rules treat it as unknown stock.
        stockAsOf: level?.asOf ?? new Date(0).toISOString(),
      });
    }
    if (offersHere === 0) continue;
    const scorecard = catalog.scorecards[nodeId]?.value;
    // Suspended by the retailer (profile) or on its performance (scorecard): it gets nothing.
    const suspended = catalog.profiles[nodeId]?.value === 'suspended' || scorecard?.suspended === true;
    nodes[nodeId] = {
      nodeId,
      kind: details.kind,
      safetyBuffer: details.safetyBuffer ?? defaults.safetyBuffer,
      freshnessLimitHours: details.freshnessLimitHours ?? defaults.freshnessLimitHours[details.kind],
      shipping: details.shipping,
      claimedShipDays: details.handlingDays,
      transitDays: details.transitDays,
      dropShipAllowed: details.dropShipAllowed,
      status: suspended ? 'suspended' : scorecard?.flagged ? 'flagged' : 'active',
      ...(scorecard?.reliability !== undefined ? { reliability: scorecard.reliability } : {}),
      ...(scorecard?.observedShipDays ? { observedShipDays: scorecard.observedShipDays } : {}),
    };
  }
  return { offers, nodes };
}
