import { defineUpcasters } from '@oms/event-store';
import type { ReturnEvent } from './domain/return-events';
import type { ReturnableOrderEvent } from './domain/returnable-order';

/**
 * The version the returns router writes of each event type it stores. No shape has changed yet:
 * to change one, raise its version here and add the upcaster from the one before, and keep an
 * event of the old shape in fixtures/events/returns-router.
 */
export const returnsRouterUpcasters = defineUpcasters<ReturnEvent['type'] | ReturnableOrderEvent['type'] | 'SupplierReturnPolicyRecorded'>([], {
  versions: {
    ReturnRouted: 1,
    ReturnRejected: 1,
    ReturnPartReceived: 1,
    RefundApproved: 1,
    ReturnException: 1,
    OrderSold: 1,
    ShipmentNoted: 1,
    ShipmentDeliveryNoted: 1,
    ReturnClaimed: 1,
    ReturnClaimRefused: 1,
    // returnpolicy-<supplierId>: a supplier's return policy from its profile (return-nodes.ts).
    SupplierReturnPolicyRecorded: 1,
  },
});
