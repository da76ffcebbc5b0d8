import { DLQ_HEADER } from '@oms/messaging';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { FUZZ_ID_HEADER, type BadRecord } from './bad-records';

/** Offsets per topic and partition. */
export type Marks = Map<string, Map<number, bigint>>;

/** Largest batch of records one `send` carries (a partition's batch must stay under the broker's 1 MB message limit). */
const BATCH_BYTES = 600_000;

/**
 * Sends the records in batches, acknowledged by every in-sync replica, to the broker's topics
 * (`physical` names a contract topic there); returns where each ends after them.
 */
export async function sendRecords(producer: Producer, admin: Admin, records: readonly BadRecord[], physical: (topic: string) => string): Promise<Marks> {
  const byTopic = new Map<string, BadRecord[]>();
  for (const r of records) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
  for (const [topic, list] of byTopic) {
    let batch: BadRecord[] = [];
    let bytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await producer.send({ topic: physical(topic), acks: -1, messages: batch.map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
      batch = [];
      bytes = 0;
    };
    for (const r of list) {
      const size = (r.value?.length ?? 0) + JSON.stringify(r.headers).length + 100;
      if (bytes + size > BATCH_BYTES) await flush();
      batch.push(r);
      bytes += size;
    }
    await flush();
  }
  return endsOf(admin, [...byTopic.keys()].map(physical));
}

export async function endsOf(admin: Admin, topics: readonly string[]): Promise<Marks> {
  const marks: Marks = new Map();
  for (const topic of topics) marks.set(topic, new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)])));
  return marks;
}

/** Whether the group has committed up to the marks on every partition of these topics: it has handled (or dead-lettered) all before them. */
export async function groupPast(admin: Admin, groupId: string, topics: readonly string[], marks: Marks): Promise<boolean> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  for (const topic of topics) {
    const partitions = committed.find((t) => t.topic === topic)?.partitions ?? [];
    for (const [partition, mark] of marks.get(topic) ?? []) {
      const at = BigInt(partitions.find((p) => p.partition === partition)?.offset ?? '-1');
      if (mark > 0n && at < mark) return false;
    }
  }
  return true;
}

export interface DeadLetter {
  readonly fuzzId: string;
  readonly group: string;
  readonly originalTopic: string;
  readonly error: string;
  readonly errorName: string;
  readonly attempts: number;
}

/**
 * The dead letters of this run's groups (named `<run>-<service>`) that carry a fuzz id, read from
 * the run's own dead-letter topics from their start; it knows how far it has read, so "all dead
 * letters so far are in" is a condition to wait on rather than a pause.
 */
export class DeadLetterLedger {
  readonly letters: DeadLetter[] = [];
  private readonly read = new Map<string, bigint>();
  private readonly seen = new Set<string>();
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly run: string,
  ) {}

  /** `topics`: the broker's names of the dead-letter topics. */
  async start(topics: readonly string[]): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `${this.run}-fuzz-dlq-ledger`, maxWaitTimeInMs: 200, maxBytesPerPartition: 4 * 1024 * 1024 });
    this.consumer = consumer;
    await consumer.connect();
    // The run's own topics: read whole, so a position lost to a re-join is read again, not skipped.
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const at = `${topic}/${partition}/${message.offset}`;
        if (this.seen.has(at)) return;
        this.seen.add(at);
        const header = (name: string) => message.headers?.[name]?.toString();
        const group = header(DLQ_HEADER.consumerGroup) ?? '';
        const fuzzId = header(FUZZ_ID_HEADER);
        if (fuzzId !== undefined && group.startsWith(`${this.run}-`)) {
          this.letters.push({
            fuzzId,
            group,
            originalTopic: header(DLQ_HEADER.originalTopic) ?? '?',
            error: header(DLQ_HEADER.error) ?? '',
            errorName: header(DLQ_HEADER.errorName) ?? '',
            attempts: Number(header(DLQ_HEADER.attempts) ?? '0'),
          });
        }
        const key = `${topic}/${partition}`;
        const next = BigInt(message.offset) + 1n;
        if (next > (this.read.get(key) ?? 0n)) this.read.set(key, next);
      },
    });
    await joined;
  }

  /** Whether it has read every dead letter up to these ends (the broker's topic names). */
  hasRead(ends: Marks): boolean {
    for (const [topic, partitions] of ends) {
      for (const [partition, end] of partitions) if ((this.read.get(`${topic}/${partition}`) ?? 0n) < end) return false;
    }
    return true;
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
