import { parse855, type AcknowledgedLine } from './parse-855';
import { interchangeOf, readFixture } from './test-fixtures';

const ack855 = (...body: string[]): string => interchangeOf('PR', [{ type: '855', body: ['BAK*00*AC*PO-77*20240115*****20240116', ...body] }]);

/** The counts of a line, without the raw material. */
const counts = (line: AcknowledgedLine): Pick<AcknowledgedLine, 'accepted' | 'rejected' | 'backordered' | 'held' | 'backorderDate'> => ({
  accepted: line.accepted,
  rejected: line.rejected,
  backordered: line.backordered,
  held: line.held,
  ...(line.backorderDate === undefined ? {} : { backorderDate: line.backorderDate }),
});

describe('parse855 on the public sample (855-node-x12.edi)', () => {
  const ack = parse855(readFixture('855-node-x12.edi'));

  it('reads the heading: PO number, dates, acknowledgement type', () => {
    expect(ack).toMatchObject({
      controlNumber: '0005',
      poNumber: 'POTEST1112',
      poDate: '2020-10-15',
      acknowledgementDate: '2020-10-15',
      purposeCode: '00',
      acknowledgementType: 'AD',
      orderStatus: 'accepted',
      currency: 'USD',
    });
  });

  it('reads each line: number, ordered quantity, price in minor units, product ids', () => {
    expect(ack.lines.map((line) => [line.lineNumber, line.orderedQuantity, line.unitOfMeasure, line.unitPriceMinor, line.productIds[0]])).toEqual([
      ['1', 3, 'UN', 450, { qualifier: 'EN', id: '9780446360265' }],
      ['2', 2, 'UN', 1599, { qualifier: 'EN', id: '9780767928427' }],
      ['3', 1, 'UN', 0, { qualifier: 'EN', id: '9780099599531' }],
      ['4', 2, 'UN', 450, { qualifier: 'EN', id: '9780446360272' }],
    ]);
    expect(ack.lines[0]!.productIds).toEqual([
      { qualifier: 'EN', id: '9780446360265' },
      { qualifier: 'B6', id: 'NEUFELDT, VICTORIA' },
      { qualifier: 'B3', id: '00' },
      { qualifier: 'B4', id: 'P' },
    ]);
  });

  it('normalises the ACK codes: IA accepts, IR with quantity 0 rejects the whole line, ACK29 is the reason', () => {
    expect(ack.lines.map((line) => [line.lineNumber, line.statuses.map((status) => `${status.code}:${status.quantity}`), counts(line)])).toEqual([
      ['1', ['IA:3'], { accepted: 3, rejected: 0, backordered: 0, held: 0 }],
      ['2', ['IR:0'], { accepted: 0, rejected: 2, backordered: 0, held: 0 }],
      ['3', ['IR:0'], { accepted: 0, rejected: 1, backordered: 0, held: 0 }],
      ['4', ['IA:2'], { accepted: 2, rejected: 0, backordered: 0, held: 0 }],
    ]);
    expect(ack.lines.map((line) => [line.rejectionCode, line.rejectionReason])).toEqual([
      [undefined, undefined],
      ['IR', 'CW'],
      ['IR', 'KK'],
      [undefined, undefined],
    ]);
    expect(ack.lines[0]!.statuses).toEqual([{ code: 'IA', disposition: 'accepted', quantity: 3, reasonCode: 'AC' }]);
  });
});

describe('parse855 on real-world variations of the sample', () => {
  const sample = readFixture('855-node-x12.edi');
  const expected = parse855(sample);

  it('reads the same with "|" between elements and a newline as the only terminator', () => {
    const variant = sample.replace(/\*/g, '|').replace(/~\n/g, '\n');
    expect(variant).not.toContain('~');
    expect(variant.charAt(3)).toBe('|');
    expect(parse855(variant)).toEqual(expected);
  });

  it('reads the same with CRLF line ends, with and without "~"', () => {
    expect(parse855(sample.replace(/\n/g, '\r\n'))).toEqual(expected);
    expect(parse855(sample.replace(/~\n/g, '\r\n'))).toEqual(expected);
  });

  it('reads the same on one line with no line breaks, with trailing blanks before line ends, and with blank lines', () => {
    expect(parse855(sample.replace(/\n/g, ''))).toEqual(expected);
    expect(parse855(sample.replace(/~\n/g, '   \n'))).toEqual(expected);
    expect(parse855(sample.replace(/~\n/g, '\n\n'))).toEqual(expected);
  });

  it('reads the same with other element and component separators and "\'" as terminator', () => {
    const variant = sample.replace(/\*/g, '^').replace(/\^>~/, '^:~').replace(/~/g, "'");
    expect(variant.slice(101, 107)).toBe("^P^:'\n");
    expect(parse855(variant)).toEqual(expected);
  });
});

