import { uniqueName } from '@oms/testing';
import type { Consumer, Kafka } from 'kafkajs';
import { logicalTopic, physicalTopic } from '../kafka/kafka-connection';

export interface SeenMessage {
  readonly topic: string;
  readonly key: string | undefined;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly headers: Record<string, string>;
  /** Wall-clock ms when this reader got it (benchmarks' latencies). */
  readonly receivedAt: number;
}

/**
 * Everything published on some topics from the moment it joined: one reader per test file, since
 * a consumer-group join costs seconds.
 */
export class TopicReader {
  readonly seen: SeenMessage[] = [];
  private readonly positions = new Set<string>();
  private consumer: Consumer | undefined;

  /** `topicPrefix`: the services' KAFKA_TOPIC_PREFIX; messages are seen under the contract's names. */
  constructor(
    private readonly kafka: Kafka,
    private readonly topicPrefix?: string,
  ) {}

  async follow(topics: readonly string[]): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 200 });
    this.consumer = consumer;
    await consumer.connect();
    // A run's own (prefixed) topics hold only its traffic: read them whole, so that a consumer that
    // lost its uncommitted position (a broker restart, say) starts over rather than skipping to the
    // end. Shared topics are read from now on; earlier runs' messages are not this reader's.
    await consumer.subscribe({ topics: topics.map((t) => physicalTopic(this.topicPrefix, t)), fromBeginning: this.topicPrefix !== undefined });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
        let payload: Record<string, unknown> = {};
        try {
          payload = JSON.parse(message.value?.toString() ?? 'null') ?? {};
        } catch {
          payload = { raw: message.value?.toString() };
        }
        // Read again from the start after a lost position: each record once.
        const at = `${topic}/${partition}/${message.offset}`;
        if (this.positions.has(at)) return;
        this.positions.add(at);
        this.seen.push({ topic: logicalTopic(this.topicPrefix, topic), key: message.key?.toString(), type: headers['event-type'] ?? '', payload, headers, receivedAt: Date.now() });
      },
    });
    await joined;
  }

  /** Messages of one topic (and type), in arrival order, whose payload has these values. */
  find(topic: string, type: string | undefined, match: Record<string, unknown> = {}): SeenMessage[] {
    return this.seen.filter((m) => m.topic === topic && (type === undefined || m.type === type) && Object.entries(match).every(([k, v]) => m.payload[k] === v));
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
