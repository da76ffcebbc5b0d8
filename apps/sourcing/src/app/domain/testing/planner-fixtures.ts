import type { PlanningInput } from '../planner';
import { DEFAULT_POLICY, type NodeProfile, type Offer, type Plan, type PlanningLine, type PlanningPolicy } from '../planning-types';

/**
 * Test inputs for the fulfilment planner: node and offer builders, a fixed clock with fresh and
 * stale feed times, and readers over a `Plan`. Every builder returns a fresh value.
 *
 * Defaults keep the arithmetic easy to follow: reliability 1 (no risk), no safety buffer, feeds
 * fresh, a 500 package and nothing per unit, so a unit's score is its unit cost.
 */

export const NOW = new Date('2026-03-02T09:00:00.000Z');
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The feed time `hours` before `NOW`, as the ISO string an offer carries. */
export const hoursAgo = (hours: number): string => new Date(NOW.getTime() - hours * HOUR_MS).toISOString();
/** `days` after `NOW`, as the ISO string a promise carries. */
export const daysFromNow = (days: number): string => new Date(NOW.getTime() + days * DAY_MS).toISOString();

/** Default freshness limit of the node builders. */
export const FRESHNESS_LIMIT_HOURS = 24;
/** A feed an hour old: fresh under the default limit. */
export const FRESH = hoursAgo(1);
/** A feed three days old: stale under the default limit. */
export const STALE = hoursAgo(72);

export const warehouse = (nodeId: string, overrides: Partial<NodeProfile> = {}): NodeProfile => ({
  nodeId,
  kind: 'warehouse',
  safetyBuffer: 0,
  freshnessLimitHours: FRESHNESS_LIMIT_HOURS,
  shipping: { perShipment: 500, perUnit: 0 },
  claimedShipDays: 1,
  transitDays: 2,
  dropShipAllowed: true,
  status: 'active',
  reliability: 1,
  ...overrides,
});

export const supplier = (nodeId: string, overrides: Partial<NodeProfile> = {}): NodeProfile => ({
  nodeId,
  kind: 'supplier',
  safetyBuffer: 0,
  freshnessLimitHours: FRESHNESS_LIMIT_HOURS,
  shipping: { perShipment: 500, perUnit: 0 },
  claimedShipDays: 2,
  transitDays: 3,
  dropShipAllowed: true,
  status: 'active',
  reliability: 1,
  observedShipDays: { p50: 2, p90: 4 },
  ...overrides,
});

export const offer = (nodeId: string, sku: string, overrides: Partial<Omit<Offer, 'nodeId' | 'sku'>> = {}): Offer => ({
  nodeId,
  sku,
  unitCost: 1000,
  reportedStock: 10,
  stockAsOf: FRESH,
  ...overrides,
});

export const line = (lineId: string, sku: string, quantity: number): PlanningLine => ({ lineId, sku, quantity });

export const policy = (overrides: Partial<PlanningPolicy> = {}): PlanningPolicy => ({ ...DEFAULT_POLICY, ...overrides });

export const nodesById = (nodes: readonly NodeProfile[]): Record<string, NodeProfile> => Object.fromEntries(nodes.map((n) => [n.nodeId, n]));

/** A planning input at `NOW` under the default policy unless told otherwise. */
export const planningInput = (parts: {
  lines: readonly PlanningLine[];
  offers: readonly Offer[];
  nodes: readonly NodeProfile[];
  policy?: PlanningPolicy;
  excluded?: readonly { nodeId: string; lineId: string }[];
  now?: Date;
}): PlanningInput => ({
  lines: parts.lines,
  offers: parts.offers,
  nodes: nodesById(parts.nodes),
  policy: parts.policy ?? policy(),
  now: parts.now ?? NOW,
  ...(parts.excluded !== undefined ? { excluded: parts.excluded } : {}),
});

/** `nodeId → lineId → units`: the allocation of a plan, compact enough to compare whole. */
export const allocationOf = (plan: Plan): Record<string, Record<string, number>> =>
  Object.fromEntries(plan.groups.map((g) => [g.nodeId, Object.fromEntries(g.lines.map((l) => [l.lineId, l.quantity]))]));

/** Units a plan takes from one node for one sku, across lines. */
export const unitsAt = (plan: Plan, nodeId: string, sku: string): number =>
  plan.groups.filter((g) => g.nodeId === nodeId).reduce((n, g) => n + g.lines.filter((l) => l.sku === sku).reduce((m, l) => m + l.quantity, 0), 0);

/** Units a plan ships for one line, across nodes. */
export const plannedFor = (plan: Plan, lineId: string): number =>
  plan.groups.reduce((n, g) => n + g.lines.filter((l) => l.lineId === lineId).reduce((m, l) => m + l.quantity, 0), 0);

/** Units a plan reports unfulfillable for one line. */
export const unfulfillableFor = (plan: Plan, lineId: string): number =>
  plan.unfulfillable.filter((u) => u.lineId === lineId).reduce((n, u) => n + u.quantity, 0);
