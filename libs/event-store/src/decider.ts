/**
 * A domain event as the domain sees it: no ids, positions or store types. `data` must be plain
 * JSON (undefined properties are dropped when stored).
 */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
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
