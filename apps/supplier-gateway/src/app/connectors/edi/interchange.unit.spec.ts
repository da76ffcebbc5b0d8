import { X12ParseError } from './errors';
import { parseInterchange } from './interchange';
import { parse855 } from './parse-855';
import { parse856 } from './parse-856';
import { interchangeOf, readFixture } from './test-fixtures';

describe('parseInterchange', () => {
  it('splits the 850 sample into its one transaction set, header and group read from the envelope', () => {
    const interchange = parseInterchange(readFixture('850-node-x12.edi'));
    expect(interchange.delimiters).toEqual({ element: '*', component: '>', segment: '~' });
    expect(interchange.header).toEqual({
      senderQualifier: '12',
      senderId: '4405197800',
      receiverQualifier: '01',
      receiverId: '999999999',
      date: '2010-11-27',
      time: '17:19',
      version: '00400',
      controlNumber: '000003438',
      acknowledgmentRequested: false,
      usage: 'P',
    });
    expect(interchange.transactionSets.map((set) => [set.type, set.controlNumber, set.segments.length])).toEqual([['850', '000000010', 31]]);
    expect(interchange.transactionSets[0]!.group).toEqual({
      functionalId: 'PO',
      senderCode: '4405197800',
      receiverCode: '999999999',
      controlNumber: '1421',
      version: '004010VICS',
    });
    expect(interchange.transactionSets[0]!.segments[0]).toEqual({ tag: 'BEG', elements: ['00', 'SA', '08292233294', '', '20101127', '610385385'] });
    expect(interchange.warnings).toEqual([]);
  });

  it('reads the 855 sample', () => {
    const interchange = parseInterchange(readFixture('855-node-x12.edi'));
    expect(interchange.transactionSets.map((set) => [set.type, set.controlNumber, set.group.functionalId])).toEqual([['855', '0005', 'PR']]);
    expect(interchange.header.senderId).toBe('1556150');
    expect(interchange.warnings).toEqual([]);
  });

  it('reads the newline-terminated 856 sample, keeping its last segment and reporting its IEA02 mismatch as a warning', () => {
    const interchange = parseInterchange(readFixture('856-gozer-newline-terminated.txt'));
    expect(interchange.delimiters).toEqual({ element: '*', component: '>', segment: '\n' });
    expect(interchange.transactionSets.map((set) => [set.type, set.controlNumber, set.segments.length])).toEqual([['856', '0008', 29]]);
    expect(interchange.warnings).toEqual(['X12 Standard: The value in IEA02 (49) does not match the value in ISA13 (3438).']);
  });

  it('tells the type of each set in a file that holds several, for dispatch', () => {
    const text = interchangeOf('PR', [
      { type: '855', body: ['BAK*00*AT*PO-1*20240115'] },
      { type: '856', body: ['BSN*00*SHP-1*20240116*1200', 'HL*1**S', 'SN1*1*1*EA'] },
      { type: '855', body: ['BAK*00*RJ*PO-2*20240115'] },
    ]);
    const interchange = parseInterchange(text);
    expect(interchange.transactionSets.map((set) => [set.type, set.controlNumber])).toEqual([
      ['855', '0001'],
      ['856', '0002'],
      ['855', '0003'],
    ]);
    expect(interchange.warnings).toEqual([]);
    expect(parse856(text).map((shipment) => shipment.shipmentId)).toEqual(['SHP-1']);
  });

  it('refuses a text meant to hold one set that holds two of them', () => {
    const text = interchangeOf('PR', [
      { type: '855', body: ['BAK*00*AT*PO-1*20240115'] },
      { type: '855', body: ['BAK*00*AT*PO-2*20240115'] },
    ]);
    expect(() => parse855(text)).toThrow(expect.objectContaining({ code: 'multiple-transaction-sets' }));
    expect(() => parse855(text)).toThrow('Expected one transaction set 855, found 2; use parseInterchange and read each set');
  });

  it('refuses a truncated set (ST without SE): a partial order must not be acted on', () => {
    const text = interchangeOf('PR', [{ type: '855', body: ['BAK*00*AT*PO-1*20240115'] }]).replace(/SE\*3\*0001~\n/, '');
    expect(() => parseInterchange(text)).toThrow(X12ParseError);
    expect(() => parseInterchange(text)).toThrow('Transaction set 855 0001 has no SE trailer: the file is truncated or malformed');
  });

  it('reports a file cut after its last SE as warnings, not as a refusal', () => {
    const text = interchangeOf('PR', [{ type: '855', body: ['BAK*00*AT*PO-1*20240115'] }]).replace(/GE\*1\*7~\nIEA\*1\*000000042~\n$/, '');
    const interchange = parseInterchange(text);
    expect(interchange.transactionSets).toHaveLength(1);
    expect(interchange.warnings).toEqual(['Interchange has no IEA trailer', 'Functional group 7 has no GE trailer']);
  });

  it('reports count and control-number mismatches as warnings', () => {
    const text = interchangeOf('PR', [{ type: '855', body: ['BAK*00*AT*PO-1*20240115'] }]).replace('SE*3*0001', 'SE*9*0002');
    expect(parseInterchange(text).warnings).toEqual([
      'X12 Standard: The value in SE01 (9) does not match the number of segments in the transaction (3).',
      'X12 Standard: The value in SE02 (0002) does not match the value in ST02 (0001).',
    ]);
  });

  it('refuses envelopes out of order with a typed error instead of a TypeError', () => {
    const text = interchangeOf('PR', [{ type: '855', body: ['BAK*00*AT*PO-1*20240115'] }]).replace(/GS\*[^~]*~\n/, '');
    expect(() => parseInterchange(text)).toThrow(expect.objectContaining({ name: 'X12ParseError', code: 'malformed-envelope' }));
  });

  it('refuses text that is not X12 or has no ISA', () => {
    expect(() => parseInterchange('order_id,sku,qty\n1,ABC,2\n')).toThrow(expect.objectContaining({ code: 'not-x12' }));
    expect(() => parseInterchange('ST*855*0001~BAK*00*AT*PO-1*20240115~SE*3*0001~')).toThrow(expect.objectContaining({ code: 'missing-isa' }));
  });
});
