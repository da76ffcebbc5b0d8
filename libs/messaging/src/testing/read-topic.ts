import type { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';

export interface ReadRecord {
  readonly key: string | undefined;
  readonly value: string | undefined;
  readonly headers: Record<string, string>;
  readonly partition: number;
  readonly offset: string;
}

/** Reads a topic from the beginning until `count` records arrived (tests only). */
export async function readTopic(kafka: Kafka, topic: string, count: number, timeoutMs = 30_000): Promise<ReadRecord[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done!: () => void;
    const enough = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
        records.push({ key: message.key?.toString(), value: message.value?.toString(), headers, partition, offset: message.offset });
        if (records.length >= count) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`read ${records.length} of ${count} records from ${topic}`)), timeoutMs);
    });
    try {
      await Promise.race([enough, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return records;
  } finally {
    await consumer.disconnect();
  }
}
