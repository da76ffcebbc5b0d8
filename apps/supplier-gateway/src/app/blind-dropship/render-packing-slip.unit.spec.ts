import { formatMinor } from '@oms/money';
import { PackingSlipInputError, SupplierMentionError } from './errors';
import { renderBlindPackingSlip } from './render-packing-slip';
import { flattened, readPdf } from './testing/read-pdf';
import { LINES, LONG_NAME, manyLines, PO, PO_WITH_INVOICE, SUPPLIER, WHOLESALE_COSTS } from './testing/purchase-orders';

/** Every way a wholesale cost could show up in print: 4371 → "43.71", "4371", "43,71", "$43.71". */
const wholesaleSpellings = WHOLESALE_COSTS.flatMap((cost) => {
  const decimal = formatMinor(cost, 'USD');
  return [decimal, String(cost), decimal.replace('.', ','), `$${decimal}`];
});

describe('renderBlindPackingSlip', () => {
  it('renders a PDF', async () => {
    const pdf = await renderBlindPackingSlip(PO);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
  });

  it('prints the retailer branding, order number, ship-to and every line', async () => {
    const text = flattened((await readPdf(await renderBlindPackingSlip(PO))).text);
    for (const expected of [
      'Northwind Home',
      'PACKING SLIP',
      'Order NW-100482',
      'PO PO-2025-0612',
      'March 14, 2025',
      'SHIP FROM Northwind Home Returns Dept. 1200 Harbor Blvd, Suite 4 Oakland, CA 94607 US',
      'SHIP TO María-José Ørsted 88 Elm Street Apt 5B Springfield, IL 62704 US',
      'Thank you for shopping with Northwind Home! Questions? Write to hello@northwind.example',
      `NW-BLK-OAT ${LONG_NAME} 1`, // wrapped over several lines in its cell
      'NW-MUG-SET Stoneware mug, set of 2 2',
      'NW-LMP-BRS Brass reading lamp 1',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('embeds the retailer logo as an image, and none without one', async () => {
    const withLogo = (await renderBlindPackingSlip(PO)).toString('latin1');
    const withoutLogo = (await renderBlindPackingSlip({ ...PO, retailer: { ...PO.retailer, logoPng: undefined } })).toString('latin1');
    expect(withLogo).toContain('/Subtype /Image');
    expect(withoutLogo).not.toContain('/Subtype /Image');
  });

  it.each([
    ['without', PO],
    ['with', PO_WITH_INVOICE],
  ])('names neither the supplier nor a wholesale cost, %s an invoice', async (_, po) => {
    const { text } = await readPdf(await renderBlindPackingSlip(po));
    const lower = text.toLowerCase();
    expect(lower).not.toContain(SUPPLIER.name.toLowerCase());
    expect(lower).not.toContain('globex');
    expect(lower).not.toContain(SUPPLIER.id.toLowerCase());
    for (const spelling of wholesaleSpellings) expect(text).not.toContain(spelling);
  });

  it('prints retail prices and totals only when an invoice is enclosed', async () => {
    const withInvoice = flattened((await readPdf(await renderBlindPackingSlip(PO_WITH_INVOICE))).text);
    for (const expected of [
      'UNIT PRICE TOTAL',
      '1 $79.99 $79.99',
      'NW-MUG-SET Stoneware mug, set of 2 2 $19.99 $39.98',
      'NW-LMP-BRS Brass reading lamp 1 $249.00 $249.00',
      'Subtotal $368.97 Shipping $5.95 Sales tax $30.44 Total $405.36',
    ]) {
      expect(withInvoice).toContain(expected);
    }

    const withoutInvoice = (await readPdf(await renderBlindPackingSlip(PO))).text;
    expect(withoutInvoice).not.toContain('$');
    expect(withoutInvoice).not.toMatch(/\d\.\d\d/);
    expect(withoutInvoice).not.toMatch(/subtotal|total|price/i);
  });

  it('prints yen amounts without decimals', async () => {
    const text = flattened(
      (
        await readPdf(
          await renderBlindPackingSlip({
            ...PO,
            currency: 'JPY',
            lines: [{ sku: 'JP-1', name: 'Tea bowl', quantity: 2, wholesaleUnitCost: 800, retail: { unitPrice: 1999, lineTotal: 3998 } }],
            customerInvoice: { adjustments: [{ label: 'Shipping', amount: 500 }], total: 4498 },
          }),
        )
      ).text,
    );
    expect(text).toContain('JP-1 Tea bowl 2 ¥1,999 ¥3,998');
    expect(text).toContain('Total ¥4,498');
    expect(text).not.toContain('.00');
  });

  it('flows a 60-line PO over several pages, every line present once, every page numbered', async () => {
    const lines = manyLines(60);
    const { pages, text } = await readPdf(await renderBlindPackingSlip({ ...PO_WITH_INVOICE, lines, customerInvoice: undefined }));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const all = flattened(text);
    for (const line of lines) {
      expect(all).toContain(`${line.sku} ${line.name} ${line.quantity}`);
      expect(all.split(`${line.sku} `)).toHaveLength(2);
    }
    pages.forEach((page, index) => {
      expect(page).toContain(`page ${index + 1} of ${pages.length}`);
      expect(page).toContain('SKU ITEM QTY');
    });
    expect(flattened(pages[1]!)).toContain('packing slip for order NW-100482 (continued)');
  });

  it('keeps the supplier out of the document info, which names the retailer', async () => {
    const pdf = await renderBlindPackingSlip(PO_WITH_INVOICE);
    const { info } = await readPdf(pdf);
    expect(info).toMatchObject({
      Title: 'Packing slip - order NW-100482',
      Subject: 'Order NW-100482',
      Author: 'Northwind Home',
      Creator: 'Northwind Home',
      Producer: 'Northwind Home',
      CreationDate: 'D:20250314093000Z',
      ModDate: 'D:20250314093000Z',
    });
    const infoText = JSON.stringify(info).toLowerCase();
    expect(infoText).not.toContain('globex');
    expect(infoText).not.toContain(SUPPLIER.id.toLowerCase());
    expect(infoText).not.toContain('pdfkit');
    // The info dictionary is stored uncompressed: the raw bytes must be clean too.
    const raw = pdf.toString('latin1').toLowerCase();
    expect(raw).not.toContain('globex');
    expect(raw).not.toContain('pdfkit');
  });

  it('renders the same PO to the same bytes, and dates the PDF by the PO', async () => {
    const first = await renderBlindPackingSlip(PO_WITH_INVOICE);
    const second = await renderBlindPackingSlip(PO_WITH_INVOICE);
    expect(first.equals(second)).toBe(true);

    const later = await renderBlindPackingSlip({ ...PO_WITH_INVOICE, issuedAt: new Date('2025-03-15T09:30:00Z') });
    expect(later.equals(first)).toBe(false);
    expect((await readPdf(later)).info).toMatchObject({ CreationDate: 'D:20250315093000Z' });
  });

  it('folds names the standard font cannot show into the nearest it can', async () => {
    const text = (await readPdf(await renderBlindPackingSlip({ ...PO, shipTo: { ...PO.shipTo, name: 'Łukasz Wróbel' } }))).text;
    expect(text).toContain('Lukasz Wróbel');
  });

  it('refuses a PO whose data would name the supplier on the slip', async () => {
    const po = { ...PO, lines: [...LINES, { sku: 'GX-1', name: 'Globex Wholesale Supply sample pack', quantity: 1, wholesaleUnitCost: 1 }] };
    await expect(renderBlindPackingSlip(po)).rejects.toThrow(SupplierMentionError);
    await expect(renderBlindPackingSlip(po)).rejects.toMatchObject({ fields: ['lines[3].name'] });
  });

  it('refuses a PO that cannot make a correct slip', async () => {
    await expect(renderBlindPackingSlip({ ...PO, lines: [] })).rejects.toThrow(PackingSlipInputError);
  });
});
