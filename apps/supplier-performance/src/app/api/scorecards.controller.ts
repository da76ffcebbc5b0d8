import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { bearerTokenGuard } from '@oms/platform';
import { Scorecards } from '../application/scorecards';
import type { FlagPolicy } from '../domain/flags';
import type { ScoringPolicy } from '../domain/scorecard';
import type { PerformanceEnv } from '../performance.env';

export const PerformanceAdminGuard = bearerTokenGuard<PerformanceEnv>((env) => env.PERFORMANCE_ADMIN_TOKEN, 'Performance admin');

/** Scorecards for anyone inside; rebuild and "what if" for operators. */
@Controller()
export class ScorecardsController {
  constructor(private readonly scorecards: Scorecards) {}

  @Get('scorecards')
  list() {
    return {
      scorecards: this.scorecards.list().map(({ supplierId, state }) => ({ supplierId, flags: state.flags, scorecard: state.scorecard ?? null })),
    };
  }

  @Get('scorecards/:supplierId')
  async get(@Param('supplierId') supplierId: string) {
    const state = await this.scorecards.get(supplierId);
    if (!state) throw new NotFoundException({ message: `No history for supplier ${supplierId}` });
    return { supplierId, flags: state.flags, scorecard: state.scorecard ?? null, purchaseOrders: Object.keys(state.history.pos).length };
  }

  /** Replays all history into a fresh copy and says whether it equals the live projection. */
  @Post('admin/rebuild')
  @HttpCode(200)
  @UseGuards(PerformanceAdminGuard)
  rebuild() {
    return this.scorecards.rebuild();
  }

  /** Judges the same history under other weights or thresholds; the live scorecards are untouched. */
  @Post('admin/what-if')
  @HttpCode(200)
  @UseGuards(PerformanceAdminGuard)
  whatIf(@Body() body: { scoring?: Partial<ScoringPolicy>; flags?: Partial<FlagPolicy> }) {
    const live = this.scorecards.policies;
    return this.scorecards.whatIf({
      scoring: { ...live.scoring, ...(body?.scoring ?? {}), weights: { ...live.scoring.weights, ...(body?.scoring?.weights ?? {}) } },
      flags: { ...live.flags, ...(body?.flags ?? {}) },
    });
  }
}
