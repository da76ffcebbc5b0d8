import { Module } from '@nestjs/common';
import { PrivacyModule } from '@oms/privacy';
import { GatewayMetrics } from './application/gateway-metrics';
import { AdminController, AdminTokenGuard } from './api/admin.controller';
import { SupplierApiController } from './api/supplier-api.controller';
import { SupplierApiKeyGuard } from './api/supplier-auth';
import { SupplierWebhooksController } from './api/supplier-webhooks.controller';
import { PurchaseOrderDispatcher } from './application/purchase-order-dispatcher';
import { PurchaseOrderIndex } from './application/purchase-order-index';
import { PurchaseOrderApplication } from './application/purchase-orders';
import { SupplierDirectory } from './application/supplier-directory';
import { SupplierInbox } from './application/supplier-inbox';
import { FulfilmentRequestsHandler } from './messaging/fulfilment-requests.handler';

/** Purchase orders to drop-ship suppliers, over their API, webhooks or EDI, with durable deadlines. */
@Module({
  imports: [PrivacyModule],
  controllers: [AdminController, SupplierApiController, SupplierWebhooksController, FulfilmentRequestsHandler],
  providers: [SupplierDirectory, PurchaseOrderIndex, PurchaseOrderApplication, SupplierInbox, PurchaseOrderDispatcher, GatewayMetrics, AdminTokenGuard, SupplierApiKeyGuard],
})
export class SupplierGatewayModule {}
