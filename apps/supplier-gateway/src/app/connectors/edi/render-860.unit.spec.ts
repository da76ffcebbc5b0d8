import { X12Parser } from 'node-x12';
import { X12RenderError } from './errors';
import { parseInterchange } from './interchange';
import { render860Cancel, type PurchaseOrderCancellation } from './render-860';
import { ENVELOPE } from './test-fixtures';

const bodyOf = (text: string): readonly string[] =>
  parseInterchange(text).transactionSets[0]!.segments.map((segment) => [segment.tag, ...segment.elements].join('*'));

describe('render860Cancel', () => {
  it('cancels a whole order with BCH01 01', () => {
    const text = render860Cancel({ poNumber: 'PO-2024-000123', orderDate: '2024-01-15', retailerOrderNumber: 'R-98765', scope: { kind: 'whole-order' } }, ENVELOPE);
    expect(text).toBe(
      [
        'ISA*00*          *00*          *ZZ*OMSRETAIL      *12*5551234567     *240115*0930*U*00401*000001234*0*T*>~',
        'GS*PC*OMSRETAIL*5551234567*20240115*0930*56*X*004010~',
        'ST*860*0007~',
        'BCH*01*DS*PO-2024-000123***20240115~',
        'REF*CO*R-98765~',
        'SE*4*0007~',
        'GE*1*56~',
        'IEA*1*000001234~',
        '',
      ].join('\n'),
    );
    expect(() => new X12Parser(true).parse(text)).not.toThrow();
  });

  it('cancels some lines with BCH01 04 and one POC*…*DI per line', () => {
    const cancel: PurchaseOrderCancellation = {
      poNumber: 'PO-2024-000123',
      orderDate: '2024-01-15',
      scope: {
        kind: 'lines',
        lines: [
          { lineNumber: '2', orderedQuantity: 1, supplierSku: 'SUP-STICKER', sku: 'STICKER' },
          { lineNumber: '3', orderedQuantity: 3 },
        ],
      },
    };
    const text = render860Cancel(cancel, ENVELOPE);
    expect(bodyOf(text)).toEqual([
      'BCH*04*DS*PO-2024-000123***20240115',
      'POC*2*DI*1*0*EA***VN*SUP-STICKER*SK*STICKER',
      'POC*3*DI*3*0*EA',
      'CTT*2',
    ]);
    expect(text).toContain('SE*6*0007~');
    expect(() => new X12Parser(true).parse(text)).not.toThrow();
    expect(parseInterchange(text).transactionSets[0]!.group.functionalId).toBe('PC');
  });

  it('writes with other delimiters', () => {
    const text = render860Cancel(
      { poNumber: 'PO-1', orderDate: '2024-01-15', scope: { kind: 'whole-order' } },
      { ...ENVELOPE, delimiters: { element: '|', component: '^', segment: '\n' } },
    );
    expect(text).toContain('\nBCH|01|DS|PO-1|||20240115\n');
    expect(bodyOf(text)).toEqual(['BCH*01*DS*PO-1***20240115']);
  });

  it('refuses an empty line list, a missing PO date, and delimiters in ids', () => {
    const base = { poNumber: 'PO-1', orderDate: '2024-01-15' } as const;
    expect(() => render860Cancel({ ...base, scope: { kind: 'lines', lines: [] } }, ENVELOPE)).toThrow('scope.lines: a line cancellation needs at least one line');
    expect(() => render860Cancel({ ...base, orderDate: '', scope: { kind: 'whole-order' } }, ENVELOPE)).toThrow(X12RenderError);
    expect(() => render860Cancel({ ...base, scope: { kind: 'lines', lines: [{ lineNumber: '1~', orderedQuantity: 1 }] } }, ENVELOPE)).toThrow(
      'scope.lines[0].lineNumber: "1~" contains an X12 delimiter or control character',
    );
  });
});
