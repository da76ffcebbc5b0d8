import type { EventStore, Position, RecordedEvent } from '@oms/event-store';
import type { Progress } from './progress';
import { readEverything } from './stores';

/**
 * `dropship rebuild`: folds a projection again from its service's history with the service's own
 * domain code, then compares the fresh copy with the live one, item by item and field by field.
 * Reads only: nothing here appends to a store or moves a checkpoint.
 */

/** A projection's items by id, each a plain JSON value: what gets compared. */
export type Items = ReadonlyMap<string, unknown>;

/** A fresh copy of a projection; history is folded into it one event at a time, in store order. */
export interface Fold {
  apply(event: RecordedEvent): void;
  /** The items as the service shows them over HTTP. */
  rebuilt(): Items;
  /** Where the service keeps a copy of (part of) the projection in its own store: that copy, and the rebuilt part it should equal. */
  stored?(): { readonly rebuilt: Items; readonly live: Items };
}

/** The running service's HTTP API. */
export interface LiveApi {
  /** The JSON body; any answer but 2xx is an error. */
  get(path: string): Promise<unknown>;
  /** The JSON body, or undefined when the service answers 404. */
  find(path: string): Promise<unknown>;
}

export interface Projection {
  readonly name: string;
  readonly service: string;
  readonly categories: readonly string[];
  readonly summary: string;
  start(): Fold;
  readonly live: {
    /** The endpoint, for people. */
    readonly endpoint: string;
    /** The service setting holding the bearer token the endpoint wants, when it wants one. */
    readonly tokenSetting?: string;
    /** True when one call answers every item; false when the service answers one item at a time (only `ids` are asked). */
    readonly lists: boolean;
    fetch(api: LiveApi, ids: readonly string[]): Promise<Items>;
  };
  /** What the service keeps in its store that a rebuild can be compared with; absent when it keeps nothing but the events. */
  readonly stored?: string;
}

// ─── comparison (pure) ──────────────────────────────────────────────────────────────────────────

export interface Difference {
  /** Where in the item: `scorecard.windows[0].reliability`, `history.pos["po-1"]`; empty for the whole value. */
  readonly path: string;
  readonly kind: 'changed' | 'only-in-rebuilt' | 'only-in-live';
  readonly rebuilt?: unknown;
  readonly live?: unknown;
}

export interface ItemDifference {
  readonly id: string;
  readonly verdict: 'differ' | 'only-in-rebuilt' | 'only-in-live';
  /** The fields that differ (empty when the whole item is on one side only). */
  readonly differences: readonly Difference[];
}

