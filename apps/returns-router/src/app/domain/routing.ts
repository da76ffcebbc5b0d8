import type { ClaimedUnits, SoldLine } from './returnable-order';

/**
 * Where each returned unit goes, by configurable rules tried in order; the first that matches
 * decides, and its name is recorded with the decision.
 */
export type Destination = 'supplier' | 'warehouse' | 'returnless';

/** Reasons that put a return on the supplier's account. */
export const SUPPLIER_FAULTS: readonly string[] = ['defective', 'wrong_item', 'not_as_described'];

export interface RoutingRule {
  readonly name: string;
  readonly when: {
    readonly reasons?: readonly string[];
    readonly skus?: readonly string[];
    readonly nodeIds?: readonly string[];
    readonly nodeKind?: 'supplier' | 'warehouse';
    /** Unit value (line total / quantity, minor units) at most this. */
    readonly maxUnitValue?: number;
    /** The supplier takes returns (its return policy). */
    readonly supplierAcceptsReturns?: boolean;
  };
  readonly destination: Destination;
}

export interface RoutingPolicy {
  readonly rules: readonly RoutingRule[];
  /** Where "warehouse" returns go when the shipping node is not itself a warehouse. */
  readonly defaultWarehouse: string;
}

export const DEFAULT_ROUTING: RoutingPolicy = {
  rules: [
    { name: 'damaged in transit: refund without return', when: { reasons: ['damaged_in_transit'] }, destination: 'returnless' },
    { name: 'low value: refund without return', when: { maxUnitValue: 1000 }, destination: 'returnless' },
    { name: 'supplier takes its returns', when: { nodeKind: 'supplier', supplierAcceptsReturns: true }, destination: 'supplier' },
    { name: 'everything else to our warehouse', when: {}, destination: 'warehouse' },
  ],
  defaultWarehouse: 'returns-warehouse',
};

/** What routing knows about the node that shipped the units. */
export interface NodeInfo {
  readonly kind: 'supplier' | 'warehouse';
  readonly acceptsReturns: boolean;
  readonly returnAddress?: Readonly<Record<string, string>>;
}

export interface RoutedPart {
  readonly partId: string;
  readonly destination: Destination;
  /** The node the units go back to: the supplier, a warehouse, or the one that shipped (returnless). */
  readonly nodeId: string;
  /** The node that shipped them. */
  readonly shippedBy: string;
  readonly rule: string;
  readonly lines: readonly { readonly lineId: string; readonly quantity: number; readonly reason: string }[];
}

function matches(rule: RoutingRule, unit: { sku: string; reason: string; nodeId: string; unitValue: number; node: NodeInfo }): boolean {
  const w = rule.when;
  if (w.reasons && !w.reasons.includes(unit.reason)) return false;
  if (w.skus && !w.skus.includes(unit.sku)) return false;
  if (w.nodeIds && !w.nodeIds.includes(unit.nodeId)) return false;
  if (w.nodeKind && w.nodeKind !== unit.node.kind) return false;
  if (w.maxUnitValue !== undefined && unit.unitValue > w.maxUnitValue) return false;
  if (w.supplierAcceptsReturns !== undefined && w.supplierAcceptsReturns !== unit.node.acceptsReturns) return false;
  return true;
}

/**
 * Splits the claimed units into parts, one per destination node and rule: a multi-supplier order's
 * return becomes one part per place its items go, each tracked on its own.
 */
export function routeReturn(
  returnId: string,
  units: readonly ClaimedUnits[],
  reasons: Readonly<Record<string, string>>,
  lines: Readonly<Record<string, SoldLine>>,
  nodeInfo: (nodeId: string) => NodeInfo,
  policy: RoutingPolicy,
): RoutedPart[] {
  const parts = new Map<string, { destination: Destination; nodeId: string; shippedBy: string; rule: string; lines: Map<string, { quantity: number; reason: string }> }>();
  for (const u of units) {
    const line = lines[u.lineId]!;
    const reason = reasons[u.lineId] ?? 'unspecified';
    const node = nodeInfo(u.nodeId);
    const rule = policy.rules.find((r) => matches(r, { sku: line.sku, reason, nodeId: u.nodeId, unitValue: Math.floor(line.total / line.quantity), node }));
    const destination = rule?.destination ?? 'warehouse';
    const target = destination === 'supplier' ? u.nodeId : destination === 'warehouse' ? (node.kind === 'warehouse' ? u.nodeId : policy.defaultWarehouse) : u.nodeId;
    // Units the supplier caused travel apart from the others: each part is refunded as one, and
    // its blame must hold for every line in it.
    const key = `${destination}|${target}|${u.nodeId}|${rule?.name ?? 'default'}|${SUPPLIER_FAULTS.includes(reason)}`;
    const part = parts.get(key) ?? { destination, nodeId: target, shippedBy: u.nodeId, rule: rule?.name ?? 'no rule matched: warehouse', lines: new Map() };
    const current = part.lines.get(u.lineId);
    part.lines.set(u.lineId, { quantity: (current?.quantity ?? 0) + u.quantity, reason });
    parts.set(key, part);
  }
  return [...parts.values()].map((p, i) => ({
    partId: `${returnId}:${i + 1}`,
    destination: p.destination,
    nodeId: p.nodeId,
    shippedBy: p.shippedBy,
    rule: p.rule,
    lines: [...p.lines].map(([lineId, l]) => ({ lineId, quantity: l.quantity, reason: l.reason })),
  }));
}
