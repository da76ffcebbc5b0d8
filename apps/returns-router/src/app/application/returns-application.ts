import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { handleCommand, loadAggregate, streamName, type EventStore, type Subscription } from '@oms/event-store';
import { CLOCK, EVENT_STORE, SERVICE_ENV, type Clock } from '@oms/platform';
import { v5 as uuidv5 } from 'uuid';
import { returnDecider, type ReturnCommand, type ReturnState } from '../domain/return';
import type { Condition, ReturnEvent } from '../domain/return-events';
import { returnableOrderDecider, type ReturnableOrderCommand, type SoldLine } from '../domain/returnable-order';
import { DEFAULT_ROUTING, routeReturn, type RoutingPolicy } from '../domain/routing';
import type { ReturnsEnv } from '../returns.env';
import { ReturnNodes } from './return-nodes';

export const RETURN_CATEGORY = 'return';
export const RETURNABLE_ORDER_CATEGORY = 'returnorder';
const RETURN_NAMESPACE = '4d9a2c61-0b7e-4f3a-8c5d-2e1f6a7b9c03';
const DAY = 86_400_000;

/** A return's id follows from the order and the platform's return id: the same request again is the same return. */
export const returnIdFor = (orderId: string, externalReturnId: string) => uuidv5(`${orderId}\u0000${externalReturnId}`, RETURN_NAMESPACE);
const rmaNumber = (partId: string) => `RMA-${createHash('sha256').update(partId).digest('hex').slice(0, 10).toUpperCase()}`;

export interface Cause {
  readonly causationId: string;
}

export type RequestOutcome = { readonly kind: 'routed' | 'rejected'; readonly returnId: string; readonly state: ReturnState };

/**
 * The returns use cases. A request first claims its units on the order's `returnorder` stream
 * (quantity and window checked on that stream's revision: two returns of one unit cannot both
 * pass), then opens its own `return` stream with the route of every part.
 */
