import { deliver, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../delivery';
import { EnvelopeServer } from '../envelope-server';
import { InterruptibleSleep } from '../interruptible-sleep';
import type { InProcessBroker } from './in-process-broker';

export interface InProcessTransportOptions {
  readonly broker: InProcessBroker;
  readonly groupId: string;
  readonly retry?: RetryPolicy;
  readonly onDeadLetter?: (info: { topic: string; partition: number; offset: string; error: unknown }) => void;
}

/**
 * The Kafka transport's semantics without Kafka: one worker per topic partition keeps per-key
 * order, the group's offset moves only after the handler succeeded or the record was dead-lettered.
 */
export class InProcessTransport extends EnvelopeServer {
  private running = false;
  private readonly workers: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();
  private readonly pause = new InterruptibleSleep();

  constructor(private readonly options: InProcessTransportOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.running = true;
    const { broker } = this.options;
    for (const topic of this.subscribedTopics()) {
      for (let partition = 0; partition < broker.partitionCount(topic); partition++) {
        this.workers.push(this.work(topic, partition));
      }
    }
    callback();
  }

  async close(): Promise<void> {
    this.running = false;
    this.pause.interrupt();
    for (const wake of this.wakers) wake();
    await Promise.all(this.workers);
  }

  unwrap<T>(): T {
    return this.options.broker as T;
  }

  private async work(topic: string, partition: number): Promise<void> {
    const { broker, groupId } = this.options;
    let wake: (() => void) | undefined;
    const waker = () => wake?.();
    this.wakers.add(waker);
    const unsubscribe = broker.onAppended(topic, partition, waker);
    try {
      while (this.running) {
        const offset = broker.committed(groupId, topic, partition);
        const record = broker.read(topic, partition, offset);
        if (!record) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        const startedAt = performance.now();
        const outcome = await deliver(
          { topic, partition, offset: String(offset), record },
          {
            consumerGroup: groupId,
            policy: this.options.retry ?? DEFAULT_RETRY_POLICY,
            handle: (message) => this.dispatch(message),
            acceptsUndecodable: (t) => this.acceptsUndecodable(t),
            deadLetter: async (dlq, dead) => void broker.append(dlq, dead),
            shouldStop: () => !this.running,
            sleep: (ms) => this.pause.sleep(ms),
            onFailure: ({ error, final }) => {
              if (final) this.options.onDeadLetter?.({ topic, partition, offset: String(offset), error });
            },
          },
        );
        this.reportDelivery({ topic, partition, record }, outcome, startedAt, broker.endOffset(topic, partition) - offset - 1);
        if (outcome === 'abandoned') break;
        broker.commit(groupId, topic, partition, offset + 1);
      }
    } finally {
      unsubscribe();
      this.wakers.delete(waker);
    }
  }
}
