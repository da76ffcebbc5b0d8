import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AggregateCache, streamName, type EventStore, type RecordedEvent, type Subscription } from '@oms/event-store';
import { CLOCK, EVENT_STORE, SERVICE_ENV, type Clock } from '@oms/platform';
import { acceptedCredentials, supplierDecider, SupplierError, validPrevious, type Credentials, type SupplierCommand, type SupplierEvent, type SupplierSettings, type SupplierState } from '../domain/supplier';
import type { GatewayEnv } from '../gateway.env';
import { encryptSecret, hashApiKey, newApiKey, newWebhookSecret } from './secrets';

export const SUPPLIER_CATEGORY = 'supplier';
export const supplierStream = (supplierId: string) => streamName(SUPPLIER_CATEGORY, supplierId);

export type RegisteredSupplier = Extract<SupplierState, { status: 'registered' }>;

/**
 * Every supplier, folded from the `supplier` streams at start and followed live, with the indexes
 * authentication needs (API key hashes — the current key and, during a rotation's grace period,
 * the one it replaced — and the EDI interchange id). Writes go through the same cache, so an admin
 * change is visible to the next request at once.
 */
@Injectable()
export class SupplierDirectory implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('SupplierDirectory');
  private readonly cache: AggregateCache<SupplierCommand, SupplierState, SupplierEvent>;
  private readonly byKeyHash = new Map<string, string>();
  private readonly byEdiId = new Map<string, string>();
  private subscription: Subscription | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_ENV) private readonly env: GatewayEnv,
  ) {
    this.cache = new AggregateCache(store, supplierDecider);
  }

  onModuleInit(): void {
    this.subscription = this.store.subscribe({
      categories: [SUPPLIER_CATEGORY],
      onEvents: async (events) => events.forEach((e) => this.apply(e)),
      onError: (error) => this.log.error(`supplier directory stopped: ${(error as Error)?.message ?? String(error)}`),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }

  get ready(): Promise<void> {
    return this.subscription?.caughtUp ?? Promise.resolve();
  }

  get(supplierId: string): RegisteredSupplier | undefined {
    const state = this.cache.peek(supplierStream(supplierId))?.state;
    return state?.status === 'registered' ? state : undefined;
  }

  /** Loads from the store when this process has not seen the supplier yet. */
  async load(supplierId: string): Promise<RegisteredSupplier | undefined> {
    const state = (await this.cache.refresh(supplierStream(supplierId))).state;
    if (state.status !== 'registered') return undefined;
    this.index(state);
    return state;
  }

  /** The supplier whose current key this is, or whose replaced key this is while its grace period lasts. */
  byApiKey(key: string): RegisteredSupplier | undefined {
    const hash = hashApiKey(key);
    const id = this.byKeyHash.get(hash);
    const supplier = id ? this.get(id) : undefined;
    return supplier && acceptedCredentials(supplier, this.clock.now()).some((c) => c.apiKeyHash === hash) ? supplier : undefined;
  }

  /** The encrypted webhook secrets a signed callback may use now: the current one first. */
  webhookSecretsOf(supplier: RegisteredSupplier): string[] {
    return acceptedCredentials(supplier, this.clock.now())
      .map((c) => c.webhookSecretCipher)
      .filter(Boolean);
  }

  byEdiSender(qualifier: string, id: string): RegisteredSupplier | undefined {
    const supplierId = this.byEdiId.get(`${qualifier.trim()}/${id.trim()}`);
    return supplierId ? this.get(supplierId) : undefined;
  }

  async register(supplierId: string, settings: SupplierSettings): Promise<{ supplier: RegisteredSupplier; apiKey: string; webhookSecret: string | undefined }> {
    if (settings.connector === 'webhook' && !this.env.GATEWAY_SECRETS_KEY) {
      throw new SupplierError('Webhook suppliers need GATEWAY_SECRETS_KEY set: their secret is kept encrypted');
    }
    await this.execute(supplierId, { type: 'RegisterSupplier', data: { supplierId, settings, now: this.clock.now() } });
    const issued = await this.issueCredentials(supplierId);
    return issued;
  }

  async change(supplierId: string, settings: Partial<SupplierSettings>): Promise<RegisteredSupplier> {
    return this.execute(supplierId, { type: 'ChangeSettings', data: { settings, now: this.clock.now() } });
  }

  /**
   * New API key (and webhook secret), shown once. The ones they replace keep working for
   * GATEWAY_CREDENTIAL_GRACE_HOURS (or until `retirePrevious`), so the supplier switches without
   * downtime; from now on we sign with the new secret.
   */
  async issueCredentials(supplierId: string): Promise<{ supplier: RegisteredSupplier; apiKey: string; webhookSecret: string | undefined }> {
    const key = newApiKey();
    const secret = this.env.GATEWAY_SECRETS_KEY ? newWebhookSecret() : undefined;
    const supplier = await this.execute(supplierId, {
      type: 'IssueCredentials',
      data: {
        apiKeyHash: key.hash,
        apiKeyPrefix: key.prefix,
        webhookSecretCipher: secret && this.env.GATEWAY_SECRETS_KEY ? encryptSecret(secret, this.env.GATEWAY_SECRETS_KEY) : '',
        graceHours: this.env.GATEWAY_CREDENTIAL_GRACE_HOURS,
        now: this.clock.now(),
      },
    });
    return { supplier, apiKey: key.key, webhookSecret: secret };
  }

  /** Ends a rotation's grace period now: only the newest credentials work. */
  async retirePrevious(supplierId: string): Promise<{ supplier: RegisteredSupplier; retired: boolean }> {
    const before = this.get(supplierId) ?? (await this.load(supplierId));
    if (!before) throw new SupplierError('No such supplier');
    const retired = validPrevious(before, this.clock.now()) !== undefined;
    return { supplier: await this.execute(supplierId, { type: 'RetirePreviousCredentials', data: { now: this.clock.now() } }), retired };
  }

  /** The replaced credentials still accepted, if a rotation's grace period lasts. */
  previousOf(supplier: RegisteredSupplier): (Pick<Credentials, 'apiKeyPrefix'> & { validUntil: string }) | undefined {
    const previous = validPrevious(supplier, this.clock.now());
    return previous ? { apiKeyPrefix: previous.apiKeyPrefix, validUntil: previous.validUntil } : undefined;
  }

  private async execute(supplierId: string, command: SupplierCommand): Promise<RegisteredSupplier> {
    const before = this.get(supplierId);
    const { state } = await this.cache.execute(supplierStream(supplierId), command);
    if (state.status !== 'registered') throw new SupplierError('No such supplier');
    this.unindex(before);
    this.index(state);
    return state;
  }

  private apply(event: RecordedEvent): void {
    const supplierId = event.streamName.slice(SUPPLIER_CATEGORY.length + 1);
    const before = this.get(supplierId);
    this.cache.apply(event);
    const after = this.get(supplierId);
    if (after !== before) {
      this.unindex(before);
      if (after) this.index(after);
    }
  }

  private index(state: RegisteredSupplier): void {
    // Expired previous keys stay indexed until the next change; `byApiKey` checks validity on use.
    for (const credentials of [state.credentials, state.previousCredentials]) if (credentials) this.byKeyHash.set(credentials.apiKeyHash, state.supplierId);
    const edi = state.settings.edi;
    if (edi) this.byEdiId.set(`${edi.supplierQualifier.trim()}/${edi.supplierId.trim()}`, state.supplierId);
  }

  private unindex(state: RegisteredSupplier | undefined): void {
    if (!state) return;
    for (const credentials of [state.credentials, state.previousCredentials]) {
      if (credentials && this.byKeyHash.get(credentials.apiKeyHash) === state.supplierId) this.byKeyHash.delete(credentials.apiKeyHash);
    }
    const edi = state.settings.edi;
    if (edi && this.byEdiId.get(`${edi.supplierQualifier.trim()}/${edi.supplierId.trim()}`) === state.supplierId) this.byEdiId.delete(`${edi.supplierQualifier.trim()}/${edi.supplierId.trim()}`);
  }
}
