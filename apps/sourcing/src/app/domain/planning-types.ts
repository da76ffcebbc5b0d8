/**
 * What the planner sees: pure values taken from sourcing's read models (catalog offers, stock
 * feeds, supplier scorecards) at the moment of the decision. Money in integer minor units.
 */
export type NodeKind = 'warehouse' | 'supplier';

export interface PlanningLine {
  readonly lineId: string;
  readonly sku: string;
  readonly quantity: number;
}

/** One node's offer of one sku, with its stock as the feeds last reported it. */
export interface Offer {
  readonly nodeId: string;
  readonly sku: string;
  /** Wholesale cost (suppliers) or internal cost (warehouses) per unit. */
  readonly unitCost: number;
  /** Units the last feed reported, before the safety buffer. */
  readonly reportedStock: number;
  /** When the feed that reported it was produced (ISO-8601). */
  readonly stockAsOf: string;
}

export interface NodeProfile {
  readonly nodeId: string;
  readonly kind: NodeKind;
  /** Units held back from every feed of this node (feeds are often wrong). */
  readonly safetyBuffer: number;
  /** A feed older than this is uncertain. */
  readonly freshnessLimitHours: number;
  /** Shipping cost of one package from this node, plus per unit. */
  readonly shipping: { readonly perShipment: number; readonly perUnit: number };
  /** Claimed days from order to hand-over to the carrier, and to delivery. */
  readonly claimedShipDays: number;
  readonly transitDays: number;
  readonly dropShipAllowed: boolean;
  readonly status: 'active' | 'flagged' | 'suspended';
  /**
   * From the supplier's scorecard: probability the supplier fulfils what it accepts (fill rate ×
   * on-time), and its observed days to ship (p50/p90). Warehouses: 1 and their own figures.
   */
  readonly reliability?: number;
  readonly observedShipDays?: { readonly p50: number; readonly p90: number };
}

export interface PlanningPolicy {
  /** Cost of each package beyond the first: prefers fewer shipments. */
  readonly splitPenalty: number;
  /**
   * Expected cost of a unit that fails at a node (re-sourcing, delay, customer contact), weighted
   * by the node's unreliability; also charged on stock that is uncertain.
   */
  readonly failureCost: number;
  /** Stale stock: `exclude` it, or `discount` it to this share of its buffered quantity. */
  readonly staleStock: { readonly mode: 'exclude' } | { readonly mode: 'discount'; readonly share: number };
  /** Flagged suppliers: avoided unless nothing else covers the line, or capped per order. */
  readonly flagged: { readonly mode: 'avoid' } | { readonly mode: 'cap'; readonly maxUnitsPerOrder: number };
}

export const DEFAULT_POLICY: PlanningPolicy = {
  splitPenalty: 500,
  failureCost: 2000,
  staleStock: { mode: 'exclude' },
  flagged: { mode: 'avoid' },
};

export interface CandidateScore {
  readonly nodeId: string;
  readonly kind: NodeKind;
  readonly available: number;
  /** Unit cost + shipping per unit + risk per unit, in minor units (not rounded: a score). */
  readonly scorePerUnit: number;
  readonly excluded?: string;
}

export interface PlannedGroup {
  readonly nodeId: string;
  readonly kind: NodeKind;
  readonly lines: readonly { readonly lineId: string; readonly sku: string; readonly quantity: number; readonly unitCost: number }[];
  readonly shipBy: string;
  readonly deliverBy: string;
  /** Landed cost of the group: items + shipping, in minor units. */
  readonly cost: number;
}

export interface Plan {
  readonly groups: readonly PlannedGroup[];
  readonly unfulfillable: readonly { readonly lineId: string; readonly sku: string; readonly quantity: number; readonly reason: string }[];
  /** Every candidate considered per line, with its score or why it was excluded. */
  readonly candidates: Readonly<Record<string, readonly CandidateScore[]>>;
  /** The objective the plan minimises, as computed: items + shipping + splits + risk. */
  readonly objective: number;
}
