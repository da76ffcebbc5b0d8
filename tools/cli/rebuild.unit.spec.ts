import type { EventStore, ReadAllOptions, RecordedEvent } from '@oms/event-store';
import { compareItems, diffValues, formatReport, rebuildAndCompare, type Projection, type RebuildReport } from './rebuild';

describe('diffValues', () => {
  it('finds nothing between equal values whatever the key order', () => {
    expect(diffValues({ a: 1, b: { c: [1, { d: 'x' }] } }, { b: { c: [1, { d: 'x' }] }, a: 1 })).toEqual([]);
  });

  it('names the nested field that changed, with both values', () => {
    expect(diffValues({ scorecard: { windows: [{ reliability: 0.9 }] } }, { scorecard: { windows: [{ reliability: 0.8 }] } })).toEqual([
      { path: 'scorecard.windows[0].reliability', kind: 'changed', rebuilt: 0.9, live: 0.8 },
    ]);
  });

  it('tells a field or an element present on one side only', () => {
    expect(diffValues({ a: 1, lines: [1, 2, 3] }, { b: 2, lines: [1] })).toEqual([
      { path: 'a', kind: 'only-in-rebuilt', rebuilt: 1 },
      { path: 'b', kind: 'only-in-live', live: 2 },
      { path: 'lines[1]', kind: 'only-in-rebuilt', rebuilt: 2 },
      { path: 'lines[2]', kind: 'only-in-rebuilt', rebuilt: 3 },
    ]);
  });

  it('counts an undefined field as absent, as JSON would, but null as a value', () => {
    expect(diffValues({ a: undefined, b: 1 }, { b: 1 })).toEqual([]);
    expect(diffValues({ scorecard: null }, {})).toEqual([{ path: 'scorecard', kind: 'only-in-rebuilt', rebuilt: null }]);
  });

  it('keeps numbers and strings apart: 1500 is not "1500"', () => {
    expect(diffValues({ amount: 1500 }, { amount: '1500' })).toEqual([{ path: 'amount', kind: 'changed', rebuilt: 1500, live: '1500' }]);
    expect(diffValues([0], [false])).toEqual([{ path: '[0]', kind: 'changed', rebuilt: 0, live: false }]);
  });

  it('reports an object against an array, or a value against null, as one change of the whole', () => {
    expect(diffValues({ lines: { l1: 1 } }, { lines: [1] })).toEqual([{ path: 'lines', kind: 'changed', rebuilt: { l1: 1 }, live: [1] }]);
    expect(diffValues({ at: null }, { at: '2026-11-25T10:00:00Z' })).toEqual([{ path: 'at', kind: 'changed', rebuilt: null, live: '2026-11-25T10:00:00Z' }]);
  });

  it('quotes keys that are not identifiers (stream ids, dashed names)', () => {
    expect(diffValues({ pos: { 'po-1': { units: 2 } } }, { pos: { 'po-1': { units: 3 } } })).toEqual([{ path: 'pos["po-1"].units', kind: 'changed', rebuilt: 2, live: 3 }]);
  });
});

describe('compareItems', () => {
  it('counts equal, differing and one-sided items and lists the others by id', () => {
    const rebuilt = new Map<string, unknown>([
      ['S1', { flags: { reasons: [] } }],
      ['S2', { flags: { reasons: ['late_shipments'] } }],
      ['S3', { flags: { reasons: [] } }],
    ]);
    const live = new Map<string, unknown>([
      ['S1', { flags: { reasons: [] } }],
      ['S2', { flags: { reasons: [] } }],
      ['S4', { flags: { reasons: [] } }],
    ]);
    const comparison = compareItems(rebuilt, live);
    expect(comparison).toMatchObject({ items: 4, equal: 1, differ: 1, onlyInRebuilt: 1, onlyInLive: 1 });
    expect(comparison.differing).toEqual([
      { id: 'S2', verdict: 'differ', differences: [{ path: 'flags.reasons[0]', kind: 'only-in-rebuilt', rebuilt: 'late_shipments' }] },
      { id: 'S3', verdict: 'only-in-rebuilt', differences: [] },
      { id: 'S4', verdict: 'only-in-live', differences: [] },
    ]);
  });

  it('compares whole values too: a boolean item', () => {
    expect(compareItems(new Map([['balanced', true]]), new Map([['balanced', false]])).differing).toEqual([
      { id: 'balanced', verdict: 'differ', differences: [{ path: '', kind: 'changed', rebuilt: true, live: false }] },
    ]);
  });
});

