import type { NodeKind, NodeProfile, Offer, PlanningLine } from './planning-types';

/**
 * Sourcing's own picture of the fulfilment nodes, folded from what it consumes: offers (with node
 * details), stock feeds, supplier scorecards and profiles, plus the reservations of the orders it
 * has planned. Pure: the service keeps it up to date from Kafka and rebuilds it from its store.
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
  | { readonly kind: 'stock'; readonly nodeId: string; readonly mode: 'snapshot' | 'delta'; readonly items: readonly { readonly sku: string; readonly quantity: number }[]; readonly asOf: string }
  | {
      readonly kind: 'scorecard';
      readonly supplierId: string;
      readonly reliability?: number;
      readonly observedShipDays?: { readonly p50: number; readonly p90: number };
      readonly flagged: boolean;
      readonly asOf: string;
    }
  | { readonly kind: 'profile'; readonly supplierId: string; readonly status: 'active' | 'suspended'; readonly asOf: string }
  | { readonly kind: 'reserve'; readonly orderId: string; readonly items: readonly { readonly nodeId: string; readonly sku: string; readonly quantity: number }[] }
  | { readonly kind: 'release'; readonly orderId: string; readonly items: readonly { readonly nodeId: string; readonly sku: string; readonly quantity: number }[] };

interface Dated<T> {
  readonly value: T;
  readonly asOf: string;
}

export interface NodeCatalog {
  readonly nodes: Readonly<Record<string, Dated<NodeDetails>>>;
  /** node → sku → unit cost */
  readonly offers: Readonly<Record<string, Readonly<Record<string, Dated<number>>>>>;
  /** node → sku → units the feed reported, dated per sku (a delta refreshes only what it lists) */
  readonly stock: Readonly<Record<string, Readonly<Record<string, Dated<number>>>>>;
  readonly scorecards: Readonly<Record<string, Dated<{ reliability?: number; observedShipDays?: { p50: number; p90: number }; flagged: boolean }>>>;
  readonly profiles: Readonly<Record<string, Dated<'active' | 'suspended'>>>;
  /** `node|sku` → order → units reserved for it */
  readonly reservations: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export const emptyCatalog = (): NodeCatalog => ({ nodes: {}, offers: {}, stock: {}, scorecards: {}, profiles: {}, reservations: {} });

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
    case 'stock': {
      const current = catalog.stock[fact.nodeId] ?? {};
      const next: Record<string, Dated<number>> = { ...current };
      const listed = new Set(fact.items.map((i) => i.sku));
      for (const item of fact.items) if (newer(fact.asOf, current[item.sku])) next[item.sku] = { value: item.quantity, asOf: fact.asOf };
      // A full snapshot says everything it does not list is out of stock.
      if (fact.mode === 'snapshot') for (const sku of Object.keys(current)) if (!listed.has(sku) && newer(fact.asOf, current[sku])) next[sku] = { value: 0, asOf: fact.asOf };
      return { ...catalog, stock: { ...catalog.stock, [fact.nodeId]: next } };
    }
    case 'scorecard': {
      if (!newer(fact.asOf, catalog.scorecards[fact.supplierId])) return catalog;
      const value = {
        flagged: fact.flagged,
        ...(fact.reliability !== undefined ? { reliability: fact.reliability } : {}),
        ...(fact.observedShipDays ? { observedShipDays: fact.observedShipDays } : {}),
      };
      return { ...catalog, scorecards: { ...catalog.scorecards, [fact.supplierId]: { value, asOf: fact.asOf } } };
    }
    case 'profile':
      return newer(fact.asOf, catalog.profiles[fact.supplierId])
        ? { ...catalog, profiles: { ...catalog.profiles, [fact.supplierId]: { value: fact.status, asOf: fact.asOf } } }
        : catalog;
    case 'reserve':
    case 'release': {
      const reservations = { ...catalog.reservations };
      for (const item of fact.items) {
        const k = `${item.nodeId}|${item.sku}`;
        const byOrder = { ...(reservations[k] ?? {}) };
        const units = (byOrder[fact.orderId] ?? 0) + (fact.kind === 'reserve' ? item.quantity : -item.quantity);
        if (units > 0) byOrder[fact.orderId] = units;
        else delete byOrder[fact.orderId];
        reservations[k] = byOrder;
      }
      return { ...catalog, reservations };
    }
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
  orderId: string,
  lines: readonly PlanningLine[],
  defaults: CatalogDefaults = DEFAULT_CATALOG_DEFAULTS,
): { offers: Offer[]; nodes: Record<string, NodeProfile> } {
  const skus = new Set(lines.map((l) => l.sku));
  const offers: Offer[] = [];
  const nodes: Record<string, NodeProfile> = {};
  for (const [nodeId, bySku] of Object.entries(catalog.offers)) {
    const details = catalog.nodes[nodeId]?.value;
    if (!details) continue;
    for (const [sku, cost] of Object.entries(bySku)) {
      if (!skus.has(sku)) continue;
      const level = catalog.stock[nodeId]?.[sku];
      const reservedByOthers = Object.entries(catalog.reservations[`${nodeId}|${sku}`] ?? {})
        .filter(([order]) => order !== orderId)
        .reduce((n, [, units]) => n + units, 0);
      offers.push({
        nodeId,
        sku,
        unitCost: cost.value,
        reportedStock: Math.max(0, (level?.value ?? 0) - reservedByOthers),
        // No feed yet: as old as can be, so freshness rules treat it as unknown stock.
        stockAsOf: level?.asOf ?? new Date(0).toISOString(),
      });
    }
    const scorecard = catalog.scorecards[nodeId]?.value;
    const suspended = catalog.profiles[nodeId]?.value === 'suspended';
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
