import { scanIsa } from './delimiters';
import { X12ParseError } from './errors';
import { TEST_ISA } from './test-fixtures';

const GS = 'GS*PR*SUPPLIER*OMS*20240115*0930*7*X*004010';

describe('scanIsa', () => {
  it('takes the element separator from character 4, the component separator from ISA16 and the terminator after it', () => {
    const scan = scanIsa(`${TEST_ISA}~${GS}~`);
    expect(scan.delimiters).toEqual({ element: '*', component: '>', segment: '~' });
    expect(scan.isa).toHaveLength(16);
    expect(scan.isa[5]).toBe('SUPPLIER       ');
    expect(scan.warnings).toEqual([]);
  });

  it('reads other separators the same way', () => {
    const isa = TEST_ISA.replace(/\*/g, '|').replace(/>$/, '^');
    expect(scanIsa(`${isa}\n${GS.replace(/\*/g, '|')}\n`).delimiters).toEqual({ element: '|', component: '^', segment: '\n' });
  });

  it('treats a line break right after ISA16 as a newline-only terminator, CRLF included', () => {
    const scan = scanIsa(`${TEST_ISA}\r\n${GS}\r\nST*855*0001\r\n`);
    expect(scan.delimiters.segment).toBe('\n');
    expect(scan.text).toBe(`${TEST_ISA}\n${GS}\nST*855*0001\n`);
  });

  it('skips blanks between ISA16 and a line break (trailing whitespace)', () => {
    expect(scanIsa(`${TEST_ISA}   \n${GS}\n`).delimiters.segment).toBe('\n');
  });

  it('accepts a BOM and leading blank lines, and adds the terminator a file forgot at its end', () => {
    const scan = scanIsa(`\uFEFF\n\n${TEST_ISA}~${GS}~IEA*1*000000042`);
    expect(scan.text.startsWith('ISA*')).toBe(true);
    expect(scan.text.endsWith('IEA*1*000000042~')).toBe(true);
  });

  it('keeps CRLF after a "~" terminator as is (the tokenizer skips it) and trims trailing blank lines', () => {
    const scan = scanIsa(`${TEST_ISA}~\r\n${GS}~\r\n\r\n`);
    expect(scan.delimiters.segment).toBe('~');
    expect(scan.text).toBe(`${TEST_ISA}~\r\n${GS}~`);
  });

  it('reports the repetition separator of 00402+ ISAs', () => {
    const isa = TEST_ISA.replace('*U*00401*', '*^*00501*');
    expect(scanIsa(`${isa}~`).delimiters).toEqual({ element: '*', component: '>', segment: '~', repetition: '^' });
  });

  it('reads an ISA whose padding is off by its separators, with a warning', () => {
    const trimmed = 'ISA*00**00**ZZ*SUPPLIER*ZZ*OMS*240115*0930*U*00401*000000042*0*P*>';
    const scan = scanIsa(`${trimmed}~${GS}~`);
    expect(scan.delimiters).toEqual({ element: '*', component: '>', segment: '~' });
    expect(scan.warnings).toEqual([`ISA segment is ${trimmed.length + 1} characters long, not the fixed 106; read by its separators`]);
  });

  describe('refuses', () => {
    const refusal = (text: string): X12ParseError => {
      try {
        scanIsa(text);
      } catch (error: unknown) {
        if (error instanceof X12ParseError) return error;
        throw error;
      }
      throw new Error('expected a refusal');
    };

    it.each([
      ['', 'not-x12', 'Not X12: the text is empty'],
      ['   \n', 'not-x12', 'Not X12: the text is empty'],
      ['{"order": {"id": 1}}', 'not-x12', 'Not X12: expected an ISA segment at the start, found "{\\"order'],
      ["UNA:+.? 'UNB+UNOC:3+SENDER+RECEIVER'", 'not-x12', 'which is EDIFACT'],
      [`${GS}~ST*855*0001~`, 'missing-isa', 'X12 without an ISA interchange header: starts with "GS*PR*SUPPLIER*OMS*2"'],
      ['ISA', 'truncated-isa', 'no element separator after "ISA"'],
      [TEST_ISA.slice(0, 50), 'truncated-isa', 'the text ends after 5 of 16 ISA elements'],
      [TEST_ISA.slice(0, -2), 'truncated-isa', 'the text ends after 14 of 16 ISA elements'],
      [TEST_ISA, 'truncated-isa', 'no segment terminator after ISA16'],
      [`${TEST_ISA}GS*PR`, 'malformed-isa', 'expected a segment terminator after ISA16, found "G"'],
      ['ISA 00', 'malformed-isa', 'character 4 must be the element separator, found " "'],
      [`ISA*00*          *00*          *ZZ*SUPPLIER~GS*PR*SUPPLIER*OMS*20240115*0930*7*X*004010~`, 'malformed-isa', 'ISA segment is truncated or malformed: ISA10 "20240115" is longer than 4 characters'],
    ])('%j as %s', (text, code, message) => {
      const error = refusal(text);
      expect(error.code).toBe(code);
      expect(error.message).toContain(message);
    });
  });
});
