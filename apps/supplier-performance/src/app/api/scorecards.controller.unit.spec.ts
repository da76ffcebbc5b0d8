import { BadRequestException } from '@nestjs/common';
import type { Scorecards } from '../application/scorecards';
import { DEFAULT_FLAGS } from '../domain/flags';
import type { Policies } from '../domain/performance';
import { DEFAULT_SCORING } from '../domain/scorecard';
import { ScorecardsController } from './scorecards.controller';

/** A controller over scorecards that answer "what if" with the policies they were asked about. */
const controller = () => {
  const scorecards = { policies: { scoring: DEFAULT_SCORING, flags: DEFAULT_FLAGS }, whatIf: async (policies: Policies) => policies } as unknown as Scorecards;
  return new ScorecardsController(scorecards);
};
const whatIf = async (body: unknown) => (await controller().whatIf(body)) as unknown as Policies;

describe('ScorecardsController what-if', () => {
  it('merges what is sent over the live policies', async () => {
    const policies = await whatIf({ scoring: { weights: { returns: 0 }, minSample: 3 }, flags: { suspend: { below: 0.3, exit: 0.5 } } });
    expect(policies.scoring).toEqual({ ...DEFAULT_SCORING, minSample: 3, weights: { ...DEFAULT_SCORING.weights, returns: 0 } });
    expect(policies.flags).toEqual({ ...DEFAULT_FLAGS, suspend: { below: 0.3, exit: 0.5 } });
    expect(await whatIf({})).toEqual({ scoring: DEFAULT_SCORING, flags: DEFAULT_FLAGS });
  });

  // Bodies the fuzz test sent, each once answered 200 with verdicts judged on strings and NaNs.
  it.each([
    ['a window of text', { flags: { window: 'NaN' } }, 'flags.window'],
    ['a threshold of text', { flags: { suspend: { below: 0.4, exit: 'high' } } }, 'flags.suspend.exit'],
    ['rules that are not rules', { flags: { rules: [42, 'x', null] } }, 'flags.rules[0]'],
    ['a rule on no metric', { flags: { rules: [{ metric: 'vibes', direction: 'above', enter: 0.2, exit: 0.1 }] } }, 'flags.rules[0].metric'],
    ['a negative weight', { scoring: { weights: { fillRate: -1 } } }, 'scoring.weights.fillRate'],
    ['no windows', { scoring: { windows: [] } }, 'scoring.windows'],
    ['scoring as text', { scoring: 'strict' }, 'scoring'],
    ['an array', [], '$'],
  ])('refuses %s with 400 naming the field', async (_what, body, field) => {
    const refusal = await whatIf(body).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BadRequestException);
    expect(((refusal as BadRequestException).getResponse() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
  });

  it('refuses a flag window the scorecards do not compute', async () => {
    const refusal = await whatIf({ flags: { window: 14 } }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BadRequestException);
    expect(await whatIf({ scoring: { windows: [14, 60] }, flags: { window: 14 } })).toMatchObject({ flags: { window: 14 } });
  });
});
