import { runDecider } from '@oms/event-store/testing';
import { DEFAULT_FLAGS, type FlagPolicy } from './flags';
import { performanceDecider, replayFlags, type PerformanceCommand, type PerformanceEvent, type PerformanceState, type Policies } from './performance';
import { DEFAULT_SCORING } from './scorecard';
import type { SupplierFact } from './supplier-facts';
import { acknowledged, AT, cancelled, daysBefore, goodPo, historyOf, hoursAfter, poCreated, refused, timedOut } from './testing/supplier-fact-builders';

/*
 * Given the facts recorded about a supplier, when another fact (or a re-evaluation) comes, then
 * these events: the fact, a scorecard when the figures moved, and the flag changes with why.
 */

const POLICIES: Policies = { scoring: DEFAULT_SCORING, flags: DEFAULT_FLAGS };
const TIMEOUTS = 'timeoutRate above 0.2';

const record = (fact: SupplierFact, now: Date = AT, policies: Policies = POLICIES): PerformanceCommand => ({ type: 'RecordFact', data: { fact, now, policies } });
const reevaluate = (now: Date, policies: Policies = POLICIES): PerformanceCommand => ({ type: 'Reevaluate', data: { now, policies } });

const run = (commands: readonly PerformanceCommand[], from?: PerformanceState) => runDecider(performanceDecider, commands, from);
const given = (...commands: PerformanceCommand[]) => {
  const past = run(commands);
  return { ...past, when: (...next: PerformanceCommand[]) => run(next, past.state) };
};

const types = (events: readonly PerformanceEvent[]) => events.map((e) => e.type);
const flagChanges = (events: readonly PerformanceEvent[]) => events.flatMap((e) => (e.type === 'SupplierFlagChanged' ? [e.data] : []));

/** Ten POs handled well five days ago. */
const goodMonth = Array.from({ length: 10 }, (_, i) => goodPo(`good-${i}`, daysBefore(5))).flat();
/** Three one-unit POs yesterday, never acknowledged, timed out on confirm-by (which is `AT`). */
const lateOnes = ['t1', 't2', 't3'].map((poId) => poCreated(poId, daysBefore(1), { lines: { L1: 1 } }));
const timeouts = ['t1', 't2', 't3'].map((poId) => timedOut(poId, AT.toISOString()));

