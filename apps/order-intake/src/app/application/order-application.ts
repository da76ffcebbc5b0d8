import { Inject, Injectable } from '@nestjs/common';
import type { FieldError, OrderRejectionReason } from '@oms/contracts';
import { handleCommand, loadAggregate, NO_STREAM, streamName, type EventStore, type RecordedEvent } from '@oms/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '@oms/platform';
import { customerSubjectId, PersonalData, SubjectErasedError, subjectOf } from '@oms/privacy';
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

/** The customer's personal data was erased: nothing more can be taken for them under the same identity. */
export class CustomerErasedError extends Error {
  override readonly name = 'CustomerErasedError';
  constructor(readonly orderId: string) {
    super("The customer's personal data was erased at their request: an order or address for them is not taken under the same customer id or email");
  }
}

/**
 * The order-intake use cases: each is load → decide → append through the shared command handler.
 * The customer's personal data (their email, names and phone; the recipient's name, company, street
 * and phone) is sealed under the customer's key before anything is decided or stored, so no event,
 * message or dead letter carries it in clear; it is opened only for the storefront's order view.
 */
@Injectable()
export class OrderApplication {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly personal: PersonalData,
  ) {}

  async place(order: PlacedOrderInput, cause: Cause): Promise<PlaceOutcome> {
    const orderId = orderIdFor(order.channel, order.externalOrderId);
    let sealed: PlacedOrderInput;
    try {
      sealed = await this.seal(customerSubjectId(order.channel, order.customer, order.externalOrderId), order);
    } catch (error) {
      if (!(error instanceof SubjectErasedError)) throw error;
      // The order itself again (a redelivery days later): it stands, unchanged and unreadable.
      const { state } = await loadAggregate({ store: this.store, decider: orderDecider }, streamName(ORDER_CATEGORY, orderId));
      if (state.status === 'open') return { kind: 'duplicate', orderId };
      throw new CustomerErasedError(orderId);
    }
    // Sealing is deterministic per customer, so the same order fingerprints the same — and the
    // fingerprint, like the data, cannot be checked against a guess once the key is gone.
    const print = fingerprint(sealed);
    const unsealedPrint = fingerprint(order);
    const result = await this.handle(orderId, { type: 'PlaceOrder', data: { orderId, order: sealed, fingerprint: print, unsealedFingerprint: unsealedPrint, now: this.clock.now() } }, cause);
    const first = result.newEvents[0];
    if (first?.type === 'OrderAccepted') return { kind: 'accepted', orderId };
    if (first?.type === 'OrderRejected') return { kind: 'rejected', orderId, errors: first.data.errors };
    if (first?.type === 'OrderPlacementConflicted') return { kind: 'conflict', orderId };
    if (result.state.status === 'open') {
      return [print, unsealedPrint].includes(result.state.accepted.fingerprint) ? { kind: 'duplicate', orderId } : { kind: 'conflict', orderId };
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
    const subjectId = await this.subjectOfOrder(orderId);
    let shipTo = request.shipTo;
    try {
      // No order (the decider refuses it): nothing to seal, nothing stored.
      if (subjectId) shipTo = await this.personal.sealAddress(subjectId, request.shipTo);
    } catch (error) {
      throw error instanceof SubjectErasedError ? new CustomerErasedError(orderId) : error;
    }
    const result = await this.handle(orderId, { type: 'ChangeShippingAddress', data: { ...request, shipTo, now: this.clock.now() } }, cause);
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

  /** The storefront's view: the one place order intake opens the customer's data (`[erased]` after an erasure). */
  async view(orderId: string): Promise<{ view: OrderView; history: OrderHistoryEntry[] } | undefined> {
    const { state, events } = await loadAggregate({ store: this.store, decider: orderDecider }, streamName(ORDER_CATEGORY, orderId));
    if (state.status !== 'open') return undefined;
    return this.personal.openDeep({ view: viewOrder(state), history: events.map(historyEntry) });
  }

  /** The data subject whose personal data an order carries (undefined: no such order). */
  async subjectOfOrder(orderId: string): Promise<string | undefined> {
    const { state } = await loadAggregate({ store: this.store, decider: orderDecider }, streamName(ORDER_CATEGORY, orderId));
    if (state.status !== 'open') return undefined;
    const { accepted } = state;
    // Orders accepted before sealing began carry the customer in clear: the same rule names them.
    return subjectOf(accepted.shipTo.name) ?? customerSubjectId(accepted.channel, accepted.customer, accepted.externalOrderId);
  }

  orderIdFor(channel: string, externalOrderId: string): string {
    return orderIdFor(channel, externalOrderId);
  }

  private async seal(subjectId: string, order: PlacedOrderInput): Promise<PlacedOrderInput> {
    // `billTo` is not part of the domain's order, but it is fingerprinted with it: sealed too.
    const { billTo } = order as PlacedOrderInput & { billTo?: Address };
    return {
      ...order,
      customer: await this.personal.sealCustomer(subjectId, order.customer),
      shipTo: await this.personal.sealAddress(subjectId, order.shipTo),
      ...(billTo ? { billTo: await this.personal.sealAddress(subjectId, billTo) } : {}),
    };
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
