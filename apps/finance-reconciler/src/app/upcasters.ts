import { defineUpcasters } from '@oms/event-store';
import type { LedgerEvent } from './domain/ledger-events';
import type { SupplierAccountEvent } from './domain/supplier-account';

/**
 * The version finance writes of each event type it stores. No shape has changed yet: to change
 * one, raise its version here and add the upcaster from the one before, and keep an event of the
 * old shape in fixtures/events/finance-reconciler.
 */
export const financeReconcilerUpcasters = defineUpcasters<LedgerEvent['type'] | SupplierAccountEvent['type']>([], {
  versions: {
    CustomerChargeRecognised: 1,
    RefundIssued: 1,
    ShipmentRecorded: 1,
    NodeCostsRecorded: 1,
    PurchaseOrderCommitted: 1,
    PurchaseOrderAcknowledgementRecorded: 1,
    SupplierPayableAccrued: 1,
    SupplierPayableReleased: 1,
    MarginRecognised: 1,
    SupplierInvoiceMatched: 1,
    SupplierInvoiceDisputed: 1,
    ChargebackRaised: 1,
    ReturnedToStock: 1,
    SupplierCreditExpected: 1,
    SupplierTermsRecorded: 1,
    SupplierAccountPosted: 1,
  },
});
