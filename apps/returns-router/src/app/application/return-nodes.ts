import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ANY_REVISION, deterministicEventId, streamName, type EventStore, type JsonObject, type Subscription } from '@oms/event-store';
import { EVENT_STORE, SERVICE_ENV } from '@oms/platform';
import type { NodeInfo } from '../domain/routing';
import type { ReturnsEnv } from '../returns.env';

export const RETURN_POLICY_CATEGORY = 'returnpolicy';

export interface SupplierReturnPolicy {
  readonly supplierId: string;
  readonly acceptsReturns: boolean;
  readonly windowDays?: number;
  readonly returnAddress?: Readonly<Record<string, string>>;
  readonly asOf: string;
}

/**
 * The suppliers' return policies (window, whether they take returns, where to), from
 * `supplier.profiles.v1`: stored as facts, folded in memory, newest wins. A node no supplier
 * profile names is one of the retailer's warehouses.
 */
@Injectable()
export class ReturnNodes implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('ReturnNodes');
  private readonly policies = new Map<string, SupplierReturnPolicy>();
  private subscription: Subscription | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_ENV) private readonly env: ReturnsEnv,
  ) {}

  onModuleInit(): void {
    this.subscription = this.store.subscribe({
      categories: [RETURN_POLICY_CATEGORY],
      onEvents: async (events) => events.forEach((e) => this.keep(e.data as unknown as SupplierReturnPolicy)),
      onError: (error) => this.log.error(`return policies stopped: ${(error as Error)?.message ?? String(error)}`),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }

  get ready(): Promise<void> {
    return this.subscription?.caughtUp ?? Promise.resolve();
  }

  async record(policy: SupplierReturnPolicy, causationId: string): Promise<void> {
    const stream = streamName(RETURN_POLICY_CATEGORY, policy.supplierId);
    await this.store.append(stream, [{ id: deterministicEventId(stream, causationId, 0), type: 'SupplierReturnPolicyRecorded', data: policy as unknown as JsonObject, metadata: { causationId } }], ANY_REVISION);
    this.keep(policy);
  }

  info(nodeId: string): NodeInfo {
    const policy = this.policies.get(nodeId);
    if (!policy) return { kind: 'warehouse', acceptsReturns: true };
    return { kind: 'supplier', acceptsReturns: policy.acceptsReturns, ...(policy.returnAddress ? { returnAddress: policy.returnAddress } : {}) };
  }

  windowDays(nodeId: string): number {
    return this.policies.get(nodeId)?.windowDays ?? this.env.RETURNS_WINDOW_DAYS;
  }

  private keep(policy: SupplierReturnPolicy): void {
    const current = this.policies.get(policy.supplierId);
    if (!current || Date.parse(policy.asOf) >= Date.parse(current.asOf)) this.policies.set(policy.supplierId, policy);
  }
}
