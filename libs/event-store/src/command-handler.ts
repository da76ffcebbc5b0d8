import { v5 as uuidv5 } from 'uuid';
import type { Decider, DomainEvent } from './decider';
import { WrongExpectedRevisionError } from './errors';
import type { EventStore, JsonObject, RecordedEvent } from './port';
import { NO_STREAM, atRevision } from './port';

const EVENT_ID_NAMESPACE = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

/**
 * The event ids a command produces are derived from what caused it (the message or request id), so
 * handling the same message twice yields the same ids and the store's idempotency absorbs the
 * second append. This, plus the causation check below, is the one idempotent-consumer mechanism
 * every service uses: the aggregate's own stream is the inbox, in the same transaction as the effect.
 */
export function deterministicEventId(stream: string, causationId: string, index: number): string {
  return uuidv5(`${stream}\u0000${causationId}\u0000${index}`, EVENT_ID_NAMESPACE);
}

export interface CommandContext {
  /** Id of the message or request that caused this command. Same message → same event ids. */
  readonly causationId: string;
  /** The order (or other business flow) this belongs to, carried into every event's metadata. */
  readonly correlationId?: string;
  /** Extra metadata for the stored events (e.g. trace context). */
  readonly metadata?: JsonObject;
  /** Attempts on a concurrency conflict before giving up; each reloads the stream. */
  readonly maxAttempts?: number;
}

export interface CommandResult<State, Event> {
  readonly state: State;
  readonly newEvents: readonly Event[];
  readonly nextExpectedRevision: number;
  /** The causation id was found in the stream: the command had been handled before, nothing was appended. */
  readonly alreadyHandled: boolean;
}

export interface AggregateStore<State, Event extends DomainEvent> {
  readonly store: EventStore;
  readonly decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>;
  /** Turns a stored event into the current event shape (upcasting old versions); null to skip. */
  readonly fromRecorded?: (event: RecordedEvent) => Event | null;
}

export async function loadAggregate<State, Event extends DomainEvent>(
  aggregate: AggregateStore<State, Event>,
  stream: string,
): Promise<{ state: State; revision: number; events: readonly RecordedEvent[] }> {
  const events = await aggregate.store.readStream(stream);
  const toEvent = aggregate.fromRecorded ?? ((e: RecordedEvent) => ({ type: e.type, data: e.data }) as unknown as Event);
  let state = aggregate.decider.initialState();
  for (const recorded of events) {
    const event = toEvent(recorded);
    if (event) state = aggregate.decider.evolve(state, event);
  }
  return { state, revision: events.length === 0 ? -1 : events[events.length - 1]!.revision, events };
}

/**
 * Load → decide → append with the revision that was read; on a concurrent writer, reload and
 * decide again (bounded). Expected revision is always explicit: NO_STREAM for a new stream, else
 * the exact revision loaded.
 */
export async function handleCommand<Command, State, Event extends DomainEvent>(
  store: EventStore,
  stream: string,
  decider: Decider<Command, State, Event>,
  command: Command,
  context: CommandContext,
  fromRecorded?: (event: RecordedEvent) => Event | null,
): Promise<CommandResult<State, Event>> {
  const maxAttempts = context.maxAttempts ?? 5;
  const aggregate: AggregateStore<State, Event> = { store, decider, ...(fromRecorded ? { fromRecorded } : {}) };
  for (let attempt = 1; ; attempt++) {
    const { state, revision, events } = await loadAggregate(aggregate, stream);
    if (events.some((e) => e.metadata['causationId'] === context.causationId)) {
      return { state, newEvents: [], nextExpectedRevision: revision, alreadyHandled: true };
    }
    const newEvents = decider.decide(command, state);
    if (newEvents.length === 0) {
      return { state, newEvents, nextExpectedRevision: revision, alreadyHandled: false };
    }
    const metadata: JsonObject = {
      ...context.metadata,
      causationId: context.causationId,
      ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    };
    try {
      const result = await store.append(
        stream,
        newEvents.map((event, index) => ({
          id: deterministicEventId(stream, context.causationId, index),
          type: event.type,
          data: event.data as JsonObject,
          metadata,
        })),
        revision < 0 ? NO_STREAM : atRevision(revision),
      );
      return {
        state: newEvents.reduce((s, e) => decider.evolve(s, e), state),
        newEvents: result.idempotent ? [] : newEvents,
        nextExpectedRevision: result.nextExpectedRevision,
        alreadyHandled: result.idempotent,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
    }
  }
}
