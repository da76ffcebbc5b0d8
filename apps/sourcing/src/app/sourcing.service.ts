import { TOPICS } from '@oms/contracts';
import type { ServiceDescriptor } from '@oms/platform';
import { SourcingModule } from './sourcing.module';

export const sourcingService: ServiceDescriptor = {
  name: 'sourcing',
  defaultHttpPort: 3002,
  module: SourcingModule,
  categories: ['allocation'],
  publishes: [],
  consumes: [TOPICS.omsOrders, TOPICS.catalogOffers, TOPICS.inventoryStock, TOPICS.supplierScorecards],
  toMessages: () => [],
};
