import fc from 'fast-check';
import { planFulfilment, type PlanningInput } from './planner';
import type { NodeKind, NodeProfile, Offer, Plan, PlanningLine, PlanningPolicy } from './planning-types';
import { DAY_MS, HOUR_MS, hoursAgo, NOW, plannedFor, unfulfillableFor, unitsAt } from './testing/planner-fixtures';

/**
 * Properties of `planFulfilment` over random catalogs, stock and orders. The oracle below restates
 * the eligibility rules independently of the planner: what a node may ship of a sku in one order
 * (`usableStock`) and whether it may ship a given line (`eligible`).
 */

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

interface Sizes {
  readonly lines: readonly [number, number];
  readonly nodes: readonly [number, number];
  readonly skus: readonly [number, number];
}

const SMALL: Sizes = { lines: [1, 6], nodes: [1, 12], skus: [1, 5] };
const LARGE: Sizes = { lines: [20, 20], nodes: [200, 200], skus: [1, 8] };
const RUNS = 300;

const nodeIdOf = (i: number) => `N${String(i + 1).padStart(3, '0')}`;
const skuOf = (i: number) => `SKU-${i + 1}`;
const lineIdOf = (i: number) => `L${String(i + 1).padStart(2, '0')}`;
/** An offer from a node with no profile: it must be reported, never used. */
const GHOST = 'N999';

const policyArb = (flagged?: PlanningPolicy['flagged']): fc.Arbitrary<PlanningPolicy> =>
  fc.record({
    splitPenalty: fc.integer({ min: 0, max: 1000 }),
    failureCost: fc.integer({ min: 0, max: 3000 }),
    staleStock: fc.oneof(
      fc.constant<PlanningPolicy['staleStock']>({ mode: 'exclude' }),
      fc.constantFrom(0, 0.25, 0.5, 0.75, 1).map((share): PlanningPolicy['staleStock'] => ({ mode: 'discount', share })),
    ),
    flagged: flagged
      ? fc.constant(flagged)
      : fc.oneof(
          fc.constant<PlanningPolicy['flagged']>({ mode: 'avoid' }),
          fc.integer({ min: 0, max: 8 }).map((maxUnitsPerOrder): PlanningPolicy['flagged'] => ({ mode: 'cap', maxUnitsPerOrder })),
        ),
  });

const offerSpecArb = fc.record({
  // A few fixed costs so that ties happen.
  unitCost: fc.oneof(fc.constantFrom(500, 1000), fc.integer({ min: 100, max: 5000 })),
  reportedStock: fc.integer({ min: 0, max: 20 }),
  ageHours: fc.integer({ min: 0, max: 72 }),
});

const nodeSpecArb = (skuCount: number) =>
  fc.record({
    kind: fc.constantFrom<NodeKind>('warehouse', 'supplier'),
    safetyBuffer: fc.integer({ min: 0, max: 3 }),
    freshnessLimitHours: fc.constantFrom(12, 24, 48),
    perShipment: fc.oneof(fc.constant(500), fc.integer({ min: 0, max: 1000 })),
    perUnit: fc.integer({ min: 0, max: 200 }),
    claimedShipDays: fc.integer({ min: 0, max: 5 }),
    transitDays: fc.integer({ min: 0, max: 6 }),
    dropShipAllowed: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
    status: fc.oneof(
      { arbitrary: fc.constant<NodeProfile['status']>('active'), weight: 5 },
      { arbitrary: fc.constant<NodeProfile['status']>('flagged'), weight: 2 },
      { arbitrary: fc.constant<NodeProfile['status']>('suspended'), weight: 1 },
    ),
    reliability: fc.option(
      fc.integer({ min: 50, max: 100 }).map((p) => p / 100),
      { nil: undefined },
    ),
    observedShipDays: fc.option(
      fc.record({ p50: fc.integer({ min: 0, max: 5 }), spread: fc.integer({ min: 0, max: 5 }) }).map(({ p50, spread }) => ({ p50, p90: p50 + spread })),
      { nil: undefined },
    ),
    offers: fc.array(fc.option(offerSpecArb, { nil: undefined }), { minLength: skuCount, maxLength: skuCount }),
  });

