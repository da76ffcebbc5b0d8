import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ANY_REVISION,
  deterministicEventId,
  handleCommand,
  loadAggregate,
  streamName,
  type CommandResult,
  type EventStore,
  type JsonObject,
} from '@oms/event-store';
import { CLOCK, EVENT_STORE, SERVICE_ENV, type Clock } from '@oms/platform';
import { KeyedMutex } from '@oms/support';
import { v5 as uuidv5 } from 'uuid';
import {
  allocationDecider,
  AllocationError,
  reservationTargets,
  unplanned,
  type AllocationCommand,
  type AllocationState,
  type NodeReport,
  type OpenAllocation,
} from '../domain/allocation';
import type { Address, AllocationEvent, LineQuantity, OrderLine } from '../domain/allocation-events';
import type { CatalogFact } from '../domain/node-catalog';
import { ReservationRefusedError } from '../domain/node-stock';
import { planFulfilment } from '../domain/planner';
import type { PlanningPolicy } from '../domain/planning-types';
import type { SourcingEnv } from '../sourcing.env';
import { FACT_EVENT_TYPES, NODE_CATALOG_CATEGORY, NodeCatalogProjection, nodeStockStream, SUPPLIER_STANDING_CATEGORY } from './node-catalog.projection';

export const ALLOCATION_CATEGORY = 'allocation';
const DECISION_NAMESPACE = '0d6f8a52-3c1e-4b7a-9f0e-5a2d7c4b1e93';

/** What caused a command: the message's event id; the order it belongs to. */
export interface Cause {
  readonly causationId: string;
  readonly correlationId?: string;
}

export interface AcceptedOrder {
  readonly orderId: string;
  readonly orderNumber?: string;
  readonly currency: string;
  readonly shipTo: Address;
  readonly lines: readonly OrderLine[];
}

export class PlanningGaveUpError extends Error {
  override readonly name = 'PlanningGaveUpError';
}

/**
 * The sourcing use cases. Each order's handling is serialised in this process (its messages come
 * on several topics); every write still names its expected revision, so replicas stay correct.
 *
 * Planning: load the allocation → plan what no node holds, on the node catalog → reserve each
 * planned group at its node's stock (refused: someone took the stock; put back what this attempt
 * reserved and plan again on the fresher stock) → record the plan. A crash between reserving and
 * recording leaves a hold the order does not use; the next handling of that order sets its holds
 * back to what the allocation says.
 */
