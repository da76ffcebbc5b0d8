import { X12Parser } from 'node-x12';
import type { X12Envelope } from './envelope';
import { X12RenderError } from './errors';
import { parseInterchange } from './interchange';
import { parse850 } from './parse-850';
import { render850, type DropShipPurchaseOrder } from './render-850';
import { ENVELOPE } from './test-fixtures';

const PO: DropShipPurchaseOrder = {
  poNumber: 'PO-2024-000123',
  orderDate: '2024-01-15',
  retailerOrderNumber: 'R-98765',
  shipBy: '2024-01-17',
  deliverBy: '2024-01-22',
  shipMethod: { scac: 'UPSN', serviceLevel: 'SG', routing: 'UPS GROUND' },
  shipTo: {
    name: 'Jane Doe',
    address1: '12 Main St',
    address2: 'Apt 4B',
    city: 'Springfield',
    state: 'IL',
    postalCode: '62701',
    country: 'US',
    phone: '555-0100',
    email: 'jane@example.com',
  },
  retailer: { name: 'Acme Retail', idQualifier: '92', id: 'ACME' },
  currency: { exponent: 2, code: 'USD' },
  lines: [
    { lineNumber: '1', quantity: 2, unitPriceMinor: 1999, supplierSku: 'SUP-RED-M', sku: 'TSHIRT-RED-M', description: 'T-shirt, red, M' },
    { lineNumber: '2', quantity: 1, unitPriceMinor: 5, supplierSku: 'SUP-STICKER', sku: 'STICKER' },
    { lineNumber: '3', quantity: 3, unitPriceMinor: 100000, supplierSku: 'SUP-TV', sku: 'TV-55' },
  ],
};

