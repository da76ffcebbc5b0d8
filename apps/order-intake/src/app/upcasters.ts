import { defineUpcasters } from '@oms/event-store';
import type { OrderEvent } from './domain/order-events';

/**
 * The version order intake writes of each event type it stores. No shape has changed yet: to
 * change one, raise its version here and add the upcaster from the one before (see
 * libs/event-store/src/upcasting/upcasters.ts), and keep an event of the old shape in
 * fixtures/events/order-intake.
 */
export const orderIntakeUpcasters = defineUpcasters<OrderEvent['type']>([], {
  versions: {
    OrderAccepted: 1,
    // Also in intakerejection-<id>: a message that never became an order (order-application.ts).
    OrderRejected: 1,
    OrderPlacementConflicted: 1,
    FulfilmentPlanRecorded: 1,
    PurchaseOrderRecorded: 1,
    ShipmentRecorded: 1,
    ShipmentDeliveryRecorded: 1,
    LinesCancelled: 1,
    ReturnRecorded: 1,
    RefundRecorded: 1,
    CancellationRequested: 1,
    ShippingAddressChanged: 1,
    OrderStatusChanged: 1,
    OrderCompleted: 1,
  },
});
