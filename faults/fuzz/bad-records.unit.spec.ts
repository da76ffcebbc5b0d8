import { validatePayload } from '@oms/contracts';
import fc from 'fast-check';
import { badRecordDrafts, draftsToRecords, edgeDrafts, envelopeView } from './bad-records';
import { consumedTopics, expectedOf } from './consumers';
import { split, topicShapes } from './plan';

const topics = consumedTopics();
const shapes = topicShapes(topics);

describe('bad records (the fuzz test’s Kafka inputs)', () => {
  it('covers every topic a service consumes, the diagnostics topic included', () => {
    expect([...topics.keys()]).toEqual(expect.arrayContaining(['commerce.orders.v1', 'supplier.purchase-orders.v1', 'oms.diagnostics.v1']));
    expect(topics.get('oms.diagnostics.v1')).toHaveLength(6);
  });

  it.each(shapes.map((s) => [s.topic, s] as const))('on %s, every record a consumer follows is refused by that consumer’s schema', (_topic, shape) => {
    const drafts = [...edgeDrafts(shape), ...fc.sample(badRecordDrafts(shape), { seed: 5, numRuns: 150 })];
    const accepted: string[] = [];
    for (const record of draftsToRecords(shape.topic, drafts, 'unit', 0)) {
      const view = envelopeView(record);
      if (!view.json) continue;
      const payload: unknown = JSON.parse(Buffer.isBuffer(record.value) ? record.value.toString('utf8') : record.value!);
      for (const consumer of topics.get(shape.topic)!) {
        if (consumer.follows === 'every' || !Object.hasOwn(consumer.follows, view.type)) continue;
        let ok = false;
        try {
          ok = validatePayload(consumer.follows[view.type]!, payload).ok;
        } catch {
          // A payload too deep to validate is refused too (the services must turn it into a dead letter).
        }
        if (ok) accepted.push(`${consumer.service} ${view.type} ${record.kind}: ${String(record.value).slice(0, 200)}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('reads the envelope the way the transport does: the last of repeated headers, the payload type without one', () => {
    const [record] = draftsToRecords('t', [{ kind: 'garbled envelope headers', value: '{"type":"B"}', headers: { 'event-type': ['A', Buffer.from('C')] }, note: '' }], 'unit', 0);
    expect(envelopeView(record!)).toMatchObject({ json: true, type: 'C' });
    const [bare] = draftsToRecords('t', [{ kind: 'no envelope headers', value: '{"type":"B"}', headers: {}, note: '' }], 'unit', 0);
    expect(envelopeView(bare!)).toMatchObject({ json: true, type: 'B', eventId: undefined });
  });

  it('expects a dead letter from every consumer for a value that is not JSON, and a skip for another reader’s type', () => {
    const [intake] = topics.get('commerce.orders.v1')!;
    const sourcing = topics.get('wms.shipments.v1')!.find((c) => c.service === 'sourcing')!;
    expect(expectedOf(intake!, 'commerce.orders.v1', { json: true, type: 'Whatever' })).toBe('dead-lettered');
    expect(expectedOf(sourcing, 'wms.shipments.v1', { json: false, type: 'ReturnPartReceived' })).toBe('dead-lettered');
    expect(expectedOf(sourcing, 'wms.shipments.v1', { json: true, type: 'ReturnPartReceived' })).toBe('skipped');
    expect(expectedOf(sourcing, 'wms.shipments.v1', { json: true, type: 'FuzzUnknown' })).toBe('unknown type');
    expect(expectedOf(sourcing, 'wms.shipments.v1', { json: true, type: 'constructor' })).toBe('unknown type');
  });

  it('splits a total over weights exactly', () => {
    expect(split(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(split(7, [1, 0.25, 1]).reduce((a, b) => a + b, 0)).toBe(7);
  });
});