const inputArb = (sizes: Sizes, policy: fc.Arbitrary<PlanningPolicy> = policyArb()): fc.Arbitrary<PlanningInput> =>
  fc
    .record({
      skuCount: fc.integer({ min: sizes.skus[0], max: sizes.skus[1] }),
      nodeCount: fc.integer({ min: sizes.nodes[0], max: sizes.nodes[1] }),
      lineCount: fc.integer({ min: sizes.lines[0], max: sizes.lines[1] }),
    })
    .chain(({ skuCount, nodeCount, lineCount }) =>
      fc.record({
        nodes: fc.array(nodeSpecArb(skuCount), { minLength: nodeCount, maxLength: nodeCount }),
        lines: fc.array(fc.record({ sku: fc.nat(skuCount - 1), quantity: fc.integer({ min: 1, max: 15 }) }), { minLength: lineCount, maxLength: lineCount }),
        excluded: fc.array(fc.record({ node: fc.nat(nodeCount - 1), line: fc.nat(lineCount - 1) }), { maxLength: Math.min(8, nodeCount * lineCount) }),
        ghost: fc.option(fc.nat(skuCount - 1), { nil: undefined }),
        policy,
      }),
    )
    .map(({ nodes, lines, excluded, ghost, policy }) => {
      const profiles: Record<string, NodeProfile> = {};
      const offers: Offer[] = [];
      nodes.forEach((spec, i) => {
        const nodeId = nodeIdOf(i);
        profiles[nodeId] = {
          nodeId,
          kind: spec.kind,
          safetyBuffer: spec.safetyBuffer,
          freshnessLimitHours: spec.freshnessLimitHours,
          shipping: { perShipment: spec.perShipment, perUnit: spec.perUnit },
          claimedShipDays: spec.claimedShipDays,
          transitDays: spec.transitDays,
          dropShipAllowed: spec.dropShipAllowed,
          status: spec.status,
          ...(spec.reliability !== undefined ? { reliability: spec.reliability } : {}),
          ...(spec.observedShipDays !== undefined ? { observedShipDays: spec.observedShipDays } : {}),
        };
        spec.offers.forEach((o, s) => {
          if (o) offers.push({ nodeId, sku: skuOf(s), unitCost: o.unitCost, reportedStock: o.reportedStock, stockAsOf: hoursAgo(o.ageHours) });
        });
      });
      if (ghost !== undefined) offers.push({ nodeId: GHOST, sku: skuOf(ghost), unitCost: 1, reportedStock: 100, stockAsOf: hoursAgo(0) });
      const planningLines: PlanningLine[] = lines.map((l, i) => ({ lineId: lineIdOf(i), sku: skuOf(l.sku), quantity: l.quantity }));
      return {
        lines: planningLines,
        offers,
        nodes: profiles,
        policy,
        now: NOW,
        excluded: excluded.map((e) => ({ nodeId: nodeIdOf(e.node), lineId: lineIdOf(e.line) })),
      };
    });

// ---------------------------------------------------------------------------------------------
// Oracle
// ---------------------------------------------------------------------------------------------

const offerOf = (input: PlanningInput, nodeId: string, sku: string): Offer | undefined =>
  input.offers.filter((o) => o.nodeId === nodeId && o.sku === sku).sort((a, b) => a.unitCost - b.unitCost)[0];

const isStale = (input: PlanningInput, node: NodeProfile, offer: Offer) => input.now.getTime() - Date.parse(offer.stockAsOf) > node.freshnessLimitHours * HOUR_MS;

/** The most one order may take from a node of a sku: 0 when the node may not ship it at all. */
function usableStock(input: PlanningInput, nodeId: string, sku: string): number {
  const node = input.nodes[nodeId];
  const offer = offerOf(input, nodeId, sku);
  if (!node || !offer) return 0;
  if (node.status === 'suspended') return 0;
  if (node.kind === 'supplier' && !node.dropShipAllowed) return 0;
  let units = Math.max(0, offer.reportedStock - node.safetyBuffer);
  if (isStale(input, node, offer)) {
    const stale = input.policy.staleStock;
    units = stale.mode === 'exclude' ? 0 : Math.floor(units * stale.share);
  }
  if (node.status === 'flagged' && input.policy.flagged.mode === 'cap') units = Math.min(units, input.policy.flagged.maxUnitsPerOrder);
  return units;
}

