/**
 * What the gateway knows when it asks a supplier to ship a retailer's order blind: the whole
 * purchase order, supplier and wholesale costs included. Only `toBlindSlip` reads it; the slip is
 * drawn from what that returns, which has no place for supplier data.
 */
export type BlindDropshipPurchaseOrder = {
  readonly poNumber: string;
  /** The order number the customer knows. */
  readonly retailerOrderNumber: string;
  /** When the PO was issued: the slip's date and the PDF's creation date, so a PO always renders the same bytes. */
  readonly issuedAt: Date;
  /** ISO 4217 code of every amount below, in integer minor units. */
  readonly currency: string;
  readonly supplier: { readonly id: string; readonly name: string };
  readonly retailer: RetailerBranding;
  readonly shipTo: ShipTo;
  readonly lines: readonly PurchaseOrderLine[];
  /** Present when the retailer encloses a customer invoice: then, and only then, retail prices are printed. */
  readonly customerInvoice?: CustomerInvoice;
};

export type RetailerBranding = {
  readonly name: string;
  /** PNG bytes, drawn at most 160 × 60 pt, aspect kept. */
  readonly logoPng?: Uint8Array;
  readonly returnAddress: PostalAddress;
  /** The retailer's note to the customer, printed under the lines ("Thank you for shopping with us"). */
  readonly packingSlipMessage?: string;
  /** BCP 47 locale the retailer's customers read prices in; "en-US" when absent. */
  readonly locale?: string;
};

export type PostalAddress = {
  readonly lines: readonly string[];
  readonly city: string;
  readonly region?: string;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
};

export type ShipTo = {
  readonly name: string;
  readonly address: PostalAddress;
};

export type PurchaseOrderLine = {
  /** The retailer's SKU, as the customer sees it; never the supplier's part number. */
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  /** What the retailer pays the supplier per unit: never printed. */
  readonly wholesaleUnitCost: number;
  /** What the customer paid; needed on every line when a customer invoice is enclosed. */
  readonly retail?: { readonly unitPrice: number; readonly lineTotal: number };
};

/**
 * The invoice part beyond the lines, as the customer saw it at checkout. The slip prints the
 * amounts as given and checks that they add up, so a customer never gets an invoice whose total
 * is not the sum of its rows.
 */
export type CustomerInvoice = {
  /** Rows after the subtotal, in order: shipping, tax, discounts (negative), gift cards. */
  readonly adjustments: readonly { readonly label: string; readonly amount: number }[];
  readonly total: number;
};
