import { TOPICS } from '@oms/contracts';
import type { ServiceDescriptor } from '@oms/platform';
import { ReturnsRouterModule } from './returns-router.module';

export const returnsRouterService: ServiceDescriptor = {
  name: 'returns-router',
  defaultHttpPort: 3004,
  module: ReturnsRouterModule,
  categories: ['return'],
  publishes: [],
  consumes: [TOPICS.commerceReturns],
  toMessages: () => [],
};