/** A flagged supplier under the cap policy ships at most the cap in one order, all skus together. */
const capOf = (input: PlanningInput, nodeId: string): number =>
  input.nodes[nodeId]?.status === 'flagged' && input.policy.flagged.mode === 'cap' ? input.policy.flagged.maxUnitsPerOrder : Infinity;

const unitsAtNode = (plan: Plan, nodeId: string): number =>
  plan.groups.filter((g) => g.nodeId === nodeId).reduce((n, g) => n + g.lines.reduce((m, l) => m + l.quantity, 0), 0);

/** What a node could still ship of a sku after the plan: its stock left, within its cap left. */
const leftAt = (input: PlanningInput, plan: Plan, nodeId: string, sku: string): number =>
  Math.min(usableStock(input, nodeId, sku) - unitsAt(plan, nodeId, sku), capOf(input, nodeId) - unitsAtNode(plan, nodeId));

const isExcluded = (input: PlanningInput, nodeId: string, lineId: string) => (input.excluded ?? []).some((e) => e.nodeId === nodeId && e.lineId === lineId);

/** May this node ship (some of) this line? */
const eligible = (input: PlanningInput, nodeId: string, l: PlanningLine) => !isExcluded(input, nodeId, l.lineId) && usableStock(input, nodeId, l.sku) > 0;

const nodeIdsOffering = (input: PlanningInput, sku: string) => [...new Set(input.offers.filter((o) => o.sku === sku).map((o) => o.nodeId))].sort();

const lineById = (input: PlanningInput, lineId: string) => input.lines.find((l) => l.lineId === lineId);

// ---------------------------------------------------------------------------------------------
// Checks, shared by the small properties and the large smoke run
// ---------------------------------------------------------------------------------------------

function neverOverAllocates(input: PlanningInput, plan: Plan): void {
  for (const g of plan.groups) {
    for (const sku of new Set(g.lines.map((l) => l.sku))) {
      const taken = unitsAt(plan, g.nodeId, sku);
      if (taken > usableStock(input, g.nodeId, sku)) throw new Error(`${g.nodeId} ships ${taken} of ${sku}, but only ${usableStock(input, g.nodeId, sku)} may be used`);
    }
    const total = unitsAtNode(plan, g.nodeId);
    if (total > capOf(input, g.nodeId)) throw new Error(`flagged ${g.nodeId} ships ${total} units, over the cap of ${capOf(input, g.nodeId)} per order`);
  }
}

function neverAllocatesALineTwice(input: PlanningInput, plan: Plan): void {
  const nodeIds = plan.groups.map((g) => g.nodeId);
  expect(new Set(nodeIds).size).toBe(nodeIds.length);
  for (const g of plan.groups) {
    expect(g.lines.length).toBeGreaterThan(0);
    const lineIds = g.lines.map((l) => l.lineId);
    expect(new Set(lineIds).size).toBe(lineIds.length);
    for (const l of g.lines) {
      expect(l.quantity).toBeGreaterThan(0);
      expect(l.sku).toBe(lineById(input, l.lineId)?.sku);
    }
  }
  for (const l of input.lines) expect(plannedFor(plan, l.lineId)).toBeLessThanOrEqual(l.quantity);
}

function accountsForEveryUnit(input: PlanningInput, plan: Plan): void {
  for (const l of input.lines) expect({ lineId: l.lineId, units: plannedFor(plan, l.lineId) + unfulfillableFor(plan, l.lineId) }).toEqual({ lineId: l.lineId, units: l.quantity });
  const reported = plan.unfulfillable.map((u) => u.lineId);
  expect(new Set(reported).size).toBe(reported.length);
  for (const u of plan.unfulfillable) {
    expect(u.quantity).toBeGreaterThan(0);
    expect(u.sku).toBe(lineById(input, u.lineId)?.sku);
  }
}

