import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { bearerTokenGuard, ParseIdPipe, readBody } from '@oms/platform';
import { Scorecards } from '../application/scorecards';
import type { FlagPolicy } from '../domain/flags';
import type { ScoringPolicy } from '../domain/scorecard';
import type { PerformanceEnv } from '../performance.env';
import { WhatIfDto } from './scorecards.dto';

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
  async get(@Param('supplierId', ParseIdPipe) supplierId: string) {
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

  /**
   * Judges the same history under other weights or thresholds; the live scorecards are untouched.
   * What is sent is validated like any input (a policy of strings or NaNs judges nothing): 400 with
   * every failing field.
   */
  @Post('admin/what-if')
  @HttpCode(200)
  @UseGuards(PerformanceAdminGuard)
  whatIf(@Body() body: unknown) {
    const asked = readBody(WhatIfDto, body ?? {});
    const live = this.scorecards.policies;
    const scoring: ScoringPolicy = { ...live.scoring, ...sent(asked.scoring ?? {}), weights: { ...live.scoring.weights, ...sent(asked.scoring?.weights ?? {}) } };
    const flags: FlagPolicy = { ...live.flags, ...sent(asked.flags ?? {}) };
    if (!scoring.windows.includes(flags.window)) {
      throw new BadRequestException({ message: 'Invalid request', errors: [{ field: 'flags.window', message: `must be one of the scoring windows (${scoring.windows.join(', ')})` }] });
    }
    return this.scorecards.whatIf({ scoring, flags });
  }
}

/** The fields a validated body was sent with (its class gives every optional field as a key). */
function sent<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as Partial<T>;
}
