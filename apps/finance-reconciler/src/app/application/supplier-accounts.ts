import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AggregateCache, CheckpointConflictError, startCheckpointedProcessor, streamName, WrongExpectedRevisionError, type CheckpointedProcessor, type EventStore, type RecordedEvent } from '@oms/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '@oms/platform';
import type { LedgerEvent } from '../domain/ledger-events';
import { supplierAccountDecider, type AccountEntryKind, type ChargebackTerms, type SupplierAccountCommand, type SupplierAccountEvent, type SupplierAccountState } from '../domain/supplier-account';

export const SUPPLIER_ACCOUNT_CATEGORY = 'supplieraccount';
export const supplierAccountStream = (supplierId: string) => streamName(SUPPLIER_ACCOUNT_CATEGORY, supplierId);

/** Writes of other replicas one account write may run into before it gives up. */
const MAX_CONFLICTS = 20;

/** Which ledger events move a supplier's account, and how. */
function postingOf(event: LedgerEvent): { supplierId: string; kind: AccountEntryKind; amount: number; currency: string; poId: string; reference: string } | undefined {
  switch (event.type) {
    case 'SupplierPayableAccrued':
      return { supplierId: event.data.supplierId, kind: 'payable_accrued', amount: event.data.amount, currency: event.data.currency, poId: event.data.poId, reference: event.data.shipmentId };
    case 'SupplierPayableReleased':
      return { supplierId: event.data.supplierId, kind: 'payable_released', amount: event.data.amount, currency: event.data.currency, poId: event.data.poId, reference: event.data.sourceId };
    case 'ChargebackRaised':
      return { supplierId: event.data.supplierId, kind: 'chargeback', amount: event.data.amount, currency: event.data.currency, poId: event.data.poId, reference: event.data.rule };
    case 'SupplierCreditExpected':
      return { supplierId: event.data.supplierId, kind: 'credit_expected', amount: event.data.amount, currency: event.data.currency, poId: event.data.poId, reference: event.data.returnId };
    case 'SupplierInvoiceMatched':
      return { supplierId: event.data.supplierId, kind: 'invoice_matched', amount: event.data.amount, currency: event.data.currency, poId: event.data.poId, reference: event.data.invoiceNumber };
    case 'SupplierInvoiceDisputed':
      return { supplierId: event.data.supplierId, kind: 'invoice_disputed', amount: event.data.invoiced, currency: event.data.currency, poId: event.data.poId, reference: event.data.invoiceNumber };
    default:
      return undefined;
  }
}

/**
 * The supplier accounts (`supplieraccount-<id>`): posted from the order ledgers by a checkpointed
 * processor (each ledger event once, by its id), plus the supplier's terms, payments and credits
 * received. Kept in a cache: an account is long-lived and every order of the supplier touches it.
 */
@Injectable()
export class SupplierAccounts implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('SupplierAccounts');
  private readonly cache: AggregateCache<SupplierAccountCommand, SupplierAccountState, SupplierAccountEvent>;
  private processor: CheckpointedProcessor | undefined;
  /** Per account, the last write this process queued: the next one starts after it. */
  private readonly writing = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.cache = new AggregateCache(store, supplierAccountDecider);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.processor = await startCheckpointedProcessor({
      store: this.store,
      name: 'finance-reconciler.supplier-accounts',
      categories: ['ledger'],
      batchSize: 500,
      handle: (event) => this.post(event),
      onError: (error) =>
        error instanceof CheckpointConflictError
          ? this.log.log('another replica moved the posting checkpoint; following again')
          : this.log.error(`supplier-account posting stopped: ${(error as Error)?.message ?? String(error)}; following again`),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.processor?.stop();
  }

  async terms(supplierId: string): Promise<ChargebackTerms | undefined> {
    const entry = this.cache.peek(supplierAccountStream(supplierId)) ?? (await this.cache.refresh(supplierAccountStream(supplierId)));
    return entry.state.terms?.chargebacks;
  }

  async recordTerms(supplierId: string, chargebacks: ChargebackTerms, asOf: string): Promise<void> {
    await this.write(supplierId, { type: 'RecordTerms', data: { chargebacks, asOf } });
  }

  /** A payment to, or a credit received from, the supplier: once per id. */
  async record(supplierId: string, entry: { entryId: string; kind: 'payment' | 'credit_received'; amount: number; currency: string; reference?: string }): Promise<SupplierAccountState> {
    return this.write(supplierId, { type: 'Post', data: { ...entry, at: this.clock.now().toISOString() } });
  }

  async account(supplierId: string): Promise<SupplierAccountState> {
    return (await this.cache.refresh(supplierAccountStream(supplierId))).state;
  }

  /** Posting is idempotent by the ledger event's id, so the processor may repeat a batch safely. */
  private async post(recorded: RecordedEvent): Promise<void> {
    const posting = postingOf({ type: recorded.type, data: recorded.data } as unknown as LedgerEvent);
    if (!posting) return;
    const { supplierId, ...entry } = posting;
    await this.write(supplierId, { type: 'Post', data: { entryId: recorded.id, ...entry, orderId: recorded.streamName.slice('ledger-'.length), at: recorded.recordedAt.toISOString() } }, recorded.id);
  }

  /**
   * Every write to an account goes through here. This process decides one account's writes one
   * after another, so a burst of payments (or postings) never races itself; only another
   * replica's write can come in between. That conflict is decided again on the fresh account
   * after a short random pause, so two replicas draining bursts on one account take turns instead
   * of one outrunning the other's retries.
   */
  private write(supplierId: string, command: SupplierAccountCommand, causationId?: string): Promise<SupplierAccountState> {
    const stream = supplierAccountStream(supplierId);
    const written = (this.writing.get(stream) ?? Promise.resolve()).then(() => this.decide(stream, command, causationId));
    const settled = written.catch(() => undefined);
    this.writing.set(stream, settled);
    void settled.then(() => {
      if (this.writing.get(stream) === settled) this.writing.delete(stream);
    });
    return written;
  }

  private async decide(stream: string, command: SupplierAccountCommand, causationId: string | undefined): Promise<SupplierAccountState> {
    for (let conflicts = 0; ; conflicts++) {
      try {
        return (await this.cache.execute(stream, command, { ...(causationId ? { causationId } : {}), maxAttempts: 1 })).state;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || conflicts >= MAX_CONFLICTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (conflicts + 1)));
        await this.cache.refresh(stream);
      }
    }
  }
}
