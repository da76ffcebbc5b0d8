import { TOPICS } from '@oms/contracts';
import { categoryOf, type RecordedEvent } from '@oms/event-store';
import { outgoingFrom, type OutgoingMessage } from '@oms/messaging';
import { LEDGER_CATEGORY } from '../application/ledger-application';
import { SUPPLIER_ACCOUNT_CATEGORY } from '../application/supplier-accounts';
import type { LedgerEvent } from '../domain/ledger-events';
import type { SupplierAccountEvent } from '../domain/supplier-account';

/** Settlement events finance systems follow on `finance.settlements.v1`. */
export const SETTLEMENT_EVENTS = {
  customerChargeRecognised: 'CustomerChargeRecognised',
  refundIssued: 'RefundIssued',
  supplierPayableAccrued: 'SupplierPayableAccrued',
  supplierPayableReleased: 'SupplierPayableReleased',
  marginRecognised: 'MarginRecognised',
  supplierInvoiceMatched: 'SupplierInvoiceMatched',
  supplierInvoiceDisputed: 'SupplierInvoiceDisputed',
  chargebackRaised: 'ChargebackRaised',
  supplierCreditExpected: 'SupplierCreditExpected',
  returnedToStock: 'ReturnedToStock',
  supplierCreditReceived: 'SupplierCreditReceived',
  supplierPaymentRecorded: 'SupplierPaymentRecorded',
} as const;

/**
 * Ledger events go out as they are (key: order id) with the order id added; bookkeeping of the
 * ledger's own (shipments seen, node costs, PO commitments, acknowledgements) stays private.
 * From the supplier accounts only what finance did not learn from an order: payments and credits
 * received (key: supplier id).
 */
export function settlementMessages(event: RecordedEvent): OutgoingMessage[] {
  const category = categoryOf(event.streamName);
  if (category === SUPPLIER_ACCOUNT_CATEGORY) {
    const stored = { type: event.type, data: event.data } as unknown as SupplierAccountEvent;
    if (stored.type !== 'SupplierAccountPosted') return [];
    const supplierId = event.streamName.slice(SUPPLIER_ACCOUNT_CATEGORY.length + 1);
    if (stored.data.kind === 'payment') return [outgoingFrom(event, TOPICS.financeSettlements.name, supplierId, SETTLEMENT_EVENTS.supplierPaymentRecorded, { supplierId, ...stored.data })];
    if (stored.data.kind === 'credit_received') return [outgoingFrom(event, TOPICS.financeSettlements.name, supplierId, SETTLEMENT_EVENTS.supplierCreditReceived, { supplierId, ...stored.data })];
    return [];
  }
  if (category !== LEDGER_CATEGORY) return [];
  const orderId = event.streamName.slice(LEDGER_CATEGORY.length + 1);
  const stored = { type: event.type, data: event.data } as unknown as LedgerEvent;
  switch (stored.type) {
    case 'CustomerChargeRecognised':
    case 'SupplierPayableAccrued':
    case 'SupplierPayableReleased':
    case 'MarginRecognised':
    case 'SupplierInvoiceMatched':
    case 'SupplierInvoiceDisputed':
    case 'ChargebackRaised':
    case 'SupplierCreditExpected':
    case 'ReturnedToStock':
      return [outgoingFrom(event, TOPICS.financeSettlements.name, orderId, stored.type, { orderId, ...stored.data })];
    case 'RefundIssued':
      // `amount` per line is what the order side records; the components are for accounting.
      return [outgoingFrom(event, TOPICS.financeSettlements.name, orderId, SETTLEMENT_EVENTS.refundIssued, { orderId, ...stored.data })];
    case 'ShipmentRecorded':
    case 'NodeCostsRecorded':
    case 'PurchaseOrderCommitted':
    case 'PurchaseOrderAcknowledgementRecorded':
      return [];
    default: {
      const never: never = stored;
      return never;
    }
  }
}
