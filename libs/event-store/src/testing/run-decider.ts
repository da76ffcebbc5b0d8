import type { Decider, DomainEvent } from '../decider';

/**
 * Given-when-then for deciders: decides each command on the state so far and folds what it
 * decided, returning every event and the final state (pure; for unit tests).
 */
export function runDecider<Command, State, Event extends DomainEvent>(
  decider: Pick<Decider<Command, State, Event>, 'decide' | 'evolve' | 'initialState'>,
  commands: readonly Command[],
  from: State = decider.initialState(),
): { state: State; events: Event[] } {
  let state = from;
  const events: Event[] = [];
  for (const command of commands) {
    const decided = decider.decide(command, state);
    events.push(...decided);
    state = decided.reduce(decider.evolve, state);
  }
  return { state, events };
}
