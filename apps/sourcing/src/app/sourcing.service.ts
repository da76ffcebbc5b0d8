import { TOPICS } from '@oms/contracts';
import type { ServiceDescriptor } from '@oms/platform';
import { ALLOCATION_CATEGORY } from './application/sourcing-application';
import { allocationMessages } from './messaging/allocation-messages';
import { SourcingEnv } from './sourcing.env';
import { SourcingModule } from './sourcing.module';
import { sourcingUpcasters } from './upcasters';

export const sourcingService: ServiceDescriptor<SourcingEnv> = {
  name: 'sourcing',
  defaultHttpPort: 3002,
  module: SourcingModule,
  env: SourcingEnv,
  categories: [ALLOCATION_CATEGORY],
  publishes: [TOPICS.sourcingAllocations, TOPICS.wmsFulfilmentRequests],
  consumes: [
    TOPICS.omsOrders,
    TOPICS.catalogOffers,
    TOPICS.inventoryStock,
    TOPICS.supplierScorecards,
    TOPICS.supplierProfiles,
    TOPICS.supplierPurchaseOrders,
    TOPICS.wmsShipments,
  ],
  toMessages: allocationMessages,
  upcasters: sourcingUpcasters,
};
