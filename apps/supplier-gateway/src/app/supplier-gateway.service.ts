import { TOPICS } from '@oms/contracts';
import type { ServiceDescriptor } from '@oms/platform';
import { PO_CATEGORY } from './application/purchase-order-index';
import { SUPPLIER_CATEGORY } from './application/supplier-directory';
import { GatewayEnv } from './gateway.env';
import { gatewayMessages, SUPPLIER_FEED_CATEGORY } from './messaging/gateway-messages';
import { SupplierGatewayModule } from './supplier-gateway.module';
import { supplierGatewayUpcasters } from './upcasters';

export const supplierGatewayService: ServiceDescriptor<GatewayEnv> = {
  name: 'supplier-gateway',
  defaultHttpPort: 3003,
  module: SupplierGatewayModule,
  env: GatewayEnv,
  categories: [PO_CATEGORY, SUPPLIER_CATEGORY, SUPPLIER_FEED_CATEGORY],
  publishes: [TOPICS.supplierPurchaseOrders, TOPICS.supplierProfiles, TOPICS.inventoryStock],
  consumes: [TOPICS.sourcingAllocations],
  toMessages: gatewayMessages,
  upcasters: supplierGatewayUpcasters,
  http: { rawBody: true, bodyLimit: '2mb', textTypes: ['text/plain', 'application/edi-x12', 'application/edi'] },
};
