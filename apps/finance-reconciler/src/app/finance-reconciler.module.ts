import { Module } from '@nestjs/common';
import { FinanceController, FinanceTokenGuard } from './api/finance.controller';
import { LedgerApplication } from './application/ledger-application';
import { Reconciliation } from './application/reconciliation';
import { SupplierAccounts } from './application/supplier-accounts';
import { FinanceInputsHandler } from './messaging/finance-inputs.handler';

/** Retail and wholesale money per order line, supplier accounts, and their reconciliation. */
@Module({
  controllers: [FinanceController, FinanceInputsHandler],
  providers: [LedgerApplication, SupplierAccounts, Reconciliation, FinanceTokenGuard],
})
export class FinanceReconcilerModule {}
