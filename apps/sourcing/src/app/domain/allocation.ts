import type { Decider } from '@oms/event-store';
import type { Address, AllocationEvent, FulfilmentGroup, LineQuantity, NodeOutcome, OrderLine } from './allocation-events';
import type { NodeKind, Plan, PlanningLine } from './planning-types';

export type { AllocationEvent } from './allocation-events';

/**
 * The allocation decider. A unit is planned once: a plan may only cover what is not yet held by a
 * node, unfulfillable or cancelled; a node that failed a line is never planned for it again; a
 * report seen twice (same id) changes nothing the second time; units coming back from a node
 * first settle the customer's pending cancellation at that node.
 */
export type AllocationCommand =
  | {
      readonly type: 'OpenAllocation';
      readonly data: { readonly orderId: string; readonly orderNumber?: string; readonly currency: string; readonly shipTo: Address; readonly lines: readonly OrderLine[]; readonly now: Date };
    }
  | { readonly type: 'RecordPlan'; readonly data: { readonly plan: Plan; readonly now: Date } }
  | { readonly type: 'RecordNodeReport'; readonly data: NodeReport & { readonly now: Date } }
  | { readonly type: 'RecordShipment'; readonly data: { readonly shipmentId: string; readonly nodeId: string; readonly lines: readonly LineQuantity[]; readonly shippedAt: string } }
  | { readonly type: 'RequestCancellation'; readonly data: { readonly requestId: string; readonly lines: readonly LineQuantity[]; readonly reason?: string; readonly now: Date } }
  | { readonly type: 'ChangeShipTo'; readonly data: { readonly requestId: string; readonly shipTo: Address; readonly now: Date } };

/** A node gave back some of what it holds; `sourceId` is the report's own id. */
export interface NodeReport {
  readonly sourceId: string;
  readonly nodeId: string;
  readonly lines: readonly LineQuantity[];
  readonly outcome: NodeOutcome;
  /** `cancel`: what the customer did not ask to cancel is cancelled and refunded, not re-planned. */
  readonly resolution: 'resource' | 'cancel';
  readonly reason?: string;
}

type Counts = Readonly<Record<string, number>>;

export interface OpenAllocation {
  readonly status: 'open';
  readonly orderId: string;
  readonly orderNumber?: string;
  readonly currency: string;
  readonly shipTo: Address;
  readonly lines: readonly OrderLine[];
  readonly version: number;
  /** Every group still holding units, by group id (shipped units included). */
  readonly groups: Readonly<Record<string, FulfilmentGroup>>;
  /** node → line → units shipped */
  readonly shipped: Readonly<Record<string, Counts>>;
  readonly unfulfillable: Counts;
  readonly cancelled: Counts;
  /** node → line → units the customer asked to cancel that the node has not answered for */
  readonly pendingCancel: Readonly<Record<string, Counts>>;
  readonly excluded: readonly { readonly nodeId: string; readonly lineId: string }[];
  /** Node reports and shipments by their own ids. */
  readonly seen: Readonly<Record<string, true>>;
}

export type AllocationState = { readonly status: 'none' } | OpenAllocation;

export class AllocationError extends Error {
  override readonly name = 'AllocationError';
}

const sum = (values: Iterable<number>) => {
  let n = 0;
  for (const v of values) n += v;
  return n;
};
const plus = (counts: Counts, lineId: string, quantity: number): Counts => ({ ...counts, [lineId]: (counts[lineId] ?? 0) + quantity });
const lineQuantities = (counts: ReadonlyMap<string, number>): LineQuantity[] =>
  [...counts].filter(([, quantity]) => quantity > 0).map(([lineId, quantity]) => ({ lineId, quantity }));

/** Groups of a node, newest first: units come back from the newest group first. */
export function groupsAt(state: OpenAllocation, nodeId: string): FulfilmentGroup[] {
  return Object.values(state.groups)
    .filter((g) => g.nodeId === nodeId)
    .sort((a, b) => b.planVersion - a.planVersion);
}

