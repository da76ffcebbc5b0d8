import fc from 'fast-check';
import { X12ParseError, X12RenderError } from './errors';
import { decimalToMinorUnits, formatMinorUnits, formatQuantity, impliedDecimalToMinorUnits, quantityOf } from './x12-numbers';

describe('formatMinorUnits', () => {
  it.each([
    [1999, 2, '19.99'],
    [5, 2, '0.05'],
    [100000, 2, '1000.00'],
    [0, 2, '0.00'],
    [10, 2, '0.10'],
    [1999, 0, '1999'],
    [0, 0, '0'],
    [1234, 3, '1.234'],
    [-5, 2, '-0.05'],
    [Number.MAX_SAFE_INTEGER, 2, '90071992547409.91'],
  ])('writes %i minor units at exponent %i as %j', (minor, exponent, text) => {
    expect(formatMinorUnits(minor, exponent, 'price')).toBe(text);
  });

  it('refuses amounts that are not whole minor units', () => {
    expect(() => formatMinorUnits(19.99, 2, 'lines[0].unitPriceMinor')).toThrow(X12RenderError);
    expect(() => formatMinorUnits(19.99, 2, 'lines[0].unitPriceMinor')).toThrow('lines[0].unitPriceMinor: 19.99 is not a whole number of minor units');
    expect(() => formatMinorUnits(Number.NaN, 2, 'x')).toThrow(X12RenderError);
  });

  it('refuses an exponent that is no currency exponent', () => {
    expect(() => formatMinorUnits(1, -1, 'x')).toThrow(RangeError);
    expect(() => formatMinorUnits(1, 1.5, 'x')).toThrow(RangeError);
  });
});

describe('decimalToMinorUnits', () => {
  it.each([
    ['19.99', 2, 1999],
    ['4.5', 2, 450],
    ['4.500', 2, 450],
    ['9.25', 2, 925],
    ['0', 2, 0],
    ['.5', 2, 50],
    ['7.', 2, 700],
    [' 13045.94 ', 2, 1304594],
    ['-1.25', 2, -125],
    ['1999', 0, 1999],
    ['1999.00', 0, 1999],
    ['1.234', 3, 1234],
  ])('reads %j at exponent %i as %i', (text, exponent, minor) => {
    expect(decimalToMinorUnits(text, exponent, 'PO104')).toBe(minor);
  });

  it.each([['4.505'], ['1999.5']])('refuses %j with more decimals than the currency has instead of rounding', (text) => {
    const exponent = text === '1999.5' ? 0 : 2;
    expect(() => decimalToMinorUnits(text, exponent, 'IT1 #3 IT104')).toThrow(X12ParseError);
    expect(() => decimalToMinorUnits(text, exponent, 'IT1 #3 IT104')).toThrow(`IT1 #3 IT104: "${text}" has more than ${exponent} decimal places`);
  });

  it.each([[''], ['.'], ['abc'], ['1,000.00'], ['+5'], ['1e3']])('refuses %j as not a decimal', (text) => {
    expect(() => decimalToMinorUnits(text, 2, 'PO104')).toThrow(expect.objectContaining({ code: 'invalid-value' }));
  });

  it('reads back exactly what formatMinorUnits wrote, for any amount and exponent', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: 4 }), (minor, exponent) => {
        expect(decimalToMinorUnits(formatMinorUnits(minor, exponent, 'x'), exponent, 'x')).toBe(minor);
      }),
    );
  });
});

describe('impliedDecimalToMinorUnits (TDS01, SAC05 are N2)', () => {
  it.each([
    ['1304594', 2, 1304594],
    ['1999', 2, 1999],
    ['5', 2, 5],
    ['-250', 2, -250],
    ['100000', 0, 1000],
    ['1999', 3, 19990],
  ])('reads %j at exponent %i as %i', (text, exponent, minor) => {
    expect(impliedDecimalToMinorUnits(text, 2, exponent, 'TDS01')).toBe(minor);
  });

  it('refuses cents on a currency without them, and decimal points', () => {
    expect(() => impliedDecimalToMinorUnits('100050', 2, 0, 'TDS01')).toThrow('TDS01: "100050" has more than 0 decimal places');
    expect(() => impliedDecimalToMinorUnits('19.99', 2, 2, 'TDS01')).toThrow('TDS01: "19.99" is not an X12 implied-decimal number');
  });
});

describe('quantities', () => {
  it('reads whole quantities, with or without a zero fraction', () => {
    expect(quantityOf('24', 'SN102')).toBe(24);
    expect(quantityOf('24.0', 'SN102')).toBe(24);
    expect(quantityOf('0', 'ACK02')).toBe(0);
    expect(quantityOf('-3', 'QTY02')).toBe(-3);
  });

  it('refuses half items and non-numbers', () => {
    expect(() => quantityOf('2.5', 'SN102')).toThrow('SN102: quantity "2.5" is not a whole number');
    expect(() => quantityOf('', 'SN102')).toThrow(X12ParseError);
  });

  it('writes only positive whole quantities', () => {
    expect(formatQuantity(3, 'q')).toBe('3');
    expect(() => formatQuantity(0, 'lines[0].quantity')).toThrow('lines[0].quantity: 0 is not a positive whole quantity');
    expect(() => formatQuantity(1.5, 'q')).toThrow(X12RenderError);
  });
});
