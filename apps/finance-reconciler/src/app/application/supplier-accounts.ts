import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AggregateCache, CheckpointConflictError, startCheckpointedProcessor, streamName, type CheckpointedProcessor, type EventStore, type RecordedEvent } from '@oms/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '@oms/platform';
import type { LedgerEvent } from '../domain/ledger-events';
import { supplierAccountDecider, type AccountEntryKind, type ChargebackTerms, type SupplierAccountCommand, type SupplierAccountEvent, type SupplierAccountState } from '../domain/supplier-account';

export const SUPPLIER_ACCOUNT_CATEGORY = 'supplieraccount';
export const supplierAccountStream = (supplierId: string) => streamName(SUPPLIER_ACCOUNT_CATEGORY, supplierId);

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
    await this.cache.execute(supplierAccountStream(supplierId), { type: 'RecordTerms', data: { chargebacks, asOf } });
  }

  /** A payment to, or a credit received from, the supplier: once per id. */
  async record(supplierId: string, entry: { entryId: string; kind: 'payment' | 'credit_received'; amount: number; currency: string; reference?: string }): Promise<SupplierAccountState> {
    const { state } = await this.cache.execute(supplierAccountStream(supplierId), {
      type: 'Post',
      data: { ...entry, at: this.clock.now().toISOString() },
    });
    return state;
  }

  async account(supplierId: string): Promise<SupplierAccountState> {
    return (await this.cache.refresh(supplierAccountStream(supplierId))).state;
  }

  /** Posting is idempotent by the ledger event's id, so the processor may repeat a batch safely. */
  private async post(recorded: RecordedEvent): Promise<void> {
    const posting = postingOf({ type: recorded.type, data: recorded.data } as unknown as LedgerEvent);
    if (!posting) return;
    const { supplierId, ...entry } = posting;
    await this.cache.execute(
      supplierAccountStream(supplierId),
      { type: 'Post', data: { entryId: recorded.id, ...entry, orderId: recorded.streamName.slice('ledger-'.length), at: recorded.recordedAt.toISOString() } },
      { causationId: recorded.id },
    );
  }
}