describe('parse855 line arithmetic', () => {
  it('adds a partial accept and a backorder on one line, with the backorder date from ACK05', () => {
    const ack = parse855(ack855('PO1*1*5*EA*19.99**VN*SUP-1*SK*OUR-1', 'ACK*IA*3*EA', 'ACK*IB*2*EA*068*20240301'));
    const line = ack.lines[0]!;
    expect(counts(line)).toEqual({ accepted: 3, rejected: 0, backordered: 2, held: 0, backorderDate: '2024-03-01' });
    expect(line).toMatchObject({ lineNumber: '1', sku: 'OUR-1', supplierSku: 'SUP-1', unitPriceMinor: 1999 });
    expect(ack.acknowledgementDate).toBe('2024-01-16');
    expect(ack.orderStatus).toBe('accepted-with-changes');
  });

  it('reads BP as "this many now, the balance backordered"', () => {
    const line = parse855(ack855('PO1*1*10*EA*1.00', 'ACK*BP*4*EA*068*20240220')).lines[0]!;
    expect(counts(line)).toEqual({ accepted: 4, rejected: 0, backordered: 6, held: 0, backorderDate: '2024-02-20' });
  });

  it('counts IQ (quantity changed) as accepted at the new quantity', () => {
    expect(counts(parse855(ack855('PO1*1*10*EA*1.00', 'ACK*IQ*8*EA')).lines[0]!)).toEqual({ accepted: 8, rejected: 0, backordered: 0, held: 0 });
  });

  it('lets a rejection without quantity (or with 0) take what the other statuses leave', () => {
    expect(counts(parse855(ack855('PO1*1*5*EA*1.00', 'ACK*IA*2*EA', 'ACK*IR*0*EA')).lines[0]!)).toEqual({ accepted: 2, rejected: 3, backordered: 0, held: 0 });
    expect(counts(parse855(ack855('PO1*1*5*EA*1.00', 'ACK*R2')).lines[0]!)).toEqual({ accepted: 0, rejected: 5, backordered: 0, held: 0 });
    expect(counts(parse855(ack855('PO1*1*5*EA*1.00', 'ACK*IR*5*EA')).lines[0]!)).toEqual({ accepted: 0, rejected: 5, backordered: 0, held: 0 });
  });

  it('counts holds apart and keeps codes it does not know without counting them', () => {
    const line = parse855(ack855('PO1*1*5*EA*1.00', 'ACK*IH*5*EA', 'ACK*Z9*5*EA')).lines[0]!;
    expect(counts(line)).toEqual({ accepted: 0, rejected: 0, backordered: 0, held: 5 });
    expect(line.statuses.map((status) => status.disposition)).toEqual(['held', 'unrecognised']);
  });

  it('applies an unambiguous order-level answer to lines without ACK segments', () => {
    const accepted = interchangeOf('PR', [{ type: '855', body: ['BAK*00*AT*PO-1*20240115', 'PO1*1*2*EA*1.00'] }]);
    const rejected = interchangeOf('PR', [{ type: '855', body: ['BAK*00*RJ*PO-1*20240115', 'PO1*1*2*EA*1.00'] }]);
    const unclear = interchangeOf('PR', [{ type: '855', body: ['BAK*00*ZZ*PO-1*20240115', 'PO1*1*2*EA*1.00'] }]);
    expect(counts(parse855(accepted).lines[0]!)).toEqual({ accepted: 2, rejected: 0, backordered: 0, held: 0 });
    expect(counts(parse855(rejected).lines[0]!)).toEqual({ accepted: 0, rejected: 2, backordered: 0, held: 0 });
    expect(parse855(rejected).orderStatus).toBe('rejected');
    expect(counts(parse855(unclear).lines[0]!)).toEqual({ accepted: 0, rejected: 0, backordered: 0, held: 0 });
    expect(parse855(unclear).orderStatus).toBe('unrecognised');
  });

  it('reads prices in the currency exponent it is given', () => {
    expect(parse855(ack855('PO1*1*1*EA*1999'), { currencyExponent: 0 }).lines[0]!.unitPriceMinor).toBe(1999);
    expect(() => parse855(ack855('PO1*1*1*EA*19.99'), { currencyExponent: 0 })).toThrow('PO1 at segment 3 PO104: "19.99" has more than 0 decimal places for this currency');
  });
});

describe('parse855 refusals', () => {
  it('refuses another transaction set, naming what it found', () => {
    expect(() => parse855(readFixture('850-node-x12.edi'))).toThrow(expect.objectContaining({ name: 'X12ParseError', code: 'wrong-transaction-set' }));
    expect(() => parse855(readFixture('850-node-x12.edi'))).toThrow('Expected transaction set 855, found 850');
  });

  it('refuses an 855 without BAK, or a line without a line number', () => {
    expect(() => parse855(interchangeOf('PR', [{ type: '855', body: ['PO1*1*1*EA'] }]))).toThrow(expect.objectContaining({ code: 'missing-segment' }));
    expect(() => parse855(ack855('PO1**1*EA*1.00'))).toThrow('PO1 at segment 3: PO101 (line number) is empty, so the line cannot be matched to the order');
  });

  it('refuses a fractional quantity', () => {
    expect(() => parse855(ack855('PO1*1*1.5*EA*1.00'))).toThrow(expect.objectContaining({ code: 'invalid-value' }));
  });
});
