import type { FieldError } from '../validation';

/**
 * Customer-facing order events on `oms.orders.v1` (key: order id). Storefronts subscribe to these;
 * sourcing starts from `OrderAccepted`; gateway and sourcing act on `OrderCancellationRequested`.
 */
export const ORDER_EVENTS = {
  accepted: 'OrderAccepted',
  rejected: 'OrderRejected',
  statusChanged: 'OrderStatusChanged',
  shipmentAdded: 'ShipmentAdded',
  linesCancelled: 'LinesCancelled',
  cancellationRequested: 'OrderCancellationRequested',
  shippingAddressChanged: 'OrderShippingAddressChanged',
  completed: 'OrderCompleted',
} as const;

export interface MoneyV1 {
  readonly amount: number;
  readonly currency: string;
}

export interface AcceptedLineV1 {
  readonly lineId: string;
  readonly sku: string;
  readonly name?: string;
  readonly quantity: number;
  readonly unitPrice: number;
  /** Line discounts plus its share of order-level discounts. */
  readonly discount: number;
  /** Taxes on the line. */
  readonly tax: number;
  /** unitPrice × quantity − discount (+ tax when taxes are not included in prices). */
  readonly total: number;
}

export interface OrderTotalsV1 {
  readonly subtotal: number;
  readonly discount: number;
  readonly shipping: number;
  readonly tax: number;
  readonly total: number;
}

/** As order intake publishes it: `name`, `company`, `line1`, `line2` and `phone` are sealed personal data (`pii:v1:…`, see `SEALED_VALUE_PREFIX`). */
export interface AddressPayloadV1 {
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

export interface OrderAcceptedV1 {
  readonly orderId: string;
  readonly channel: string;
  readonly externalOrderId: string;
  readonly orderNumber?: string;
  readonly placedAt: string;
  readonly acceptedAt: string;
  readonly currency: string;
  /** `email`, `firstName`, `lastName` and `phone` are sealed personal data (`pii:v1:…`); `id` is the platform's own reference. */
  readonly customer: { readonly id?: string; readonly email?: string; readonly firstName?: string; readonly lastName?: string; readonly phone?: string };
  readonly shipTo: AddressPayloadV1;
  readonly lines: readonly AcceptedLineV1[];
  readonly shipping: { readonly method?: string; readonly amount: number; readonly discount: number; readonly tax: number };
  readonly taxesIncluded: boolean;
  readonly totals: OrderTotalsV1;
  /** Where the platform's own totals differ from the computed ones (see `platformTotals`). */
  readonly discrepancies: readonly { readonly field: string; readonly reported: number; readonly computed: number }[];
}

export type OrderRejectionReason = 'invalid' | 'conflict' | 'inconsistent_amounts' | 'unknown_type' | 'too_large' | 'unknown_order';

export interface OrderRejectedV1 {
  /** Present when the rejected message could be tied to an order id. */
  readonly orderId?: string;
  readonly channel?: string;
  readonly externalOrderId?: string;
  readonly reason: OrderRejectionReason;
  readonly errors: readonly FieldError[];
  readonly rejectedAt: string;
}

export type OrderStatusV1 = 'accepted' | 'processing' | 'partially_shipped' | 'shipped' | 'completed' | 'cancelled';
export type CancellationStateV1 = 'none' | 'partial' | 'full';

export interface OrderStatusChangedV1 {
  readonly orderId: string;
  readonly status: OrderStatusV1;
  readonly previousStatus: OrderStatusV1;
  readonly cancellation: CancellationStateV1;
  readonly changedAt: string;
}

export interface ShipmentAddedV1 {
  readonly orderId: string;
  readonly shipmentId: string;
  /** The warehouse or supplier that shipped it. */
  readonly nodeId: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly trackingUrl?: string;
  readonly lines: readonly { readonly lineId: string; readonly quantity: number }[];
  readonly shippedAt: string;
}

export interface LinesCancelledV1 {
  readonly orderId: string;
  readonly cancellationId: string;
  readonly lines: readonly { readonly lineId: string; readonly quantity: number }[];
  readonly reason: string;
  /** What the customer gets back for these lines, pro-rated exactly (largest remainder). */
  readonly refund: MoneyV1;
  readonly cancelledAt: string;
}

export interface OrderCancellationRequestedV1 {
  readonly orderId: string;
  readonly requestId: string;
  /** Quantities not yet shipped: sourcing and the gateway try to cancel these. */
  readonly lines: readonly { readonly lineId: string; readonly quantity: number }[];
  /** What cannot be cancelled any more, and why. */
  readonly notCancellable: readonly { readonly lineId: string; readonly quantity: number; readonly reason: string }[];
  readonly reason?: string;
  readonly requestedAt: string;
}

export interface OrderShippingAddressChangedV1 {
  readonly orderId: string;
  readonly requestId: string;
  readonly shipTo: AddressPayloadV1;
  /** Lines already shipped to the old address. */
  readonly alreadyShipped: readonly { readonly lineId: string; readonly quantity: number }[];
  readonly changedAt: string;
}

export interface OrderCompletedV1 {
  readonly orderId: string;
  readonly completedAt: string;
}