describe('render850', () => {
  it('writes a drop-ship purchase order in its envelopes', () => {
    expect(render850(PO, ENVELOPE)).toBe(
      [
        'ISA*00*          *00*          *ZZ*OMSRETAIL      *12*5551234567     *240115*0930*U*00401*000001234*0*T*>~',
        'GS*PO*OMSRETAIL*5551234567*20240115*0930*56*X*004010~',
        'ST*850*0007~',
        'BEG*00*DS*PO-2024-000123**20240115~',
        'CUR*BY*USD~',
        'REF*CO*R-98765~',
        'DTM*038*20240117~',
        'DTM*002*20240122~',
        'TD5**2*UPSN**UPS GROUND*******SG~',
        'N1*ST*Jane Doe~',
        'N3*12 Main St*Apt 4B~',
        'N4*Springfield*IL*62701*US~',
        'PER*IC**TE*555-0100*EM*jane@example.com~',
        'N1*BY*Acme Retail*92*ACME~',
        'N1*BT*Acme Retail*92*ACME~',
        'PO1*1*2*EA*19.99*PE*VN*SUP-RED-M*SK*TSHIRT-RED-M~',
        'PID*F****T-shirt, red, M~',
        'PO1*2*1*EA*0.05*PE*VN*SUP-STICKER*SK*STICKER~',
        'PO1*3*3*EA*1000.00*PE*VN*SUP-TV*SK*TV-55~',
        'CTT*3*6~',
        'AMT*TT*3040.03~',
        'SE*20*0007~',
        'GE*1*56~',
        'IEA*1*000001234~',
        '',
      ].join('\n'),
    );
  });

  it('passes node-x12 in strict mode: SE01 counts ST..SE, GE/IEA counts and control numbers match', () => {
    const text = render850(PO, ENVELOPE);
    expect(() => new X12Parser(true).parse(text)).not.toThrow();
    const segments = text.trim().split('~\n');
    const st = segments.findIndex((segment) => segment.startsWith('ST*'));
    const se = segments.findIndex((segment) => segment.startsWith('SE*'));
    expect(segments[se]).toBe(`SE*${se - st + 1}*0007`);
    expect(parseInterchange(text).warnings).toEqual([]);
  });

  it('reads back, through the library, to the same lines, ship-to and retailer', () => {
    const back = parse850(render850(PO, ENVELOPE));
    expect(back).toMatchObject({
      purposeCode: '00',
      orderType: 'DS',
      poNumber: PO.poNumber,
      orderDate: PO.orderDate,
      currency: 'USD',
      retailerOrderNumber: PO.retailerOrderNumber,
      shipBy: PO.shipBy,
      deliverBy: PO.deliverBy,
      carrier: { scac: 'UPSN', routing: 'UPS GROUND', serviceLevel: 'SG' },
      lineCount: 3,
    });
    expect(back.lines.map(({ lineNumber, quantity, unitPriceMinor, supplierSku, sku, description }) => ({ lineNumber, quantity, unitPriceMinor, supplierSku, sku, description }))).toEqual(
      PO.lines.map((line) => ({ description: undefined, ...line })),
    );
    expect(back.shipTo).toEqual({
      entity: 'ST',
      name: 'Jane Doe',
      additionalNames: [],
      addressLines: ['12 Main St', 'Apt 4B'],
      city: 'Springfield',
      state: 'IL',
      postalCode: '62701',
      country: 'US',
      phone: '555-0100',
      email: 'jane@example.com',
    });
    expect(back.parties.filter((party) => party.entity !== 'ST').map((party) => [party.entity, party.name, party.idQualifier, party.id])).toEqual([
      ['BY', 'Acme Retail', '92', 'ACME'],
      ['BT', 'Acme Retail', '92', 'ACME'],
    ]);
  });

  it('reads back the same with other delimiters and newline-only terminators', () => {
    const envelope: X12Envelope = { ...ENVELOPE, delimiters: { element: '|', component: '^', segment: '\n' } };
    const text = render850(PO, envelope);
    expect(text.split('\n')[0]).toMatch(/^ISA\|00\|.{10}\|00\|.*\|T\|\^$/);
    expect(text).not.toContain('~');
    const { controlNumber: _a, ...viaPipes } = parse850(text);
    const { controlNumber: _b, ...viaStars } = parse850(render850(PO, ENVELOPE));
    expect(viaPipes).toEqual(viaStars);
  });

  it('writes CRLF or no line breaks when asked', () => {
    expect(render850(PO, { ...ENVELOPE, lineBreak: '\r\n' })).toContain('~\r\nGS*PO*');
    expect(render850(PO, { ...ENVELOPE, lineBreak: '' })).not.toContain('\n');
  });

  it('writes prices exactly in the currency exponent (JPY has none) without CUR when no code is given', () => {
    const yen: DropShipPurchaseOrder = { ...PO, currency: { exponent: 0 }, lines: [{ ...PO.lines[0]!, unitPriceMinor: 1999 }] };
    const text = render850(yen, ENVELOPE);
    expect(text).toContain('PO1*1*2*EA*1999*PE*');
    expect(text).toContain('AMT*TT*3998~');
    expect(text).not.toContain('CUR*');
    expect(parse850(text, { currencyExponent: 0 }).lines[0]!.unitPriceMinor).toBe(1999);
  });

  it('uses BP for our sku when asked, and leaves out what is not given', () => {
    const minimal: DropShipPurchaseOrder = {
      poNumber: 'PO-1',
      orderDate: '2024-01-15',
      retailerOrderNumber: 'R-1',
      shipTo: { name: 'A B', address1: '1 Road', city: 'Town', postalCode: '12345' },
      retailer: { name: 'Shop' },
      currency: { exponent: 2 },
      lines: [{ lineNumber: '1', quantity: 1, unitPriceMinor: 0, supplierSku: 'S', sku: 'O' }],
      skuQualifier: 'BP',
    };
    const body = render850(minimal, ENVELOPE).split('\n').slice(3, -4);
    expect(body).toEqual([
      'BEG*00*DS*PO-1**20240115~',
      'REF*CO*R-1~',
      'N1*ST*A B~',
      'N3*1 Road~',
      'N4*Town**12345~',
      'N1*BY*Shop~',
      'N1*BT*Shop~',
      'PO1*1*1*EA*0.00*PE*VN*S*BP*O~',
      'CTT*1*1~',
      'AMT*TT*0.00~',
    ]);
  });

  it('replaces delimiters in free text and cuts it to the element size', () => {
    const text = render850({ ...PO, shipTo: { ...PO.shipTo, name: 'Jane*Doe~Smith>Jr', address1: 'x'.repeat(70), address2: 'Apt\n4' } }, ENVELOPE);
    expect(text).toContain('N1*ST*Jane Doe Smith Jr~');
    expect(text).toContain(`N3*${'x'.repeat(55)}*Apt 4~`);
  });

  describe('refuses', () => {
    it.each([
      ['a delimiter in the PO number', { ...PO, poNumber: 'PO*1' }, 'poNumber: "PO*1" contains an X12 delimiter or control character'],
      ['an overlong PO number', { ...PO, poNumber: 'P'.repeat(23) }, 'poNumber: "PPPPPPPPPPPPPPPPPPPPPPP" is longer than 22 characters'],
      ['an empty sku', { ...PO, lines: [{ ...PO.lines[0]!, sku: ' ' }] }, 'lines[0].sku: is empty'],
      ['a fractional quantity', { ...PO, lines: [{ ...PO.lines[0]!, quantity: 1.5 }] }, 'lines[0].quantity: 1.5 is not a positive whole quantity'],
      ['a price that is not whole minor units', { ...PO, lines: [{ ...PO.lines[0]!, unitPriceMinor: 19.99 }] }, 'lines[0].unitPriceMinor: 19.99 is not a whole number of minor units'],
      ['a negative price', { ...PO, lines: [{ ...PO.lines[0]!, unitPriceMinor: -1 }] }, 'lines[0].unitPriceMinor: is negative'],
      ['no lines', { ...PO, lines: [] }, 'lines: a purchase order needs at least one line'],
      ['a line number twice', { ...PO, lines: [PO.lines[0]!, PO.lines[0]!] }, 'lines[1].lineNumber: "1" is used twice'],
      ['an impossible date', { ...PO, shipBy: '2024-02-30' }, 'shipBy: "2024-02-30" is not a calendar date (YYYY-MM-DD)'],
      ['an empty ship method', { ...PO, shipMethod: {} }, 'shipMethod: needs a scac, a routing or a service level'],
      ['a name that is only delimiters', { ...PO, shipTo: { ...PO.shipTo, name: '*~' } }, 'shipTo.name: is empty'],
      ['a retailer id without qualifier', { ...PO, retailer: { name: 'Acme', id: 'ACME' } }, 'retailer: idQualifier and id go together'],
    ])('%s', (_case, po, message) => {
      expect(() => render850(po as DropShipPurchaseOrder, ENVELOPE)).toThrow(X12RenderError);
      expect(() => render850(po as DropShipPurchaseOrder, ENVELOPE)).toThrow(message);
    });

    it.each([
      ['a control number out of range', { ...ENVELOPE, interchangeControlNumber: 1_000_000_000 }, 'envelope.interchangeControlNumber: 1000000000 is not a control number'],
      ['a sender id longer than 15', { ...ENVELOPE, sender: { qualifier: 'ZZ', id: 'S'.repeat(16) } }, 'envelope.sender.id'],
      ['an invalid clock reading', { ...ENVELOPE, createdAt: new Date('nope') }, 'envelope.createdAt: is not a valid Date'],
      ['repeated delimiters', { ...ENVELOPE, delimiters: { element: '*', component: '*', segment: '~' } }, 'envelope.delimiters'],
      ['a letter as delimiter', { ...ENVELOPE, delimiters: { element: 'X', component: '>', segment: '~' } }, 'envelope.delimiters'],
      ['a one-character GS02', { ...ENVELOPE, sender: { qualifier: 'ZZ', id: 'S' } }, 'GS02'],
    ])('%s', (_case, envelope, message) => {
      expect(() => render850(PO, envelope)).toThrow(X12RenderError);
      expect(() => render850(PO, envelope)).toThrow(message);
    });
  });
});
