import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AggregateCache, categoryOf, streamName, type EventStore, type Position, type RecordedEvent, type Subscription } from '@oms/event-store';
import { CLOCK, EVENT_STORE, SERVICE_ENV, type Clock } from '@oms/platform';
import { DEFAULT_FLAGS, type FlagPolicy } from '../domain/flags';
import { canonicalJson, performanceDecider, replayFlags, type PerformanceCommand, type PerformanceEvent, type PerformanceState, type Policies } from '../domain/performance';
import { DEFAULT_SCORING, type ScoringPolicy } from '../domain/scorecard';
import type { SupplierFact } from '../domain/supplier-facts';
import type { PerformanceEnv } from '../performance.env';

export const SCORECARD_CATEGORY = 'scorecard';
const stream = (supplierId: string) => streamName(SCORECARD_CATEGORY, supplierId);
const supplierOf = (name: string) => name.slice(SCORECARD_CATEGORY.length + 1);

export function policiesFrom(env: PerformanceEnv): Policies {
  const weights = env.PERFORMANCE_WEIGHTS ? (JSON.parse(env.PERFORMANCE_WEIGHTS) as Partial<ScoringPolicy['weights']>) : {};
  const flags = env.PERFORMANCE_FLAGS ? (JSON.parse(env.PERFORMANCE_FLAGS) as FlagPolicy) : DEFAULT_FLAGS;
  return { scoring: { ...DEFAULT_SCORING, minSample: env.PERFORMANCE_MIN_SAMPLE, weights: { ...DEFAULT_SCORING.weights, ...weights } }, flags };
}

/**
 * The live projection: one `scorecard-<supplierId>` stream per supplier holds the facts learned
 * and the decisions made; this process keeps each folded in memory (followed live, so replicas
 * agree) and decides on the stream's revision. It also judges every supplier again on a timer so
 * windows slide, rebuilds a fresh copy from the store to compare, and answers "what if".
 */
