import { ORDER_EVENTS, TOPICS } from '@oms/contracts';
import type { SeenMessage } from '@oms/messaging/testing';
import { envelopeView, type BadRecord } from './bad-records';
import { declaredTypes, expectedOf, UNKNOWN_TYPE_EXPECTATION, type TopicConsumer } from './consumers';
import type { DeadLetter } from './kafka-fuzz';

export interface KafkaVerdict {
  /** Dead letters of the fuzz, per original topic. */
  readonly deadLettersByTopic: Record<string, number>;
  /** Records that some group had to dead-letter and did not (or that got no OrderRejected). */
  readonly unaccounted: string[];
  /** Dead letters where the group should have skipped a type it does not follow (FOLLOWED is wrong). */
  readonly unexpected: string[];
  /** Unknown-type records a consumer skipped without a trace, per topic (allowed by UNKNOWN_TYPE_EXPECTATION). */
  readonly skippedUnknown: Record<string, number>;
  /** Unknown-type records consumers dead-lettered, per topic. */
  readonly deadLetteredUnknown: Record<string, number>;
  readonly rejections: number;
  readonly rejectionsExpected: number;
  /** Dead letters after more than one try: a transient error where a permanent one was due. */
  readonly retried: Record<string, number>;
}

const bump = (o: Record<string, number>, k: string, n = 1) => (o[k] = (o[k] ?? 0) + n);

/** Commerce records whose rejection can be matched: those carrying an event id no other record has. */
export function rejectionIds(records: readonly BadRecord[]): Set<string> {
  const counts = new Map<string, number>();
  for (const r of records) if (r.topic === TOPICS.commerceOrders.name) {
    const id = envelopeView(r).eventId;
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return new Set([...counts].filter(([id, n]) => n === 1 && id.trim() !== '').map(([id]) => id));
}

/** OrderRejected events on oms.orders.v1 caused by these event ids. */
export function rejectionsOf(seen: readonly SeenMessage[], ids: ReadonlySet<string>): Set<string> {
  return new Set(seen.filter((m) => m.topic === TOPICS.omsOrders.name && m.type === ORDER_EVENTS.rejected && ids.has(m.headers['causation-id'] ?? '')).map((m) => m.headers['causation-id']!));
}

/**
 * Every bad record against what each consumer of its topic must do with it: dead-letter what it
 * follows and cannot read, skip what is another reader's, and for an unknown type what
 * UNKNOWN_TYPE_EXPECTATION says; order intake also publishes an OrderRejected for every bad order
 * message.
 */
export function judgeRecords(run: string, records: readonly BadRecord[], topics: ReadonlyMap<string, readonly TopicConsumer[]>, letters: readonly DeadLetter[], rejected: ReadonlySet<string>, rejectable: ReadonlySet<string>): KafkaVerdict {
  const byRecord = new Map<string, DeadLetter[]>();
  for (const l of letters) byRecord.set(l.fuzzId, [...(byRecord.get(l.fuzzId) ?? []), l]);
  const verdict: KafkaVerdict = { deadLettersByTopic: {}, unaccounted: [], unexpected: [], skippedUnknown: {}, deadLetteredUnknown: {}, rejections: rejected.size, rejectionsExpected: rejectable.size, retried: {} };
  for (const record of records) {
    const view = envelopeView(record);
    const mine = byRecord.get(record.fuzzId) ?? [];
    bump(verdict.deadLettersByTopic, record.topic, mine.length);
    for (const l of mine) if (l.attempts > 1) bump(verdict.retried, `${record.topic} ${record.kind} (${l.group.slice(run.length + 1)}: ${l.errorName})`);
    const visibility = declaredTypes(record.topic) === undefined ? 'internal' : 'public';
    for (const consumer of topics.get(record.topic) ?? []) {
      const group = `${run}-${consumer.service}`;
      const letter = mine.some((l) => l.group === group);
      const expected = expectedOf(consumer, record.topic, view);
      const what = `${record.topic} ${record.kind} [${record.note}] (${record.fuzzId}, type ${JSON.stringify(view.type.slice(0, 60))})`;
      if (expected === 'dead-lettered' && !letter) verdict.unaccounted.push(`${what}: not dead-lettered by ${consumer.service}`);
      if (expected === 'skipped' && letter) verdict.unexpected.push(`${what}: dead-lettered by ${consumer.service}, which does not follow that type`);
      if (expected === 'unknown type') {
        if (letter) bump(verdict.deadLetteredUnknown, record.topic);
        else if (UNKNOWN_TYPE_EXPECTATION[visibility] === 'dead-lettered') verdict.unaccounted.push(`${what}: unknown type not dead-lettered by ${consumer.service}`);
        else bump(verdict.skippedUnknown, `${record.topic} (${consumer.service})`);
      }
    }
    if (view.eventId && rejectable.has(view.eventId) && !rejected.has(view.eventId)) verdict.unaccounted.push(`${record.topic} ${record.kind} [${record.note}] (${record.fuzzId}): no OrderRejected on ${TOPICS.omsOrders.name}`);
  }
  return verdict;
}
