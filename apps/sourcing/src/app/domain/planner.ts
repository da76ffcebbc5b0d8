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
 * share when the node's stock feed is stale. Two greedy plans are built and the cheaper kept:
 * one seeded with the best node that covers the whole order alone, one opening nodes one at a
 * time by cost per unit covered (shipping and split penalty included); both take units from
 * nodes already opened before opening a new one. A line's quantity may be split across nodes. Stock is the feed's figure
 * less the node's safety buffer; what no node can take is reported unfulfillable.
 * Deterministic: ties go to the lower node id.
 */
export function planFulfilment(input: PlanningInput): Plan {
  const scored = scoreCandidates(input);
  const byNode = new Map<string, Map<string, Candidate>>(); // node → line → candidate
  for (const c of scored.usable) byNode.set(c.node.nodeId, (byNode.get(c.node.nodeId) ?? new Map()).set(c.line.lineId, c));
  const candidateAt = (nodeId: string, lineId: string) => byNode.get(nodeId)!.get(lineId)!;
  // Two ways in, the cheaper kept: from the best single node, and node by node from nothing.
  const plans = [true, false].map((seed) => toPlan(allocate(input, scored.usable, byNode, seed), input, scored, candidateAt));
  const unplaced = (p: Plan) => p.unfulfillable.reduce((n, u) => n + u.quantity, 0);
  plans.sort((a, b) => unplaced(a) - unplaced(b) || a.objective - b.objective || a.groups.length - b.groups.length);
  return plans[0]!;
}

function allocate(
  input: PlanningInput,
  usable: readonly Candidate[],
  byNode: Map<string, Map<string, Candidate>>,
  seedWithSingleNode: boolean,
): { allocations: Map<string, Map<string, number>>; demand: Map<string, number> } {
  const stock = new Map<string, number>(); // node|sku → units left to allocate
  for (const c of usable) stock.set(key(c.node.nodeId, c.offer.sku), Math.min(stock.get(key(c.node.nodeId, c.offer.sku)) ?? Infinity, c.available));
  // A flagged supplier under the cap policy takes at most this many units of the whole order.
  const capLeft = new Map<string, number>();
  if (input.policy.flagged.mode === 'cap') for (const c of usable) if (c.node.status === 'flagged') capLeft.set(c.node.nodeId, input.policy.flagged.maxUnitsPerOrder);
  const demand = new Map(input.lines.map((l) => [l.lineId, l.quantity]));
  const allocations = new Map<string, Map<string, number>>(); // node → line → units

  const stockOf = (nodeId: string, sku: string) => Math.min(stock.get(key(nodeId, sku)) ?? 0, capLeft.get(nodeId) ?? Infinity);
  const room = (c: Candidate) => Math.min(stockOf(c.node.nodeId, c.offer.sku), demand.get(c.line.lineId) ?? 0);
  const take = (c: Candidate, units: number) => {
    const byLine = allocations.get(c.node.nodeId) ?? new Map<string, number>();
    byLine.set(c.line.lineId, (byLine.get(c.line.lineId) ?? 0) + units);
    allocations.set(c.node.nodeId, byLine);
    stock.set(key(c.node.nodeId, c.offer.sku), stock.get(key(c.node.nodeId, c.offer.sku))! - units);
    if (capLeft.has(c.node.nodeId)) capLeft.set(c.node.nodeId, capLeft.get(c.node.nodeId)! - units);
    demand.set(c.line.lineId, demand.get(c.line.lineId)! - units);
  };

  for (const tier of [0, 1] as const) {
    const candidates = usable.filter((c) => c.tier <= tier);
    if (seedWithSingleNode && allocations.size === 0) {
      const single = bestSingleNode(byNode, tier, input.lines, stockOf, (nodeId) => capLeft.get(nodeId) ?? Infinity);
      if (single) for (const c of candidates.filter((x) => x.node.nodeId === single)) if (room(c) > 0) take(c, room(c));
    }
    for (;;) {
      // Units from nodes already shipping cost no extra package: take those first, cheapest first.
      for (const c of candidates.filter((x) => allocations.has(x.node.nodeId)).sort(byScore)) if (room(c) > 0) take(c, room(c));
      if ([...demand.values()].every((d) => d === 0)) break;
      const next = bestNewNode(candidates, allocations, stockOf, (lineId) => demand.get(lineId) ?? 0, input.policy);
      if (!next) break;
      for (const c of candidates.filter((x) => x.node.nodeId === next).sort(byScore)) if (room(c) > 0) take(c, room(c));
    }
  }
  return { allocations, demand };
}

