import { data as iso4217 } from 'currency-codes';
import { FUND_CODES, isCurrencyCode, minorUnitDigits, NON_MONETARY_CODES } from './currency';
import { UnknownCurrencyError } from './errors';

/** Currencies that really have no minor unit; any other 0 in the table is suspect (an ISO "N.A."). */
const ZERO_DECIMAL = ['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'];

const ISO_CODES = iso4217.map((entry) => entry.code);

describe('minorUnitDigits', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['CLP', 0],
    ['XOF', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['TND', 3],
    ['CLF', 4],
    ['UYW', 4],
  ])('%s has %i', (code, digits) => {
    expect(minorUnitDigits(code)).toBe(digits);
  });

  it.each(['XAU', 'XAG', 'XTS', 'XXX', 'XDR', 'usd', 'Usd', 'US', 'USDX', ' USD', '', 'ABC', 'EURO'])(
    'throws UnknownCurrencyError for %j',
    (code) => {
      expect(() => minorUnitDigits(code)).toThrow(UnknownCurrencyError);
    },
  );

  it('names the code in the error', () => {
    expect(() => minorUnitDigits('XTS')).toThrow('Unknown currency "XTS"');
  });

  it('throws UnknownCurrencyError for a non-string from untyped callers', () => {
    expect(() => minorUnitDigits(undefined as unknown as string)).toThrow(UnknownCurrencyError);
  });
});

describe('isCurrencyCode', () => {
  it.each(['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY', 'KWD', 'CHF', 'XOF', 'XAF', 'XPF', 'XCD', 'ZWG', 'UYW'])(
    'accepts the currency %s',
    (code) => {
      expect(isCurrencyCode(code)).toBe(true);
    },
  );

  it.each([...FUND_CODES])('rejects the fund code %s (which still has minor units)', (code) => {
    expect(isCurrencyCode(code)).toBe(false);
    expect(() => minorUnitDigits(code)).not.toThrow();
  });

  it.each([...NON_MONETARY_CODES])('rejects the non-monetary code %s', (code) => {
    expect(isCurrencyCode(code)).toBe(false);
  });

  it.each(['usd', 'US', 'USDD', '', ' USD', 'ABC', 123, undefined, null, {}])('rejects %j', (code) => {
    expect(isCurrencyCode(code)).toBe(false);
  });
});

describe('the ISO 4217 table (guards against drift when currency-codes is upgraded)', () => {
  it('still holds every code this library excludes', () => {
    for (const code of [...NON_MONETARY_CODES, ...FUND_CODES]) expect(ISO_CODES).toContain(code);
  });

  it('reports 0 digits only for zero-decimal currencies and for non-monetary codes', () => {
    const zeros = iso4217.filter((entry) => entry.digits === 0 && !NON_MONETARY_CODES.has(entry.code));
    expect(zeros.map((entry) => entry.code).sort()).toEqual([...ZERO_DECIMAL].sort());
  });

  it('gives every currency three upper-case letters and 0, 2, 3 or 4 digits', () => {
    const currencies = ISO_CODES.filter(isCurrencyCode);
    expect(currencies.length).toBeGreaterThan(150);
    for (const code of currencies) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(minorUnitDigits(code));
    }
  });
});
