import { deterministicEventId } from '../command-handler';
import type { Decider } from '../decider';
import { defineUpcasters } from '../upcasting/upcasters';
import { CorpusRecorder, corpusGaps, eventShapes, storedVersion, type CorpusEvent } from './corpus';

type Counted = { readonly type: 'Counted'; readonly data: { readonly by: number; readonly note?: string } };
const counter: Decider<{ by: number; note?: string }, number, Counted> = {
  initialState: () => 0,
  decide: (command) => [{ type: 'Counted', data: command }],
  evolve: (state, event) => state + event.data.by,
};
const registry = defineUpcasters<'Counted' | 'Reset'>([{ type: 'Counted', fromVersion: 1, upcast: (data) => data }], { versions: { Counted: 2, Reset: 1 } });

const event = (type: string, data: object, schemaVersion?: number): CorpusEvent => ({
  id: `${type}-${JSON.stringify(data)}`,
  stream: 'counter-1',
  type,
  data: data as CorpusEvent['data'],
  metadata: schemaVersion === undefined ? {} : { schemaVersion },
});

describe('CorpusRecorder', () => {
  it('records what a decider decides as the command handler stores it: ids from the causation, its metadata, the version written, JSON', () => {
    const recorder = new CorpusRecorder(registry);
    recorder.decide(counter, 'counter-1', { by: 2, note: undefined }, { causationId: 'm-1', correlationId: 'o-1', metadata: { orderId: 'o-1' } });
    recorder.decide(counter, 'counter-1', { by: 3 }, { causationId: 'm-2' });
    expect(recorder.events).toEqual([
      { id: deterministicEventId('counter-1', 'm-1', 0), stream: 'counter-1', type: 'Counted', data: { by: 2 }, metadata: { orderId: 'o-1', causationId: 'm-1', correlationId: 'o-1', schemaVersion: 2 } },
      { id: deterministicEventId('counter-1', 'm-2', 0), stream: 'counter-1', type: 'Counted', data: { by: 3 }, metadata: { causationId: 'm-2', schemaVersion: 2 } },
    ]);
    expect(recorder.state<number>('counter-1')).toBe(5);
    expect(recorder.file('about', 'origin', (s) => s !== 'counter-1').events).toEqual([]);
  });
});

describe('eventShapes', () => {
  it('gives every path of each type with the kind of value there, whatever the values', () => {
    const shapes = eventShapes([
      { type: 'A', data: { lines: [{ id: 'x', quantity: 1 }], note: null, tags: [], meta: {} } },
      { type: 'A', data: { lines: [{ id: 'y', quantity: 5, extra: true }] } },
    ]);
    expect(shapes).toEqual({ A: ['lines[].extra:boolean', 'lines[].id:string', 'lines[].quantity:number', 'meta:{}', 'note:null', 'tags:[]'] });
    expect(eventShapes([{ type: 'A', data: { n: 1 } }])).toEqual(eventShapes([{ type: 'A', data: { n: 99 } }]));
    expect(eventShapes([{ type: 'A', data: { n: 1 } }])).not.toEqual(eventShapes([{ type: 'A', data: { count: 1 } }]));
  });
});

describe('corpusGaps', () => {
  it('names types stored without a declared version, and declared types without an event at version 1 or the current one', () => {
    expect(corpusGaps(registry, [event('Counted', {}), event('Counted', {}, 2), event('Reset', {}, 1)])).toEqual([]);
    expect(corpusGaps(registry, [event('Counted', {}, 2), event('Surprise', {})])).toEqual(['Surprise: stored, but no version declared', 'Counted: no event stored at version 1', 'Reset: no event stored at version 1']);
  });

  it('reads an event without a version as version 1', () => {
    expect(storedVersion(event('Counted', {}))).toBe(1);
    expect(storedVersion(event('Counted', {}, 2))).toBe(2);
  });
});
