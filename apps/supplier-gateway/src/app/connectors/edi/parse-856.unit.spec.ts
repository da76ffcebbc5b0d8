import { X12ParseError } from './errors';
import { parseInterchange } from './interchange';
import { parse856, read856 } from './parse-856';
import { interchangeOf, readFixture } from './test-fixtures';

const asn = (...body: string[]): string => interchangeOf('SH', [{ type: '856', body: ['BSN*00*SHP-9*20240115*1200*0001', ...body] }]);

describe('parse856 on the public sample (856-gozer-newline-terminated.txt)', () => {
  const shipments = parse856(readFixture('856-gozer-newline-terminated.txt'));

  it('reads one shipment with its id, ship date, carrier and tracking number', () => {
    expect(shipments).toHaveLength(1);
    expect(shipments[0]).toMatchObject({
      controlNumber: '0008',
      shipmentId: '829716',
      purposeCode: '14',
      shipDate: '2011-12-06',
      carrier: { scac: 'XXXX', routing: 'XXXX' },
      trackingNumbers: [{ value: '5787970539', source: 'REF*CN' }],
      poNumbers: ['99999817'],
    });
  });

  it('reads both items with PO number, line number, shipped quantity and product ids', () => {
    expect(shipments[0]!.items).toEqual([
      {
        poNumber: '99999817',
        lineNumber: '1',
        quantity: 24,
        unitOfMeasure: 'EA',
        supplierSku: '87787D',
        productIds: [
          { qualifier: 'VP', id: '87787D' },
          { qualifier: 'UP', id: '999999310145' },
        ],
        trackingNumbers: [{ value: '5787970539', source: 'REF*CN' }],
      },
      {
        poNumber: '99999817',
        lineNumber: '2',
        quantity: 6,
        unitOfMeasure: 'EA',
        supplierSku: '99887D',
        productIds: [
          { qualifier: 'VP', id: '99887D' },
          { qualifier: 'UP', id: '999999311746' },
        ],
        trackingNumbers: [{ value: '5787970539', source: 'REF*CN' }],
      },
    ]);
  });

  it('reads the same when the sample is rewritten with "~" terminators and CRLF', () => {
    const sample = readFixture('856-gozer-newline-terminated.txt');
    expect(parse856(sample.split('\n').join('~\r\n'))).toEqual(shipments);
  });
});

