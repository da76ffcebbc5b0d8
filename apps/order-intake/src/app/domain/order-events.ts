import type { Address, Customer, Discrepancy, FieldProblem, LineQuantity, PricedLine, PricedShipping, ShipmentDetails, Totals } from './order-types';

/** Everything that is recorded in an `order-<id>` stream. */
export type OrderEvent =
  | OrderAccepted
  | OrderRejected
  | OrderPlacementConflicted
  | FulfilmentPlanRecorded
  | PurchaseOrderRecorded
  | ShipmentRecorded
  | ShipmentDeliveryRecorded
  | LinesCancelled
  | ReturnRecorded
  | RefundRecorded
  | CancellationRequested
  | ShippingAddressChanged
  | OrderStatusChanged
  | OrderCompleted;

export type OrderAccepted = {
  readonly type: 'OrderAccepted';
  readonly data: {
    readonly orderId: string;
    readonly channel: string;
    readonly externalOrderId: string;
    readonly orderNumber?: string;
    readonly placedAt: string;
    readonly acceptedAt: string;
    readonly currency: string;
    readonly customer: Customer;
    readonly shipTo: Address;
    readonly lines: readonly PricedLine[];
    readonly shipping: PricedShipping;
    readonly taxesIncluded: boolean;
    readonly totals: Totals;
    readonly discrepancies: readonly Discrepancy[];
    /** Hash of the placed order as received: a re-delivery must match it. */
    readonly fingerprint: string;
  };
};

export type OrderRejected = {
  readonly type: 'OrderRejected';
  readonly data: {
    readonly orderId: string;
    readonly channel: string;
    readonly externalOrderId: string;
    readonly reason: 'inconsistent_amounts';
    readonly errors: readonly FieldProblem[];
    readonly rejectedAt: string;
  };
};

/** The same order id came again with different content: the first one stands. */
export type OrderPlacementConflicted = {
  readonly type: 'OrderPlacementConflicted';
  readonly data: {
    readonly orderId: string;
    readonly channel: string;
    readonly externalOrderId: string;
    readonly fingerprint: string;
    readonly rejectedAt: string;
  };
};

export type PlanGroup = {
  readonly groupId: string;
  readonly nodeId: string;
  readonly nodeKind: 'warehouse' | 'supplier';
  readonly lines: readonly LineQuantity[];
};

export type FulfilmentPlanRecorded = {
  readonly type: 'FulfilmentPlanRecorded';
  readonly data: {
    readonly version: number;
    readonly groups: readonly PlanGroup[];
    readonly unfulfillable: readonly LineQuantity[];
    readonly plannedAt: string;
  };
};

export type PurchaseOrderStep = 'dispatched' | 'acknowledged' | 'cancelled' | 'timed_out';

export type PurchaseOrderLine = {
  readonly lineId: string;
  readonly quantity: number;
  readonly accepted?: number;
  readonly rejected?: number;
  readonly backordered?: number;
};

export type PurchaseOrderRecorded = {
  readonly type: 'PurchaseOrderRecorded';
  readonly data: {
    readonly poId: string;
    readonly supplierId: string;
    readonly step: PurchaseOrderStep;
    readonly lines: readonly PurchaseOrderLine[];
    readonly reason?: string;
    readonly at: string;
  };
};

export type ShipmentRecorded = {
  readonly type: 'ShipmentRecorded';
  readonly data: ShipmentDetails & { readonly shipmentId: string; readonly shippedAt: string };
};

export type ShipmentDeliveryRecorded = {
  readonly type: 'ShipmentDeliveryRecorded';
  readonly data: { readonly shipmentId: string; readonly deliveredAt: string };
};

export type LinesCancelled = {
  readonly type: 'LinesCancelled';
  readonly data: {
    readonly cancellationId: string;
    readonly lines: readonly LineQuantity[];
    readonly reason: string;
    /** Exactly what these units cost the customer; shipping too once every unit of the order is cancelled. */
    readonly refund: { readonly amount: number; readonly currency: string };
    readonly cancelledAt: string;
  };
};

export type ReturnRecorded = {
  readonly type: 'ReturnRecorded';
  readonly data: { readonly returnId: string; readonly lines: readonly LineQuantity[]; readonly receivedAt: string };
};

export type RefundRecorded = {
  readonly type: 'RefundRecorded';
  readonly data: {
    readonly refundId: string;
    readonly amount: number;
    readonly currency: string;
    readonly lines: readonly (LineQuantity & { readonly amount: number })[];
    readonly issuedAt: string;
  };
};

export type CancellationRequested = {
  readonly type: 'CancellationRequested';
  readonly data: {
    readonly requestId: string;
    readonly lines: readonly LineQuantity[];
    readonly notCancellable: readonly (LineQuantity & { readonly reason: string })[];
    readonly reason?: string;
    readonly requestedAt: string;
  };
};

export type ShippingAddressChanged = {
  readonly type: 'ShippingAddressChanged';
  readonly data: {
    readonly requestId: string;
    readonly shipTo: Address;
    readonly alreadyShipped: readonly LineQuantity[];
    readonly changedAt: string;
  };
};

export type OrderStatus = 'accepted' | 'processing' | 'partially_shipped' | 'shipped' | 'completed' | 'cancelled';
export type CancellationState = 'none' | 'partial' | 'full';

export type OrderStatusChanged = {
  readonly type: 'OrderStatusChanged';
  readonly data: {
    readonly status: OrderStatus;
    readonly previousStatus: OrderStatus;
    readonly cancellation: CancellationState;
    readonly changedAt: string;
  };
};

export type OrderCompleted = {
  readonly type: 'OrderCompleted';
  readonly data: { readonly completedAt: string };
};
