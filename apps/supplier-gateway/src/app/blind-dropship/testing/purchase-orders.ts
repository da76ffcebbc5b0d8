import type { BlindDropshipPurchaseOrder, PurchaseOrderLine } from '../purchase-order';

/** A 1 × 1 PNG, enough for pdfkit to embed an image. */
export const TINY_PNG = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'),
);

export const SUPPLIER = { id: 'SUP-7731', name: 'Globex Wholesale Supply' } as const;

/**
 * Wholesale unit costs chosen so that no digit run of them occurs anywhere else on the slip (order
 * and PO numbers, postcodes, retail prices, dates), so finding one in the PDF can only be a leak.
 */
export const WHOLESALE_COSTS = [4371, 2289, 15517] as const;

export const LONG_NAME =
  'Handwoven organic cotton throw blanket with tasselled edges, extra-large 150 × 200 cm, oatmeal and charcoal stripe, gift boxed';

const line = (sku: string, name: string, quantity: number, wholesaleUnitCost: number, unitPrice: number): PurchaseOrderLine => ({
  sku,
  name,
  quantity,
  wholesaleUnitCost,
  retail: { unitPrice, lineTotal: unitPrice * quantity },
});

export const LINES: readonly PurchaseOrderLine[] = [
  line('NW-BLK-OAT', LONG_NAME, 1, WHOLESALE_COSTS[0], 7999),
  line('NW-MUG-SET', 'Stoneware mug, set of 2', 2, WHOLESALE_COSTS[1], 1999),
  line('NW-LMP-BRS', 'Brass reading lamp', 1, WHOLESALE_COSTS[2], 24900),
];

/** A blind PO without a customer invoice; spread and override what a test needs. */
export const PO: BlindDropshipPurchaseOrder = {
  poNumber: 'PO-2025-0612',
  retailerOrderNumber: 'NW-100482',
  issuedAt: new Date('2025-03-14T09:30:00Z'),
  currency: 'USD',
  supplier: SUPPLIER,
  retailer: {
    name: 'Northwind Home',
    logoPng: TINY_PNG,
    returnAddress: {
      lines: ['Returns Dept.', '1200 Harbor Blvd, Suite 4'],
      city: 'Oakland',
      region: 'CA',
      postalCode: '94607',
      country: 'US',
    },
    packingSlipMessage: 'Thank you for shopping with Northwind Home! Questions? Write to hello@northwind.example',
  },
  shipTo: {
    name: 'María-José Ørsted',
    address: { lines: ['88 Elm Street', 'Apt 5B'], city: 'Springfield', region: 'IL', postalCode: '62704', country: 'US' },
  },
  lines: LINES,
};

/** The same PO with the customer invoice enclosed: subtotal 36897, shipping 595, tax 3044, total 40536. */
export const PO_WITH_INVOICE: BlindDropshipPurchaseOrder = {
  ...PO,
  customerInvoice: {
    adjustments: [
      { label: 'Shipping', amount: 595 },
      { label: 'Sales tax', amount: 3044 },
    ],
    total: 40536,
  },
};

/** `count` distinct lines, every tenth with a name long enough to wrap. */
export function manyLines(count: number): readonly PurchaseOrderLine[] {
  return Array.from({ length: count }, (_, index) => {
    const n = String(index + 1).padStart(3, '0');
    const name = index % 10 === 0 ? `Line ${n}: ${LONG_NAME}` : `Line ${n}: ceramic planter, matte white`;
    return line(`NW-SKU-${n}`, name, index + 1, WHOLESALE_COSTS[0], 1250);
  });
}
