import { X12ParseError, X12RenderError } from './errors';
import { fromX12Date, fromX12Time, optionalX12Date, toX12Date } from './x12-dates';

describe('X12 dates', () => {
  it('writes ISO dates as CCYYMMDD', () => {
    expect(toX12Date('2024-01-15', 'orderDate')).toBe('20240115');
    expect(toX12Date('2024-02-29', 'orderDate')).toBe('20240229');
  });

  it('refuses what is not a calendar date', () => {
    expect(() => toX12Date('2023-02-29', 'shipBy')).toThrow(X12RenderError);
    expect(() => toX12Date('15/01/2024', 'shipBy')).toThrow('shipBy: "15/01/2024" is not a calendar date (YYYY-MM-DD)');
  });

  it('reads CCYYMMDD and the two-digit-year YYMMDD of the ISA', () => {
    expect(fromX12Date('20111206', 'DTM02')).toBe('2011-12-06');
    expect(fromX12Date('101127', 'ISA09')).toBe('2010-11-27');
    expect(fromX12Date('991231', 'ISA09')).toBe('1999-12-31');
    expect(optionalX12Date('  ', 'BAK09')).toBeUndefined();
  });

  it('refuses impossible dates with the element named', () => {
    expect(() => fromX12Date('20230230', 'BIG01')).toThrow(X12ParseError);
    expect(() => fromX12Date('2023-01-01', 'BIG01')).toThrow('BIG01: "2023-01-01" is not an X12 date (CCYYMMDD)');
  });

  it('reads HHMM times', () => {
    expect(fromX12Time('1719', 'ISA10')).toBe('17:19');
    expect(fromX12Time('142428', 'BSN04')).toBe('14:24');
    expect(() => fromX12Time('2561', 'ISA10')).toThrow(X12ParseError);
  });
});