function toPlan(
  { allocations, demand }: { allocations: Map<string, Map<string, number>>; demand: Map<string, number> },
  input: PlanningInput,
  scored: { usable: Candidate[]; report: Record<string, CandidateScore[]> },
  candidateAt: (nodeId: string, lineId: string) => Candidate,
): Plan {
  const groups = [...allocations.keys()].sort().map((nodeId) => group(nodeId, allocations.get(nodeId)!, input, candidateAt));
  const unfulfillable = input.lines
    .filter((l) => demand.get(l.lineId)! > 0)
    .map((l) => ({
      lineId: l.lineId,
      sku: l.sku,
      quantity: demand.get(l.lineId)!,
      reason: scored.usable.some((c) => c.line.lineId === l.lineId) ? 'not enough stock at any eligible node' : 'no eligible node offers this sku',
    }));
  const riskAndItems = groups.reduce((n, g) => n + g.lines.reduce((m, l) => m + l.quantity * candidateAt(g.nodeId, l.lineId).scorePerUnit, 0), 0);
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
  const excluded = new Set((input.excluded ?? []).map((e) => `${e.nodeId}\u0000${e.lineId}`));
  const { policy } = input;
  for (const line of input.lines) {
    const scores: CandidateScore[] = [];
    for (const offer of offersFor(input.offers, line.sku)) {
      const node = input.nodes[offer.nodeId];
      if (!node) {
        scores.push({ nodeId: offer.nodeId, kind: 'supplier', available: 0, scorePerUnit: 0, excluded: 'unknown node' });
        continue;
      }
      // An unreadable feed time counts as stale: a bad timestamp must not pass as fresh stock.
      const feedTime = Date.parse(offer.stockAsOf);
      const stale = Number.isNaN(feedTime) || input.now.getTime() - feedTime > node.freshnessLimitHours * HOUR;
      const buffered = Math.max(0, offer.reportedStock - node.safetyBuffer);
      let available = stale && policy.staleStock.mode === 'discount' ? Math.floor(buffered * policy.staleStock.share) : buffered;
      if (node.status === 'flagged' && policy.flagged.mode === 'cap') available = Math.min(available, policy.flagged.maxUnitsPerOrder);
      const reliability = node.kind === 'warehouse' ? 1 : (node.reliability ?? 1);
      const staleRisk = stale && policy.staleStock.mode === 'discount' ? policy.failureCost * (1 - policy.staleStock.share) : 0;
      // A score, not money: kept to a hundredth of a minor unit so reports read cleanly.
      const scorePerUnit = Math.round((offer.unitCost + node.shipping.perUnit + policy.failureCost * (1 - reliability) + staleRisk) * 100) / 100;
      const reason =
        node.status === 'suspended'
          ? `${node.kind} suspended`
          : node.kind === 'supplier' && !node.dropShipAllowed
            ? 'drop-ship not allowed'
            : excluded.has(`${node.nodeId}\u0000${line.lineId}`)
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
function bestSingleNode(
  byNode: Map<string, Map<string, Candidate>>,
  tier: 0 | 1,
  lines: readonly PlanningLine[],
  stockOf: (nodeId: string, sku: string) => number,
  capOf: (nodeId: string) => number,
): string | undefined {
  const needBySku = new Map<string, number>();
  for (const l of lines) needBySku.set(l.sku, (needBySku.get(l.sku) ?? 0) + l.quantity);
  let best: { nodeId: string; cost: number } | undefined;
  for (const nodeId of [...byNode.keys()].sort()) {
    const atNode = byNode.get(nodeId)!;
    if (!lines.every((l) => (atNode.get(l.lineId)?.tier ?? 2) <= tier)) continue;
    if (![...needBySku].every(([sku, need]) => stockOf(nodeId, sku) >= need)) continue;
    if ([...needBySku.values()].reduce((a, b) => a + b, 0) > capOf(nodeId)) continue;
    const node = atNode.get(lines[0]!.lineId)!.node;
    const cost = node.shipping.perShipment + lines.reduce((n, l) => n + l.quantity * atNode.get(l.lineId)!.scorePerUnit, 0);
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

function group(nodeId: string, byLine: Map<string, number>, input: PlanningInput, candidateAt: (nodeId: string, lineId: string) => Candidate): PlannedGroup {
  const node = input.nodes[nodeId]!;
  const lines = input.lines
    .filter((l) => (byLine.get(l.lineId) ?? 0) > 0)
    .map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: byLine.get(l.lineId)!, unitCost: candidateAt(nodeId, l.lineId).offer.unitCost }));
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

const key = (nodeId: string, sku: string) => `${nodeId}\u0000${sku}`;
const byScore = (a: Candidate, b: Candidate) => a.scorePerUnit - b.scorePerUnit || (a.line.lineId < b.line.lineId ? -1 : a.line.lineId > b.line.lineId ? 1 : 0);

/** One offer per node for a sku (the cheapest, if a feed listed it twice), in node-id order. */
function offersFor(offers: readonly Offer[], sku: string): Offer[] {
  const byNode = new Map<string, Offer>();
  for (const o of offers) if (o.sku === sku && (!byNode.has(o.nodeId) || o.unitCost < byNode.get(o.nodeId)!.unitCost)) byNode.set(o.nodeId, o);
  return [...byNode.values()].sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
}