describe('performance decider', () => {
  describe('RecordFact', () => {
    it('records a new fact and the first scorecard, insufficient as it is', () => {
      const fact = poCreated('p1', daysBefore(2));
      const { events } = given().when(record(fact));

      expect(types(events)).toEqual(['SupplierFactRecorded', 'ScorecardComputed']);
      expect(events[0]).toEqual({ type: 'SupplierFactRecorded', data: { fact } });
      expect(events[1]!.data).toMatchObject({ at: AT.toISOString(), score: null, sufficient: false, reliability: null, flagged: false, suspended: false, reasons: [] });
    });

    it('decides nothing for a fact already recorded, whenever it comes again', () => {
      const fact = poCreated('p1', daysBefore(2));
      const history = given(record(fact));

      expect(history.when(record(fact)).events).toEqual([]);
      expect(history.when(record(fact, new Date(hoursAfter(AT, 24 * 40)))).events).toEqual([]);
    });

    it('records a fact that moves no figure without a new scorecard', () => {
      const history = given(record(poCreated('p1', daysBefore(2))));

      expect(types(history.when(record(cancelled('p1', 'c1', daysBefore(1), 'retailer', 10))).events)).toEqual(['SupplierFactRecorded']);
      expect(types(history.when(record(refused('p1', 'm1', daysBefore(1)))).events)).toEqual(['SupplierFactRecorded']);
      expect(types(history.when(record(acknowledged('p1', daysBefore(1), { accepted: 10 }))).events)).toEqual(['SupplierFactRecorded', 'ScorecardComputed']);
    });

    it('flags the supplier when the time-out rate crosses 0.2, with the reasons and the figures', () => {
      const { events } = given(...[...goodMonth, ...lateOnes, timeouts[0]!, timeouts[1]!].map((f) => record(f))).when(record(timeouts[2]!));

      expect(types(events)).toEqual(['SupplierFactRecorded', 'ScorecardComputed', 'SupplierFlagChanged']);
      // 13 POs: 10 acknowledged on time → 10/13; 3 timed out of 13; filled 100 of 103 settled units
      expect(events[1]!.data).toMatchObject({ sufficient: true, flagged: true, suspended: false, reasons: [TIMEOUTS], score: 0.9249, reliability: 0.9709 });
      expect(events[2]).toEqual({
        type: 'SupplierFlagChanged',
        data: {
          kind: 'flagged',
          reasons: [TIMEOUTS],
          figures: { timeoutRate: 0.2308, onTimeShipment: 1, fillRate: 0.9709, trackingDefectRate: 0, score: 0.9249 },
          at: AT.toISOString(),
        },
      });
    });

    it('keeps the flag while the rate sinks to 0.15, clears it only at the exit threshold 0.1', () => {
      const flagged = given(...[...goodMonth, ...lateOnes, ...timeouts].map((f) => record(f)));
      expect(flagged.state.flags).toEqual({ reasons: [TIMEOUTS], suspended: false });

      // Each new PO from three days ago is measured at once (its confirm-by has passed).
      const more = (from: number, count: number) => Array.from({ length: count }, (_, i) => goodPo(`more-${from + i}`, daysBefore(3))).flat();
      const seven = flagged.when(...more(0, 7).map((f) => record(f)));
      expect(seven.state.scorecard!.windows[1]!.timeoutRate).toBe(0.15);
      expect(flagChanges(seven.events)).toEqual([]);
      expect(seven.state.flags.reasons).toEqual([TIMEOUTS]);

      // 3 / (13 + 17) = 0.1, reached when the 17th new PO is created
      const upTo16 = run(more(7, 9).map((f) => record(f)), seven.state);
      expect(flagChanges(upTo16.events)).toEqual([]);
      const seventeenth = run([record(poCreated('more-16', daysBefore(3)))], upTo16.state);
      expect(flagChanges(seventeenth.events)).toEqual([{ kind: 'cleared', reasons: [TIMEOUTS], figures: expect.objectContaining({ timeoutRate: 0.1 }), at: AT.toISOString() }]);
      expect(seventeenth.state.flags).toEqual({ reasons: [], suspended: false });
    });

    it('changes no flag below the minimum sample, however bad the figures', () => {
      const facts = ['a', 'b', 'c'].flatMap((poId) => [poCreated(poId, daysBefore(3)), timedOut(poId, daysBefore(2))]);
      const { events, state } = given().when(...facts.map((f) => record(f)));

      expect(flagChanges(events)).toEqual([]);
      expect(state.scorecard).toMatchObject({ sufficient: false, score: null, reliability: null, flagged: false });
      expect(state.scorecard!.windows[1]).toMatchObject({ timeoutRate: 1, fillRate: 0 });
    });
  });

  describe('Reevaluate', () => {
    it('computes a scorecard only when the figures moved since the last one', () => {
      const history = given(record(poCreated('p1', daysBefore(5))));

      expect(history.when(reevaluate(AT)).events).toEqual([]);
      // three days on, the PO has left the 7-day window
      const later = history.when(reevaluate(new Date(hoursAfter(AT, 72))));
      expect(types(later.events)).toEqual(['ScorecardComputed']);
      expect(later.state.scorecard).toMatchObject({ at: hoursAfter(AT, 72) });
      expect(later.state.scorecard!.windows.map((w) => w.purchaseOrders)).toEqual([0, 1, 1]);
      expect(run([reevaluate(new Date(hoursAfter(AT, 73)))], later.state).events).toEqual([]);
    });

    it('leaves the flags alone once the window has slid below the minimum sample', () => {
      const flagged = given(...[...goodMonth, ...lateOnes, ...timeouts].map((f) => record(f)));
      const { events, state } = flagged.when(reevaluate(new Date(hoursAfter(AT, 24 * 28))));

      // the ten good POs (now 33 days old) are out of the 30-day window, the three late ones (29) still in
      expect(types(events)).toEqual(['ScorecardComputed']);
      expect(state.scorecard).toMatchObject({ sufficient: false, score: null, flagged: true, reasons: [TIMEOUTS] });
      expect(state.flags).toEqual(flagged.state.flags);
    });
  });

  describe('evolve', () => {
    it('rebuilds from the events alone the state the decider reached', () => {
      const facts = [...goodMonth, ...lateOnes, ...timeouts, ...goodPo('late-good', daysBefore(2))];
      const commands = [...facts.map((f) => record(f)), record(facts[3]!), reevaluate(new Date(hoursAfter(AT, 24 * 29)))];
      const { events, state } = run(commands);

      const rebuilt = events.reduce(performanceDecider.evolve, performanceDecider.initialState());
      expect(rebuilt).toEqual(state);
      expect(rebuilt.history).toEqual(historyOf(facts));
      expect(rebuilt.scorecard).toEqual([...events].reverse().find((e) => e.type === 'ScorecardComputed')!.data);
      expect(rebuilt.flags).toEqual({ reasons: [TIMEOUTS], suspended: false });

      // and, rebuilt, it decides as the live one does
      const next = [reevaluate(new Date(hoursAfter(AT, 24 * 40))), record(poCreated('new', hoursAfter(AT, 24 * 40)), new Date(hoursAfter(AT, 24 * 40)))];
      expect(run(next, rebuilt).events).toEqual(run(next, state).events);
    });

    it('rebuilds the same state from events that went through JSON (as stored)', () => {
      const { events, state } = run([...goodMonth, ...lateOnes, ...timeouts].map((f) => record(f)));
      const stored = JSON.parse(JSON.stringify(events)) as PerformanceEvent[];

      expect(stored.reduce(performanceDecider.evolve, performanceDecider.initialState())).toEqual(state);
    });
  });
});

