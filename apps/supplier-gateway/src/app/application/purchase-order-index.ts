import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AggregateCache, streamName, type EventStore, type Subscription } from '@oms/event-store';
import { EVENT_STORE } from '@oms/platform';
import { nextDeadline, purchaseOrderDecider, type OpenPo, type PoState, type PurchaseOrderCommand } from '../domain/purchase-order';
import type { PurchaseOrderEvent } from '../domain/purchase-order-events';

export const PO_CATEGORY = 'po';
export const poStream = (poId: string) => streamName(PO_CATEGORY, poId);

/**
 * Every purchase order, folded from the `po` streams at start and followed live: the supplier API
 * lists a supplier's own POs from it, EDI answers find their PO by number, and the deadline
 * scheduler finds what is due. The PO streams stay the authority: every change is decided on its
 * stream's revision (this cache is its write side too).
 */
@Injectable()
export class PurchaseOrderIndex implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('PurchaseOrderIndex');
  readonly cache: AggregateCache<PurchaseOrderCommand, PoState, PurchaseOrderEvent>;
  private readonly bySupplier = new Map<string, Set<string>>();
  /** POs that may still have a deadline: once one has none, it never gets one again. */
  private readonly armed = new Set<string>();
  private readonly byNumber = new Map<string, string>();
  private subscription: Subscription | undefined;
  /** Told of every deadline that fired, history included (metrics). */
  onTimedOut: ((deadline: 'confirm' | 'ship') => void) | undefined;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.cache = new AggregateCache(store, purchaseOrderDecider);
  }

  onModuleInit(): void {
    this.subscription = this.store.subscribe({
      categories: [PO_CATEGORY],
      batchSize: 1000,
      onEvents: async (events) => {
        for (const event of events) {
          this.cache.apply(event);
          if (event.type === 'PurchaseOrderCreated') this.remember(event.data as unknown as OpenPo['po']);
          if (event.type === 'PurchaseOrderTimedOut') this.onTimedOut?.((event.data as { deadline: 'confirm' | 'ship' }).deadline);
        }
      },
      onError: (error) => this.log.error(`purchase-order index stopped: ${(error as Error)?.message ?? String(error)}`),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }

  get ready(): Promise<void> {
    return this.subscription?.caughtUp ?? Promise.resolve();
  }

  remember(po: OpenPo['po']): void {
    this.bySupplier.set(po.supplierId, (this.bySupplier.get(po.supplierId) ?? new Set()).add(po.poId));
    this.armed.add(po.poId);
    this.byNumber.set(`${po.supplierId}/${po.poNumber}`, po.poId);
  }

  /** A PO, as its stream says now. */
  async get(poId: string): Promise<OpenPo | undefined> {
    const { state } = await this.cache.refresh(poStream(poId));
    return state.status === 'none' ? undefined : state;
  }

  /** Every event of a PO, as stored (with the raw supplier messages): what a dispute needs. */
  history(poId: string) {
    return this.store.readStream(poStream(poId));
  }

  /**
   * A PO's identity (supplier, order, lines as created) from memory when this process has it:
   * those never change, so no read is needed to authorise or label a command. The command itself
   * still decides on the stream's revision.
   */
  async find(poId: string): Promise<OpenPo | undefined> {
    const cached = this.cache.peek(poStream(poId))?.state;
    return cached && cached.status !== 'none' ? cached : this.get(poId);
  }

  /** A supplier's PO by its number: never another supplier's. */
  idByNumber(supplierId: string, poNumber: string): string | undefined {
    return this.byNumber.get(`${supplierId}/${poNumber.trim()}`);
  }

  ofSupplier(supplierId: string): OpenPo[] {
    return [...(this.bySupplier.get(supplierId) ?? [])]
      .map((poId) => this.cache.peek(poStream(poId))?.state)
      .filter((s): s is OpenPo => s !== undefined && s.status !== 'none');
  }

  /** POs by status, as this process knows them (metrics). */
  countByStatus(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const ids of this.bySupplier.values()) {
      for (const poId of ids) {
        const status = this.cache.peek(poStream(poId))?.state.status;
        if (status && status !== 'none') counts.set(status, (counts.get(status) ?? 0) + 1);
      }
    }
    return counts;
  }

  /** Deadlines still to come or to fire, by kind (metrics). */
  pendingDeadlines(): { confirm: number; ship: number } {
    const pending = { confirm: 0, ship: 0 };
    for (const poId of this.armed) {
      const state = this.cache.peek(poStream(poId))?.state;
      const next = state ? nextDeadline(state) : undefined;
      if (next) pending[next.deadline]++;
    }
    return pending;
  }

  /** POs with a deadline due at `now`. */
  due(now: Date): string[] {
    const due: string[] = [];
    for (const poId of this.armed) {
      const state = this.cache.peek(poStream(poId))?.state;
      if (!state) continue;
      const next = nextDeadline(state);
      // Terminal, or acknowledged with no ship-by to enforce: this PO has no deadline left to fire.
      if (!next) this.armed.delete(poId);
      else if (Date.parse(next.due) <= now.getTime()) due.push(poId);
    }
    return due;
  }

}
