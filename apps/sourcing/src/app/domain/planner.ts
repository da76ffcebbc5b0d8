import type { CandidateScore, NodeProfile, Offer, Plan, PlannedGroup, PlanningLine, PlanningPolicy } from './planning-types';

export interface PlanningInput {
  readonly lines: readonly PlanningLine[];
  readonly offers: readonly Offer[];
  readonly nodes: Readonly<Record<string, NodeProfile>>;
  readonly policy: PlanningPolicy;
  readonly now: Date;
  /** Nodes that failed these lines before (rejection, time-out, shortage): never again for them. */
  readonly excluded?: readonly { readonly nodeId: string; readonly lineId: string }[];
}

interface Candidate {
  readonly line: PlanningLine;
  readonly offer: Offer;
  readonly node: NodeProfile;
  readonly available: number;
  readonly scorePerUnit: number;
  readonly tier: 0 | 1; // 1: flagged suppliers, used only when nothing else covers the line
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Decides which node ships which line quantity. The objective, minimised greedily:
 *
 *   Σ units × (unit cost + shipping per unit + risk per unit)  +  Σ groups × shipping per package
 *   + split penalty × (groups − 1)
 *
 * where risk per unit = failure cost × (1 − node reliability), plus failure cost × the discounted
 * share when the node's stock feed is stale. Fewer packages first: a single node that covers the
 * whole order wins if one exists; otherwise nodes are opened one at a time by cost per unit
 * covered (shipping and split penalty included), and units are taken from nodes already opened
 * before a new one is. A line's quantity may be split across nodes. Stock is the feed's figure
 * less the node's safety buffer; what no node can take is reported unfulfillable.
 * Deterministic: ties go to the lower node id.
 */
export function planFulfilment(input: PlanningInput): Plan {
  const scored = scoreCandidates(input);
  const stock = new Map<string, number>(); // node|sku → units left to allocate
  for (const c of scored.usable) stock.set(key(c.node.nodeId, c.offer.sku), Math.min(stock.get(key(c.node.nodeId, c.offer.sku)) ?? Infinity, c.available));
  const demand = new Map(input.lines.map((l) => [l.lineId, l.quantity]));
  const allocations = new Map<string, Map<string, number>>(); // node → line → units

  const take = (c: Candidate, units: number) => {
    const byLine = allocations.get(c.node.nodeId) ?? new Map<string, number>();
    byLine.set(c.line.lineId, (byLine.get(c.line.lineId) ?? 0) + units);
    allocations.set(c.node.nodeId, byLine);
    stock.set(key(c.node.nodeId, c.offer.sku), stock.get(key(c.node.nodeId, c.offer.sku))! - units);
    demand.set(c.line.lineId, demand.get(c.line.lineId)! - units);
  };
  const room = (c: Candidate) => Math.min(stock.get(key(c.node.nodeId, c.offer.sku)) ?? 0, demand.get(c.line.lineId) ?? 0);

  for (const tier of [0, 1] as const) {
    const candidates = scored.usable.filter((c) => c.tier <= tier);
    if (allocations.size === 0) {
      const single = bestSingleNode(candidates, input.lines, stock);
      if (single) for (const c of candidates.filter((x) => x.node.nodeId === single)) if (room(c) > 0) take(c, room(c));
    }
    for (;;) {
      // Units from nodes already shipping cost no extra package: take those first, cheapest first.
      for (const c of candidates.filter((x) => allocations.has(x.node.nodeId)).sort(byScore)) if (room(c) > 0) take(c, room(c));
      if ([...demand.values()].every((d) => d === 0)) break;
      const next = bestNewNode(
        candidates,
        allocations,
        (nodeId, sku) => stock.get(key(nodeId, sku)) ?? 0,
        (lineId) => demand.get(lineId) ?? 0,
        input.policy,
      );
      if (!next) break;
      for (const c of candidates.filter((x) => x.node.nodeId === next).sort(byScore)) if (room(c) > 0) take(c, room(c));
    }
  }

  const groups = [...allocations.keys()].sort().map((nodeId) => group(nodeId, allocations.get(nodeId)!, input, scored.usable));
  const unfulfillable = input.lines
    .filter((l) => demand.get(l.lineId)! > 0)
    .map((l) => ({
      lineId: l.lineId,
      sku: l.sku,
      quantity: demand.get(l.lineId)!,
      reason: scored.usable.some((c) => c.line.lineId === l.lineId) ? 'not enough stock at any eligible node' : 'no eligible node offers this sku',
    }));
  const riskAndItems = groups.reduce(
    (n, g) => n + g.lines.reduce((m, l) => m + l.quantity * scored.usable.find((c) => c.node.nodeId === g.nodeId && c.line.lineId === l.lineId)!.scorePerUnit, 0),
    0,
  );
  const packages = groups.reduce((n, g) => n + input.nodes[g.nodeId]!.shipping.perShipment, 0);
  return {
    groups,
    unfulfillable,
    candidates: scored.report,
    objective: Math.round(riskAndItems + packages + input.policy.splitPenalty * Math.max(0, groups.length - 1)),
  };
}

function scoreCandidates(input: PlanningInput): { usable: Candidate[]; report: Record<string, CandidateScore[]> } {
  const usable: Candidate[] = [];
  const report: Record<string, CandidateScore[]> = {};
  const excluded = new Set((input.excluded ?? []).map((e) => `${e.nodeId}|${e.lineId}`));
  const { policy } = input;
  for (const line of input.lines) {
    const scores: CandidateScore[] = [];
    for (const offer of offersFor(input.offers, line.sku)) {
      const node = input.nodes[offer.nodeId];
      if (!node) {
        scores.push({ nodeId: offer.nodeId, kind: 'supplier', available: 0, scorePerUnit: 0, excluded: 'unknown node' });
        continue;
      }
      const stale = input.now.getTime() - Date.parse(offer.stockAsOf) > node.freshnessLimitHours * HOUR;
      const buffered = Math.max(0, offer.reportedStock - node.safetyBuffer);
      let available = stale && policy.staleStock.mode === 'discount' ? Math.floor(buffered * policy.staleStock.share) : buffered;
      if (node.status === 'flagged' && policy.flagged.mode === 'cap') available = Math.min(available, policy.flagged.maxUnitsPerOrder);
      const reliability = node.kind === 'warehouse' ? 1 : (node.reliability ?? 1);
      const staleRisk = stale && policy.staleStock.mode === 'discount' ? policy.failureCost * (1 - policy.staleStock.share) : 0;
      // A score, not money: kept to a hundredth of a minor unit so reports read cleanly.
      const scorePerUnit = Math.round((offer.unitCost + node.shipping.perUnit + policy.failureCost * (1 - reliability) + staleRisk) * 100) / 100;
      const reason =
        node.status === 'suspended'
          ? 'supplier suspended'
          : node.kind === 'supplier' && !node.dropShipAllowed
            ? 'drop-ship not allowed'
            : excluded.has(`${node.nodeId}|${line.lineId}`)
              ? 'failed this line before'
              : stale && policy.staleStock.mode === 'exclude'
                ? 'stock feed is stale'
                : available <= 0
                  ? 'no stock after safety buffer'
                  : undefined;
      scores.push({ nodeId: node.nodeId, kind: node.kind, available, scorePerUnit, ...(reason ? { excluded: reason } : {}) });
      if (!reason) usable.push({ line, offer, node, available, scorePerUnit, tier: node.status === 'flagged' && policy.flagged.mode === 'avoid' ? 1 : 0 });
    }
    report[line.lineId] = scores;
  }
  return { usable, report };
}

/** The node that can ship every line alone at the lowest cost, if any. */
function bestSingleNode(candidates: readonly Candidate[], lines: readonly PlanningLine[], stock: Map<string, number>): string | undefined {
  let best: { nodeId: string; cost: number } | undefined;
  for (const nodeId of [...new Set(candidates.map((c) => c.node.nodeId))].sort()) {
    const needBySku = new Map<string, number>();
    for (const l of lines) needBySku.set(l.sku, (needBySku.get(l.sku) ?? 0) + l.quantity);
    const covers = [...needBySku].every(([sku, need]) => (stock.get(key(nodeId, sku)) ?? 0) >= need) &&
      lines.every((l) => candidates.some((c) => c.node.nodeId === nodeId && c.line.lineId === l.lineId));
    if (!covers) continue;
    const node = candidates.find((c) => c.node.nodeId === nodeId)!.node;
    const cost = node.shipping.perShipment + lines.reduce((n, l) => n + l.quantity * candidates.find((c) => c.node.nodeId === nodeId && c.line.lineId === l.lineId)!.scorePerUnit, 0);
    if (!best || cost < best.cost) best = { nodeId, cost };
  }
  return best?.nodeId;
}

/** The not-yet-used node with the lowest cost per unit it can still cover (package and split included). */
function bestNewNode(
  candidates: readonly Candidate[],
  allocations: Map<string, Map<string, number>>,
  stockOf: (nodeId: string, sku: string) => number,
  demandOf: (lineId: string) => number,
  policy: PlanningPolicy,
): string | undefined {
  let best: { nodeId: string; ratio: number; units: number } | undefined;
  const byNode = new Map<string, Candidate[]>();
  for (const c of candidates) if (!allocations.has(c.node.nodeId)) byNode.set(c.node.nodeId, [...(byNode.get(c.node.nodeId) ?? []), c]);
  for (const nodeId of [...byNode.keys()].sort()) {
    const cs = byNode.get(nodeId)!;
    const left = new Map<string, number>(); // several lines of one sku share the node's stock
    let units = 0;
    let cost = cs[0]!.node.shipping.perShipment + (allocations.size > 0 ? policy.splitPenalty : 0);
    for (const c of [...cs].sort(byScore)) {
      const stock = left.get(c.offer.sku) ?? stockOf(nodeId, c.offer.sku);
      const n = Math.min(demandOf(c.line.lineId), stock);
      if (n <= 0) continue;
      units += n;
      cost += n * c.scorePerUnit;
      left.set(c.offer.sku, stock - n);
    }
    if (units === 0) continue;
    const ratio = cost / units;
    if (!best || ratio < best.ratio || (ratio === best.ratio && units > best.units)) best = { nodeId, ratio, units };
  }
  return best?.nodeId;
}

function group(nodeId: string, byLine: Map<string, number>, input: PlanningInput, usable: readonly Candidate[]): PlannedGroup {
  const node = input.nodes[nodeId]!;
  const lines = input.lines
    .filter((l) => (byLine.get(l.lineId) ?? 0) > 0)
    .map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: byLine.get(l.lineId)!, unitCost: usable.find((c) => c.node.nodeId === nodeId && c.line.lineId === l.lineId)!.offer.unitCost }));
  const units = lines.reduce((n, l) => n + l.quantity, 0);
  // Suppliers are promised on what they have been seen to do, not what they claim.
  const shipDays = node.kind === 'supplier' ? (node.observedShipDays?.p90 ?? node.claimedShipDays) : node.claimedShipDays;
  const shipBy = new Date(input.now.getTime() + shipDays * DAY);
  return {
    nodeId,
    kind: node.kind,
    lines,
    shipBy: shipBy.toISOString(),
    deliverBy: new Date(shipBy.getTime() + node.transitDays * DAY).toISOString(),
    cost: lines.reduce((n, l) => n + l.quantity * l.unitCost, 0) + node.shipping.perShipment + node.shipping.perUnit * units,
  };
}

const key = (nodeId: string, sku: string) => `${nodeId}|${sku}`;
const byScore = (a: Candidate, b: Candidate) => a.scorePerUnit - b.scorePerUnit || (a.line.lineId < b.line.lineId ? -1 : a.line.lineId > b.line.lineId ? 1 : 0);

/** One offer per node for a sku (the cheapest, if a feed listed it twice), in node-id order. */
function offersFor(offers: readonly Offer[], sku: string): Offer[] {
  const byNode = new Map<string, Offer>();
  for (const o of offers) if (o.sku === sku && (!byNode.has(o.nodeId) || o.unitCost < byNode.get(o.nodeId)!.unitCost)) byNode.set(o.nodeId, o);
  return [...byNode.values()].sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
}