function usesOnlyEligibleNodes(input: PlanningInput, plan: Plan): void {
  for (const g of plan.groups) {
    const node = input.nodes[g.nodeId];
    expect(node).toBeDefined();
    expect(node!.status).not.toBe('suspended');
    if (node!.kind === 'supplier') expect(node!.dropShipAllowed).toBe(true);
    for (const l of g.lines) {
      expect(isExcluded(input, g.nodeId, l.lineId)).toBe(false);
      expect(eligible(input, g.nodeId, lineById(input, l.lineId)!)).toBe(true);
    }
  }
}

function costsGroupsAsDocumented(input: PlanningInput, plan: Plan): void {
  for (const g of plan.groups) {
    const node = input.nodes[g.nodeId]!;
    expect(g.kind).toBe(node.kind);
    for (const l of g.lines) expect(l.unitCost).toBe(offerOf(input, g.nodeId, l.sku)!.unitCost);
    const units = g.lines.reduce((n, l) => n + l.quantity, 0);
    expect(g.cost).toBe(g.lines.reduce((n, l) => n + l.quantity * l.unitCost, 0) + node.shipping.perShipment + node.shipping.perUnit * units);
  }
}

function checkAll(input: PlanningInput, plan: Plan): void {
  neverOverAllocates(input, plan);
  neverAllocatesALineTwice(input, plan);
  accountsForEveryUnit(input, plan);
  usesOnlyEligibleNodes(input, plan);
  costsGroupsAsDocumented(input, plan);
}

const clone = (input: PlanningInput): PlanningInput => ({ ...(JSON.parse(JSON.stringify(input)) as PlanningInput), now: new Date(input.now.getTime()) });

// ---------------------------------------------------------------------------------------------