export function heldAt(state: OpenAllocation, nodeId: string, lineId: string): number {
  return sum(groupsAt(state, nodeId).flatMap((g) => g.lines.filter((l) => l.lineId === lineId).map((l) => l.quantity)));
}

/** Units a node holds and has not shipped. */
export function unshippedAt(state: OpenAllocation, nodeId: string, lineId: string): number {
  return Math.max(0, heldAt(state, nodeId, lineId) - (state.shipped[nodeId]?.[lineId] ?? 0));
}

function nodesHolding(state: OpenAllocation): { nodeId: string; kind: NodeKind }[] {
  const nodes = new Map<string, NodeKind>();
  for (const g of Object.values(state.groups)) nodes.set(g.nodeId, g.nodeKind);
  return [...nodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([nodeId, kind]) => ({ nodeId, kind }));
}

/** What of each line still needs a node: ordered less held, unfulfillable and cancelled. */
export function unplanned(state: OpenAllocation): PlanningLine[] {
  return state.lines
    .map((l) => {
      const held = sum(Object.values(state.groups).flatMap((g) => g.lines.filter((gl) => gl.lineId === l.lineId).map((gl) => gl.quantity)));
      return { lineId: l.lineId, sku: l.sku, quantity: l.quantity - held - (state.unfulfillable[l.lineId] ?? 0) - (state.cancelled[l.lineId] ?? 0) };
    })
    .filter((l) => l.quantity > 0);
}

/** What the order should hold at a node's stock, per sku: units held there and not shipped. */
export function reservationTargets(state: OpenAllocation, nodeId: string): { sku: string; quantity: number }[] {
  const bySku = new Map<string, number>();
  for (const line of state.lines) {
    const units = unshippedAt(state, nodeId, line.lineId);
    if (units > 0) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + units);
  }
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
}

export const allocationDecider: Decider<AllocationCommand, AllocationState, AllocationEvent> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'OpenAllocation': {
        if (state.status === 'open') return [];
        const { now, ...opened } = command.data;
        return [{ type: 'AllocationOpened', data: { ...opened, openedAt: now.toISOString() } }];
      }
      case 'RecordPlan':
        return recordPlan(mustBeOpen(state), command.data.plan, command.data.now);
      case 'RecordNodeReport':
        return recordNodeReport(mustBeOpen(state), command.data);
      case 'RecordShipment': {
        const open = mustBeOpen(state);
        const lines = command.data.lines.filter((l) => l.quantity > 0);
        return open.seen[command.data.shipmentId] || lines.length === 0 ? [] : [{ type: 'ShipmentRecorded', data: { ...command.data, lines } }];
      }
      case 'RequestCancellation':
        return requestCancellation(mustBeOpen(state), command.data);
      case 'ChangeShipTo': {
        const open = mustBeOpen(state);
        return sameAddress(open.shipTo, command.data.shipTo)
          ? []
          : [{ type: 'ShipToChanged', data: { requestId: command.data.requestId, shipTo: command.data.shipTo, changedAt: command.data.now.toISOString() } }];
      }
      default: {
        const never: never = command;
        return never;
      }
    }
  },
  evolve: (state, event) => {
    if (event.type === 'AllocationOpened') {
      const { openedAt: _openedAt, ...opened } = event.data;
      return { status: 'open', ...opened, version: 0, groups: {}, shipped: {}, unfulfillable: {}, cancelled: {}, pendingCancel: {}, excluded: [], seen: {} };
    }
    return evolveOpen(mustBeOpen(state), event);
  },
};

/** Field by field: stored JSON may come back with its keys in another order. */
function sameAddress(a: Address, b: Address): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof Address)[]);
  return [...keys].every((k) => a[k] === b[k]);
}

