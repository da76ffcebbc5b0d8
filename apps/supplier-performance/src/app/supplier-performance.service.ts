import { TOPICS } from '@oms/contracts';
import type { ServiceDescriptor } from '@oms/platform';
import { SCORECARD_CATEGORY } from './application/scorecards';
import { scorecardMessages } from './messaging/scorecard-messages';
import { PerformanceEnv } from './performance.env';
import { SupplierPerformanceModule } from './supplier-performance.module';
import { supplierPerformanceUpcasters } from './upcasters';

export const supplierPerformanceService: ServiceDescriptor<PerformanceEnv> = {
  name: 'supplier-performance',
  defaultHttpPort: 3005,
  module: SupplierPerformanceModule,
  env: PerformanceEnv,
  categories: [SCORECARD_CATEGORY],
  publishes: [TOPICS.supplierScorecards],
  consumes: [TOPICS.supplierPurchaseOrders, TOPICS.financeSettlements, TOPICS.returns],
  toMessages: scorecardMessages,
  upcasters: supplierPerformanceUpcasters,
};