describe('planFulfilment properties', () => {
  it('never allocates more of a sku at a node than is available after the buffer and the stale rule, nor more than the flagged cap per order', () => {
    fc.assert(
      fc.property(inputArb(SMALL), (input) => neverOverAllocates(input, planFulfilment(input))),
      { numRuns: RUNS },
    );
  });

  it('never allocates a line twice: one group per node, each (node, line) once, no line over its quantity', () => {
    fc.assert(
      fc.property(inputArb(SMALL), (input) => neverAllocatesALineTwice(input, planFulfilment(input))),
      { numRuns: RUNS },
    );
  });

  it('plans or reports unfulfillable every unit ordered, exactly once', () => {
    fc.assert(
      fc.property(inputArb(SMALL), (input) => accountsForEveryUnit(input, planFulfilment(input))),
      { numRuns: RUNS },
    );
  });

  it('never uses a suspended, drop-ship-barred, unknown or otherwise ineligible node', () => {
    fc.assert(
      fc.property(inputArb(SMALL), (input) => usesOnlyEligibleNodes(input, planFulfilment(input))),
      { numRuns: RUNS },
    );
  });

  it('never uses a node for a line it failed before', () => {
    fc.assert(
      fc.property(inputArb(SMALL), (input) => {
        const plan = planFulfilment(input);
        for (const e of input.excluded ?? []) expect(plan.groups.find((g) => g.nodeId === e.nodeId)?.lines.some((l) => l.lineId === e.lineId) ?? false).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('uses a flagged node for a line (avoid policy) only once every eligible active node has no stock of its sku left', () => {
    fc.assert(
      fc.property(inputArb(SMALL, policyArb({ mode: 'avoid' })), (input) => {
        const plan = planFulfilment(input);
        for (const g of plan.groups) {
          if (input.nodes[g.nodeId]!.status !== 'flagged') continue;
          for (const pl of g.lines) {
            const l = lineById(input, pl.lineId)!;
            for (const other of nodeIdsOffering(input, l.sku)) {
              if (input.nodes[other]?.status !== 'active' || !eligible(input, other, l)) continue;
              expect({ flagged: g.nodeId, line: l.lineId, active: other, left: leftAt(input, plan, other, l.sku) }).toEqual({
                flagged: g.nodeId,
                line: l.lineId,
                active: other,
                left: 0,
              });
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('leaves no usable stock behind for a line it reports unfulfillable, and gives the right reason', () => {
    fc.assert(
      fc.property(inputArb(SMALL), (input) => {
        const plan = planFulfilment(input);
        for (const u of plan.unfulfillable) {
          const l = lineById(input, u.lineId)!;
          const nodes = nodeIdsOffering(input, l.sku).filter((n) => eligible(input, n, l));
          for (const n of nodes) expect({ node: n, left: leftAt(input, plan, n, l.sku) }).toEqual({ node: n, left: 0 });
          expect(u.reason).toBe(nodes.length > 0 ? 'not enough stock at any eligible node' : 'no eligible node offers this sku');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic: the same input gives a deep-equal plan', () => {
    fc.assert(
      fc.property(inputArb(SMALL), (input) => {
        expect(planFulfilment(clone(input))).toEqual(planFulfilment(input));
      }),
      { numRuns: RUNS },
    );
  });

  it('does not depend on the order of the offers or of the node profiles', () => {
    const shuffled = inputArb(SMALL).chain((input) =>
      fc.shuffledSubarray([...input.offers], { minLength: input.offers.length, maxLength: input.offers.length }).map((offers) => ({ input, offers })),
    );
    fc.assert(
      fc.property(shuffled, ({ input, offers }) => {
        const reordered: PlanningInput = { ...input, offers, nodes: Object.fromEntries(Object.entries(input.nodes).reverse()) };
        expect(planFulfilment(reordered)).toEqual(planFulfilment(input));
      }),
      { numRuns: RUNS },
    );
  });

  it('costs each group as Σ quantity × unit cost + its package + per unit × units, at the offer’s unit cost', () => {
    fc.assert(
      fc.property(inputArb(SMALL), (input) => costsGroupsAsDocumented(input, planFulfilment(input))),
      { numRuns: RUNS },
    );
  });

  it('reports the objective as Σ units × reported score + packages + split penalty per extra package', () => {
    fc.assert(
      fc.property(inputArb(SMALL), (input) => {
        const plan = planFulfilment(input);
        const items = plan.groups.reduce(
          (n, g) => n + g.lines.reduce((m, l) => m + l.quantity * plan.candidates[l.lineId]!.find((c) => c.nodeId === g.nodeId)!.scorePerUnit, 0),
          0,
        );
        const packages = plan.groups.reduce((n, g) => n + input.nodes[g.nodeId]!.shipping.perShipment, 0);
        expect(plan.objective).toBe(Math.round(items + packages + input.policy.splitPenalty * Math.max(0, plan.groups.length - 1)));
      }),
      { numRuns: RUNS },
    );
  });

  it('reports every node offering each line’s sku as a candidate, and every node it uses as a non-excluded one', () => {
    fc.assert(
      fc.property(inputArb(SMALL), (input) => {
        const plan = planFulfilment(input);
        expect(Object.keys(plan.candidates).sort()).toEqual(input.lines.map((l) => l.lineId).sort());
        for (const l of input.lines) {
          const report = plan.candidates[l.lineId]!;
          expect(report.map((c) => c.nodeId)).toEqual(nodeIdsOffering(input, l.sku));
          for (const c of report) expect(c.excluded === undefined).toBe(eligible(input, c.nodeId, l));
        }
        for (const g of plan.groups) for (const l of g.lines) expect(plan.candidates[l.lineId]!.find((c) => c.nodeId === g.nodeId)?.excluded).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('promises ship-by on observed p90 days for suppliers and claimed days for warehouses, deliver-by after the transit days', () => {
    fc.assert(
      fc.property(inputArb(SMALL), (input) => {
        for (const g of planFulfilment(input).groups) {
          const node = input.nodes[g.nodeId]!;
          const shipDays = node.kind === 'supplier' ? (node.observedShipDays?.p90 ?? node.claimedShipDays) : node.claimedShipDays;
          expect(g.shipBy).toBe(new Date(NOW.getTime() + shipDays * DAY_MS).toISOString());
          expect(g.deliverBy).toBe(new Date(NOW.getTime() + (shipDays + node.transitDays) * DAY_MS).toISOString());
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('plans a large order (20 lines × 200 nodes) to completion, keeping every invariant', () => {
    fc.assert(
      fc.property(inputArb(LARGE), (input) => {
        const plan = planFulfilment(input);
        checkAll(input, plan);
      }),
      { numRuns: 1 },
    );
  });
});
