import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { deliver, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../delivery';
import type { TransportRecord } from '../envelope';
import { EnvelopeServer } from '../envelope-server';
import { InterruptibleSleep } from '../interruptible-sleep';
import { createKafka, logicalTopic, physicalTopic, type KafkaConnectionOptions } from './kafka-connection';
import { KafkaPublisher } from './kafka-publisher';

export interface KafkaTransportOptions {
  readonly connection: KafkaConnectionOptions;
  readonly groupId: string;
  readonly retry?: RetryPolicy;
  /** Partitions handled in parallel; order is kept within a partition (so per key). */
  readonly partitionsConsumedConcurrently?: number;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /**
   * Longest a fetch waits on an idle partition. kafkajs defaults to 5 s, which is also how long a
   * shutdown or a rebalance waits for an idle member; 1 s keeps both quick at little cost.
   */
  readonly maxWaitTimeMs?: number;
  /**
   * While a batch is long, commit after this many messages or this much time, whichever comes
   * first; always at the end of a batch and right after a dead letter. A commit is a broker round
   * trip: committing per message would cost most of the consume rate.
   */
  readonly commitEvery?: number;
  readonly commitIntervalMs?: number;
  readonly onDeadLetter?: (info: { topic: string; partition: number; offset: string; error: unknown }) => void;
  readonly onRetry?: (info: { topic: string; partition: number; offset: string; attempt: number; error: unknown }) => void;
}

export interface TransportStatus {
  readonly running: boolean;
  readonly crashed: string | undefined;
  readonly assignedPartitions: number;
  readonly handled: number;
  readonly deadLettered: number;
}

/**
 * NestJS transport strategy on kafkajs. Offsets are committed by hand and only past messages whose
 * handler succeeded or that were dead-lettered; a poison message costs its retries, then goes to
 * `<topic>.dlq` and the partition moves on. Heartbeats continue while a handler runs or backs off.
 */
export class KafkaTransport extends EnvelopeServer {
  private readonly kafka: Kafka;
  private consumer: Consumer | undefined;
  private deadLetters: KafkaPublisher | undefined;
  private running = false;
  private crashed: string | undefined;
  private assigned = 0;
  private handled = 0;
  private deadLettered = 0;
  private readonly pause = new InterruptibleSleep();

  constructor(private readonly options: KafkaTransportOptions) {
    super();
    this.kafka = createKafka(options.connection);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  transportStatus(): TransportStatus {
    return {
      running: this.running,
      crashed: this.crashed,
      assignedPartitions: this.assigned,
      handled: this.handled,
      deadLettered: this.deadLettered,
    };
  }

  async close(): Promise<void> {
    this.running = false;
    this.pause.interrupt();
    await this.consumer?.disconnect().catch(() => undefined);
    await this.deadLetters?.close().catch(() => undefined);
  }

  unwrap<T>(): T {
    return this.kafka as T;
  }

  private async start(): Promise<void> {
    const topics = this.subscribedTopics();
    const prefix = this.options.connection.topicPrefix;
    this.deadLetters = new KafkaPublisher(this.kafka, { producerName: this.options.groupId, ...(prefix ? { topicPrefix: prefix } : {}) });
    await this.deadLetters.connect();
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
      rebalanceTimeout: 60_000,
      maxWaitTimeInMs: this.options.maxWaitTimeMs ?? 1_000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      this.crashed = event.payload.error.message;
      if (!event.payload.restart) this.running = false;
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.crashed = undefined;
      this.assigned = Object.values(event.payload.memberAssignment).reduce((n, ps) => n + ps.length, 0);
    });
    await consumer.connect();
    if (topics.length === 0) {
      this.running = true;
      return;
    }
    // A new group starts at the earliest offset: orders published before first start are not lost.
    await consumer.subscribe({ topics: topics.map((t) => physicalTopic(prefix, t)), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.eachBatch(consumer, payload),
    });
    this.running = true;
  }

  private async eachBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
    const commitEvery = this.options.commitEvery ?? 1_000;
    const commitIntervalMs = this.options.commitIntervalMs ?? 1_000;
    let lastCommit = Date.now();
    const keepAlive = setInterval(() => void heartbeat().catch(() => undefined), this.options.heartbeatIntervalMs ?? 3_000);
    let uncommitted: string | undefined;
    let sinceCommit = 0;
    const commit = async () => {
      if (uncommitted === undefined) return;
      const offset = (BigInt(uncommitted) + 1n).toString();
      uncommitted = undefined;
      sinceCommit = 0;
      lastCommit = Date.now();
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset }]);
    };
    const stopping = () => !this.running || !isRunning() || isStale();
    // Handlers, dead letters and metrics see the contract's topic name; commits the broker's.
    const topic = logicalTopic(this.options.connection.topicPrefix, batch.topic);
    try {
      for (const message of batch.messages) {
        if (stopping()) break;
        const startedAt = performance.now();
        const record = toRecord(message);
        const outcome = await deliver(
          { topic, partition: batch.partition, offset: message.offset, record },
          {
            consumerGroup: this.options.groupId,
            policy,
            handle: (inbound) => this.dispatch(inbound),
            acceptsUndecodable: (t) => this.acceptsUndecodable(t),
            deadLetter: (topic, record) => this.deadLetters!.publishRecords(topic, [record]),
            shouldStop: stopping,
            sleep: (ms) => this.pause.sleep(ms),
            onFailure: ({ attempt, error, final }) => {
              const info = { topic, partition: batch.partition, offset: message.offset, attempt, error };
              if (final) this.options.onDeadLetter?.(info);
              else this.options.onRetry?.(info);
            },
          },
        );
        this.reportDelivery({ topic, partition: batch.partition, record }, outcome, startedAt, Number(BigInt(batch.highWatermark) - BigInt(message.offset) - 1n));
        if (outcome === 'abandoned') break;
        resolveOffset(message.offset);
        uncommitted = message.offset;
        sinceCommit++;
        if (outcome === 'dead-lettered') {
          this.deadLettered++;
          await commit();
        } else {
          this.handled++;
          if (sinceCommit >= commitEvery || Date.now() - lastCommit >= commitIntervalMs) await commit();
        }
        await heartbeat();
      }
    } finally {
      clearInterval(keepAlive);
      // After a rebalance the commit may be refused: the new owner re-reads those messages and
      // idempotent handlers absorb them.
      await commit().catch(() => undefined);
    }
  }
}

function toRecord(message: KafkaMessage): TransportRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? String(value[value.length - 1]) : value.toString();
  }
  return { key: message.key?.toString(), value: message.value, headers };
}
