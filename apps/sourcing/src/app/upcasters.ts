import { defineUpcasters } from '@oms/event-store';
import { FACT_EVENT_TYPES } from './application/node-catalog.projection';
import type { AllocationEvent } from './domain/allocation-events';
import type { NodeStockEvent } from './domain/node-stock';

type CatalogFactType = (typeof FACT_EVENT_TYPES)[keyof typeof FACT_EVENT_TYPES];

/**
 * The version sourcing writes of each event type it stores. No shape has changed yet: to change
 * one, raise its version here and add the upcaster from the one before, and keep an event of the
 * old shape in fixtures/events/sourcing.
 */
export const sourcingUpcasters = defineUpcasters<AllocationEvent['type'] | NodeStockEvent['type'] | CatalogFactType>([], {
  versions: {
    AllocationOpened: 1,
    ShipToChanged: 1,
    FulfilmentPlanned: 1,
    FulfilmentRequested: 1,
    LinesUnfulfillable: 1,
    UnitsReturnedByNode: 1,
    ShipmentRecorded: 1,
    FulfilmentCancellationRequested: 1,
    OrderLinesCancelled: 1,
    StockLevelsRecorded: 1,
    ReservationSet: 1,
    ReservationConsumed: 1,
    // nodecatalog-<nodeId> and supplierstanding-<supplierId>: facts as consumed.
    NodeOffersRecorded: 1,
    SupplierScorecardRecorded: 1,
    SupplierProfileRecorded: 1,
  },
});
