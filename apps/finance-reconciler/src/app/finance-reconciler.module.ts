import { Module } from '@nestjs/common';

/** Retail and wholesale money per line, partial refunds and supplier settlement, to the cent. */
@Module({})
export class FinanceReconcilerModule {}