@Injectable()
export class SourcingApplication {
  private readonly log = new Logger('SourcingApplication');
  private readonly perOrder = new KeyedMutex();
  private readonly policy: PlanningPolicy;
  private readonly attempts: number;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_ENV) env: SourcingEnv,
    private readonly catalog: NodeCatalogProjection,
  ) {
    this.policy = policyFrom(env);
    this.attempts = env.SOURCING_PLAN_ATTEMPTS;
  }

  openAndPlan(order: AcceptedOrder, cause: Cause): Promise<void> {
    return this.perOrder.run(order.orderId, async () => {
      await this.handle(order.orderId, { type: 'OpenAllocation', data: { ...order, now: this.clock.now() } }, cause);
      await this.plan(order.orderId, cause);
    });
  }

  /** A node gave units back (rejected, timed out, backordered, short, cancelled): settle and re-plan. */
  recordNodeReport(orderId: string, report: NodeReport, cause: Cause): Promise<void> {
    return this.perOrder.run(orderId, async () => {
      const result = await this.handle(orderId, { type: 'RecordNodeReport', data: { ...report, now: this.clock.now() } }, cause);
      await this.syncReservations(orderId, result.state, [report.nodeId]);
      await this.plan(orderId, cause);
    });
  }

  recordShipment(orderId: string, shipment: { shipmentId: string; nodeId: string; lines: readonly LineQuantity[]; shippedAt: string }, cause: Cause): Promise<void> {
    return this.perOrder.run(orderId, async () => {
      const result = await this.handle(orderId, { type: 'RecordShipment', data: shipment }, cause);
      const state = open(result.state);
      const skuOf = new Map(state.lines.map((l) => [l.lineId, l.sku]));
      const items = new Map<string, number>();
      for (const l of shipment.lines) {
        const sku = skuOf.get(l.lineId);
        if (sku) items.set(sku, (items.get(sku) ?? 0) + l.quantity);
      }
      await this.catalog.stock.execute(
        nodeStockStream(shipment.nodeId),
        {
          type: 'ConsumeReservation',
          data: { orderId, shipmentId: shipment.shipmentId, items: [...items].map(([sku, quantity]) => ({ sku, quantity })), shippedAt: shipment.shippedAt },
        },
        { causationId: cause.causationId, correlationId: orderId },
      );
      await this.syncReservations(orderId, state, [shipment.nodeId]);
    });
  }

  requestCancellation(orderId: string, request: { requestId: string; lines: readonly LineQuantity[]; reason?: string }, cause: Cause): Promise<void> {
    return this.perOrder.run(orderId, async () => {
      await this.handle(orderId, { type: 'RequestCancellation', data: { ...request, now: this.clock.now() } }, cause);
    });
  }

  changeShipTo(orderId: string, change: { requestId: string; shipTo: Address }, cause: Cause): Promise<void> {
    return this.perOrder.run(orderId, async () => {
      await this.handle(orderId, { type: 'ChangeShipTo', data: { ...change, now: this.clock.now() } }, cause);
    });
  }

  /** Offers, scorecards and profiles are facts: stored once per message, folded by feed time. */
  async recordCatalogFact(fact: CatalogFact, cause: Cause): Promise<void> {
    const stream = fact.kind === 'offers' ? streamName(NODE_CATALOG_CATEGORY, fact.nodeId) : streamName(SUPPLIER_STANDING_CATEGORY, fact.supplierId);
    const { kind, ...data } = fact;
    // Order does not matter (the fold keeps the newest by feed time), so any revision will do;
    // the id from the message makes a redelivery a no-op.
    await this.store.append(
      stream,
      [{ id: deterministicEventId(stream, cause.causationId, 0), type: FACT_EVENT_TYPES[kind], data: data as unknown as JsonObject, metadata: { causationId: cause.causationId } }],
      ANY_REVISION,
    );
  }

  async recordStock(feed: { nodeId: string; mode: 'snapshot' | 'delta'; items: readonly { sku: string; quantity: number }[]; asOf: string }, cause: Cause): Promise<void> {
    await this.catalog.stock.execute(
      nodeStockStream(feed.nodeId),
      { type: 'RecordStockLevels', data: { mode: feed.mode, items: feed.items, asOf: feed.asOf } },
      { causationId: cause.causationId },
    );
  }

  async allocation(orderId: string) {
    const { state, events } = await loadAggregate({ store: this.store, decider: allocationDecider }, streamName(ALLOCATION_CATEGORY, orderId));
    return state.status === 'open' ? { state, events } : undefined;
  }

  private async plan(orderId: string, cause: Cause): Promise<void> {
    await this.catalog.ready;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const { state } = await this.allocation(orderId).then((a) => ({ state: a?.state }));
      if (!state) return;
      const lines = unplanned(state);
      if (lines.length === 0) return;
      const view = this.catalog.view(orderId, lines, state.currency);
      const plan = planFulfilment({ lines, ...view, policy: this.policy, now: this.clock.now(), excluded: state.excluded });
      const reserved: string[] = [];
      try {
        for (const group of plan.groups) {
          const targets = new Map(reservationTargets(state, group.nodeId).map((t) => [t.sku, t.quantity]));
          for (const l of group.lines) targets.set(l.sku, (targets.get(l.sku) ?? 0) + l.quantity);
          await this.catalog.stock.execute(
            nodeStockStream(group.nodeId),
            {
              type: 'SetReservation',
              data: {
                orderId,
                items: [...targets].map(([sku, quantity]) => ({ sku, quantity })),
                safetyBuffer: view.nodes[group.nodeId]?.safetyBuffer ?? this.catalog.safetyBufferOf(group.nodeId),
                reason: `plan ${state.version + 1}`,
              },
            },
            { correlationId: orderId },
          );
          reserved.push(group.nodeId);
        }
        const decision = uuidv5(`${cause.causationId}\u0000plan\u0000${state.version + 1}`, DECISION_NAMESPACE);
        await this.handle(orderId, { type: 'RecordPlan', data: { plan, now: this.clock.now() } }, { causationId: decision, correlationId: orderId });
        return;
      } catch (error) {
        if (!(error instanceof ReservationRefusedError) && !(error instanceof AllocationError)) throw error;
        // Another order took the stock (or another handler planned first): give back what this
        // attempt took and plan again on what the store says now.
        const current = await this.allocation(orderId);
        if (current) await this.syncReservations(orderId, current.state, reserved);
      }
    }
    throw new PlanningGaveUpError(`Order ${orderId}: stock kept changing under ${this.attempts} planning attempts`);
  }

  /** Sets the order's hold at each node to what its allocation says the node still has to ship. */
  private async syncReservations(orderId: string, state: AllocationState, nodeIds: readonly string[]): Promise<void> {
    if (state.status !== 'open') return;
    for (const nodeId of new Set(nodeIds)) {
      try {
        await this.catalog.stock.execute(
          nodeStockStream(nodeId),
          { type: 'SetReservation', data: { orderId, items: reservationTargets(state, nodeId), safetyBuffer: this.catalog.safetyBufferOf(nodeId), reason: 'allocation changed' } },
          { correlationId: orderId },
        );
      } catch (error) {
        // Only a hold lost in a crash can need raising; stock that has gone since cannot be
        // conjured: the node reports the shortage when it cannot ship.
        if (!(error instanceof ReservationRefusedError)) throw error;
        this.log.warn(`Order ${orderId}: could not restore its hold at ${nodeId}: ${error.message}`);
      }
    }
  }

  private handle(orderId: string, command: AllocationCommand, cause: Cause): Promise<CommandResult<AllocationState, AllocationEvent>> {
    return handleCommand(this.store, streamName(ALLOCATION_CATEGORY, orderId), allocationDecider, command, {
      causationId: cause.causationId,
      correlationId: cause.correlationId ?? orderId,
    });
  }
}

function open(state: AllocationState): OpenAllocation {
  if (state.status !== 'open') throw new AllocationError('No allocation for this order yet');
  return state;
}

export function policyFrom(env: SourcingEnv): PlanningPolicy {
  const stale = env.SOURCING_STALE_STOCK.startsWith('discount:')
    ? ({ mode: 'discount', share: Number(env.SOURCING_STALE_STOCK.slice('discount:'.length)) } as const)
    : ({ mode: 'exclude' } as const);
  const flagged = env.SOURCING_FLAGGED.startsWith('cap:') ? ({ mode: 'cap', maxUnitsPerOrder: Number(env.SOURCING_FLAGGED.slice('cap:'.length)) } as const) : ({ mode: 'avoid' } as const);
  return { splitPenalty: env.SOURCING_SPLIT_PENALTY, failureCost: env.SOURCING_FAILURE_COST, staleStock: stale, flagged };
}