describe('formatReport', () => {
  const report: RebuildReport = {
    projection: 'orders',
    service: 'order-intake',
    against: 'http://127.0.0.1:3001 GET /orders/:id',
    events: 12,
    ...compareItems(new Map<string, unknown>([['o1', { status: 'shipped', lines: [1, 2] }], ['o2', {}]]), new Map<string, unknown>([['o1', { status: 'processing', lines: [1] }]])),
  };

  it('gives each item that is not equal with its paths, then the counts', () => {
    expect(formatReport(report).split('\n')).toEqual([
      'Rebuilt orders from 12 events of order-intake; compared with http://127.0.0.1:3001 GET /orders/:id',
      'differ           o1',
      '    lines[1]: rebuilt 2, live (absent)',
      '    status: rebuilt "shipped", live "processing"',
      'only in rebuilt  o2',
      'orders: 2 items: 0 equal, 1 differ, 1 only in rebuilt, 0 only in live',
    ]);
  });

  it('cuts long lists of paths short and says where the rest is', () => {
    expect(formatReport(report, 1)).toMatch(/lines\[1\].*\n {4}… and 1 more \(--json lists all\)/);
  });
});

describe('rebuildAndCompare against a running service', () => {
  // A store that holds a list of events, read in pages as the real ones are.
  const event = (stream: string, revision: number, data: Record<string, number>): RecordedEvent => ({
    id: `${stream}/${revision}`,
    type: 'Counted',
    data,
    metadata: {},
    streamName: stream,
    revision,
    position: { commit: BigInt(revision), prepare: BigInt(revision) },
    recordedAt: new Date('2026-11-25T10:00:00Z'),
  });
  const storeOf = (events: RecordedEvent[]) =>
    ({
      readAll: async (options: ReadAllOptions = {}) => events.filter((e) => !options.after || e.position.commit > options.after.commit).slice(0, options.maxCount ?? 1000),
    }) as unknown as EventStore;
  const counters: Projection = {
    name: 'counters',
    service: 'test',
    categories: ['counter'],
    summary: 'a count per stream',
    start() {
      const counts = new Map<string, number>();
      return { apply: (e) => counts.set(e.streamName, (counts.get(e.streamName) ?? 0) + (e.data['n'] as number)), rebuilt: () => counts };
    },
    live: { endpoint: 'GET /counters', lists: true, fetch: async (api) => new Map(Object.entries((await api.get('/counters')) as Record<string, number>)) },
  };
  const answering = (...bodies: object[]) => {
    const calls: string[] = [];
    const fetch = async (url: string | URL | Request, init?: RequestInit) => {
      calls.push(`${String(url)} ${JSON.stringify(init?.headers)}`);
      return new Response(JSON.stringify(bodies[Math.min(calls.length - 1, bodies.length - 1)]), { status: 200 });
    };
    return { calls, fetch: fetch as typeof globalThis.fetch };
  };
  const progress = { tick: () => undefined, finish: () => undefined };

  it('asks again before reporting an item the service had not caught up with yet', async () => {
    const events = [event('counter-a', 0, { n: 1 }), event('counter-a', 1, { n: 2 })];
    const live = answering({ 'counter-a': 1 }, { 'counter-a': 3 });
    const report = await rebuildAndCompare(counters, storeOf(events), { kind: 'http', url: 'http://svc/', token: 't0k' }, { progress, fetch: live.fetch, settleMs: 1 });
    expect(report).toMatchObject({ items: 1, equal: 1, events: 2, against: 'http://svc GET /counters' });
    expect(live.calls).toEqual([`http://svc/counters {"accept":"application/json","authorization":"Bearer t0k"}`, expect.stringContaining('http://svc/counters')]);
  });

  it('folds what the store recorded meanwhile into the rebuilt copy before comparing again', async () => {
    const events = [event('counter-a', 0, { n: 1 })];
    const live = answering({ 'counter-a': 5 });
    const store = storeOf(events);
    const original = live.fetch;
    let first = true;
    const fetch = (async (...args: Parameters<typeof globalThis.fetch>) => {
      // The service has seen an event the rebuild's read had not: the store gets it before the next round.
      if (first) events.push(event('counter-a', 1, { n: 4 }));
      first = false;
      return original(...args);
    }) as typeof globalThis.fetch;
    const report = await rebuildAndCompare(counters, store, { kind: 'http', url: 'http://svc' }, { progress, fetch, settleMs: 1 });
    expect(report).toMatchObject({ items: 1, equal: 1, events: 2 });
  });

  it('reports what still differs after settling, with the id and the path', async () => {
    const live = answering({ 'counter-a': 2, 'counter-b': 1 });
    const report = await rebuildAndCompare(counters, storeOf([event('counter-a', 0, { n: 1 })]), { kind: 'http', url: 'http://svc' }, { progress, fetch: live.fetch, settleMs: 1 });
    expect(report).toMatchObject({ items: 2, equal: 0, differ: 1, onlyInLive: 1 });
    expect(report.differing[0]).toEqual({ id: 'counter-a', verdict: 'differ', differences: [{ path: '', kind: 'changed', rebuilt: 1, live: 2 }] });
    expect(live.calls).toHaveLength(4);
  });

  it('refuses to compare with the store a projection the service keeps nowhere but in memory', async () => {
    await expect(rebuildAndCompare(counters, storeOf([]), { kind: 'store' }, { progress })).rejects.toThrow(/keeps no counters of its own.*--live-url/);
  });
});
