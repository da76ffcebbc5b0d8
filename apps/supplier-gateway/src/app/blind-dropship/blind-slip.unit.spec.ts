import { toBlindSlip } from './blind-slip';
import { PackingSlipInputError } from './errors';
import { findSupplierMentions } from './supplier-mentions';
import { LINES, PO, PO_WITH_INVOICE, SUPPLIER, WHOLESALE_COSTS } from './testing/purchase-orders';

describe('toBlindSlip', () => {
  it('keeps the retailer, order, ship-to and lines, and ships from the retailer', () => {
    const slip = toBlindSlip(PO);
    expect(slip).toMatchObject({
      orderNumber: 'NW-100482',
      poNumber: 'PO-2025-0612',
      issuedOn: 'March 14, 2025',
      retailer: {
        name: 'Northwind Home',
        returnAddress: ['Returns Dept.', '1200 Harbor Blvd, Suite 4', 'Oakland, CA 94607', 'US'],
        message: 'Thank you for shopping with Northwind Home! Questions? Write to hello@northwind.example',
      },
      shipTo: { name: 'María-José Ørsted', address: ['88 Elm Street', 'Apt 5B', 'Springfield, IL 62704', 'US'] },
    });
    expect(slip.lines).toEqual(LINES.map((line) => ({ sku: line.sku, name: line.name, quantity: String(line.quantity) })));
    expect(slip.invoice).toBeUndefined();
  });

  it('carries neither supplier nor wholesale cost, in any field', () => {
    // The logo's bytes are left out: their digits are the image's, not text.
    const json = JSON.stringify(toBlindSlip(PO_WITH_INVOICE), (_, value: unknown) => (value instanceof Uint8Array ? undefined : value));
    expect(json).not.toMatch(/supplier|wholesale/i);
    expect(json).not.toContain(SUPPLIER.name);
    expect(json).not.toContain(SUPPLIER.id);
    for (const cost of WHOLESALE_COSTS) {
      expect(json).not.toContain(String(cost));
      expect(json).not.toContain((cost / 100).toFixed(2));
    }
  });

  it('prices the lines and adds subtotal, adjustments and total when an invoice is enclosed', () => {
    const slip = toBlindSlip(PO_WITH_INVOICE);
    expect(slip.lines.map((line) => [line.unitPrice, line.lineTotal])).toEqual([
      ['$79.99', '$79.99'],
      ['$19.99', '$39.98'],
      ['$249.00', '$249.00'],
    ]);
    expect(slip.invoice?.rows).toEqual([
      { label: 'Subtotal', amount: '$368.97' },
      { label: 'Shipping', amount: '$5.95' },
      { label: 'Sales tax', amount: '$30.44' },
      { label: 'Total', amount: '$405.36' },
    ]);
  });

  it('formats yen without decimals', () => {
    const slip = toBlindSlip({
      ...PO_WITH_INVOICE,
      currency: 'JPY',
      lines: [{ sku: 'JP-1', name: 'Tea bowl', quantity: 1, wholesaleUnitCost: 800, retail: { unitPrice: 1999, lineTotal: 1999 } }],
      customerInvoice: { adjustments: [], total: 1999 },
    });
    expect(slip.lines[0]).toMatchObject({ unitPrice: '¥1,999', lineTotal: '¥1,999' });
  });

  it('writes a currency whose symbol the standard font lacks as its code', () => {
    const slip = toBlindSlip({
      ...PO_WITH_INVOICE,
      currency: 'INR',
      retailer: { ...PO.retailer, locale: 'en-IN' },
      lines: [{ sku: 'IN-1', name: 'Kurta', quantity: 1, wholesaleUnitCost: 50000, retail: { unitPrice: 123456, lineTotal: 123456 } }],
      customerInvoice: { adjustments: [], total: 123456 },
    });
    expect(slip.lines[0]?.unitPrice?.replace(/\u00a0/g, ' ')).toBe('INR 1,234.56');
  });

  it.each([
    ['no lines', { ...PO, lines: [] }, /no lines/],
    ['an invalid issue date', { ...PO, issuedAt: new Date('not a date') }, /invalid issue date/],
    ['an invalid locale', { ...PO, retailer: { ...PO.retailer, locale: 'en_US!' } }, /not a BCP 47 language tag/],
    ['a zero quantity', { ...PO, lines: [{ ...LINES[0]!, quantity: 0 }] }, /quantity 0/],
    ['a fractional quantity', { ...PO, lines: [{ ...LINES[0]!, quantity: 1.5 }] }, /quantity 1.5/],
    ['a logo that is not a PNG', { ...PO, retailer: { ...PO.retailer, logoPng: Uint8Array.from([0xff, 0xd8, 0xff]) } }, /not a PNG/],
    [
      'an invoice line without a retail price',
      { ...PO_WITH_INVOICE, lines: [...LINES, { sku: 'X', name: 'x', quantity: 1, wholesaleUnitCost: 1 }] },
      /line 4 \(X\) has no retail price/,
    ],
    [
      'an invoice that does not add up',
      { ...PO_WITH_INVOICE, customerInvoice: { adjustments: [], total: 40536 } },
      /make \$368\.97, total says \$405\.36/,
    ],
    ['an unknown currency with an invoice', { ...PO_WITH_INVOICE, currency: 'XXX' }, /Unknown currency/],
    [
      'an unsafe amount',
      { ...PO_WITH_INVOICE, customerInvoice: { adjustments: [{ label: 'Fee', amount: 0.5 }], total: 1 } },
      /not a safe integer/,
    ],
  ])('refuses %s', (_, po, message) => {
    expect(() => toBlindSlip(po)).toThrow(PackingSlipInputError);
    expect(() => toBlindSlip(po)).toThrow(message);
  });
});

describe('findSupplierMentions', () => {
  it('finds nothing in a clean slip', () => {
    expect(findSupplierMentions(toBlindSlip(PO_WITH_INVOICE), SUPPLIER)).toEqual([]);
  });

  it('finds the supplier name in any case and spacing, and the id, naming the fields', () => {
    const slip = toBlindSlip({
      ...PO,
      poNumber: 'SUP-7731/0042',
      lines: [{ ...LINES[1]!, name: 'Mug by GLOBEX   wholesale supply' }, LINES[2]!],
      retailer: { ...PO.retailer, packingSlipMessage: 'Packed with care by Globex Wholesale Supply.' },
    });
    expect(findSupplierMentions(slip, SUPPLIER)).toEqual(['poNumber', 'retailer.message', 'lines[0].name']);
  });

  it('matches whole words only', () => {
    const slip = toBlindSlip({ ...PO, lines: [{ ...LINES[1]!, name: 'Acmeware mug', sku: 'XSUP-77310' }] });
    expect(findSupplierMentions(slip, { id: 'SUP-7731', name: 'Acme' })).toEqual([]);
    expect(findSupplierMentions(slip, { id: 'XSUP-77310', name: 'acmeware' })).toEqual(['lines[0].sku', 'lines[0].name']);
  });

  it('ignores a blank supplier name or id rather than matching everything', () => {
    expect(findSupplierMentions(toBlindSlip(PO), { id: ' ', name: '' })).toEqual([]);
  });
});