describe('parse856 hierarchy', () => {
  it('gives each item the tracking number of the pack it is in (S/O/P/I with MAN*CP)', () => {
    const [shipment] = parse856(
      asn(
        'HL*1**S', 'TD5**2*UPSN*U*UPS GROUND', 'DTM*011*20240116',
        'HL*2*1*O', 'PRF*PO-1',
        'HL*3*2*P', 'MAN*CP*1Z999AA10123456784',
        'HL*4*3*I', 'LIN*1*SK*OUR-1*VN*SUP-1', 'SN1**2*EA',
        'HL*5*2*P', 'MAN*CP*1Z999AA10123456795',
        'HL*6*5*I', 'LIN*2*SK*OUR-2', 'SN1**1*EA',
        'CTT*6',
      ),
    );
    expect(shipment!.carrier).toEqual({ scac: 'UPSN', transportationMethod: 'U', routing: 'UPS GROUND' });
    expect(shipment!.shipDate).toBe('2024-01-16');
    expect(shipment!.trackingNumbers.map((tracking) => tracking.value)).toEqual(['1Z999AA10123456784', '1Z999AA10123456795']);
    expect(shipment!.items.map((item) => [item.poNumber, item.lineNumber, item.sku, item.quantity, item.trackingNumbers.map((t) => t.value)])).toEqual([
      ['PO-1', '1', 'OUR-1', 2, ['1Z999AA10123456784']],
      ['PO-1', '2', 'OUR-2', 1, ['1Z999AA10123456795']],
    ]);
  });

  it('follows HL02 links when packs come before orders (S/P/O/I, "pick and pack")', () => {
    const [shipment] = parse856(
      asn(
        'HL*1**S', 'REF*2I*TRACK-A',
        'HL*2*1*P', 'MAN*GM*00000123450000000017',
        'HL*3*2*O', 'PRF*PO-1',
        'HL*4*3*I', 'LIN*1*SK*OUR-1', 'SN1**1*EA',
        'HL*5*1*P', 'MAN*GM*00000123450000000024',
        'HL*6*5*O', 'PRF*PO-2',
        'HL*7*6*I', 'LIN*1*SK*OUR-9', 'SN1**3*EA',
      ),
    );
    expect(shipment!.poNumbers).toEqual(['PO-1', 'PO-2']);
    expect(shipment!.items.map((item) => [item.poNumber, item.sku, item.trackingNumbers.map((t) => `${t.source} ${t.value}`)])).toEqual([
      ['PO-1', 'OUR-1', ['REF*2I TRACK-A', 'MAN*GM 00000123450000000017']],
      ['PO-2', 'OUR-9', ['REF*2I TRACK-A', 'MAN*GM 00000123450000000024']],
    ]);
  });

  it('tolerates omitted levels and parent links: items go under the nearest earlier higher level', () => {
    const [shipment] = parse856(asn('HL*1**S', 'PRF*PO-5', 'REF*CN*PRO-1', 'HL*2**I', 'LIN**SK*OUR-1', 'SN1*3*4*EA', 'HL*3**I', 'LIN*4*SK*OUR-2', 'SN1**1'));
    expect(shipment!.items.map((item) => [item.poNumber, item.lineNumber, item.sku, item.quantity])).toEqual([
      ['PO-5', '3', 'OUR-1', 4],
      ['PO-5', '4', 'OUR-2', 1],
    ]);
  });

  it('reads a file without any HL as one shipment', () => {
    const [shipment] = parse856(asn('DTM*011*20240117', 'TD5**2*FDEG', 'REF*2I*7946', 'PRF*PO-3', 'LIN*1*VN*SUP-1', 'SN1*1*2*EA'));
    expect(shipment).toMatchObject({
      shipmentId: 'SHP-9',
      shipDate: '2024-01-17',
      carrier: { scac: 'FDEG' },
      trackingNumbers: [{ value: '7946', source: 'REF*2I' }],
      poNumbers: ['PO-3'],
      items: [{ poNumber: 'PO-3', lineNumber: '1', supplierSku: 'SUP-1', quantity: 2 }],
    });
  });

  it('falls back to BSN03 for the ship date and reads estimated delivery', () => {
    const [shipment] = parse856(asn('HL*1**S', 'DTM*017*20240120', 'HL*2*1*I', 'SN1**1*EA'));
    expect(shipment).toMatchObject({ shipDate: '2024-01-15', estimatedDeliveryDate: '2024-01-20' });
  });

  it('returns a shipment per S level and per 856 set', () => {
    const text = interchangeOf('SH', [
      { type: '856', body: ['BSN*00*SHP-1*20240115', 'HL*1**S', 'REF*CN*A', 'HL*2*1*I', 'SN1**1', 'HL*3**S', 'REF*CN*B', 'HL*4*3*I', 'SN1**2'] },
      { type: '856', body: ['BSN*00*SHP-2*20240115', 'HL*1**S', 'REF*CN*C', 'HL*2*1*I', 'SN1**3'] },
    ]);
    expect(parse856(text).map((shipment) => [shipment.shipmentId, shipment.trackingNumbers[0]!.value, shipment.items[0]!.quantity])).toEqual([
      ['SHP-1', 'A', 1],
      ['SHP-1', 'B', 2],
      ['SHP-2', 'C', 3],
    ]);
  });

  it('refuses an 856 without BSN, and an item without a shipped quantity', () => {
    expect(() => parse856(interchangeOf('SH', [{ type: '856', body: ['HL*1**S'] }]))).toThrow('856 0001: no BSN segment');
    expect(() => parse856(asn('HL*1**S', 'HL*2*1*I', 'LIN*1*SK*OUR-1'))).toThrow(X12ParseError);
    expect(() => parse856(asn('HL*1**S', 'HL*2*1*I', 'LIN*1*SK*OUR-1'))).toThrow('856 HL*2 LIN: item has no SN1 (shipped quantity)');
  });

  it('refuses another transaction set', () => {
    expect(() => parse856(readFixture('855-node-x12.edi'))).toThrow('Expected transaction set 856, found 855');
    const set = parseInterchange(readFixture('855-node-x12.edi')).transactionSets[0]!;
    expect(() => read856(set)).toThrow(expect.objectContaining({ code: 'wrong-transaction-set' }));
  });
});
