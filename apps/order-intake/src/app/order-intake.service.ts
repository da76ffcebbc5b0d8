import { TOPICS } from '@oms/contracts';
import type { ServiceDescriptor } from '@oms/platform';
import { ORDER_CATEGORY, REJECTION_CATEGORY } from './application/order-application';
import { orderMessages } from './messaging/order-messages';
import { OrderIntakeEnv } from './order-intake.env';
import { OrderIntakeModule } from './order-intake.module';
import { orderIntakeUpcasters } from './upcasters';

export const orderIntakeService: ServiceDescriptor<OrderIntakeEnv> = {
  name: 'order-intake',
  defaultHttpPort: 3001,
  module: OrderIntakeModule,
  env: OrderIntakeEnv,
  categories: [ORDER_CATEGORY, REJECTION_CATEGORY],
  publishes: [TOPICS.omsOrders],
  consumes: [TOPICS.commerceOrders, TOPICS.sourcingAllocations, TOPICS.supplierPurchaseOrders, TOPICS.wmsShipments, TOPICS.carrierTracking, TOPICS.returns, TOPICS.financeSettlements],
  toMessages: orderMessages,
  upcasters: orderIntakeUpcasters,
  http: { rawBody: true, bodyLimit: '256kb' },
};
