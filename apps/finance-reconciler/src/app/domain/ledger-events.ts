import type { ChargedLine, UnitsRefund } from './refund-allocation';

/**
 * One order's money (`ledger-<orderId>`): what the customer was charged and refunded, line by
 * line and component by component, and what each supplier is owed for it. Integer minor units of
 * the order currency throughout.
 */
export interface ShippingCharge {
  readonly amount: number;
  readonly discount: number;
  readonly tax: number;
  readonly total: number;
}

export interface CostedUnits {
  readonly lineId: string;
  readonly quantity: number;
  readonly unitCost: number;
  readonly amount: number;
}

export type ChargebackRule = 'late_shipment' | 'invalid_tracking' | 'cancelled_after_acceptance';

export interface InvoiceIssue {
  readonly lineId: string;
  readonly kind: 'quantity' | 'unit_cost' | 'unknown_line' | 'total';
  readonly invoiced: number;
  readonly expected: number;
  /** Money in question on this line (invoiced − expected value). */
  readonly amount: number;
}

export type LedgerEvent =
  | {
      readonly type: 'CustomerChargeRecognised';
      readonly data: {
        readonly currency: string;
        readonly taxesIncluded: boolean;
        readonly lines: readonly (ChargedLine & { readonly sku: string })[];
        readonly shipping: ShippingCharge;
        readonly total: number;
        readonly chargedAt: string;
      };
    }
  | {
      readonly type: 'RefundIssued';
      readonly data: {
        readonly refundId: string;
        readonly cause: 'cancellation' | 'return';
        readonly causeId: string;
        readonly reason: string;
        readonly lines: readonly UnitsRefund[];
        /** Shipping comes back when every unit ends cancelled. */
        readonly shipping?: ShippingCharge;
        readonly amount: number;
        readonly currency: string;
        readonly issuedAt: string;
      };
    }
  | {
      readonly type: 'ShipmentRecorded';
      readonly data: { readonly shipmentId: string; readonly nodeId: string; readonly poId?: string; readonly lines: readonly { readonly lineId: string; readonly quantity: number }[]; readonly shippedAt: string };
    }
  | { readonly type: 'NodeCostsRecorded'; readonly data: { readonly groupId: string; readonly nodeId: string; readonly nodeKind: 'warehouse' | 'supplier'; readonly lines: readonly { readonly lineId: string; readonly unitCost: number }[] } }
  | {
      readonly type: 'PurchaseOrderCommitted';
      readonly data: {
        readonly poId: string;
        readonly supplierId: string;
        readonly poNumber: string;
        readonly currency: string;
        readonly lines: readonly CostedUnits[];
        readonly amount: number;
        readonly shipBy: string;
        readonly committedAt: string;
      };
    }
  | { readonly type: 'PurchaseOrderAcknowledgementRecorded'; readonly data: { readonly poId: string; readonly accepted: readonly { readonly lineId: string; readonly quantity: number }[]; readonly at: string } }
  | {
      readonly type: 'SupplierPayableAccrued';
      readonly data: { readonly poId: string; readonly supplierId: string; readonly shipmentId: string; readonly lines: readonly CostedUnits[]; readonly amount: number; readonly currency: string; readonly accruedAt: string };
    }
  | {
      readonly type: 'SupplierPayableReleased';
      readonly data: {
        readonly poId: string;
        readonly supplierId: string;
        readonly sourceId: string;
        readonly reason: string;
        readonly lines: readonly CostedUnits[];
        readonly amount: number;
        readonly currency: string;
        readonly releasedAt: string;
      };
    }
  | {
      readonly type: 'MarginRecognised';
      readonly data: {
        readonly sourceId: string;
        readonly cause: 'shipment' | 'return';
        readonly nodeId: string;
        readonly lines: readonly { readonly lineId: string; readonly quantity: number; readonly revenue: number; readonly cost: number; readonly margin: number }[];
        /** Returns: which node (and PO) each returned unit had shipped from, at what cost. */
        readonly sources?: readonly { readonly poId?: string; readonly nodeId: string; readonly lineId: string; readonly quantity: number; readonly unitCost: number }[];
        readonly margin: number;
        readonly currency: string;
        /** The order's margin after this, across every shipment and return so far. */
        readonly orderMargin: number;
        readonly recognisedAt: string;
      };
    }
  | {
      readonly type: 'SupplierInvoiceMatched';
      readonly data: {
        readonly poId: string;
        readonly supplierId: string;
        readonly invoiceNumber: string;
        readonly lines: readonly { readonly lineId: string; readonly quantity: number; readonly unitCost: number }[];
        readonly amount: number;
        readonly currency: string;
        readonly matchedAt: string;
      };
    }
  | {
      readonly type: 'SupplierInvoiceDisputed';
      readonly data: {
        readonly poId: string;
        readonly supplierId: string;
        readonly invoiceNumber: string;
        readonly invoiced: number;
        /** What the PO and the shipments say the invoiced lines are worth. */
        readonly expected: number;
        readonly issues: readonly InvoiceIssue[];
        readonly currency: string;
        readonly disputedAt: string;
      };
    }
  | {
      readonly type: 'ChargebackRaised';
      readonly data: { readonly chargebackId: string; readonly poId: string; readonly supplierId: string; readonly rule: ChargebackRule; readonly amount: number; readonly currency: string; readonly reason: string; readonly raisedAt: string };
    }
  | {
      readonly type: 'ReturnedToStock';
      readonly data: { readonly returnId: string; readonly lines: readonly CostedUnits[]; readonly amount: number; readonly currency: string; readonly restockedAt: string };
    }
  | {
      readonly type: 'SupplierCreditExpected';
      readonly data: { readonly returnId: string; readonly poId: string; readonly supplierId: string; readonly lines: readonly CostedUnits[]; readonly amount: number; readonly currency: string; readonly expectedAt: string };
    };
