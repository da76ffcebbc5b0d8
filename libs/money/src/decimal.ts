import { minorUnitDigits } from './currency';
import { MoneyFormatError, MoneyPrecisionError, MoneyRangeError } from './errors';

export type ParseDecimalOptions = {
  /** Accept a leading "-" (refunds, adjustments). Default false: any minus sign is rejected, even on "-0". */
  readonly allowNegative?: boolean;
};

/** Optional "-", then digits with an optional fraction ("12", "12.30", ".5"), or nothing else. */
const DECIMAL = /^(-?)([0-9]*)(?:\.([0-9]+))?$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Exact minor units of the decimal `text` in `currency` ("12.30" USD → 1230), by string
 * manipulation only: no floats anywhere.
 *
 * Accepted: surrounding whitespace, leading zeros ("007.50"), a bare fraction (".5"), fractional
 * digits beyond the currency's as long as they are all zeros ("10.000" USD → 1000), "-" when
 * `allowNegative`. Rejected (`MoneyFormatError`): "", "5.", ".", "+5", "1e3", "1,000.00", "1 000",
 * non-ASCII digits. `MoneyPrecisionError` when a non-zero digit is past the currency's minor units
 * ("10.005" USD, "1.5" JPY); `MoneyRangeError` beyond Number.MAX_SAFE_INTEGER minor units;
 * `UnknownCurrencyError` for an unknown currency.
 */
export function parseDecimalToMinor(text: string, currency: string, options: ParseDecimalOptions = {}): number {
  const digits = minorUnitDigits(currency);
  if (typeof text !== 'string') throw new MoneyFormatError(String(text), 'not a string');
  const match = DECIMAL.exec(text.trim());
  if (match === null) throw new MoneyFormatError(text, 'expected digits with an optional "." fraction');
  const [, sign, whole, fraction = ''] = match;
  if (whole === '' && fraction === '') throw new MoneyFormatError(text, 'no digits');
  if (sign === '-' && options.allowNegative !== true) {
    throw new MoneyFormatError(text, 'negative amounts are not allowed here');
  }

  const kept = fraction.slice(0, digits);
  if (/[^0]/.test(fraction.slice(digits))) throw new MoneyPrecisionError(text, currency, digits);

  const magnitude = BigInt(whole + kept.padEnd(digits, '0') || '0');
  if (magnitude > MAX_SAFE) {
    throw new MoneyRangeError(`${JSON.stringify(text)} is beyond the safe integer range of ${currency} minor units`);
  }
  const amount = Number(magnitude);
  return sign === '-' && amount !== 0 ? -amount : amount;
}

/**
 * The plain decimal text of `amount` minor units of `currency`, with exactly the currency's
 * fractional digits: 1234 USD → "12.34", 1234 JPY → "1234", -5 KWD → "-0.005". The inverse of
 * `parseDecimalToMinor` (with `allowNegative` for negative amounts). No grouping, no symbol.
 */
export function formatMinor(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (!Number.isSafeInteger(amount)) {
    throw new MoneyRangeError(`${amount} is not a safe integer number of minor units`);
  }
  const sign = amount < 0 ? '-' : '';
  const magnitude = String(Math.abs(amount)).padStart(digits + 1, '0');
  if (digits === 0) return sign + magnitude;
  return `${sign}${magnitude.slice(0, -digits)}.${magnitude.slice(-digits)}`;
}
