import type { CandidateScore, NodeKind, PlanningLine } from './planning-types';

/**
 * One order's allocation (`allocation-<orderId>`): which node ships which quantity of each line,
 * through re-plans, node failures, shipments and customer cancellations.
 */
export interface Address {
  readonly name: string;
  readonly company?: string;
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly region?: string;
  readonly postalCode?: string;
  readonly country: string;
  readonly phone?: string;
}

export interface OrderLine extends PlanningLine {
  readonly name?: string;
}

export interface LineQuantity {
  readonly lineId: string;
  readonly quantity: number;
}

export interface GroupLine extends LineQuantity {
  readonly sku: string;
  readonly unitCost: number;
}

/** What one node holds of the order: its lines shrink as units come back (failure or cancel). */
export interface FulfilmentGroup {
  readonly groupId: string;
  readonly nodeId: string;
  readonly nodeKind: NodeKind;
  readonly planVersion: number;
  readonly lines: readonly GroupLine[];
  readonly shipBy: string;
  readonly deliverBy: string;
}

/** How a node gave units back. `cancelled`: the node stopped them (asked to, or on its own). */
export type NodeOutcome = 'rejected' | 'timed_out' | 'backordered' | 'shortage' | 'cancelled';

export type AllocationEvent =
  | {
      readonly type: 'AllocationOpened';
      readonly data: {
        readonly orderId: string;
        readonly orderNumber?: string;
        readonly currency: string;
        readonly shipTo: Address;
        readonly lines: readonly OrderLine[];
        readonly openedAt: string;
      };
    }
  | { readonly type: 'ShipToChanged'; readonly data: { readonly requestId: string; readonly shipTo: Address; readonly changedAt: string } }
  /** A decision: the plan in force after it (every group, every unfulfillable unit) and why. */
  | {
      readonly type: 'FulfilmentPlanned';
      readonly data: {
        readonly version: number;
        readonly groups: readonly { readonly groupId: string; readonly nodeId: string; readonly nodeKind: NodeKind; readonly lines: readonly LineQuantity[] }[];
        readonly unfulfillable: readonly LineQuantity[];
        readonly candidates: Readonly<Record<string, readonly CandidateScore[]>>;
        readonly objective: number;
        readonly plannedAt: string;
      };
    }
  /** A new group for a node, with what the node needs to ship it. */
  | {
      readonly type: 'FulfilmentRequested';
      readonly data: FulfilmentGroup & {
        readonly orderNumber?: string;
        readonly currency: string;
        readonly shipTo: Address;
        readonly lines: readonly (GroupLine & { readonly name?: string })[];
        readonly requestedAt: string;
      };
    }
  | {
      readonly type: 'LinesUnfulfillable';
      readonly data: { readonly cancellationId: string; readonly lines: readonly LineQuantity[]; readonly reason: string; readonly cancelledAt: string };
    }
  | {
      readonly type: 'UnitsReturnedByNode';
      readonly data: {
        readonly sourceId: string;
        readonly nodeId: string;
        readonly lines: readonly LineQuantity[];
        readonly outcome: NodeOutcome;
        readonly reason?: string;
        /** Lines the node is not planned for again (it failed them, or cancelled them unasked). */
        readonly excludedLineIds: readonly string[];
        readonly returnedAt: string;
      };
    }
  | {
      readonly type: 'ShipmentRecorded';
      readonly data: { readonly shipmentId: string; readonly nodeId: string; readonly lines: readonly LineQuantity[]; readonly shippedAt: string };
    }
  | {
      readonly type: 'FulfilmentCancellationRequested';
      readonly data: {
        readonly requestId: string;
        readonly nodeId: string;
        readonly nodeKind: NodeKind;
        readonly groupIds: readonly string[];
        readonly lines: readonly LineQuantity[];
        readonly reason?: string;
        readonly requestedAt: string;
      };
    }
  /** Units definitively cancelled at the customer's request (from a node, or never planned). */
  | {
      readonly type: 'OrderLinesCancelled';
      readonly data: {
        readonly cancellationId: string;
        readonly nodeId?: string;
        readonly lines: readonly LineQuantity[];
        readonly reason: string;
        readonly cancelledAt: string;
      };
    };
