import { parse850 } from './parse-850';
import { readFixture } from './test-fixtures';

describe('parse850 on the public sample (850-node-x12.edi)', () => {
  const po = parse850(readFixture('850-node-x12.edi'));

  it('reads the heading', () => {
    expect(po).toMatchObject({
      controlNumber: '000000010',
      purposeCode: '00',
      orderType: 'SA',
      poNumber: '08292233294',
      orderDate: '2010-11-27',
      references: [
        { qualifier: 'DP', value: '038' },
        { qualifier: 'PS', value: 'R' },
      ],
      dates: [{ qualifier: '002', date: '2010-12-14' }],
      deliverBy: '2010-12-14',
      carrier: { idQualifier: '92', idCode: 'P3', routing: 'SEE XYZ RETAIL ROUTING GUIDE' },
      lineCount: 6,
    });
    expect(po.retailerOrderNumber).toBeUndefined();
  });

  it('reads the ship-to: a distribution centre, not a consumer', () => {
    expect(po.shipTo).toEqual({
      entity: 'ST',
      name: 'XYZ RETAIL',
      idQualifier: '9',
      id: '0003947268292',
      additionalNames: [],
      addressLines: ['31875 SOLON RD'],
      city: 'SOLON',
      state: 'OH',
      postalCode: '44139',
    });
  });

  it('reads the six lines with prices in minor units and the vendor item number', () => {
    expect(po.lines.map((line) => [line.lineNumber, line.quantity, line.unitOfMeasure, line.unitPriceMinor, line.supplierSku, line.description])).toEqual([
      ['1', 120, 'EA', 925, 'AB3542', 'SMALL WIDGET'],
      ['2', 220, 'EA', 1379, 'RD5322', 'MEDIUM WIDGET'],
      ['3', 126, 'EA', 1099, 'XY5266', 'LARGE WIDGET'],
      ['4', 76, 'EA', 435, 'VX2332', 'NANO WIDGET'],
      ['5', 72, 'EA', 750, 'RV0524', 'BLUE WIDGET'],
      ['6', 696, 'EA', 955, 'DX1875', 'ORANGE WIDGET'],
    ]);
    expect(po.lines[0]!.productIds).toEqual([
      { qualifier: 'CB', id: '065322-117' },
      { qualifier: 'PR', id: 'RO' },
      { qualifier: 'VN', id: 'AB3542' },
    ]);
  });

  it('adds up, in minor units, to the AMT the sample states (13045.94)', () => {
    const total = po.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor!, 0);
    expect(total).toBe(1304594);
  });
});
