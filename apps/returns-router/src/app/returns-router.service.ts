import { TOPICS } from '@oms/contracts';
import type { ServiceDescriptor } from '@oms/platform';
import { RETURN_CATEGORY } from './application/returns-application';
import { returnMessages } from './messaging/return-messages';
import { ReturnsEnv } from './returns.env';
import { ReturnsRouterModule } from './returns-router.module';
import { returnsRouterUpcasters } from './upcasters';

export const returnsRouterService: ServiceDescriptor<ReturnsEnv> = {
  name: 'returns-router',
  defaultHttpPort: 3004,
  module: ReturnsRouterModule,
  env: ReturnsEnv,
  categories: [RETURN_CATEGORY],
  publishes: [TOPICS.returns],
  consumes: [TOPICS.commerceReturns, TOPICS.omsOrders, TOPICS.wmsShipments, TOPICS.carrierTracking, TOPICS.supplierPurchaseOrders, TOPICS.supplierProfiles],
  toMessages: returnMessages,
  upcasters: returnsRouterUpcasters,
};
