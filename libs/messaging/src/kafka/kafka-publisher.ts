import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import { encodeMessage, type OutgoingMessage, type TransportRecord } from '../envelope';
import type { MessagePublisher } from '../publisher';
import { createKafka, physicalTopic, type KafkaConnectionOptions } from './kafka-connection';

export interface KafkaPublisherOptions {
  /** Written into every message's `producer` header. */
  readonly producerName: string;
  readonly compression?: 'none' | 'gzip';
  /** See KafkaConnectionOptions.topicPrefix. */
  readonly topicPrefix?: string;
}

/**
 * Publishes with acks from all in-sync replicas and never creates topics: they are created
 * explicitly (ensureTopics). Resolves only once the broker acknowledged every message.
 */
export class KafkaPublisher implements MessagePublisher {
  private readonly producer: Producer;
  private connected = false;

  constructor(
    kafka: Kafka,
    private readonly options: KafkaPublisherOptions,
  ) {
    this.producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner, // murmur2, as the Java clients key
      retry: { retries: 5, initialRetryTime: 200 },
    });
    this.producer.on('producer.disconnect', () => (this.connected = false));
  }

  static create(connection: KafkaConnectionOptions, options: KafkaPublisherOptions): KafkaPublisher {
    return new KafkaPublisher(createKafka(connection), { ...(connection.topicPrefix ? { topicPrefix: connection.topicPrefix } : {}), ...options });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, TransportRecord[]>();
    for (const message of messages) {
      const list = byTopic.get(message.topic) ?? [];
      list.push(encodeMessage(message, this.options.producerName));
      byTopic.set(message.topic, list);
    }
    await this.sendRecords(byTopic);
  }

  async publishRecords(topic: string, records: readonly TransportRecord[]): Promise<void> {
    await this.sendRecords(new Map([[topic, [...records]]]));
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
    this.connected = false;
  }

  private async sendRecords(byTopic: Map<string, TransportRecord[]>): Promise<void> {
    if (!this.connected) await this.connect();
    await this.producer.sendBatch({
      acks: -1,
      compression: this.options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, records]) => ({
        topic: physicalTopic(this.options.topicPrefix, topic),
        messages: records.map((r) => ({ key: r.key ?? null, value: r.value, headers: { ...r.headers } })),
      })),
    });
  }
}
