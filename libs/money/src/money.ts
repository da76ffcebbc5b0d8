import { minorUnitDigits } from './currency';
import { CurrencyMismatchError, MoneyRangeError } from './errors';

/** An amount of money: a safe integer number of minor units (cents for USD, yen for JPY). */
export type Money = {
  /** Integer minor units, a safe integer, never -0. */
  readonly amount: number;
  /** ISO 4217 code with defined minor units (see `minorUnitDigits`). */
  readonly currency: string;
};

/**
 * `amount` minor units of `currency`. Throws `MoneyRangeError` unless `amount` is a safe integer and
 * `UnknownCurrencyError` unless `minorUnitDigits(currency)` knows it.
 */
export function money(amount: number, currency: string): Money {
  minorUnitDigits(currency);
  return { amount: checked(amount, 'amount'), currency };
}

/** Zero of `currency`. */
export function zero(currency: string): Money {
  return money(0, currency);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amount: checked(a.amount + b.amount, 'sum'), currency: a.currency };
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amount: checked(a.amount - b.amount, 'difference'), currency: a.currency };
}

export function negate(a: Money): Money {
  return { amount: checked(0 - a.amount, 'negation'), currency: a.currency };
}

/** `a` times an integer `quantity` (a line total from a unit price). Never rounds: no fractional factors. */
export function multiply(a: Money, quantity: number): Money {
  checked(quantity, 'quantity');
  return { amount: checked(a.amount * quantity, 'product'), currency: a.currency };
}

/** Sum of `items`, all in `currency`; zero when empty. */
export function sum(items: readonly Money[], currency: string): Money {
  let total = zero(currency);
  for (const item of items) total = add(total, item);
  return total;
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`; both in the same currency. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}

/** Same currency and amount. Unlike `compare`, different currencies are simply not equal. */
export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amount === b.amount;
}

export function isZero(a: Money): boolean {
  return a.amount === 0;
}

export function isNegative(a: Money): boolean {
  return a.amount < 0;
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
}

/**
 * `value` if it is a safe integer (with -0 made 0), else `MoneyRangeError`. Sums and products of
 * safe integers are exact whenever the exact result is a safe integer, and round to a magnitude of at least 2^53
 * otherwise, so checking the float result catches every overflow.
 */
function checked(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new MoneyRangeError(`${what} ${value} is not a safe integer number of minor units`);
  }
  return value === 0 ? 0 : value;
}
