import fc from 'fast-check';
import { formatMinor, parseDecimalToMinor } from './decimal';
import { MoneyFormatError, MoneyPrecisionError, MoneyRangeError, UnknownCurrencyError } from './errors';

const MAX = Number.MAX_SAFE_INTEGER;
const NEG = { allowNegative: true };

describe('parseDecimalToMinor', () => {
  it.each([
    ['12', 'USD', 1200],
    ['12.3', 'USD', 1230],
    ['12.30', 'USD', 1230],
    ['0.00', 'USD', 0],
    ['0', 'USD', 0],
    ['0.01', 'USD', 1],
    ['007.50', 'USD', 750],
    ['  12.30\n', 'USD', 1230],
    ['.5', 'USD', 50],
    ['10.000', 'USD', 1000],
    ['10.0000000', 'USD', 1000],
    ['1234', 'JPY', 1234],
    ['1234.00', 'JPY', 1234],
    ['1.234', 'KWD', 1234],
    ['1.2', 'KWD', 1200],
    ['0.001', 'KWD', 1],
    ['1.2345', 'CLF', 12345],
    ['90071992547409.91', 'USD', MAX],
    ['9007199254740991', 'JPY', MAX],
  ])('reads %j %s as %i', (text, currency, minor) => {
    expect(parseDecimalToMinor(text, currency)).toBe(minor);
  });

  it('reads negative amounts only when allowed', () => {
    expect(parseDecimalToMinor('-1.50', 'USD', NEG)).toBe(-150);
    expect(parseDecimalToMinor('-.05', 'USD', NEG)).toBe(-5);
    expect(parseDecimalToMinor('-90071992547409.91', 'USD', NEG)).toBe(-MAX);
    expect(() => parseDecimalToMinor('-1.50', 'USD')).toThrow(MoneyFormatError);
    expect(() => parseDecimalToMinor('-1.50', 'USD', { allowNegative: false })).toThrow('negative amounts are not allowed');
    expect(() => parseDecimalToMinor('-0', 'USD')).toThrow(MoneyFormatError);
  });

  it('reads "-0" as 0, not -0', () => {
    expect(Object.is(parseDecimalToMinor('-0.00', 'USD', NEG), 0)).toBe(true);
  });

  it.each(['', '   ', '.', '-', '5.', '-5.', '+5', '1e3', '1E3', '1,000.00', '1 000', '1.000,00', '1..0', '1.2.3', '$1', '0x10', 'Infinity', 'NaN', '１２', '١٢', '- 1', '12.-3', '--1'])(
    'rejects %j with MoneyFormatError',
    (text) => {
      expect(() => parseDecimalToMinor(text, 'USD', NEG)).toThrow(MoneyFormatError);
    },
  );

  it.each([
    ['10.005', 'USD'],
    ['0.001', 'USD'],
    ['10.0001', 'USD'],
    ['1.5', 'JPY'],
    ['1.2345', 'KWD'],
    ['1.23456', 'CLF'],
  ])('rejects %j %s with MoneyPrecisionError', (text, currency) => {
    expect(() => parseDecimalToMinor(text, currency)).toThrow(MoneyPrecisionError);
  });

  it('says which currency limits the precision', () => {
    expect(() => parseDecimalToMinor('10.005', 'USD')).toThrow('"10.005" has more precision than USD allows (2 fractional digits)');
  });

  it.each([
    ['90071992547409.92', 'USD'],
    ['9007199254740992', 'JPY'],
    ['-9007199254740992', 'JPY'],
    ['1' + '0'.repeat(30), 'USD'],
  ])('rejects %j %s with MoneyRangeError', (text, currency) => {
    expect(() => parseDecimalToMinor(text, currency, NEG)).toThrow(MoneyRangeError);
  });

  it('throws UnknownCurrencyError for an unknown currency', () => {
    expect(() => parseDecimalToMinor('1.00', 'XXX')).toThrow(UnknownCurrencyError);
    expect(() => parseDecimalToMinor('1.00', 'usd')).toThrow(UnknownCurrencyError);
  });

  it('property: agrees with exact BigInt arithmetic on any digit string', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{0,18}$/),
        fc.stringMatching(/^[0-9]{0,3}$/),
        fc.constantFrom('JPY', 'USD', 'KWD'),
        (whole, fraction, currency) => {
          fc.pre(whole !== '' || fraction !== '');
          const digits = currency === 'JPY' ? 0 : currency === 'USD' ? 2 : 3;
          const text = fraction === '' ? whole : `${whole}.${fraction}`;
          if (/[^0]/.test(fraction.slice(digits))) {
            expect(() => parseDecimalToMinor(text, currency)).toThrow(MoneyPrecisionError);
            return;
          }
          const exact = BigInt(whole + fraction.slice(0, digits).padEnd(digits, '0') || '0');
          if (exact > BigInt(MAX)) {
            expect(() => parseDecimalToMinor(text, currency)).toThrow(MoneyRangeError);
          } else {
            expect(parseDecimalToMinor(text, currency)).toBe(Number(exact));
          }
        },
      ),
    );
  });
});

describe('formatMinor', () => {
  it.each([
    [1234, 'USD', '12.34'],
    [5, 'USD', '0.05'],
    [0, 'USD', '0.00'],
    [-0, 'USD', '0.00'],
    [-150, 'USD', '-1.50'],
    [-5, 'USD', '-0.05'],
    [1234, 'JPY', '1234'],
    [-1234, 'JPY', '-1234'],
    [0, 'JPY', '0'],
    [1234, 'KWD', '1.234'],
    [-5, 'KWD', '-0.005'],
    [12345, 'CLF', '1.2345'],
    [MAX, 'USD', '90071992547409.91'],
    [-MAX, 'JPY', '-9007199254740991'],
  ])('writes %p %s as %j', (minor, currency, text) => {
    expect(formatMinor(minor, currency)).toBe(text);
  });

  it.each([1.5, NaN, Infinity, MAX + 1])('rejects the amount %p', (amount) => {
    expect(() => formatMinor(amount, 'USD')).toThrow(MoneyRangeError);
  });

  it('throws UnknownCurrencyError for an unknown currency', () => {
    expect(() => formatMinor(1, 'XTS')).toThrow(UnknownCurrencyError);
  });

  it('property: parseDecimalToMinor inverts it for any safe amount and 0/2/3/4-digit currency', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom('JPY', 'CLP', 'USD', 'EUR', 'KWD', 'BHD', 'CLF'), (minor, currency) => {
        const text = formatMinor(minor, currency);
        expect(text).toMatch(/^-?[0-9]+(\.[0-9]+)?$/);
        expect(parseDecimalToMinor(text, currency, NEG)).toBe(minor);
      }),
    );
  });

  it('property: formatting a parsed canonical text gives it back', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(0|[1-9][0-9]{0,11})\.[0-9]{2}$/), (text) => {
        expect(formatMinor(parseDecimalToMinor(text, 'USD'), 'USD')).toBe(text);
      }),
    );
  });
});
