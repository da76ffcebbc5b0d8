import { formatMinor, minorUnitDigits } from '@oms/money';

/**
 * `amount` integer minor units of `currency` as a customer reads it in `locale`: 1999 USD → "$19.99",
 * 1999 JPY → "¥1,999", 1234567 KWD → "KWD 1,234.567" (en-US); with `display` "code", "USD 19.99".
 *
 * Exact at any safe amount, with no float in between: the digits come from `formatMinor` (integer
 * arithmetic on the decimal text), and Intl only lays them out. Intl is asked to format the whole
 * units as a BigInt with the currency's ISO fraction digits (zeros), and its fraction part is then
 * replaced by the real one, so symbol, grouping, separators and sign placement are the locale's.
 * (Intl.NumberFormat also takes a decimal string exactly since ES2023, but this repository compiles
 * against the ES2022 library, which types only number and bigint.)
 */
export function formatMoney(amount: number, currency: string, locale: string, display: 'symbol' | 'code' = 'symbol'): string {
  const digits = minorUnitDigits(currency);
  const [whole, fraction = ''] = formatMinor(Math.abs(amount), currency).split('.');
  const negative = amount < 0;
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: display,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // BigInt has no −0: a negative amount under one unit is laid out as −1 and its "1" put back to "0".
  const wholeUnits = BigInt(whole!);
  const probe = negative ? -(wholeUnits === 0n ? 1n : wholeUnits) : wholeUnits;
  return format
    .formatToParts(probe)
    .map((part) => {
      if (part.type === 'fraction') return fraction;
      if (part.type === 'integer' && negative && wholeUnits === 0n) return '0';
      return part.value;
    })
    .join('');
}
