import {
  CheckpointConflictError,
  START,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '@oms/event-store';
import type { OutgoingMessage } from '../envelope';
import type { MessagePublisher } from '../publisher';

export interface StoreRelayOptions {
  /** Checkpoint name; one per service (e.g. `order-intake.relay`). */
  readonly name: string;
  readonly store: EventStore;
  readonly publisher: MessagePublisher;
  /** The service's own stream categories. */
  readonly categories: readonly string[];
  /** Integration messages for one stored event; [] for events private to the service. */
  readonly toMessages: (event: RecordedEvent) => readonly OutgoingMessage[];
  readonly batchSize?: number;
  /** Pause before retrying a failed publish or taking over from another instance. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  readonly log?: (level: 'warn' | 'error' | 'info', message: string) => void;
  /** After each acknowledged batch (metrics). */
  readonly onPublished?: (messages: number) => void;
}

export interface RelayStatus {
  readonly running: boolean;
  readonly position: Position;
  readonly published: number;
  readonly lastError: string | undefined;
  /** True while another instance owns the checkpoint and this one waits. */
  readonly standby: boolean;
}

/**
 * Publishes a service's integration events by following its own streams in the store: no code path
 * appends and then publishes. The checkpoint moves only after the broker acknowledged the batch, so
 * a crash in between re-publishes (same event ids; consumers are idempotent) and never loses.
 * Two instances with the same name race on the checkpoint's version: the loser waits and resumes
 * from whatever the winner stored.
 */
export class StoreRelay {
  private subscription: Subscription | undefined;
  private running = false;
  private position: Position = START;
  private version: number | undefined;
  private published = 0;
  private lastError: string | undefined;
  private standby = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;

  constructor(private readonly options: StoreRelayOptions) {}

  async start(): Promise<void> {
    this.running = true;
    await this.follow();
  }

  status(): RelayStatus {
    return {
      running: this.running,
      position: this.position,
      published: this.published,
      lastError: this.lastError,
      standby: this.standby,
    };
  }

  /** Resolves once the relay has published everything that was in the store when it started. */
  async caughtUp(): Promise<void> {
    await this.subscription?.caughtUp;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.restarting;
    await this.subscription?.stop();
  }

  private async follow(): Promise<void> {
    const stored = await this.options.store.checkpoints.load(this.options.name);
    this.position = stored?.position ?? START;
    this.version = stored?.version;
    this.standby = false;
    this.subscription = this.options.store.subscribe({
      after: this.position,
      categories: this.options.categories,
      batchSize: this.options.batchSize ?? 200,
      onEvents: (events) => this.relay(events),
      onError: (error) => this.onSubscriptionError(error),
    });
    // Following again: whatever stopped the last subscription (another instance winning the
    // checkpoint, most often) is over, and must not keep this instance reported as down.
    this.lastError = undefined;
  }

  private async relay(events: readonly RecordedEvent[]): Promise<void> {
    const messages = events.flatMap((event) => this.options.toMessages(event));
    let delay = this.options.retryDelayMs ?? 200;
    for (;;) {
      try {
        await this.options.publisher.publish(messages);
        break;
      } catch (error) {
        this.lastError = (error as Error).message;
        this.options.log?.('warn', `relay ${this.options.name}: publish failed, retrying in ${delay} ms: ${this.lastError}`);
        if (!this.running) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 5_000);
      }
    }
    const last = events[events.length - 1]!.position;
    const stored = await this.options.store.checkpoints.store(this.options.name, last, this.version);
    this.version = stored.version;
    this.position = last;
    this.published += messages.length;
    this.lastError = undefined;
    this.options.onPublished?.(messages.length);
  }

  private onSubscriptionError(error: unknown): void {
    if (!this.running) return;
    this.standby = error instanceof CheckpointConflictError;
    this.lastError = (error as Error).message;
    this.options.log?.(
      this.standby ? 'info' : 'error',
      this.standby
        ? `relay ${this.options.name}: another instance moved the checkpoint; standing by`
        : `relay ${this.options.name} stopped: ${this.lastError}; restarting`,
    );
    this.restartTimer = setTimeout(() => {
      this.restarting = this.follow().catch((e: unknown) => this.onSubscriptionError(e));
    }, this.options.maxRetryDelayMs ?? 5_000);
  }
}
