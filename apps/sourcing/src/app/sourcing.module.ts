import { Module } from '@nestjs/common';
import { AllocationsController } from './api/allocations.controller';
import { NodeCatalogProjection } from './application/node-catalog.projection';
import { SourcingApplication } from './application/sourcing-application';
import { NodeFeedsHandler } from './messaging/node-feeds.handler';
import { NodeReportsHandler } from './messaging/node-reports.handler';
import { OrderEventsHandler } from './messaging/order-events.handler';

/** Decides which fulfilment node (warehouse or drop-ship supplier) ships which line. */
@Module({
  controllers: [AllocationsController, OrderEventsHandler, NodeReportsHandler, NodeFeedsHandler],
  providers: [NodeCatalogProjection, SourcingApplication],
})
export class SourcingModule {}
