import { Module } from '@nestjs/common';

/** Scorecards per supplier, rebuilt from PO and return history, fed back into sourcing. */
@Module({})
export class SupplierPerformanceModule {}
