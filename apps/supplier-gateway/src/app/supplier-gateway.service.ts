import { TOPICS } from '@oms/contracts';
import type { ServiceDescriptor } from '@oms/platform';
import { SupplierGatewayModule } from './supplier-gateway.module';

export const supplierGatewayService: ServiceDescriptor = {
  name: 'supplier-gateway',
  defaultHttpPort: 3003,
  module: SupplierGatewayModule,
  categories: ['po', 'supplier'],
  publishes: [TOPICS.supplierProfiles, TOPICS.inventoryStock],
  consumes: [],
  toMessages: () => [],
};
