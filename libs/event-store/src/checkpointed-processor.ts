import type { EventStore, RecordedEvent, Subscription } from './port';

export interface CheckpointedProcessorOptions {
  readonly store: EventStore;
  /** Also the checkpoint's name: one per processor and service. */
  readonly name: string;
  readonly categories: readonly string[];
  /** Side effects for one event; a throw stops the processor (the event is handled again next start). */
  readonly handle: (event: RecordedEvent) => Promise<void>;
  readonly onError?: (error: unknown) => void;
  readonly batchSize?: number;
}

/**
 * Follows categories of the store from a durable checkpoint and runs side effects (calls to
 * suppliers, say) for each event; the checkpoint moves after each batch, so a crash repeats at
 * most one batch: handlers must be idempotent (they decide on the aggregate before acting).
 */
export async function startCheckpointedProcessor(options: CheckpointedProcessorOptions): Promise<Subscription> {
  const stored = await options.store.checkpoints.load(options.name);
  let version = stored?.version;
  return options.store.subscribe({
    categories: options.categories,
    ...(stored ? { after: stored.position } : {}),
    batchSize: options.batchSize ?? 100,
    onEvents: async (events) => {
      for (const event of events) await options.handle(event);
      const last = events[events.length - 1];
      if (last) version = (await options.store.checkpoints.store(options.name, last.position, version)).version;
    },
    ...(options.onError ? { onError: options.onError } : {}),
  });
}
