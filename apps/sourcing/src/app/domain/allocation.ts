import type { Decider } from '@oms/event-store';
import type { NodeKind, Plan, PlanningLine } from './planning-types';

/**
 * One order's allocation (`allocation-<orderId>`): which node ships which quantity of each line,
 * through re-plans. A quantity is planned once: a plan may only cover what is not yet assigned,
 * unfulfillable or cancelled; a node that failed a line is never planned for it again; a failure
 * reported twice (same source id) frees nothing twice.
 */
export interface LineQuantity {
  readonly lineId: string;
  readonly quantity: number;
}

/** A node gave back some of what it was planned for; `sourceId` is the report's own id. */
export interface NodeFailure {
  readonly sourceId: string;
  readonly nodeId: string;
  readonly lines: readonly LineQuantity[];
  readonly reason: 'rejected' | 'timed_out' | 'backordered' | 'shortage';
}

export type AllocationEvent =
  | { readonly type: 'AllocationOpened'; readonly data: { readonly orderId: string; readonly lines: readonly PlanningLine[]; readonly openedAt: string } }
  | {
      readonly type: 'FulfilmentPlanned';
      readonly data: {
        readonly version: number;
        readonly groups: readonly {
          readonly groupId: string;
          readonly nodeId: string;
          readonly nodeKind: NodeKind;
          readonly lines: readonly { readonly lineId: string; readonly sku: string; readonly quantity: number; readonly unitCost: number }[];
          readonly shipBy: string;
          readonly deliverBy: string;
        }[];
        readonly unfulfillable: readonly { readonly lineId: string; readonly sku: string; readonly quantity: number; readonly reason: string }[];
        readonly candidates: Plan['candidates'];
        readonly objective: number;
        readonly plannedAt: string;
      };
    }
  | { readonly type: 'NodeFailed'; readonly data: NodeFailure & { readonly failedAt: string } };

export type AllocationCommand =
  | { readonly type: 'OpenAllocation'; readonly data: { readonly orderId: string; readonly lines: readonly PlanningLine[]; readonly now: Date } }
  | { readonly type: 'RecordPlan'; readonly data: { readonly plan: Plan; readonly now: Date } }
  | { readonly type: 'RecordNodeFailure'; readonly data: NodeFailure & { readonly now: Date } };

export type AllocationState =
  | { readonly status: 'none' }
  | {
      readonly status: 'open';
      readonly orderId: string;
      readonly lines: readonly PlanningLine[];
      readonly version: number;
      /** line → node → units assigned and not failed */
      readonly assigned: Readonly<Record<string, Readonly<Record<string, number>>>>;
      readonly nodeKinds: Readonly<Record<string, NodeKind>>;
      readonly unfulfillable: Readonly<Record<string, number>>;
      readonly excluded: readonly { readonly nodeId: string; readonly lineId: string }[];
      readonly failures: Readonly<Record<string, true>>;
    };

export class AllocationError extends Error {
  override readonly name = 'AllocationError';
}

type Open = Extract<AllocationState, { status: 'open' }>;

/** What of each line still needs a node: ordered less assigned and unfulfillable. */
export function unplanned(state: Open): PlanningLine[] {
  return state.lines
    .map((l) => {
      const assigned = Object.values(state.assigned[l.lineId] ?? {}).reduce((a, b) => a + b, 0);
      return { ...l, quantity: l.quantity - assigned - (state.unfulfillable[l.lineId] ?? 0) };
    })
    .filter((l) => l.quantity > 0);
}