describe('replayFlags', () => {
  const T0 = '2026-03-01T00:00:00.000Z';
  const at = (hours: number) => hoursAfter(T0, hours);

  /**
   * Ten good POs in the first ten hours; one more, acknowledged, that misses its ship-by and times
   * out at 100 h (1 of 11 timed out: 0.0909); then ten more good POs from 144 h (1 of 21: 0.0476).
   */
  const facts: SupplierFact[] = [
    ...Array.from({ length: 10 }, (_, i) => goodPo(`a-${i}`, at(i))).flat(),
    poCreated('slow', at(12), { lines: { L1: 1 } }),
    acknowledged('slow', at(14), { accepted: 1 }),
    timedOut('slow', at(100), 'ship'),
    ...Array.from({ length: 10 }, (_, i) => goodPo(`b-${i}`, at(144 + i))).flat(),
  ];
  const strictFlags: FlagPolicy = { ...DEFAULT_FLAGS, rules: DEFAULT_FLAGS.rules.map((r) => (r.metric === 'timeoutRate' ? { ...r, enter: 0.08, exit: 0.05 } : r)) };
  const strict: Policies = { ...POLICIES, flags: strictFlags };

  it('finds no flag under the default policy', () => {
    expect(replayFlags(facts, POLICIES)).toEqual([]);
  });

  it('flags the supplier under a stricter policy, and says when each change would have been made', () => {
    // judged every 24 h from the first fact: the time-out (100 h) is seen at 120 h, the new POs
    // (created and acknowledged by 155 h) at 168 h
    expect(replayFlags(facts, strict)).toEqual([
      {
        kind: 'flagged',
        reasons: ['timeoutRate above 0.08'],
        figures: { timeoutRate: 0.0909, onTimeShipment: 0.9091, fillRate: 0.9901, trackingDefectRate: 0, score: 0.9617 },
        at: at(120),
      },
      { kind: 'cleared', reasons: ['timeoutRate above 0.08'], figures: expect.objectContaining({ timeoutRate: 0.0476 }), at: at(168) },
    ]);
  });

  it('depends on when the facts happened, not on the order they are given in', () => {
    const shuffled = [...facts].reverse();

    expect(replayFlags(shuffled, strict)).toEqual(replayFlags(facts, strict));
  });

  it('judges at the given step, and once more after the last fact', () => {
    // every 100 h: judged at 100 h (before the time-out at 100 h is applied), 200 h, and at the last fact (201 h)
    expect(replayFlags(facts, strict, 100)).toEqual([]);
    expect(replayFlags(facts.slice(0, 33), strict, 1000).map((c) => [c.kind, c.at])).toEqual([['flagged', at(100)]]);
  });

  it('finds nothing in no facts', () => {
    expect(replayFlags([], strict)).toEqual([]);
  });
});