@Injectable()
export class Scorecards implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Scorecards');
  private readonly cache: AggregateCache<PerformanceCommand, PerformanceState, PerformanceEvent>;
  private readonly suppliers = new Set<string>();
  /** The last decision queued per supplier: see `serially`. */
  private readonly decisions = new Map<string, Promise<unknown>>();
  private subscription: Subscription | undefined;
  private ticker: NodeJS.Timeout | undefined;
  readonly policies: Policies;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_ENV) private readonly env: PerformanceEnv,
  ) {
    this.cache = new AggregateCache(store, performanceDecider);
    this.policies = policiesFrom(env);
  }

  onModuleInit(): void {
    this.subscription = this.store.subscribe({
      categories: [SCORECARD_CATEGORY],
      batchSize: 1000,
      onEvents: async (events) => {
        for (const e of events) {
          this.suppliers.add(supplierOf(e.streamName));
          this.cache.apply(e);
        }
      },
      onError: (error) => this.log.error(`scorecard projection stopped: ${(error as Error)?.message ?? String(error)}`),
    });
  }

  onApplicationBootstrap(): void {
    this.ticker = setInterval(() => void this.reevaluateAll().catch((e: unknown) => this.log.error(`re-evaluation: ${(e as Error).message}`)), this.env.PERFORMANCE_REEVALUATE_MS);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    await this.subscription?.stop();
  }

  get ready(): Promise<void> {
    return this.subscription?.caughtUp ?? Promise.resolve();
  }

  async record(supplierId: string, fact: SupplierFact, causationId: string): Promise<void> {
    this.suppliers.add(supplierId);
    await this.serially(supplierId, () =>
      this.cache.execute(stream(supplierId), { type: 'RecordFact', data: { fact, now: this.clock.now(), policies: this.policies } }, { causationId }),
    );
  }

  /** Judges every known supplier at the current time; returns how many changed. */
  async reevaluateAll(): Promise<number> {
    await this.ready;
    let changed = 0;
    for (const supplierId of this.suppliers) {
      const { newEvents } = await this.serially(supplierId, () =>
        this.cache.execute(stream(supplierId), { type: 'Reevaluate', data: { now: this.clock.now(), policies: this.policies } }),
      );
      if (newEvents.length > 0) changed++;
    }
    return changed;
  }

  async get(supplierId: string): Promise<PerformanceState | undefined> {
    const entry = this.cache.peek(stream(supplierId)) ?? (await this.cache.refresh(stream(supplierId)));
    return entry.revision < 0 ? undefined : entry.state;
  }

  list(): { supplierId: string; state: PerformanceState }[] {
    return [...this.suppliers].sort().flatMap((supplierId) => {
      const state = this.cache.peek(stream(supplierId))?.state;
      return state ? [{ supplierId, state }] : [];
    });
  }

  /**
   * Replays every scorecard stream from the store into a fresh copy and compares it with the live
   * projection, supplier by supplier. Also times a plain read of the same events: the limit.
   */
  async rebuild(): Promise<{ suppliers: number; events: number; seconds: number; readSeconds: number; eventsPerSecond: number; readEventsPerSecond: number; equal: boolean; differing: string[] }> {
    await this.ready;
    const started = performance.now();
    const fresh = new Map<string, { state: PerformanceState; revision: number }>();
    const fold = (state: PerformanceState, e: RecordedEvent) => performanceDecider.evolve(state, { type: e.type, data: e.data } as unknown as PerformanceEvent);
    let events = 0;
    await this.readAll((batch) => {
      for (const e of batch) {
        const supplierId = supplierOf(e.streamName);
        fresh.set(supplierId, { state: fold(fresh.get(supplierId)?.state ?? performanceDecider.initialState(), e), revision: e.revision });
        events++;
      }
    });
    const seconds = (performance.now() - started) / 1000;
    const readStarted = performance.now();
    await this.readAll(() => undefined);
    const readSeconds = (performance.now() - readStarted) / 1000;
    // The live copy may be a batch behind the store: bring it level before comparing. Facts that
    // came in during the rebuild put it ahead: fold those into the fresh copy up to the same revision.
    const differing: string[] = [];
    for (const [supplierId, rebuilt] of fresh) {
      const live = await this.cache.refresh(stream(supplierId));
      let state = rebuilt.state;
      if (live.revision > rebuilt.revision) {
        for (const e of await this.store.readStream(stream(supplierId), { fromRevision: rebuilt.revision + 1 })) if (e.revision <= live.revision) state = fold(state, e);
      }
      if (canonicalJson(live.state) !== canonicalJson(state)) differing.push(supplierId);
    }
    return {
      suppliers: fresh.size,
      events,
      seconds,
      readSeconds,
      eventsPerSecond: Math.round(events / Math.max(seconds, 1e-6)),
      readEventsPerSecond: Math.round(events / Math.max(readSeconds, 1e-6)),
      equal: differing.length === 0,
      differing,
    };
  }

  /** Which suppliers other policies would have flagged or suspended, from the same history. */
  async whatIf(policies: Policies): Promise<{ supplierId: string; wouldBeFlagged: boolean; wouldBeSuspended: boolean; isFlagged: boolean; isSuspended: boolean; changes: number }[]> {
    const facts = new Map<string, SupplierFact[]>();
    await this.readAll((batch) => {
      for (const e of batch) {
        if (e.type !== 'SupplierFactRecorded') continue;
        const supplierId = supplierOf(e.streamName);
        facts.set(supplierId, [...(facts.get(supplierId) ?? []), (e.data as unknown as { fact: SupplierFact }).fact]);
      }
    });
    return [...facts].map(([supplierId, history]) => {
      const changes = replayFlags(history, policies);
      const last = { reasons: [] as readonly string[], suspended: false };
      for (const c of changes) {
        if (c.kind === 'flagged') last.reasons = c.reasons;
        if (c.kind === 'cleared') last.reasons = [];
        if (c.kind === 'suspended') last.suspended = true;
        if (c.kind === 'reinstated') last.suspended = false;
      }
      const live = this.cache.peek(stream(supplierId))?.state.flags;
      return {
        supplierId,
        wouldBeFlagged: last.reasons.length > 0,
        wouldBeSuspended: last.suspended,
        isFlagged: (live?.reasons.length ?? 0) > 0,
        isSuspended: live?.suspended ?? false,
        changes: changes.length,
      };
    });
  }

  /**
   * One decision at a time per supplier in this process. A supplier's facts come on several
   * partitions at once; decided concurrently on one stream, all but one conflict, and the one that
   * must re-read before deciding again keeps losing to those that need not, until its fact is
   * dead-lettered. (Another replica can still conflict: the cache's retry covers that.)
   */
  private serially<T>(supplierId: string, decide: () => Promise<T>): Promise<T> {
    const decided = (this.decisions.get(supplierId) ?? Promise.resolve()).then(decide);
    const settled = decided.catch(() => undefined);
    this.decisions.set(supplierId, settled);
    void settled.then(() => this.decisions.get(supplierId) === settled && this.decisions.delete(supplierId));
    return decided;
  }

  private async readAll(onBatch: (events: readonly RecordedEvent[]) => void): Promise<void> {
    let after: Position | undefined;
    for (;;) {
      const page = await this.store.readAll({ categories: [SCORECARD_CATEGORY], maxCount: 5000, ...(after ? { after } : {}) });
      onBatch(page.filter((e) => categoryOf(e.streamName) === SCORECARD_CATEGORY));
      if (page.length < 5000) return;
      after = page[page.length - 1]!.position;
    }
  }
}