@Injectable()
export class ReturnsApplication implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Returns');
  private readonly routing: RoutingPolicy;
  private readonly open = new Map<string, string>(); // returnId → earliest receive-by of an unreceived part
  private subscription: Subscription | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_ENV) private readonly env: ReturnsEnv,
    private readonly nodes: ReturnNodes,
  ) {
    this.routing = env.RETURNS_ROUTING ? (JSON.parse(env.RETURNS_ROUTING) as RoutingPolicy) : DEFAULT_ROUTING;
  }

  onModuleInit(): void {
    // Which returns still wait for a receipt, so the expiry check need not read them all.
    this.subscription = this.store.subscribe({
      categories: [RETURN_CATEGORY],
      onEvents: async (events) => {
        for (const e of events) {
          const returnId = e.streamName.slice(RETURN_CATEGORY.length + 1);
          const event = { type: e.type, data: e.data } as unknown as ReturnEvent;
          if (event.type === 'ReturnRouted') {
            const dates = event.data.parts.filter((p) => p.destination !== 'returnless' && p.receiveBy).map((p) => p.receiveBy!);
            if (dates.length > 0) this.open.set(returnId, dates.sort()[0]!);
          }
        }
      },
      onError: (error) => this.log.error(`open returns index stopped: ${(error as Error)?.message ?? String(error)}`),
    });
  }

  onApplicationBootstrap(): void {
    this.ticker = setInterval(() => void this.expireDue().catch((e: unknown) => this.log.error(`expiry: ${(e as Error).message}`)), this.env.RETURNS_EXPIRY_POLL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    await this.subscription?.stop();
  }

  noteSale(orderId: string, sale: { currency: string; lines: readonly SoldLine[] }, cause: Cause) {
    return this.order(orderId, { type: 'NoteSale', data: sale }, cause);
  }

  noteShipment(orderId: string, shipment: { shipmentId: string; nodeId: string; lines: readonly { lineId: string; quantity: number }[]; shippedAt: string }, cause: Cause) {
    return this.order(orderId, { type: 'NoteShipment', data: shipment }, cause);
  }

  noteDelivery(orderId: string, delivery: { shipmentId: string; deliveredAt: string }, cause: Cause) {
    return this.order(orderId, { type: 'NoteDelivery', data: delivery }, cause);
  }

  async request(
    request: { orderId: string; returnId: string; lines: readonly { lineId: string; quantity: number; reason: string }[]; comment?: string },
    cause: Cause,
  ): Promise<RequestOutcome> {
    await this.nodes.ready;
    const now = this.clock.now();
    const claimed = await this.order(
      request.orderId,
      { type: 'ClaimReturn', data: { returnId: request.returnId, lines: request.lines, windowDays: (nodeId) => this.nodes.windowDays(nodeId), now } },
      cause,
    );
    const decision = claimed.state.decided[request.returnId];
    if (!decision) throw new Error(`Return ${request.returnId} was not decided`);
    const stream = streamName(RETURN_CATEGORY, request.returnId);
    if ('errors' in decision) {
      const result = await handleCommand(this.store, stream, returnDecider, { type: 'Reject', data: { returnId: request.returnId, orderId: request.orderId, errors: decision.errors, now } }, { causationId: cause.causationId, correlationId: request.orderId });
      return { kind: 'rejected', returnId: request.returnId, state: result.state };
    }
    const reasons = Object.fromEntries(request.lines.map((l) => [l.lineId, l.reason]));
    const warehouseAddress = this.env.RETURNS_WAREHOUSE_ADDRESS ? (JSON.parse(this.env.RETURNS_WAREHOUSE_ADDRESS) as Record<string, string>) : undefined;
    const receiveBy = new Date(now.getTime() + this.env.RETURNS_RECEIVE_WITHIN_DAYS * DAY).toISOString();
    const parts = routeReturn(request.returnId, decision.units, reasons, claimed.state.lines, (nodeId) => this.nodes.info(nodeId), this.routing).map((p) => {
      if (p.destination === 'returnless') return p;
      const address = p.destination === 'supplier' ? this.nodes.info(p.nodeId).returnAddress : warehouseAddress;
      return { ...p, rmaNumber: rmaNumber(p.partId), receiveBy, ...(address ? { address } : {}) };
    });
    const command: ReturnCommand = {
      type: 'Route',
      data: { returnId: request.returnId, orderId: request.orderId, parts, ...(request.comment ? { comment: request.comment } : {}), now },
    };
    const result = await handleCommand(this.store, stream, returnDecider, command, { causationId: cause.causationId, correlationId: request.orderId });
    return { kind: result.state.status === 'rejected' ? 'rejected' : 'routed', returnId: request.returnId, state: result.state };
  }

  async receive(returnId: string, receipt: { partId: string; receiptId: string; lines: readonly { lineId: string; quantity: number; condition: Condition }[] }, cause: Cause): Promise<ReturnState> {
    const result = await handleCommand(this.store, streamName(RETURN_CATEGORY, returnId), returnDecider, { type: 'RecordReceipt', data: { ...receipt, now: this.clock.now() } }, { causationId: cause.causationId });
    return result.state;
  }

  async get(returnId: string) {
    const { state, events } = await loadAggregate({ store: this.store, decider: returnDecider }, streamName(RETURN_CATEGORY, returnId));
    return state.status === 'none' ? undefined : { state, events };
  }

  /** Parts nobody reported receiving by their receive-by time become exceptions for review. */
  async expireDue(): Promise<number> {
    const now = this.clock.now();
    let raised = 0;
    for (const [returnId, due] of this.open) {
      if (Date.parse(due) > now.getTime()) continue;
      const result = await handleCommand(this.store, streamName(RETURN_CATEGORY, returnId), returnDecider, { type: 'ExpireParts', data: { now } }, { causationId: `expire:${returnId}:${now.toISOString()}` });
      raised += result.newEvents.length;
      this.open.delete(returnId);
    }
    return raised;
  }

  private order(orderId: string, command: ReturnableOrderCommand, cause: Cause) {
    return handleCommand(this.store, streamName(RETURNABLE_ORDER_CATEGORY, orderId), returnableOrderDecider, command, { causationId: cause.causationId, correlationId: orderId });
  }
}
