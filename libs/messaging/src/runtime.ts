import { withTimeout } from '@oms/support';
import type { Kafka } from 'kafkajs';
import type { RetryPolicy } from './delivery';
import { deadLetterTopic } from './delivery';
import type { EnvelopeServer } from './envelope-server';
import { InProcessBroker, InProcessPublisher } from './in-process/in-process-broker';
import { InProcessTransport } from './in-process/in-process-transport';
import { createKafka, physicalTopic, type KafkaConnectionOptions } from './kafka/kafka-connection';
import { KafkaPublisher } from './kafka/kafka-publisher';
import { ensureTopics, type TopicSpec } from './kafka/kafka-topics';
import { KafkaTransport } from './kafka/kafka-transport';
import type { MessagePublisher } from './publisher';

export interface ProbeResult {
  readonly up: boolean;
  readonly detail: Record<string, string | number | boolean>;
}

/** Everything a service needs from its message transport, whichever one it runs on. */
export interface MessagingRuntime {
  readonly kind: 'kafka' | 'in-process';
  readonly strategy: EnvelopeServer;
  readonly publisher: MessagePublisher;
  /** Creates the topics (and the DLQs of consumed ones) that are missing. */
  ensureTopics(published: readonly TopicSpec[], consumed: readonly TopicSpec[]): Promise<void>;
  /** For readiness: is the broker reachable and the consumer healthy? */
  probe(): Promise<ProbeResult>;
  close(): Promise<void>;
}

export interface KafkaMessagingOptions {
  readonly connection: KafkaConnectionOptions;
  readonly groupId: string;
  readonly producerName: string;
  readonly retry?: RetryPolicy;
  readonly partitionsConsumedConcurrently?: number;
  /** See KafkaTransportOptions.sessionTimeoutMs. */
  readonly sessionTimeoutMs?: number;
  readonly onDeadLetter?: (info: { topic: string; partition: number; offset: string; error: unknown }) => void;
}

export function withDeadLetters(consumed: readonly TopicSpec[]): TopicSpec[] {
  return consumed.flatMap((spec) => [spec, { ...spec, name: deadLetterTopic(spec.name) }]);
}

export function createKafkaMessaging(options: KafkaMessagingOptions): MessagingRuntime {
  const kafka: Kafka = createKafka(options.connection);
  const prefix = options.connection.topicPrefix;
  const publisher = new KafkaPublisher(kafka, { producerName: options.producerName, ...(prefix ? { topicPrefix: prefix } : {}) });
  const strategy = new KafkaTransport({
    connection: options.connection,
    groupId: options.groupId,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.partitionsConsumedConcurrently ? { partitionsConsumedConcurrently: options.partitionsConsumedConcurrently } : {}),
    ...(options.sessionTimeoutMs ? { sessionTimeoutMs: options.sessionTimeoutMs, heartbeatIntervalMs: Math.min(3_000, Math.floor(options.sessionTimeoutMs / 3)) } : {}),
    ...(options.onDeadLetter ? { onDeadLetter: options.onDeadLetter } : {}),
  });
  const admin = kafka.admin();
  let adminConnected: Promise<void> | undefined;
  return {
    kind: 'kafka',
    strategy,
    publisher,
    async ensureTopics(published, consumed) {
      await ensureTopics(kafka, [...published, ...withDeadLetters(consumed)].map((spec) => ({ ...spec, name: physicalTopic(prefix, spec.name) })));
      await publisher.connect();
    },
    async probe(): Promise<ProbeResult> {
      try {
        adminConnected ??= admin.connect();
        await adminConnected;
        const cluster = await withTimeout(admin.describeCluster(), 3_000, 'describeCluster');
        const status = strategy.transportStatus();
        const up = cluster.brokers.length > 0 && status.running && !status.crashed && publisher.isConnected;
        return {
          up,
          detail: {
            brokers: cluster.brokers.length,
            consumerRunning: status.running,
            producerConnected: publisher.isConnected,
            assignedPartitions: status.assignedPartitions,
            handled: status.handled,
            deadLettered: status.deadLettered,
            ...(status.crashed ? { consumerError: status.crashed } : {}),
          },
        };
      } catch (error) {
        adminConnected = undefined;
        return { up: false, detail: { error: (error as Error).message } };
      }
    },
    async close() {
      await strategy.close();
      await publisher.close().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    },
  };
}

export function createInProcessMessaging(options: {
  readonly broker: InProcessBroker;
  readonly groupId: string;
  readonly producerName: string;
  readonly retry?: RetryPolicy;
  readonly onDeadLetter?: (info: { topic: string; partition: number; offset: string; error: unknown }) => void;
}): MessagingRuntime {
  const strategy = new InProcessTransport({
    broker: options.broker,
    groupId: options.groupId,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.onDeadLetter ? { onDeadLetter: options.onDeadLetter } : {}),
  });
  return {
    kind: 'in-process',
    strategy,
    publisher: new InProcessPublisher(options.broker, options.producerName),
    async ensureTopics(published, consumed) {
      for (const spec of [...published, ...withDeadLetters(consumed)]) options.broker.ensureTopic(spec.name, spec.partitions);
    },
    async probe(): Promise<ProbeResult> {
      return { up: true, detail: { transport: 'in-process' } };
    },
    async close() {
      await strategy.close();
    },
  };
}

