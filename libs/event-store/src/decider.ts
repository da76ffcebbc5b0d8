import type { JsonObject } from './port';

/** A domain event as the domain sees it: no ids, positions or store types. */
export interface DomainEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * The whole aggregate: pure functions, no I/O. `decide` may return rejection events (a domain
 * outcome) or throw a typed error for a command that must not be recorded at all.
 */
export interface Decider<Command, State, Event extends DomainEvent> {
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}