function recordPlan(open: OpenAllocation, plan: Plan, now: Date): AllocationEvent[] {
  for (const g of plan.groups) {
    if (g.lines.length === 0 || g.lines.some((l) => !Number.isInteger(l.quantity) || l.quantity <= 0)) {
      throw new AllocationError(`Plan gives node ${g.nodeId} a line with no positive whole quantity`);
    }
  }
  if (plan.unfulfillable.some((u) => !Number.isInteger(u.quantity) || u.quantity <= 0)) throw new AllocationError('Plan reports a non-positive unfulfillable quantity');
  const needed = new Map(unplanned(open).map((l) => [l.lineId, l.quantity]));
  const covered = new Map<string, number>();
  for (const g of plan.groups) for (const l of g.lines) covered.set(l.lineId, (covered.get(l.lineId) ?? 0) + l.quantity);
  for (const u of plan.unfulfillable) covered.set(u.lineId, (covered.get(u.lineId) ?? 0) + u.quantity);
  for (const [lineId, quantity] of covered) {
    if (quantity > (needed.get(lineId) ?? 0)) throw new AllocationError(`Plan covers ${quantity} of line ${lineId} but only ${needed.get(lineId) ?? 0} needs a node`);
  }
  if (new Set(plan.groups.map((g) => g.nodeId)).size !== plan.groups.length) throw new AllocationError('Plan has two groups for one node');
  for (const g of plan.groups) {
    if (open.excluded.some((e) => e.nodeId === g.nodeId && g.lines.some((l) => l.lineId === e.lineId))) {
      throw new AllocationError(`Plan sends a line back to node ${g.nodeId}, which failed it`);
    }
  }
  if (plan.groups.length === 0 && plan.unfulfillable.length === 0) return [];
  const version = open.version + 1;
  const at = now.toISOString();
  const names = new Map(open.lines.map((l) => [l.lineId, l.name]));
  const requested: AllocationEvent[] = plan.groups.map((g) => ({
    type: 'FulfilmentRequested',
    data: {
      groupId: `${open.orderId}:${version}:${g.nodeId}`,
      nodeId: g.nodeId,
      nodeKind: g.kind,
      planVersion: version,
      ...(open.orderNumber !== undefined ? { orderNumber: open.orderNumber } : {}),
      currency: open.currency,
      shipTo: open.shipTo,
      lines: g.lines.map((l) => ({ ...l, ...(names.get(l.lineId) !== undefined ? { name: names.get(l.lineId)! } : {}) })),
      shipBy: g.shipBy,
      deliverBy: g.deliverBy,
      requestedAt: at,
    },
  }));
  const unfulfillable: AllocationEvent[] =
    plan.unfulfillable.length === 0
      ? []
      : [
          {
            type: 'LinesUnfulfillable',
            data: {
              cancellationId: `${open.orderId}:unfulfillable:${version}`,
              lines: plan.unfulfillable.map((u) => ({ lineId: u.lineId, quantity: u.quantity })),
              reason: [...new Set(plan.unfulfillable.map((u) => u.reason))].join('; '),
              cancelledAt: at,
            },
          },
        ];
  const after = [...requested, ...unfulfillable].reduce(evolveOpen, open);
  const planned: AllocationEvent = {
    type: 'FulfilmentPlanned',
    data: { version, ...planInForce(after), candidates: plan.candidates, objective: plan.objective, plannedAt: at },
  };
  return [planned, ...requested, ...unfulfillable];
}

/** The plan as the order side sees it: every group still holding units, every unfulfillable unit. */
export function planInForce(state: OpenAllocation): Pick<Extract<AllocationEvent, { type: 'FulfilmentPlanned' }>['data'], 'groups' | 'unfulfillable'> {
  return {
    groups: Object.values(state.groups)
      .sort((a, b) => a.planVersion - b.planVersion || (a.groupId < b.groupId ? -1 : 1))
      .map((g) => ({ groupId: g.groupId, nodeId: g.nodeId, nodeKind: g.nodeKind, lines: g.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })) })),
    unfulfillable: lineQuantities(new Map(Object.entries(state.unfulfillable))),
  };
}

