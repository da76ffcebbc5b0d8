import { randomUUID } from 'node:crypto';
import { deterministicEventId } from './command-handler';
import type { Decider, DomainEvent } from './decider';
import { WrongExpectedRevisionError } from './errors';
import type { EventStore, JsonObject, RecordedEvent } from './port';
import { NO_STREAM, atRevision } from './port';

interface Entry<State> {
  readonly state: State;
  readonly revision: number;
}

/**
 * Keeps the folded state of many long-lived streams in memory (e.g. a node's stock, which every
 * order touches), so deciding on one reads only what is new rather than the whole stream. Still
 * optimistic: every append names the revision the decision was made on; a concurrent writer (another
 * replica) makes the append fail, the cache reads just the events after its revision, and the
 * command is decided again. A subscription can feed the same cache with `apply`.
 */
export class AggregateCache<Command, State, Event extends DomainEvent> {
  private readonly entries = new Map<string, Entry<State>>();

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, State, Event>,
  ) {}

  /** The cached state and revision, if this stream has been loaded or fed. */
  peek(stream: string): Entry<State> | undefined {
    return this.entries.get(stream);
  }

  /** Folds an event read elsewhere (a subscription): applied once, in revision order. */
  apply(event: RecordedEvent): void {
    const entry = this.entries.get(event.streamName) ?? { state: this.decider.initialState(), revision: -1 };
    if (event.revision <= entry.revision) return;
    if (event.revision !== entry.revision + 1) {
      // A gap: drop the entry; the next read of this stream loads it whole.
      this.entries.delete(event.streamName);
      return;
    }
    this.entries.set(event.streamName, { state: this.decider.evolve(entry.state, { type: event.type, data: event.data } as unknown as Event), revision: event.revision });
  }

  /** Brings the stream's entry up to date with the store and returns it. */
  async refresh(stream: string): Promise<Entry<State>> {
    const entry = this.entries.get(stream) ?? { state: this.decider.initialState(), revision: -1 };
    const events = await this.store.readStream(stream, { fromRevision: entry.revision + 1 });
    let { state, revision } = entry;
    for (const e of events) {
      if (e.revision <= revision) continue;
      state = this.decider.evolve(state, { type: e.type, data: e.data } as unknown as Event);
      revision = e.revision;
    }
    return this.keep(stream, { state, revision });
  }

  /**
   * Decide on the cached state, append at its revision; on a conflict catch up and decide again.
   * With a causation id the event ids are derived from it, so a retried command is absorbed by the
   * store's idempotency; errors thrown by `decide` (domain refusals) pass through.
   */
  async execute(
    stream: string,
    command: Command,
    context: { readonly causationId?: string; readonly correlationId?: string; readonly metadata?: JsonObject; readonly maxAttempts?: number } = {},
  ): Promise<{ state: State; newEvents: readonly Event[]; revision: number }> {
    const maxAttempts = context.maxAttempts ?? 10;
    let entry = this.entries.get(stream) ?? (await this.refresh(stream));
    for (let attempt = 1; ; attempt++) {
      const newEvents = this.decider.decide(command, entry.state);
      if (newEvents.length === 0) return { state: entry.state, newEvents, revision: entry.revision };
      const causationId = context.causationId ?? randomUUID();
      const metadata: JsonObject = { ...context.metadata, causationId, ...(context.correlationId ? { correlationId: context.correlationId } : {}) };
      try {
        const result = await this.store.append(
          stream,
          newEvents.map((event, index) => ({ id: deterministicEventId(stream, `${causationId}@${entry.revision}`, index), type: event.type, data: event.data as JsonObject, metadata })),
          entry.revision < 0 ? NO_STREAM : atRevision(entry.revision),
        );
        const state = newEvents.reduce((s, e) => this.decider.evolve(s, e), entry.state);
        if (result.idempotent) return { state: (await this.refresh(stream)).state, newEvents: [], revision: result.nextExpectedRevision };
        this.keep(stream, { state, revision: result.nextExpectedRevision });
        return { state, newEvents, revision: result.nextExpectedRevision };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
        entry = await this.refresh(stream);
      }
    }
  }

  private keep(stream: string, entry: Entry<State>): Entry<State> {
    const current = this.entries.get(stream);
    if (current && current.revision >= entry.revision) return current;
    this.entries.set(stream, entry);
    return entry;
  }
}
