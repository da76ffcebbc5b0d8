import { parse846 } from './parse-846';
import { interchangeOf } from './test-fixtures';

describe('parse846', () => {
  const text = interchangeOf('IB', [
    {
      type: '846',
      body: [
        'BIA*00*DD*INV-20240115*20240115',
        'LIN**VN*SUP-1*SK*OUR-1', 'QTY*17*40*EA', 'QTY*33*35*EA',
        'LIN**VN*SUP-2', 'QTY*17*0*EA', 'DTM*018*20240201',
        'LIN**VN*SUP-3', 'QTY*33*-2*EA',
        'LIN**UP*012345678905',
      ],
    },
  ]);
  const advice = parse846(text);

  it('reads the report date and reference', () => {
    expect(advice).toMatchObject({ controlNumber: '0001', reportDate: '2024-01-15', reportType: 'DD', reference: 'INV-20240115' });
  });

  it('reads the available quantity per item: QTY*33, else QTY*17, and the restock date', () => {
    expect(advice.items.map((item) => [item.supplierSku, item.sku, item.available, item.availableDate])).toEqual([
      ['SUP-1', 'OUR-1', 35, undefined],
      ['SUP-2', undefined, 0, '2024-02-01'],
      ['SUP-3', undefined, -2, undefined],
      [undefined, undefined, undefined, undefined],
    ]);
    expect(advice.items[0]!.quantities).toEqual([
      { qualifier: '17', quantity: 40, unitOfMeasure: 'EA' },
      { qualifier: '33', quantity: 35, unitOfMeasure: 'EA' },
    ]);
    expect(advice.items[3]!.productIds).toEqual([{ qualifier: 'UP', id: '012345678905' }]);
  });

  it('refuses an 846 without BIA', () => {
    expect(() => parse846(interchangeOf('IB', [{ type: '846', body: ['LIN**VN*A', 'QTY*33*1'] }]))).toThrow('846 0001: no BIA segment');
  });
});
