import { DEFAULT_FLAGS, evaluateFlags, NO_FLAGS, type FlagChange, type FlagState } from './flags';
import type { Scorecard, WindowMetrics } from './scorecard';

/*
 * Hysteresis on hand-set scorecards: only the 30-day window matters to the default policy, and
 * every figure not named in a test is a good one (nothing flagged).
 */

const goodMonth: WindowMetrics & { score: number | null } = {
  days: 30,
  purchaseOrders: 40,
  acknowledgeHours: { p50: 2, p90: 6 },
  shipHours: { p50: 30, p90: 60 },
  onTimeAcknowledgement: 1,
  onTimeShipment: 1,
  fillRate: 1,
  rejectionRate: 0,
  backorderRate: 0,
  supplierCancellationRate: 0,
  timeoutRate: 0,
  trackingDefectRate: 0,
  quantityAccuracy: 1,
  lateAsnRate: 0,
  invoiceDisputeRate: 0,
  returnRate: 0,
  score: 0.95,
};

const card = (month: Partial<WindowMetrics & { score: number | null }>): Scorecard => {
  const m = { ...goodMonth, ...month };
  return { at: '2026-03-31T00:00:00.000Z', windows: [{ ...goodMonth, days: 7 }, m, { ...goodMonth, days: 90 }], score: m.score, reliability: null, observedShipDays: null, sufficient: m.score !== null };
};

/** Evaluates the scorecards in turn, returning the changes made at each step and the last state. */
function sequence(months: Partial<WindowMetrics & { score: number | null }>[], from: FlagState = NO_FLAGS) {
  let state = from;
  const steps: FlagChange[][] = [];
  for (const month of months) {
    const { next, changes } = evaluateFlags(state, card(month), DEFAULT_FLAGS);
    state = next;
    steps.push(changes);
  }
  return { state, steps, kinds: steps.map((changes) => changes.map((c) => c.kind)) };
}

const TIMEOUTS = 'timeoutRate above 0.2';

