import { parse810 } from './parse-810';
import { interchangeOf, readFixture } from './test-fixtures';

const invoice810 = (...body: string[]): string => interchangeOf('IN', [{ type: '810', body }]);

describe('parse810', () => {
  const text = invoice810(
    'BIG*20240120*INV-1001*20240115*PO-77',
    'CUR*SE*USD',
    'N1*ST*JANE DOE',
    'IT1*1*2*EA*19.99**VN*SUP-1*SK*OUR-1',
    'IT1*2*1*EA*5**VN*SUP-2*SK*OUR-2',
    'SAC*A*C310***100**********LOYALTY DISCOUNT',
    'TDS*5398',
    'SAC*C*D240***499**********FREIGHT',
    'CTT*2',
  );

  it('reads the heading, lines with prices in minor units, and the total in implied decimals', () => {
    expect(parse810(text)).toEqual({
      controlNumber: '0001',
      invoiceNumber: 'INV-1001',
      invoiceDate: '2024-01-20',
      poNumber: 'PO-77',
      poDate: '2024-01-15',
      currency: 'USD',
      lines: [
        {
          lineNumber: '1',
          quantity: 2,
          unitOfMeasure: 'EA',
          unitPriceMinor: 1999,
          sku: 'OUR-1',
          supplierSku: 'SUP-1',
          productIds: [
            { qualifier: 'VN', id: 'SUP-1' },
            { qualifier: 'SK', id: 'OUR-1' },
          ],
          allowancesAndCharges: [],
        },
        {
          lineNumber: '2',
          quantity: 1,
          unitOfMeasure: 'EA',
          unitPriceMinor: 500,
          sku: 'OUR-2',
          supplierSku: 'SUP-2',
          productIds: [
            { qualifier: 'VN', id: 'SUP-2' },
            { qualifier: 'SK', id: 'OUR-2' },
          ],
          allowancesAndCharges: [{ kind: 'allowance', indicator: 'A', code: 'C310', amountMinor: 100, description: 'LOYALTY DISCOUNT' }],
        },
      ],
      totalMinor: 5398,
      allowancesAndCharges: [{ kind: 'charge', indicator: 'C', code: 'D240', amountMinor: 499, description: 'FREIGHT' }],
    });
  });

  it('reads a currency without minor units when told its exponent', () => {
    const yen = invoice810('BIG*20240120*INV-2**PO-78', 'IT1*1*3*EA*1500', 'TDS*450000', 'SAC*C*D240***50000');
    const invoice = parse810(yen, { currencyExponent: 0 });
    expect(invoice.lines[0]!.unitPriceMinor).toBe(1500);
    expect(invoice.totalMinor).toBe(4500);
    expect(invoice.allowancesAndCharges[0]!.amountMinor).toBe(500);
    expect(invoice.poDate).toBeUndefined();
  });

  it('refuses a sub-cent unit price rather than rounding it', () => {
    expect(() => parse810(invoice810('BIG*20240120*INV-3**PO-1', 'IT1*1*3*EA*0.125', 'TDS*38'))).toThrow(
      'IT1 at segment 3 IT104: "0.125" has more than 2 decimal places for this currency',
    );
  });

  it('refuses an invoice without BIG or TDS, and another transaction set', () => {
    expect(() => parse810(invoice810('IT1*1*3*EA*1', 'TDS*300'))).toThrow('810 0001: no BIG segment');
    expect(() => parse810(invoice810('BIG*20240120*INV-4', 'IT1*1*3*EA*1'))).toThrow(expect.objectContaining({ code: 'missing-segment' }));
    expect(() => parse810(readFixture('856-gozer-newline-terminated.txt'))).toThrow(expect.objectContaining({ code: 'wrong-transaction-set' }));
  });
});
