/**
 * The order as the domain knows it: plain values, money in integer minor units. Built from the
 * canonical `OrderPlacedV1` at the edge; no framework types here.
 */
export interface LineQuantity {
  readonly lineId: string;
  readonly quantity: number;
}

export interface Address {
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

export interface Customer {
  readonly id?: string;
  readonly email?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly phone?: string;
}

export interface Amounted {
  readonly amount: number;
}

export interface OrderLineInput {
  readonly lineId: string;
  readonly sku: string;
  readonly name?: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly discounts?: readonly Amounted[];
  readonly taxes?: readonly (Amounted & { readonly name: string; readonly rate?: string })[];
}

/** What a platform asked for: the canonical order after edge validation. */
export interface PlacedOrderInput {
  readonly channel: string;
  readonly externalOrderId: string;
  readonly orderNumber?: string;
  readonly placedAt: string;
  readonly currency: string;
  readonly customer: Customer;
  readonly shipTo: Address;
  readonly lines: readonly OrderLineInput[];
  readonly orderDiscounts?: readonly Amounted[];
  readonly shipping?: {
    readonly method?: string;
    readonly amount: number;
    readonly discounts?: readonly Amounted[];
    readonly taxes?: readonly Amounted[];
  };
  readonly taxesIncluded?: boolean;
  readonly totalCharged?: number;
  readonly platformTotals?: { readonly subtotal?: number; readonly discount?: number; readonly shipping?: number; readonly tax?: number; readonly total: number };
}

/** A line with its money worked out: what the customer pays for it, exactly. */
export interface PricedLine {
  readonly lineId: string;
  readonly sku: string;
  readonly name?: string;
  readonly quantity: number;
  readonly unitPrice: number;
  /** Line discounts plus the line's share of order-level discounts. */
  readonly discount: number;
  readonly tax: number;
  /** What the customer pays for the whole line. */
  readonly total: number;
}

export interface PricedShipping {
  readonly method?: string;
  readonly amount: number;
  readonly discount: number;
  readonly tax: number;
  readonly total: number;
}

export interface Totals {
  readonly subtotal: number;
  readonly discount: number;
  readonly shipping: number;
  readonly tax: number;
  readonly total: number;
}

export interface Discrepancy {
  readonly field: string;
  readonly reported: number;
  readonly computed: number;
}

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** A package as its shipper reported it; the same shape wherever a shipment appears. */
export interface ShipmentDetails {
  readonly nodeId: string;
  readonly poId?: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly trackingUrl?: string;
  readonly lines: readonly LineQuantity[];
}
