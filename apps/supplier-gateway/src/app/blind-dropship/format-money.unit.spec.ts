import fc from 'fast-check';
import { formatMinor, MoneyRangeError, UnknownCurrencyError } from '@oms/money';
import { formatMoney } from './format-money';

/** Intl separates with no-break spaces; tests compare with plain ones. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it.each([
    [1999, 'USD', 'en-US', '$19.99'],
    [5, 'USD', 'en-US', '$0.05'],
    [0, 'USD', 'en-US', '$0.00'],
    [-5, 'USD', 'en-US', '-$0.05'],
    [-123456, 'USD', 'en-US', '-$1,234.56'],
    [1999, 'JPY', 'en-US', '¥1,999'],
    [1234567, 'KWD', 'en-US', 'KWD 1,234.567'],
    [123456, 'EUR', 'de-DE', '1.234,56 €'],
    [123456, 'EUR', 'fr-FR', '1 234,56 €'],
    [12345678, 'INR', 'en-IN', '₹1,23,456.78'],
    [900719925474099, 'USD', 'en-US', '$9,007,199,254,740.99'],
    [Number.MAX_SAFE_INTEGER, 'USD', 'en-US', '$90,071,992,547,409.91'],
  ])('%i %s in %s is %s', (amount, currency, locale, text) => {
    expect(plain(formatMoney(amount, currency, locale))).toBe(text);
  });

  it('shows the ISO code instead of the symbol on request', () => {
    expect(plain(formatMoney(123456, 'INR', 'en-IN', 'code'))).toBe('INR 1,234.56');
  });

  it('uses the ISO minor units, not the locale default, and never rounds', () => {
    // A float route would print 0.1 + 0.2 style errors or round 3-digit currencies to 2.
    expect(plain(formatMoney(1, 'KWD', 'en-US'))).toBe('KWD 0.001');
    expect(plain(formatMoney(1, 'CLF', 'es-CL'))).toContain('0,0001');
  });

  it('throws the money errors for an unknown currency or an unsafe amount', () => {
    expect(() => formatMoney(1, 'XTS', 'en-US')).toThrow(UnknownCurrencyError);
    expect(() => formatMoney(1.5, 'USD', 'en-US')).toThrow(MoneyRangeError);
  });

  it('property: prints exactly the digits of formatMinor, whatever the amount', () => {
    const amounts = fc.oneof(fc.integer({ min: -10_000, max: 10_000 }), fc.maxSafeInteger(), fc.integer());
    const digitsOf = (text: string): string => text.replace(/\D/g, '');
    fc.assert(
      fc.property(amounts, fc.constantFrom('USD', 'JPY', 'KWD', 'EUR'), (amount, currency) => {
        expect(digitsOf(formatMoney(amount, currency, 'en-US'))).toBe(digitsOf(formatMinor(amount, currency)));
        expect(formatMoney(amount, currency, 'en-US').includes('-')).toBe(amount < 0);
      }),
    );
  });
});
