import { Module } from '@nestjs/common';
import { PrivacyModule } from '@oms/privacy';
import { OrdersController } from './api/orders.controller';
import { PrivacyController, PrivacyTokenGuard } from './api/privacy.controller';
import { ShopifyWebhookController } from './api/shopify-webhook.controller';
import { CustomerPrivacy } from './application/customer-privacy';
import { OrderApplication } from './application/order-application';
import { CommerceOrdersHandler } from './messaging/commerce-orders.handler';
import { FulfilmentFactsHandler } from './messaging/fulfilment-facts.handler';

/** Turns upstream orders into order streams and keeps one coherent customer view of each order. */
@Module({
  imports: [PrivacyModule],
  controllers: [OrdersController, ShopifyWebhookController, PrivacyController, CommerceOrdersHandler, FulfilmentFactsHandler],
  providers: [OrderApplication, CustomerPrivacy, PrivacyTokenGuard],
})
export class OrderIntakeModule {}
