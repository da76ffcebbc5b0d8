import { EventEmitter } from 'node:events';
import { encodeMessage, type OutgoingMessage, type TransportRecord } from '../envelope';
import type { MessagePublisher } from '../publisher';
import { BrokerJournal, type BrokerJournalOptions } from './broker-journal';

interface Topic {
  readonly partitions: TransportRecord[][];
}

/**
 * A broker inside one process for the embedded run: topics split into partitions by key, consumer
 * groups with their own committed offsets, at-least-once delivery with the same retry and
 * dead-letter path as Kafka. `new InProcessBroker()` keeps everything in memory; `open(dataDir)` also
 * journals every change to a file and starts from what the file holds.
 */
export class InProcessBroker {
  private readonly topics = new Map<string, Topic>();
  private readonly offsets = new Map<string, number>();
  private readonly events = new EventEmitter();
  private journal: BrokerJournal | undefined;

  constructor(private readonly defaultPartitions = 3) {
    this.events.setMaxListeners(0);
  }

  /**
   * A broker whose topics (with their partition counts), records and committed offsets survive a
   * restart: journaled to a file in `dataDir` and read back from it. Memory-only when undefined.
   */
  static open(dataDir: string | undefined, defaultPartitions = 3, options: BrokerJournalOptions = {}): InProcessBroker {
    const broker = new InProcessBroker(defaultPartitions);
    if (dataDir === undefined) return broker;
    const { journal, contents } = BrokerJournal.open(dataDir, options);
    for (const [name, partitions] of contents.topics) broker.topics.set(name, { partitions });
    for (const { group, topic, partition, next } of contents.offsets) broker.offsets.set(offsetKey(group, topic, partition), next);
    broker.journal = journal;
    return broker;
  }

  /** The journal file, if this broker has one. */
  get journalPath(): string | undefined {
    return this.journal?.path;
  }

  ensureTopic(name: string, partitions = this.defaultPartitions): void {
    if (!this.topics.has(name)) {
      const count = Math.max(1, partitions);
      this.journal?.topicCreated(name, count);
      this.topics.set(name, { partitions: Array.from({ length: count }, () => []) });
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
    // Journal first: if the write fails, the caller sees the error and nothing was half done.
    this.journal?.recordAppended(topic, partition, record);
    partitions[partition]!.push(record);
    this.events.emit(`appended:${topic}:${partition}`);
    return { partition, offset: partitions[partition]!.length - 1 };
  }

  read(topic: string, partition: number, offset: number): TransportRecord | undefined {
    return this.topics.get(topic)?.partitions[partition]?.[offset];
  }

  /** The offset the next record of a partition will get. */
  endOffset(topic: string, partition: number): number {
    return this.topics.get(topic)?.partitions[partition]?.length ?? 0;
  }

  /** All records of a topic, in partition then offset order (tests and tools). */
  records(topic: string): TransportRecord[] {
    return this.topics.get(topic)?.partitions.flat() ?? [];
  }

  committed(group: string, topic: string, partition: number): number {
    return this.offsets.get(offsetKey(group, topic, partition)) ?? 0;
  }

  commit(group: string, topic: string, partition: number, nextOffset: number): void {
    this.journal?.offsetCommitted(group, topic, partition, nextOffset);
    this.offsets.set(offsetKey(group, topic, partition), nextOffset);
  }

  onAppended(topic: string, partition: number, listener: () => void): () => void {
    const name = `appended:${topic}:${partition}`;
    this.events.on(name, listener);
    return () => this.events.off(name, listener);
  }

  /** Closes the journal; appends and commits fail from then on. Nothing to do for a memory-only broker. */
  close(): void {
    this.journal?.close();
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

function offsetKey(group: string, topic: string, partition: number): string {
  return `${group}\u0000${topic}\u0000${partition}`;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