describe('evaluateFlags', () => {
  it('flags a time-out rate above the enter threshold, keeps the flag until it is back under the exit threshold', () => {
    const { steps, kinds, state } = sequence([{ timeoutRate: 0.25 }, { timeoutRate: 0.15 }, { timeoutRate: 0.05 }]);

    expect(kinds).toEqual([['flagged'], [], ['cleared']]);
    expect(steps[0]![0]).toEqual({
      kind: 'flagged',
      reasons: [TIMEOUTS],
      figures: { timeoutRate: 0.25, onTimeShipment: 1, fillRate: 1, trackingDefectRate: 0, score: 0.95 },
    });
    expect(steps[2]![0]).toEqual({ kind: 'cleared', reasons: [TIMEOUTS], figures: expect.objectContaining({ timeoutRate: 0.05 }) });
    expect(state).toEqual(NO_FLAGS);
  });

  it('does not flap when the figure oscillates around the enter threshold', () => {
    expect(sequence([{ timeoutRate: 0.19 }, { timeoutRate: 0.18 }, { timeoutRate: 0.19 }]).kinds).toEqual([[], [], []]);
    expect(sequence([{ timeoutRate: 0.21 }, { timeoutRate: 0.19 }, { timeoutRate: 0.21 }, { timeoutRate: 0.19 }, { timeoutRate: 0.12 }]).kinds).toEqual([['flagged'], [], [], [], []]);
  });

  it('treats the thresholds themselves as crossed: enter at exactly 0.2, leave at exactly 0.1', () => {
    expect(sequence([{ timeoutRate: 0.2 }, { timeoutRate: 0.1 }]).kinds).toEqual([['flagged'], ['cleared']]);
  });

  it('applies “below” rules the other way round', () => {
    const { steps, kinds } = sequence([{ onTimeShipment: 0.85 }, { onTimeShipment: 0.75 }, { onTimeShipment: 0.85 }, { onTimeShipment: 0.9 }]);

    expect(kinds).toEqual([[], ['flagged'], [], ['cleared']]);
    expect(steps[1]![0]!.reasons).toEqual(['onTimeShipment below 0.8']);
  });

  it('lists every reason with the figures behind them, and announces a change of reasons', () => {
    const { steps, kinds, state } = sequence([{ timeoutRate: 0.3 }, { timeoutRate: 0.3, fillRate: 0.8 }, { timeoutRate: 0.05, fillRate: 0.8 }]);

    expect(kinds).toEqual([['flagged'], ['flagged'], ['flagged']]);
    expect(steps[1]![0]).toEqual({
      kind: 'flagged',
      reasons: [TIMEOUTS, 'fillRate below 0.85'],
      figures: { timeoutRate: 0.3, onTimeShipment: 1, fillRate: 0.8, trackingDefectRate: 0, score: 0.95 },
    });
    expect(steps[2]![0]!.reasons).toEqual(['fillRate below 0.85']);
    expect(state).toEqual({ reasons: ['fillRate below 0.85'], suspended: false });
  });

  it('keeps a flag as it is while its figure cannot be measured', () => {
    const { kinds, state } = sequence([{ onTimeShipment: 0.5 }, { onTimeShipment: null }, { onTimeShipment: null }]);

    expect(kinds).toEqual([['flagged'], [], []]);
    expect(state.reasons).toEqual(['onTimeShipment below 0.8']);
  });

  it('suspends at a score of 0.4 or less and reinstates only once it is back to 0.6', () => {
    const { steps, kinds, state } = sequence([{ score: 0.45 }, { score: 0.4 }, { score: 0.55 }, { score: 0.59 }, { score: 0.6 }, { score: 0.85 }]);

    expect(kinds).toEqual([['flagged'], ['suspended'], [], [], ['reinstated'], ['cleared']]);
    expect(steps[0]![0]!.reasons).toEqual(['score below 0.7']);
    expect(steps[1]![0]).toEqual({ kind: 'suspended', reasons: ['score below 0.4'], figures: expect.objectContaining({ score: 0.4 }) });
    expect(steps[4]![0]).toEqual({ kind: 'reinstated', reasons: ['score back to 0.6'], figures: expect.objectContaining({ score: 0.6 }) });
    expect(state).toEqual(NO_FLAGS);
  });

  it('flags and suspends at once when the score falls straight through both thresholds', () => {
    const { steps, state } = sequence([{ score: 0.3 }]);

    expect(steps[0]!.map((c) => c.kind)).toEqual(['flagged', 'suspended']);
    expect(state).toEqual({ reasons: ['score below 0.7'], suspended: true });
  });

  it('shows the score among the figures even when no rule looks at it', () => {
    const policy = { ...DEFAULT_FLAGS, rules: DEFAULT_FLAGS.rules.filter((r) => r.metric === 'timeoutRate') };

    expect(evaluateFlags(NO_FLAGS, card({ timeoutRate: 0.5, score: 0.75 }), policy).changes).toEqual([{ kind: 'flagged', reasons: [TIMEOUTS], figures: { timeoutRate: 0.5, score: 0.75 } }]);
  });

  it('changes nothing on insufficient data, however terrible the figures', () => {
    const terrible = { score: null, timeoutRate: 1, onTimeShipment: 0, fillRate: 0, trackingDefectRate: 1 };
    const flagged: FlagState = { reasons: [TIMEOUTS], suspended: true };

    expect(evaluateFlags(NO_FLAGS, card(terrible), DEFAULT_FLAGS)).toEqual({ next: NO_FLAGS, changes: [] });
    expect(evaluateFlags(flagged, card({ ...goodMonth, score: null }), DEFAULT_FLAGS)).toEqual({ next: flagged, changes: [] });
  });

  it('changes nothing when the scorecard has no window of the policy’s length', () => {
    expect(evaluateFlags(NO_FLAGS, card({ timeoutRate: 1, score: 0.1 }), { ...DEFAULT_FLAGS, window: 14 })).toEqual({ next: NO_FLAGS, changes: [] });
  });
});
