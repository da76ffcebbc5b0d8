import { Module } from '@nestjs/common';
import { OrdersController } from './api/orders.controller';
import { ShopifyWebhookController } from './api/shopify-webhook.controller';
import { OrderApplication } from './application/order-application';
import { CommerceOrdersHandler } from './messaging/commerce-orders.handler';
import { FulfilmentFactsHandler } from './messaging/fulfilment-facts.handler';

/** Turns upstream orders into order streams and keeps one coherent customer view of each order. */
@Module({
  controllers: [OrdersController, ShopifyWebhookController, CommerceOrdersHandler, FulfilmentFactsHandler],
  providers: [OrderApplication],
})
export class OrderIntakeModule {}