function recordNodeReport(open: OpenAllocation, report: NodeReport & { now: Date }): AllocationEvent[] {
  if (open.seen[report.sourceId]) return [];
  const at = report.now.toISOString();
  const returned = new Map<string, number>();
  const toCancel = new Map<string, number>();
  const rest = new Map<string, number>();
  for (const l of report.lines) {
    const units = Math.min(l.quantity, unshippedAt(open, report.nodeId, l.lineId) - (returned.get(l.lineId) ?? 0));
    if (units <= 0) continue;
    const pending = Math.max(0, (open.pendingCancel[report.nodeId]?.[l.lineId] ?? 0) - (toCancel.get(l.lineId) ?? 0));
    const cancelNow = Math.min(units, pending);
    returned.set(l.lineId, (returned.get(l.lineId) ?? 0) + units);
    toCancel.set(l.lineId, (toCancel.get(l.lineId) ?? 0) + cancelNow);
    rest.set(l.lineId, (rest.get(l.lineId) ?? 0) + units - cancelNow);
  }
  const returnedLines = lineQuantities(returned);
  if (returnedLines.length === 0) return [];
  // A failure rules the node out for those lines; a cancellation we asked for does not.
  const excludedLineIds = returnedLines.filter((l) => report.outcome !== 'cancelled' || (rest.get(l.lineId) ?? 0) > 0).map((l) => l.lineId);
  const events: AllocationEvent[] = [
    {
      type: 'UnitsReturnedByNode',
      data: {
        sourceId: report.sourceId,
        nodeId: report.nodeId,
        lines: returnedLines,
        outcome: report.outcome,
        ...(report.reason !== undefined ? { reason: report.reason } : {}),
        excludedLineIds,
        returnedAt: at,
      },
    },
  ];
  const cancelled = lineQuantities(toCancel);
  if (cancelled.length > 0) {
    events.push({
      type: 'OrderLinesCancelled',
      data: { cancellationId: report.sourceId, nodeId: report.nodeId, lines: cancelled, reason: 'cancelled at the customer request', cancelledAt: at },
    });
  }
  const given = lineQuantities(rest);
  if (report.resolution === 'cancel' && given.length > 0) {
    events.push({
      type: 'LinesUnfulfillable',
      data: { cancellationId: `unfulfillable:${report.sourceId}`, lines: given, reason: `${report.outcome}${report.reason ? `: ${report.reason}` : ''}`, cancelledAt: at },
    });
  }
  return events;
}

function requestCancellation(open: OpenAllocation, request: { requestId: string; lines: readonly LineQuantity[]; reason?: string; now: Date }): AllocationEvent[] {
  const at = request.now.toISOString();
  const waiting = new Map(unplanned(open).map((l) => [l.lineId, l.quantity]));
  const now = new Map<string, number>();
  const perNode = new Map<string, Map<string, number>>();
  const nodes = nodesHolding(open);
  for (const requested of request.lines) {
    let want = requested.quantity;
    const immediate = Math.min(want, waiting.get(requested.lineId) ?? 0);
    if (immediate > 0) {
      now.set(requested.lineId, (now.get(requested.lineId) ?? 0) + immediate);
      waiting.set(requested.lineId, (waiting.get(requested.lineId) ?? 0) - immediate);
      want -= immediate;
    }
    for (const { nodeId } of nodes) {
      if (want <= 0) break;
      const asked = perNode.get(nodeId)?.get(requested.lineId) ?? 0;
      const free = unshippedAt(open, nodeId, requested.lineId) - (open.pendingCancel[nodeId]?.[requested.lineId] ?? 0) - asked;
      const take = Math.min(want, free);
      if (take <= 0) continue;
      perNode.set(nodeId, (perNode.get(nodeId) ?? new Map<string, number>()).set(requested.lineId, asked + take));
      want -= take;
    }
  }
  const events: AllocationEvent[] = [];
  const immediateLines = lineQuantities(now);
  if (immediateLines.length > 0) {
    events.push({ type: 'OrderLinesCancelled', data: { cancellationId: request.requestId, lines: immediateLines, reason: request.reason ?? 'cancelled at the customer request', cancelledAt: at } });
  }
  for (const { nodeId, kind } of nodes) {
    const lines = perNode.get(nodeId);
    if (!lines) continue;
    events.push({
      type: 'FulfilmentCancellationRequested',
      data: {
        requestId: `${request.requestId}:${nodeId}`,
        nodeId,
        nodeKind: kind,
        groupIds: groupsAt(open, nodeId).map((g) => g.groupId),
        lines: lineQuantities(lines),
        ...(request.reason !== undefined ? { reason: request.reason } : {}),
        requestedAt: at,
      },
    });
  }
  return events;
}

