/**
 * The purchase order to one drop-ship supplier (`po-<poId>`): what we asked, every answer the
 * supplier gave (with the raw message it came in), every deadline that fired. Money in integer
 * minor units of the PO currency.
 */
export interface PoAddress {
  readonly name: string;
  readonly company?: string;
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly region?: string;
  readonly postalCode?: string;
  readonly country: string;
  readonly phone?: string;
}

export interface PoLine {
  /** 1-based: what EDI and suppliers call the line. */
  readonly lineNumber: number;
  /** The order line it fulfils. */
  readonly lineId: string;
  readonly sku: string;
  readonly supplierSku?: string;
  readonly name?: string;
  readonly quantity: number;
  /** Wholesale cost per unit. */
  readonly unitCost: number;
}

export interface LineUnits {
  readonly lineId: string;
  readonly quantity: number;
}

export type Connector = 'api' | 'webhook' | 'edi';
export type TimeoutPolicy = 'resource' | 'cancel';

/** A supplier message as it arrived: kept beside the event it produced, for disputes. */
export interface Received {
  readonly channel: 'api' | 'webhook' | 'edi';
  readonly receivedAt: string;
  /** Who the credential (API key, webhook signature, EDI sender id) proved it was. */
  readonly supplierId: string;
  readonly contentType: string;
  readonly body: string;
  /**
   * Which message it was — the same body from the same supplier through the same channel (for EDI,
   * the same document of the interchange) is the same message — so a copy of one the PO applied
   * is known as such. Absent on events recorded before it was kept.
   */
  readonly messageId?: string;
}

export interface AcknowledgedLine {
  readonly lineId: string;
  readonly accepted: number;
  readonly rejected: number;
  /** Backordered past the ship-by promise: given back. Backorders within it count as accepted. */
  readonly backordered: number;
  readonly backorderDate?: string;
  readonly reason?: string;
}

export type PurchaseOrderEvent =
  | {
      readonly type: 'PurchaseOrderCreated';
      readonly data: {
        readonly poId: string;
        readonly poNumber: string;
        readonly orderId: string;
        readonly orderNumber?: string;
        readonly groupId: string;
        readonly supplierId: string;
        readonly currency: string;
        readonly lines: readonly PoLine[];
        readonly shipTo: PoAddress;
        readonly shipMethod?: string;
        readonly brandingRef: string;
        readonly connector: Connector;
        readonly timeoutPolicy: TimeoutPolicy;
        readonly confirmBy: string;
        readonly shipBy: string;
        readonly deliverBy: string;
        /** Whether missing ship-by also times the PO out (the supplier's policy). */
        readonly enforceShipBy: boolean;
        readonly createdAt: string;
      };
    }
  | { readonly type: 'PurchaseOrderDispatched'; readonly data: { readonly via: Connector; readonly lines: readonly LineUnits[]; readonly document?: string; readonly dispatchedAt: string } }
  | { readonly type: 'PurchaseOrderAcknowledged'; readonly data: { readonly lines: readonly AcknowledgedLine[]; readonly acknowledgedAt: string; readonly received: Received } }
  | {
      readonly type: 'PurchaseOrderShipped';
      readonly data: {
        readonly shipmentId: string;
        readonly carrier: string;
        readonly trackingNumber: string;
        readonly trackingUrl?: string;
        /** An unverifiable or malformed tracking number is kept, and counted as a defect. */
        readonly tracking: { readonly valid: boolean; readonly carrier: string; readonly reason?: string };
        readonly lines: readonly LineUnits[];
        readonly shippedAt: string;
        /** The PO's ship-by, so whoever measures lateness need not look it up. */
        readonly shipBy: string;
        readonly received: Received;
      };
    }
  | {
      readonly type: 'PurchaseOrderInvoiced';
      readonly data: {
        readonly invoiceNumber: string;
        readonly currency: string;
        readonly lines: readonly (LineUnits & { readonly unitCost: number })[];
        readonly total: number;
        readonly invoicedAt: string;
        readonly received: Received;
      };
    }
  | { readonly type: 'PurchaseOrderClosed'; readonly data: { readonly closedAt: string } }
  | {
      readonly type: 'PurchaseOrderCancellationRequested';
      readonly data: { readonly requestId: string; readonly lines: readonly LineUnits[]; readonly reason?: string; readonly requestedAt: string };
    }
  | {
      readonly type: 'PurchaseOrderCancelled';
      readonly data: {
        readonly lines: readonly LineUnits[];
        readonly by: 'retailer' | 'supplier';
        readonly requestId?: string;
        readonly reason?: string;
        readonly cancelledAt: string;
        readonly received?: Received;
      };
    }
  | {
      readonly type: 'PurchaseOrderCancellationRefused';
      readonly data: { readonly requestId?: string; readonly lines: readonly LineUnits[]; readonly reason: string; readonly refusedAt: string; readonly received?: Received };
    }
  | {
      readonly type: 'PurchaseOrderTimedOut';
      readonly data: { readonly deadline: 'confirm' | 'ship'; readonly due: string; readonly lines: readonly LineUnits[]; readonly resolution: TimeoutPolicy; readonly timedOutAt: string };
    }
  /** We told the supplier something (cancel, time-out, late answer refused), and how. */
  | {
      readonly type: 'SupplierNotified';
      readonly data: {
        /** What prompted it (the prompting event's id): one notification each. */
        readonly key: string;
        readonly about: 'cancellation' | 'cancellation_request' | 'time_out' | 'refused_message';
        readonly via: Connector;
        readonly document?: string;
        readonly notifiedAt: string;
      };
    }
  /** A supplier answer that came too late or does not fit the PO: recorded, never applied. */
  | {
      readonly type: 'SupplierMessageRefused';
      readonly data: { readonly command: string; readonly status: PoStatus; readonly reason: string; readonly refusedAt: string; readonly received?: Received };
    };

export type PoStatus = 'created' | 'dispatched' | 'acknowledged' | 'partially_shipped' | 'shipped' | 'invoiced' | 'closed' | 'cancelled' | 'timed_out';
