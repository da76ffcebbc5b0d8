import { TOPICS } from '@oms/contracts';
import type { ServiceDescriptor } from '@oms/platform';
import { LEDGER_CATEGORY } from './application/ledger-application';
import { SUPPLIER_ACCOUNT_CATEGORY } from './application/supplier-accounts';
import { FinanceEnv } from './finance.env';
import { FinanceReconcilerModule } from './finance-reconciler.module';
import { settlementMessages } from './messaging/settlement-messages';
import { financeReconcilerUpcasters } from './upcasters';

export const financeReconcilerService: ServiceDescriptor<FinanceEnv> = {
  name: 'finance-reconciler',
  defaultHttpPort: 3006,
  module: FinanceReconcilerModule,
  env: FinanceEnv,
  categories: [LEDGER_CATEGORY, SUPPLIER_ACCOUNT_CATEGORY],
  publishes: [TOPICS.financeSettlements],
  consumes: [TOPICS.omsOrders, TOPICS.sourcingAllocations, TOPICS.wmsFulfilmentRequests, TOPICS.supplierPurchaseOrders, TOPICS.wmsShipments, TOPICS.returns, TOPICS.supplierProfiles],
  toMessages: settlementMessages,
  upcasters: financeReconcilerUpcasters,
};
