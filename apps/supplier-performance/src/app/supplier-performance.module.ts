import { Module } from '@nestjs/common';
import { PerformanceAdminGuard, ScorecardsController } from './api/scorecards.controller';
import { Scorecards } from './application/scorecards';
import { SupplierEventsHandler } from './messaging/supplier-events.handler';

/** Scorecards per supplier, rebuilt from PO and return history, fed back into sourcing. */
@Module({
  controllers: [ScorecardsController, SupplierEventsHandler],
  providers: [Scorecards, PerformanceAdminGuard],
})
export class SupplierPerformanceModule {}