export interface Comparison {
  readonly items: number;
  readonly equal: number;
  readonly differ: number;
  readonly onlyInRebuilt: number;
  readonly onlyInLive: number;
  /** Every item that is not equal, by id. */
  readonly differing: readonly ItemDifference[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const keyPath = (path: string, key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`);

/**
 * Every place where two JSON values differ. Objects compare by key whatever the key order (JSONB
 * gives keys back in another order), arrays by index; a key whose value is undefined counts as
 * absent, as it would in JSON. Types are strict: 1 and "1" differ.
 */
export function diffValues(rebuilt: unknown, live: unknown, path = ''): Difference[] {
  if (Array.isArray(rebuilt) && Array.isArray(live)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(rebuilt.length, live.length); i++) {
      const at = `${path}[${i}]`;
      if (i >= live.length) out.push({ path: at, kind: 'only-in-rebuilt', rebuilt: rebuilt[i] });
      else if (i >= rebuilt.length) out.push({ path: at, kind: 'only-in-live', live: live[i] });
      else out.push(...diffValues(rebuilt[i], live[i], at));
    }
    return out;
  }
  if (isRecord(rebuilt) && isRecord(live)) {
    const out: Difference[] = [];
    const keys = [...new Set([...Object.keys(rebuilt), ...Object.keys(live)])].sort();
    for (const key of keys) {
      const [r, l, at] = [rebuilt[key], live[key], keyPath(path, key)];
      if (l === undefined && r !== undefined) out.push({ path: at, kind: 'only-in-rebuilt', rebuilt: r });
      else if (r === undefined && l !== undefined) out.push({ path: at, kind: 'only-in-live', live: l });
      else out.push(...diffValues(r, l, at));
    }
    return out;
  }
  return rebuilt === live ? [] : [{ path, kind: 'changed', rebuilt, live }];
}

/** The two copies item by item: which are equal, which differ (and where), which are on one side only. */
export function compareItems(rebuilt: Items, live: Items): Comparison {
  const ids = [...new Set([...rebuilt.keys(), ...live.keys()])].sort();
  const differing: ItemDifference[] = [];
  for (const id of ids) {
    if (!live.has(id)) differing.push({ id, verdict: 'only-in-rebuilt', differences: [] });
    else if (!rebuilt.has(id)) differing.push({ id, verdict: 'only-in-live', differences: [] });
    else {
      const differences = diffValues(rebuilt.get(id), live.get(id));
      if (differences.length > 0) differing.push({ id, verdict: 'differ', differences });
    }
  }
  const count = (verdict: ItemDifference['verdict']) => differing.filter((d) => d.verdict === verdict).length;
  return { items: ids.length, equal: ids.length - differing.length, differ: count('differ'), onlyInRebuilt: count('only-in-rebuilt'), onlyInLive: count('only-in-live'), differing };
}

// ─── report ─────────────────────────────────────────────────────────────────────────────────────

export interface RebuildReport extends Comparison {
  readonly projection: string;
  readonly service: string;
  /** What the rebuilt copy was compared with. */
  readonly against: string;
  /** Events folded. */
  readonly events: number;
}

/** A rebuild that found differences: the report has been printed; the process exits 1. */
export class DifferencesFound extends Error {
  override readonly name = 'DifferencesFound';
  constructor(readonly report: RebuildReport) {
    super(`${report.items - report.equal} of ${report.items} ${report.projection} items differ`);
  }
}

const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
};

export function summaryLine(c: Comparison): string {
  return `${c.items} items: ${c.equal} equal, ${c.differ} differ, ${c.onlyInRebuilt} only in rebuilt, ${c.onlyInLive} only in live`;
}

/** For a person: what was compared with what, each item that is not equal with its paths, and the counts. */
export function formatReport(report: RebuildReport, maxPathsPerItem = 20): string {
  const lines = [`Rebuilt ${report.projection} from ${report.events} events of ${report.service}; compared with ${report.against}`];
  for (const item of report.differing) {
    lines.push(`${item.verdict.replace(/-/g, ' ').padEnd(16)} ${item.id}`);
    for (const d of item.differences.slice(0, maxPathsPerItem)) {
      const rebuilt = d.kind === 'only-in-live' ? '(absent)' : show(d.rebuilt);
      const live = d.kind === 'only-in-rebuilt' ? '(absent)' : show(d.live);
      lines.push(`    ${d.path || '(value)'}: rebuilt ${rebuilt}, live ${live}`);
    }
    if (item.differences.length > maxPathsPerItem) lines.push(`    … and ${item.differences.length - maxPathsPerItem} more (--json lists all)`);
  }
  lines.push(`${report.projection}: ${summaryLine(report)}`);
  return lines.join('\n');
}

// ─── the run ────────────────────────────────────────────────────────────────────────────────────

export type Against = { readonly kind: 'store' } | { readonly kind: 'http'; readonly url: string; readonly token?: string };

/** The service over HTTP, with a bearer token when given. */
export function liveApi(url: string, token: string | undefined, fetchImpl: typeof fetch = fetch): LiveApi {
  const base = url.replace(/\/+$/, '');
  const call = async (path: string, missing: 'error' | 'undefined') => {
    const response = await fetchImpl(`${base}${path}`, {
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status === 404 && missing === 'undefined') return undefined;
    if (!response.ok) {
      const hint = response.status === 401 ? ' (give the token with --token or DROPSHIP_TOKEN)' : response.status === 404 ? ' (is --live-url the right service?)' : '';
      throw new Error(`GET ${base}${path} answered ${response.status}${hint}`);
    }
    return (await response.json()) as unknown;
  };
  return { get: (path) => call(path, 'error'), find: (path) => call(path, 'undefined') };
}

/** One call per item, a few at a time; an item the service does not know is left out. */
export async function fetchEach(ids: readonly string[], fetchOne: (id: string) => Promise<unknown>, concurrency = 8): Promise<Items> {
  const found = new Map<string, unknown>();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const value = await fetchOne(id);
      if (value !== undefined) found.set(id, value);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return found;
}

/** As JSON would carry them: undefined fields gone, dates as strings. */
const asJson = (items: Items): Items => new Map([...items].map(([id, value]) => [id, value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown)]));

export interface RebuildOptions {
  readonly progress: Progress;
  readonly fetch?: typeof fetch;
  /** Pause before asking the service again about items that differed; grows each round. */
  readonly settleMs?: number;
}

const SETTLE_ROUNDS = 3;

/**
 * Folds the projection's categories from the start of the store, then compares. Against the
 * service over HTTP, an item that differs is given a chance to settle first: the store moves on
 * while the rebuild reads and the service follows it a batch behind, so the rebuilt copy is
 * brought level with the store and the service asked again (a few rounds) before an item is
 * reported. Against the store both sides come from one read, so there is nothing to settle.
 */
export async function rebuildAndCompare(projection: Projection, store: EventStore, against: Against, options: RebuildOptions): Promise<RebuildReport> {
  const fold = projection.start();
  let after: Position | undefined;
  let events = 0;
  const readOn = async () => {
    for await (const event of readEverything(store, projection.categories, after)) {
      fold.apply(event);
      after = event.position;
      events++;
      options.progress.tick();
    }
  };
  await readOn();
  options.progress.finish();
  const report = (against: string, comparison: Comparison): RebuildReport => ({ projection: projection.name, service: projection.service, against, events, ...comparison });

  if (against.kind === 'store') {
    if (!fold.stored || !projection.stored) throw new Error(`${projection.service} keeps no ${projection.name} of its own in its store: compare with the running service (--live-url)`);
    const { rebuilt, live } = fold.stored();
    return report(`${projection.stored}, in the store`, compareItems(asJson(rebuilt), asJson(live)));
  }

  const api = liveApi(against.url, against.token, options.fetch);
  let rebuilt = asJson(fold.rebuilt());
  const live = new Map(await projection.live.fetch(api, [...rebuilt.keys()]));
  let comparison = compareItems(rebuilt, live);
  for (let round = 1; round <= SETTLE_ROUNDS && comparison.differing.length > 0; round++) {
    await new Promise((resolve) => setTimeout(resolve, (options.settleMs ?? 250) * round));
    const before = rebuilt;
    await readOn();
    rebuilt = asJson(fold.rebuilt());
    const ask = [...new Set([...comparison.differing.map((d) => d.id), ...[...rebuilt.keys()].filter((id) => !before.has(id))])];
    const again = await projection.live.fetch(api, projection.live.lists ? [...rebuilt.keys()] : ask);
    if (projection.live.lists) live.clear();
    else for (const id of ask) live.delete(id);
    for (const [id, value] of again) live.set(id, value);
    comparison = compareItems(rebuilt, live);
  }
  return report(`${against.url.replace(/\/+$/, '')} ${projection.live.endpoint}`, comparison);
}
