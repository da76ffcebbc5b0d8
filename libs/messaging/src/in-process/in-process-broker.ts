import { EventEmitter } from 'node:events';
import { encodeMessage, type OutgoingMessage, type TransportRecord } from '../envelope';
import type { MessagePublisher } from '../publisher';

interface Topic {
  readonly partitions: TransportRecord[][];
}

/**
 * A broker inside one process for the embedded run: topics split into partitions by key, consumer
 * groups with their own committed offsets, at-least-once delivery with the same retry and
 * dead-letter path as Kafka. Records live in memory only.
 */
export class InProcessBroker {
  private readonly topics = new Map<string, Topic>();
  private readonly offsets = new Map<string, number>();
  private readonly events = new EventEmitter();

  constructor(private readonly defaultPartitions = 3) {
    this.events.setMaxListeners(0);
  }

  ensureTopic(name: string, partitions = this.defaultPartitions): void {
    if (!this.topics.has(name)) {
      this.topics.set(name, { partitions: Array.from({ length: Math.max(1, partitions) }, () => []) });
    }
  }

  partitionCount(topic: string): number {
    this.ensureTopic(topic);
    return this.topics.get(topic)!.partitions.length;
  }

  append(topic: string, record: TransportRecord): { partition: number; offset: number } {
    this.ensureTopic(topic);
    const partitions = this.topics.get(topic)!.partitions;
    const partition = record.key === undefined ? 0 : fnv1a(record.key) % partitions.length;
    partitions[partition]!.push(record);
    this.events.emit(`appended:${topic}:${partition}`);
    return { partition, offset: partitions[partition]!.length - 1 };
  }

  read(topic: string, partition: number, offset: number): TransportRecord | undefined {
    return this.topics.get(topic)?.partitions[partition]?.[offset];
  }

  /** All records of a topic, in partition then offset order (tests and tools). */
  records(topic: string): TransportRecord[] {
    return this.topics.get(topic)?.partitions.flat() ?? [];
  }

  committed(group: string, topic: string, partition: number): number {
    return this.offsets.get(`${group}\u0000${topic}\u0000${partition}`) ?? 0;
  }

  commit(group: string, topic: string, partition: number, nextOffset: number): void {
    this.offsets.set(`${group}\u0000${topic}\u0000${partition}`, nextOffset);
  }

  onAppended(topic: string, partition: number, listener: () => void): () => void {
    const name = `appended:${topic}:${partition}`;
    this.events.on(name, listener);
    return () => this.events.off(name, listener);
  }
}

export class InProcessPublisher implements MessagePublisher {
  constructor(
    private readonly broker: InProcessBroker,
    private readonly producerName: string,
  ) {}

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    for (const message of messages) this.broker.append(message.topic, encodeMessage(message, this.producerName));
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
