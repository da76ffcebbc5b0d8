import { TOPICS } from '@oms/contracts';
import type { ServiceDescriptor } from '@oms/platform';
import { FinanceReconcilerModule } from './finance-reconciler.module';

export const financeReconcilerService: ServiceDescriptor = {
  name: 'finance-reconciler',
  defaultHttpPort: 3006,
  module: FinanceReconcilerModule,
  categories: ['ledger', 'supplieraccount'],
  publishes: [TOPICS.financeSettlements],
  consumes: [TOPICS.omsOrders],
  toMessages: () => [],
};
