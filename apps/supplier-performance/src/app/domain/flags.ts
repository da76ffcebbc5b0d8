import type { Scorecard, WindowMetrics } from './scorecard';

type RateMetric = 'onTimeAcknowledgement' | 'onTimeShipment' | 'fillRate' | 'rejectionRate' | 'backorderRate' | 'supplierCancellationRate' | 'timeoutRate' | 'trackingDefectRate' | 'quantityAccuracy' | 'lateAsnRate' | 'invoiceDisputeRate' | 'returnRate';

/**
 * A threshold with hysteresis: a supplier enters the flag when the figure crosses `enter` and
 * leaves it only once it is back past `exit`, so a figure hovering at the line does not flap.
 */
export interface FlagRule {
  readonly metric: RateMetric | 'score';
  readonly direction: 'above' | 'below';
  readonly enter: number;
  readonly exit: number;
}

export interface FlagPolicy {
  readonly rules: readonly FlagRule[];
  /** Suspension on the composite score, with its own hysteresis. */
  readonly suspend: { readonly below: number; readonly exit: number };
  /** The window (days) the rules look at; it must be one of the scorecard's windows. */
  readonly window: number;
}

export const DEFAULT_FLAGS: FlagPolicy = {
  rules: [
    { metric: 'timeoutRate', direction: 'above', enter: 0.2, exit: 0.1 },
    { metric: 'onTimeShipment', direction: 'below', enter: 0.8, exit: 0.9 },
    { metric: 'fillRate', direction: 'below', enter: 0.85, exit: 0.92 },
    { metric: 'trackingDefectRate', direction: 'above', enter: 0.1, exit: 0.05 },
    { metric: 'score', direction: 'below', enter: 0.7, exit: 0.8 },
  ],
  suspend: { below: 0.4, exit: 0.6 },
  window: 30,
};

export interface FlagState {
  readonly reasons: readonly string[];
  readonly suspended: boolean;
}

export const NO_FLAGS: FlagState = { reasons: [], suspended: false };

export type FlagChange = {
  readonly kind: 'flagged' | 'cleared' | 'suspended' | 'reinstated';
  readonly reasons: readonly string[];
  /** The figures behind the decision, by metric. */
  readonly figures: Readonly<Record<string, number | null>>;
};

const ruleName = (r: FlagRule) => `${r.metric} ${r.direction} ${r.enter}`;
const crossed = (value: number, direction: 'above' | 'below', threshold: number) => (direction === 'above' ? value >= threshold : value <= threshold);
const backPast = (value: number, direction: 'above' | 'below', threshold: number) => (direction === 'above' ? value <= threshold : value >= threshold);

/** The flags after this scorecard, and what changed. With insufficient data nothing changes. */
export function evaluateFlags(current: FlagState, card: Scorecard, policy: FlagPolicy): { next: FlagState; changes: FlagChange[] } {
  const window = card.windows.find((w) => w.days === policy.window);
  if (!window || window.score === null) return { next: current, changes: [] };
  const valueOf = (metric: FlagRule['metric']) => (metric === 'score' ? window.score : (window[metric as keyof WindowMetrics] as number | null));
  const figures: Record<string, number | null> = {};
  const reasons: string[] = [];
  for (const rule of policy.rules) {
    const value = valueOf(rule.metric);
    figures[rule.metric] = value;
    const name = ruleName(rule);
    const was = current.reasons.includes(name);
    const active = value === null ? was : was ? !backPast(value, rule.direction, rule.exit) : crossed(value, rule.direction, rule.enter);
    if (active) reasons.push(name);
  }
  figures['score'] = window.score;
  const suspended = current.suspended ? window.score < policy.suspend.exit : window.score <= policy.suspend.below;
  const changes: FlagChange[] = [];
  const sameReasons = reasons.length === current.reasons.length && reasons.every((r) => current.reasons.includes(r));
  if (reasons.length > 0 && !sameReasons) changes.push({ kind: 'flagged', reasons, figures });
  if (reasons.length === 0 && current.reasons.length > 0) changes.push({ kind: 'cleared', reasons: current.reasons, figures });
  if (suspended && !current.suspended) changes.push({ kind: 'suspended', reasons: [`score below ${policy.suspend.below}`], figures });
  if (!suspended && current.suspended) changes.push({ kind: 'reinstated', reasons: [`score back to ${policy.suspend.exit}`], figures });
  return { next: { reasons, suspended }, changes };
}