export const allocationDecider: Decider<AllocationCommand, AllocationState, AllocationEvent> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'OpenAllocation':
        return state.status === 'open'
          ? []
          : [{ type: 'AllocationOpened', data: { orderId: command.data.orderId, lines: command.data.lines, openedAt: command.data.now.toISOString() } }];
      case 'RecordPlan': {
        const open = mustBeOpen(state);
        const needed = new Map(unplanned(open).map((l) => [l.lineId, l.quantity]));
        const { plan } = command.data;
        const covered = new Map<string, number>();
        for (const g of plan.groups) for (const l of g.lines) covered.set(l.lineId, (covered.get(l.lineId) ?? 0) + l.quantity);
        for (const u of plan.unfulfillable) covered.set(u.lineId, (covered.get(u.lineId) ?? 0) + u.quantity);
        for (const [lineId, quantity] of covered) {
          if (quantity > (needed.get(lineId) ?? 0)) {
            throw new AllocationError(`Plan covers ${quantity} of line ${lineId} but only ${needed.get(lineId) ?? 0} needs a node`);
          }
        }
        for (const g of plan.groups) {
          if (open.excluded.some((e) => e.nodeId === g.nodeId && g.lines.some((l) => l.lineId === e.lineId))) {
            throw new AllocationError(`Plan sends a line back to node ${g.nodeId}, which failed it`);
          }
        }
        if (plan.groups.length === 0 && plan.unfulfillable.length === 0) return [];
        const version = open.version + 1;
        return [
          {
            type: 'FulfilmentPlanned',
            data: {
              version,
              groups: plan.groups.map((g) => ({
                groupId: `${open.orderId}:${version}:${g.nodeId}`,
                nodeId: g.nodeId,
                nodeKind: g.kind,
                lines: g.lines,
                shipBy: g.shipBy,
                deliverBy: g.deliverBy,
              })),
              unfulfillable: plan.unfulfillable,
              candidates: plan.candidates,
              objective: plan.objective,
              plannedAt: command.data.now.toISOString(),
            },
          },
        ];
      }
      case 'RecordNodeFailure': {
        const open = mustBeOpen(state);
        const { sourceId, nodeId, reason, now } = command.data;
        if (open.failures[sourceId]) return [];
        const lines = command.data.lines
          .map((l) => ({ lineId: l.lineId, quantity: Math.min(l.quantity, open.assigned[l.lineId]?.[nodeId] ?? 0) }))
          .filter((l) => l.quantity > 0);
        return lines.length === 0 ? [] : [{ type: 'NodeFailed', data: { sourceId, nodeId, lines, reason, failedAt: now.toISOString() } }];
      }
      default: {
        const never: never = command;
        return never;
      }
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'AllocationOpened':
        return {
          status: 'open',
          orderId: event.data.orderId,
          lines: event.data.lines,
          version: 0,
          assigned: {},
          nodeKinds: {},
          unfulfillable: {},
          excluded: [],
          failures: {},
        };
      case 'FulfilmentPlanned': {
        const open = mustBeOpen(state);
        const assigned: Record<string, Record<string, number>> = Object.fromEntries(Object.entries(open.assigned).map(([k, v]) => [k, { ...v }]));
        const nodeKinds = { ...open.nodeKinds };
        for (const g of event.data.groups) {
          nodeKinds[g.nodeId] = g.nodeKind;
          for (const l of g.lines) assigned[l.lineId] = { ...(assigned[l.lineId] ?? {}), [g.nodeId]: (assigned[l.lineId]?.[g.nodeId] ?? 0) + l.quantity };
        }
        const unfulfillable = { ...open.unfulfillable };
        for (const u of event.data.unfulfillable) unfulfillable[u.lineId] = (unfulfillable[u.lineId] ?? 0) + u.quantity;
        return { ...open, version: event.data.version, assigned, nodeKinds, unfulfillable };
      }
      case 'NodeFailed': {
        const open = mustBeOpen(state);
        const assigned: Record<string, Record<string, number>> = Object.fromEntries(Object.entries(open.assigned).map(([k, v]) => [k, { ...v }]));
        for (const l of event.data.lines) {
          const left = (assigned[l.lineId]?.[event.data.nodeId] ?? 0) - l.quantity;
          assigned[l.lineId] = { ...(assigned[l.lineId] ?? {}), [event.data.nodeId]: Math.max(0, left) };
        }
        return {
          ...open,
          assigned,
          excluded: [...open.excluded, ...event.data.lines.map((l) => ({ nodeId: event.data.nodeId, lineId: l.lineId }))],
          failures: { ...open.failures, [event.data.sourceId]: true },
        };
      }
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};

function mustBeOpen(state: AllocationState): Open {
  if (state.status !== 'open') throw new AllocationError('No allocation for this order yet');
  return state;
}
