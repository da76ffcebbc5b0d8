import { Inject, Injectable } from '@nestjs/common';
import type { FieldError, OrderRejectionReason } from '@oms/contracts';
import { handleCommand, loadAggregate, NO_STREAM, streamName, type EventStore, type RecordedEvent } from '@oms/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '@oms/platform';
import { orderDecider, type OrderCommand, type OrderFact } from '../domain/order-decider';
import type { OrderEvent } from '../domain/order-events';
import type { OrderState } from '../domain/order-state';
import type { Address, LineQuantity, PlacedOrderInput } from '../domain/order-types';
import { viewOrder, type OrderView } from '../domain/order-view';
import { fingerprint, orderIdFor, rejectionIdFor } from './order-identity';

export const ORDER_CATEGORY = 'order';
export const REJECTION_CATEGORY = 'intakerejection';

/** What caused a command: the message's event id (or the HTTP request's idempotency key). */
export interface Cause {
  readonly causationId: string;
  readonly correlationId?: string;
}

export type PlaceOutcome =
  | { readonly kind: 'accepted'; readonly orderId: string }
  | { readonly kind: 'duplicate'; readonly orderId: string }
  | { readonly kind: 'conflict'; readonly orderId: string }
  | { readonly kind: 'rejected'; readonly orderId: string; readonly errors: readonly FieldError[] };

export interface IntakeRejection {
  readonly reason: OrderRejectionReason;
  readonly errors: readonly FieldError[];
  readonly channel?: string;
  readonly externalOrderId?: string;
  readonly orderId?: string;
  /** A short excerpt of what was received, for whoever investigates. */
  readonly received?: string;
}

export interface OrderHistoryEntry {
  readonly revision: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly data: Record<string, unknown>;
}

/** The order-intake use cases: each is load → decide → append through the shared command handler. */
@Injectable()
export class OrderApplication {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async place(order: PlacedOrderInput, cause: Cause): Promise<PlaceOutcome> {
    const orderId = orderIdFor(order.channel, order.externalOrderId);
    const print = fingerprint(order);
    const result = await this.handle(orderId, { type: 'PlaceOrder', data: { orderId, order, fingerprint: print, now: this.clock.now() } }, cause);
    const first = result.newEvents[0];
    if (first?.type === 'OrderAccepted') return { kind: 'accepted', orderId };
    if (first?.type === 'OrderRejected') return { kind: 'rejected', orderId, errors: first.data.errors };
    if (first?.type === 'OrderPlacementConflicted') return { kind: 'conflict', orderId };
    if (result.state.status === 'open') {
      return result.state.accepted.fingerprint === print ? { kind: 'duplicate', orderId } : { kind: 'conflict', orderId };
    }
    // The same message again after a rejection: the rejection stands.
    const rejected = await this.lastRejection(orderId);
    return { kind: 'rejected', orderId, errors: rejected };
  }

  recordFact(orderId: string, fact: OrderFact, cause: Cause): Promise<unknown> {
    return this.handle(orderId, { type: 'RecordFact', data: { fact, now: this.clock.now() } }, cause);
  }

  async requestCancellation(orderId: string, request: { requestId: string; lines?: readonly LineQuantity[]; reason?: string }, cause: Cause) {
    const result = await this.handle(orderId, { type: 'RequestCancellation', data: { ...request, now: this.clock.now() } }, cause);
    return result.newEvents.find((e) => e.type === 'CancellationRequested')?.data;
  }

  async changeShippingAddress(orderId: string, request: { requestId: string; shipTo: Address }, cause: Cause) {
    const result = await this.handle(orderId, { type: 'ChangeShippingAddress', data: { ...request, now: this.clock.now() } }, cause);
    return result.newEvents.find((e) => e.type === 'ShippingAddressChanged')?.data;
  }

  /**
   * Records why a message could not become a command at all (not JSON, invalid, unknown type), so
   * the rejection is published through the relay like every other event: never lost, never dual-written.
   */
  async recordRejection(rejection: IntakeRejection, cause: Cause): Promise<void> {
    const stream = streamName(REJECTION_CATEGORY, rejectionIdFor(cause.causationId));
    await this.store
      .append(
        stream,
        [
          {
            id: rejectionIdFor(`${cause.causationId}/event`),
            type: 'OrderRejected',
            data: JSON.parse(JSON.stringify({ ...rejection, rejectedAt: this.clock.now().toISOString() })),
            metadata: { causationId: cause.causationId, ...(cause.correlationId ? { correlationId: cause.correlationId } : {}) },
          },
        ],
        NO_STREAM,
      )
      .catch((error: unknown) => {
        // The same message rejected again: already recorded (same ids) — anything else is real.
        if ((error as Error).name !== 'WrongExpectedRevisionError') throw error;
      });
  }

  async view(orderId: string): Promise<{ view: OrderView; history: OrderHistoryEntry[] } | undefined> {
    const { state, events } = await loadAggregate({ store: this.store, decider: orderDecider }, streamName(ORDER_CATEGORY, orderId));
    if (state.status !== 'open') return undefined;
    return { view: viewOrder(state), history: events.map(historyEntry) };
  }

  orderIdFor(channel: string, externalOrderId: string): string {
    return orderIdFor(channel, externalOrderId);
  }

  private handle(orderId: string, command: OrderCommand, cause: Cause) {
    return handleCommand<OrderCommand, OrderState, OrderEvent>(this.store, streamName(ORDER_CATEGORY, orderId), orderDecider, command, {
      causationId: cause.causationId,
      correlationId: cause.correlationId ?? orderId,
    });
  }

  private async lastRejection(orderId: string): Promise<FieldError[]> {
    const [last] = await this.store.readStream(streamName(ORDER_CATEGORY, orderId), { direction: 'backwards', maxCount: 1 });
    return last?.type === 'OrderRejected' ? ((last.data['errors'] as unknown as FieldError[]) ?? []) : [];
  }
}

function historyEntry(event: RecordedEvent): OrderHistoryEntry {
  const { fingerprint: _fingerprint, ...data } = event.data as Record<string, unknown>;
  return { revision: event.revision, type: event.type, recordedAt: event.recordedAt.toISOString(), data };
}
