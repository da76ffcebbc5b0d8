import type { EventStore, RecordedEvent, Subscription } from './port';

export interface CheckpointedProcessorOptions {
  readonly store: EventStore;
  /** Also the checkpoint's name: one per processor and service. */
  readonly name: string;
  readonly categories: readonly string[];
  /** Side effects for one event; a throw stops the batch (it is handled again on the restart). */
  readonly handle: (event: RecordedEvent) => Promise<void>;
  /** Told of every stop; the processor follows again from its checkpoint after `restartDelayMs`. */
  readonly onError?: (error: unknown) => void;
  readonly batchSize?: number;
  readonly restartDelayMs?: number;
}

export interface CheckpointedProcessor {
  /** Resolves when the first subscription has caught up with the store. */
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Follows categories of the store from a durable checkpoint and runs side effects (calls to
 * suppliers, postings to other streams) for each event; the checkpoint moves after each batch, so
 * a crash repeats at most one batch: handlers must be idempotent (decide on the aggregate first).
 * Any stop — a handler's error, the store away, another replica moving the shared checkpoint —
 * is followed by a restart from the stored checkpoint: a processor that stays stopped would
 * silently stop the service's work.
 */
export async function startCheckpointedProcessor(options: CheckpointedProcessorOptions): Promise<CheckpointedProcessor> {
  let current: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let restarting: Promise<void> | undefined;
  const follow = async (): Promise<void> => {
    const stored = await options.store.checkpoints.load(options.name);
    let version = stored?.version;
    current = options.store.subscribe({
      categories: options.categories,
      ...(stored ? { after: stored.position } : {}),
      batchSize: options.batchSize ?? 100,
      onEvents: async (events) => {
        for (const event of events) await options.handle(event);
        const last = events[events.length - 1];
        if (last) version = (await options.store.checkpoints.store(options.name, last.position, version)).version;
      },
      onError: (error) => {
        if (stopping) return;
        options.onError?.(error);
        timer = setTimeout(() => {
          restarting = follow().catch((e: unknown) => options.onError?.(e));
        }, options.restartDelayMs ?? 1000);
      },
    });
  };
  await follow();
  const first = current!;
  return {
    started: first.caughtUp,
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      await restarting;
      await current?.stop();
    },
  };
}