function evolveOpen(open: OpenAllocation, event: AllocationEvent): OpenAllocation {
  switch (event.type) {
    case 'AllocationOpened':
      return open;
    case 'ShipToChanged':
      return { ...open, shipTo: event.data.shipTo };
    case 'FulfilmentPlanned':
      return { ...open, version: event.data.version };
    case 'FulfilmentRequested': {
      const { groupId, nodeId, nodeKind, planVersion, shipBy, deliverBy } = event.data;
      const lines = event.data.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, unitCost: l.unitCost }));
      return { ...open, groups: { ...open.groups, [groupId]: { groupId, nodeId, nodeKind, planVersion, lines, shipBy, deliverBy } } };
    }
    case 'LinesUnfulfillable':
      return { ...open, unfulfillable: event.data.lines.reduce((c, l) => plus(c, l.lineId, l.quantity), open.unfulfillable) };
    case 'UnitsReturnedByNode': {
      const groups = { ...open.groups };
      for (const returned of event.data.lines) {
        let left = returned.quantity;
        for (const g of groupsAt({ ...open, groups }, event.data.nodeId)) {
          if (left <= 0) break;
          const line = g.lines.find((l) => l.lineId === returned.lineId);
          if (!line) continue;
          const take = Math.min(left, line.quantity);
          left -= take;
          const lines = g.lines.map((l) => (l.lineId === returned.lineId ? { ...l, quantity: l.quantity - take } : l)).filter((l) => l.quantity > 0);
          if (lines.length > 0) groups[g.groupId] = { ...g, lines };
          else delete groups[g.groupId];
        }
      }
      return {
        ...open,
        groups,
        excluded: [...open.excluded, ...event.data.excludedLineIds.map((lineId) => ({ nodeId: event.data.nodeId, lineId }))],
        seen: { ...open.seen, [event.data.sourceId]: true },
      };
    }
    case 'ShipmentRecorded': {
      const shipped = event.data.lines.reduce((c, l) => plus(c, l.lineId, l.quantity), open.shipped[event.data.nodeId] ?? {});
      return { ...open, shipped: { ...open.shipped, [event.data.nodeId]: shipped }, seen: { ...open.seen, [event.data.shipmentId]: true } };
    }
    case 'FulfilmentCancellationRequested': {
      const pending = event.data.lines.reduce((c, l) => plus(c, l.lineId, l.quantity), open.pendingCancel[event.data.nodeId] ?? {});
      return { ...open, pendingCancel: { ...open.pendingCancel, [event.data.nodeId]: pending } };
    }
    case 'OrderLinesCancelled': {
      const cancelled = event.data.lines.reduce((c, l) => plus(c, l.lineId, l.quantity), open.cancelled);
      const nodeId = event.data.nodeId;
      if (nodeId === undefined) return { ...open, cancelled };
      const pending = event.data.lines.reduce((c, l) => ({ ...c, [l.lineId]: Math.max(0, (c[l.lineId] ?? 0) - l.quantity) }), open.pendingCancel[nodeId] ?? {});
      return { ...open, cancelled, pendingCancel: { ...open.pendingCancel, [nodeId]: pending } };
    }
    default: {
      const never: never = event;
      return never;
    }
  }
}

function mustBeOpen(state: AllocationState): OpenAllocation {
  if (state.status !== 'open') throw new AllocationError('No allocation for this order yet');
  return state;
}
