import { TOPICS } from '@oms/contracts';
import type { ServiceDescriptor } from '@oms/platform';
import { SupplierPerformanceModule } from './supplier-performance.module';

export const supplierPerformanceService: ServiceDescriptor = {
  name: 'supplier-performance',
  defaultHttpPort: 3005,
  module: SupplierPerformanceModule,
  categories: [],
  publishes: [TOPICS.supplierScorecards],
  consumes: [],
  toMessages: () => [],
};
