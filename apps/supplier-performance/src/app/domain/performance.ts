import type { Decider } from '@oms/event-store';
import { evaluateFlags, NO_FLAGS, type FlagChange, type FlagPolicy, type FlagState } from './flags';
import { scorecard, type Scorecard, type ScoringPolicy } from './scorecard';
import type { SupplierFact } from './supplier-facts';
import { applyFact, emptyHistory, type SupplierHistory } from './supplier-history';

/**
 * One supplier's record (`scorecard-<supplierId>`): every fact learned about it, the scorecards
 * computed from them, and the flag decisions with the figures behind them. Rebuilding is folding
 * these events again; a scorecard is only recomputed when a decision is made.
 */
export type PerformanceEvent =
  | { readonly type: 'SupplierFactRecorded'; readonly data: { readonly fact: SupplierFact } }
  /** The figures, and the flags they lead to (so a consumer reading only these knows both). */
  | { readonly type: 'ScorecardComputed'; readonly data: FlaggedScorecard }
  | { readonly type: 'SupplierFlagChanged'; readonly data: FlagChange & { readonly at: string } };

export type FlaggedScorecard = Scorecard & { readonly flagged: boolean; readonly suspended: boolean; readonly reasons: readonly string[] };

export interface Policies {
  readonly scoring: ScoringPolicy;
  readonly flags: FlagPolicy;
}

export type PerformanceCommand =
  | { readonly type: 'RecordFact'; readonly data: { readonly fact: SupplierFact; readonly now: Date; readonly policies: Policies } }
  | { readonly type: 'Reevaluate'; readonly data: { readonly now: Date; readonly policies: Policies } };

export interface PerformanceState {
  readonly history: SupplierHistory;
  readonly flags: FlagState;
  readonly scorecard: FlaggedScorecard | undefined;
}

/** JSON with every object's keys sorted: a value read back from the store (JSONB) has its keys in another order. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

const figuresOf = (card: FlaggedScorecard | undefined) => (card ? canonicalJson({ ...card, at: undefined }) : '');

function evaluate(state: PerformanceState, requested: Date, policies: Policies): PerformanceEvent[] {
  // Readers keep a supplier's latest scorecard by its `at`: a decision retried after a conflict,
  // or another replica's clock, must not date a scorecard before the one it follows.
  const previous = state.scorecard ? Date.parse(state.scorecard.at) : Number.NEGATIVE_INFINITY;
  const now = previous > requested.getTime() ? new Date(previous) : requested;
  const card = scorecard(state.history, now, policies.scoring);
  const { next, changes } = evaluateFlags(state.flags, card, policies.flags);
  const flagged: FlaggedScorecard = { ...card, flagged: next.reasons.length > 0, suspended: next.suspended, reasons: next.reasons };
  const events: PerformanceEvent[] = [];
  if (figuresOf(flagged) !== figuresOf(state.scorecard)) events.push({ type: 'ScorecardComputed', data: flagged });
  for (const change of changes) events.push({ type: 'SupplierFlagChanged', data: { ...change, at: now.toISOString() } });
  return events;
}

export const performanceDecider: Decider<PerformanceCommand, PerformanceState, PerformanceEvent> = {
  initialState: () => ({ history: emptyHistory(), flags: NO_FLAGS, scorecard: undefined }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordFact': {
        const { fact, now, policies } = command.data;
        const history = applyFact(state.history, fact);
        if (history === state.history) return [];
        const recorded: PerformanceEvent = { type: 'SupplierFactRecorded', data: { fact } };
        return [recorded, ...evaluate({ ...state, history }, now, policies)];
      }
      case 'Reevaluate':
        return evaluate(state, command.data.now, command.data.policies);
      default: {
        const never: never = command;
        return never;
      }
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'SupplierFactRecorded':
        return { ...state, history: applyFact(state.history, event.data.fact) };
      case 'ScorecardComputed':
        return { ...state, scorecard: event.data };
      case 'SupplierFlagChanged': {
        const { kind, reasons } = event.data;
        if (kind === 'flagged') return { ...state, flags: { ...state.flags, reasons } };
        if (kind === 'cleared') return { ...state, flags: { ...state.flags, reasons: [] } };
        return { ...state, flags: { ...state.flags, suspended: kind === 'suspended' } };
      }
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};

/**
 * "What if": replays a supplier's facts in the order they happened under other policies, judging
 * the supplier every `stepHours` of history (and after the last fact) as the live service would
 * have, and returns the flag changes it would have made. Pure: the live scorecards are untouched.
 */
export function replayFlags(facts: readonly SupplierFact[], policies: Policies, stepHours = 24): (FlagChange & { at: string })[] {
  const ordered = [...facts].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const step = stepHours * 3_600_000;
  let history = emptyHistory();
  let flags = NO_FLAGS;
  const changes: (FlagChange & { at: string })[] = [];
  const judge = (at: Date) => {
    const { next, changes: made } = evaluateFlags(flags, scorecard(history, at, policies.scoring), policies.flags);
    flags = next;
    for (const change of made) changes.push({ ...change, at: at.toISOString() });
  };
  let nextJudgement: number | undefined;
  for (const fact of ordered) {
    const t = Date.parse(fact.at);
    nextJudgement ??= t + step;
    while (t >= nextJudgement) {
      judge(new Date(nextJudgement));
      nextJudgement += step;
    }
    history = applyFact(history, fact);
  }
  const last = ordered[ordered.length - 1];
  if (last) judge(new Date(last.at));
  return changes;
}
