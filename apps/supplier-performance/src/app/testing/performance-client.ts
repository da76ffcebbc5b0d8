import type { EventStore, Position } from '@oms/event-store';
import { SCORECARD_CATEGORY } from '../application/scorecards';
import type { FlagPolicy, FlagState } from '../domain/flags';
import type { FlaggedScorecard } from '../domain/performance';
import type { ScoringPolicy } from '../domain/scorecard';
import { serviceTestEnv } from '@oms/testing';

export const PERFORMANCE_ADMIN_TOKEN = 'performance-admin-token-for-tests';

/** Supplier-performance configuration for a test run or a benchmark on the shared broker and database. */
export function performanceEnv(options: {
  brokers: readonly string[];
  databaseUrl: string;
  schema: string;
  groupId: string;
  partitions?: number;
  minSample?: number;
}): Record<string, string> {
  return {
    ...serviceTestEnv(options),
    PERFORMANCE_MIN_SAMPLE: String(options.minSample ?? 5),
    PERFORMANCE_ADMIN_TOKEN,
  };
}

export interface ScorecardEntry {
  readonly supplierId: string;
  readonly flags: FlagState;
  readonly scorecard: FlaggedScorecard | null;
}

export type SupplierView = ScorecardEntry & { readonly purchaseOrders: number };

export interface RebuildResult {
  readonly suppliers: number;
  readonly events: number;
  readonly seconds: number;
  readonly readSeconds: number;
  readonly eventsPerSecond: number;
  readonly readEventsPerSecond: number;
  readonly equal: boolean;
  readonly differing: readonly string[];
}

export interface WhatIfVerdict {
  readonly supplierId: string;
  readonly wouldBeFlagged: boolean;
  readonly wouldBeSuspended: boolean;
  readonly isFlagged: boolean;
  readonly isSuspended: boolean;
  readonly changes: number;
}

export interface WhatIfBody {
  readonly scoring?: Partial<ScoringPolicy>;
  readonly flags?: Partial<FlagPolicy>;
}

/** The scorecards API as sourcing staff and operators call it; admin calls carry the token unless told otherwise. */
export class PerformanceClient {
  constructor(private readonly url: () => string) {}

  async list(): Promise<readonly ScorecardEntry[]> {
    const response = await fetch(`${this.url()}/scorecards`);
    if (!response.ok) throw new Error(`GET /scorecards: ${response.status}`);
    return ((await response.json()) as { scorecards: ScorecardEntry[] }).scorecards;
  }

  async supplier(supplierId: string): Promise<SupplierView | undefined> {
    const response = await fetch(`${this.url()}/scorecards/${encodeURIComponent(supplierId)}`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET /scorecards/${supplierId}: ${response.status}`);
    return (await response.json()) as SupplierView;
  }

  async rebuild(): Promise<RebuildResult> {
    return this.admin<RebuildResult>('/admin/rebuild', {});
  }

  async whatIf(body: WhatIfBody): Promise<readonly WhatIfVerdict[]> {
    return this.admin<WhatIfVerdict[]>('/admin/what-if', body);
  }

  /** An admin call as given, for checking who may make it. */
  post(path: string, body: object, token?: string): Promise<Response> {
    return fetch(`${this.url()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  }

  private async admin<T>(path: string, body: object): Promise<T> {
    const response = await this.post(path, body, PERFORMANCE_ADMIN_TOKEN);
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
}

/**
 * Counts the facts the service has recorded, per supplier, reading only what is new in its store
 * on each call: how a test or a benchmark knows a burst of messages has been projected.
 */
export class RecordedFacts {
  private readonly counts = new Map<string, number>();
  private after: Position | undefined;

  constructor(private readonly store: () => EventStore) {}

  async refresh(): Promise<this> {
    for (;;) {
      const page = await this.store().readAll({ categories: [SCORECARD_CATEGORY], maxCount: 5000, ...(this.after ? { after: this.after } : {}) });
      for (const e of page) {
        if (e.type !== 'SupplierFactRecorded') continue;
        const supplierId = e.streamName.slice(SCORECARD_CATEGORY.length + 1);
        this.counts.set(supplierId, (this.counts.get(supplierId) ?? 0) + 1);
      }
      if (page.length > 0) this.after = page[page.length - 1]!.position;
      if (page.length < 5000) return this;
    }
  }

  of(supplierId: string): number {
    return this.counts.get(supplierId) ?? 0;
  }

  total(suppliers: Iterable<string>): number {
    let n = 0;
    for (const s of suppliers) n += this.of(s);
    return n;
  }
}
