import { data as iso4217 } from 'currency-codes';
import { UnknownCurrencyError } from './errors';

/**
 * ISO 4217 codes whose minor unit is "N.A." in the standard: precious metals, bond-market units,
 * SDR, Sucre, ADB unit, and the testing (XTS) and no-currency (XXX) codes. `currency-codes` turns
 * "N.A." into 0, which would silently make "1.5 XAU" look like a precision error instead of a
 * non-currency, so these are not known here at all.
 */
export const NON_MONETARY_CODES: ReadonlySet<string> = new Set([
  'XAG', 'XAU', 'XPD', 'XPT', // metals
  'XBA', 'XBB', 'XBC', 'XBD', // bond-market units
  'XDR', 'XSU', 'XUA', // supranational units of account
  'XTS', 'XXX', // testing, "no currency"
]);

/**
 * ISO 4217 fund codes (`IsFund="true"` in the standard; `currency-codes` drops the flag): indexed
 * units of account and settlement variants, not money a customer pays in. They have real minor
 * units (CLF 4), so `minorUnitDigits` knows them, but `isCurrencyCode` says no. Exactly the
 * codes ISO flags: UYW (Unidad Previsional) is not flagged, so it counts as a currency.
 */
export const FUND_CODES: ReadonlySet<string> = new Set(['BOV', 'CHE', 'CHW', 'CLF', 'COU', 'MXV', 'USN', 'UYI']);

/** Minor-unit digits of every ISO 4217 code that has them (currencies and funds). */
const DIGITS: ReadonlyMap<string, number> = new Map(
  iso4217.filter((entry) => !NON_MONETARY_CODES.has(entry.code)).map((entry) => [entry.code, entry.digits]),
);

/**
 * Whether `code` is the alphabetic ISO 4217 code of an actual currency: exactly three upper-case
 * letters, in the current ISO list, neither a fund code (CLF, USN, …) nor a non-monetary code (XAU,
 * XTS, XXX, …). Case-sensitive: "usd" is not a code. This is the check for amounts from outside.
 */
export function isCurrencyCode(code: unknown): code is string {
  return typeof code === 'string' && DIGITS.has(code) && !FUND_CODES.has(code);
}

/**
 * Number of minor-unit digits of `code` (USD 2, JPY 0, KWD 3, CLF 4), for actual currencies and
 * fund codes alike. Throws `UnknownCurrencyError` for anything else, including lower case.
 */
export function minorUnitDigits(code: string): number {
  const digits = typeof code === 'string' ? DIGITS.get(code) : undefined;
  if (digits === undefined) throw new UnknownCurrencyError(code);
  return digits;
}

/** The ISO 4217 data the tables above come from ("YYYY-MM-DD"), for diagnostics. */
export { publishDate as ISO_4217_PUBLISH_DATE } from 'currency-codes';
