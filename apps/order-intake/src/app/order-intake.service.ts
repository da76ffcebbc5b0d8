import { TOPICS } from '@oms/contracts';
import type { ServiceDescriptor } from '@oms/platform';
import { OrderIntakeModule } from './order-intake.module';

export const orderIntakeService: ServiceDescriptor = {
  name: 'order-intake',
  defaultHttpPort: 3001,
  module: OrderIntakeModule,
  categories: ['order'],
  publishes: [TOPICS.omsOrders],
  consumes: [TOPICS.commerceOrders],
  toMessages: () => [],
};
