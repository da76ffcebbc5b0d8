import fc from 'fast-check';
import { CurrencyMismatchError, MoneyRangeError, UnknownCurrencyError } from './errors';
import {
  add,
  compare,
  equals,
  isNegative,
  isZero,
  money,
  multiply,
  negate,
  subtract,
  sum,
  zero,
} from './money';

const MAX = Number.MAX_SAFE_INTEGER;

describe('money', () => {
  it('holds integer minor units and the currency', () => {
    expect(money(1234, 'USD')).toEqual({ amount: 1234, currency: 'USD' });
    expect(money(-5, 'JPY')).toEqual({ amount: -5, currency: 'JPY' });
    expect(money(MAX, 'KWD').amount).toBe(MAX);
    expect(money(-MAX, 'KWD').amount).toBe(-MAX);
    expect(zero('EUR')).toEqual({ amount: 0, currency: 'EUR' });
  });

  it.each([12.5, 0.1, NaN, Infinity, -Infinity, MAX + 1, -MAX - 1, 2 ** 60])('rejects the amount %p', (amount) => {
    expect(() => money(amount, 'USD')).toThrow(MoneyRangeError);
  });

  it.each(['usd', 'XXX', 'XAU', ''])('rejects the currency %j', (currency) => {
    expect(() => money(1, currency)).toThrow(UnknownCurrencyError);
  });

  it('stores -0 as 0', () => {
    expect(Object.is(money(-0, 'USD').amount, 0)).toBe(true);
  });
});

describe('arithmetic', () => {
  const usd = (amount: number) => money(amount, 'USD');

  it('adds, subtracts and negates', () => {
    expect(add(usd(1999), usd(1))).toEqual(usd(2000));
    expect(subtract(usd(1000), usd(1999))).toEqual(usd(-999));
    expect(negate(usd(250))).toEqual(usd(-250));
    expect(negate(usd(-250))).toEqual(usd(250));
  });

  it('never produces -0', () => {
    expect(Object.is(negate(usd(0)).amount, 0)).toBe(true);
    expect(Object.is(multiply(usd(0), -3).amount, 0)).toBe(true);
    expect(Object.is(multiply(usd(-5), 0).amount, 0)).toBe(true);
  });

  it('multiplies by an integer quantity only', () => {
    expect(multiply(usd(1999), 3)).toEqual(usd(5997));
    expect(multiply(usd(1999), -1)).toEqual(usd(-1999));
    expect(() => multiply(usd(1999), 1.5)).toThrow(MoneyRangeError);
    expect(() => multiply(usd(1999), NaN)).toThrow(MoneyRangeError);
  });

  it('sums a list, zero when empty', () => {
    expect(sum([usd(1), usd(2), usd(-4)], 'USD')).toEqual(usd(-1));
    expect(sum([], 'JPY')).toEqual(zero('JPY'));
  });

  it('throws CurrencyMismatchError when currencies differ', () => {
    const eur = money(1, 'EUR');
    expect(() => add(usd(1), eur)).toThrow(CurrencyMismatchError);
    expect(() => subtract(usd(1), eur)).toThrow(CurrencyMismatchError);
    expect(() => compare(usd(1), eur)).toThrow(CurrencyMismatchError);
    expect(() => sum([usd(1), eur], 'USD')).toThrow(CurrencyMismatchError);
    expect(() => sum([eur], 'USD')).toThrow('Currency mismatch: expected USD, got EUR');
  });

  it('throws MoneyRangeError instead of leaving the safe integers', () => {
    expect(() => add(usd(MAX), usd(1))).toThrow(MoneyRangeError);
    expect(() => subtract(usd(-MAX), usd(1))).toThrow(MoneyRangeError);
    expect(() => multiply(usd(2 ** 27), 2 ** 26)).toThrow(MoneyRangeError);
    expect(() => sum([usd(MAX), usd(1), usd(-1)], 'USD')).toThrow(MoneyRangeError);
    expect(add(usd(MAX - 1), usd(1))).toEqual(usd(MAX));
  });

  it('compares and tests amounts', () => {
    expect(compare(usd(1), usd(2))).toBe(-1);
    expect(compare(usd(2), usd(2))).toBe(0);
    expect(compare(usd(3), usd(2))).toBe(1);
    expect(isZero(usd(0))).toBe(true);
    expect(isZero(usd(-1))).toBe(false);
    expect(isNegative(usd(-1))).toBe(true);
    expect(isNegative(usd(0))).toBe(false);
    expect(equals(usd(1), usd(1))).toBe(true);
    expect(equals(usd(1), money(1, 'EUR'))).toBe(false);
  });

  it('does not mutate its operands', () => {
    const a = Object.freeze(usd(5));
    const b = Object.freeze(usd(7));
    expect(add(a, b)).toEqual(usd(12));
    expect(a).toEqual(usd(5));
  });

  it('property: subtracting undoes adding, whenever the sum is in range', () => {
    const half = Math.floor(MAX / 2);
    fc.assert(
      fc.property(fc.integer({ min: -half, max: half }), fc.integer({ min: -half, max: half }), (x, y) => {
        const a = usd(x);
        const b = usd(y);
        expect(subtract(add(a, b), b)).toEqual(a);
        expect(add(a, negate(a))).toEqual(zero('USD'));
        expect(compare(a, b) + compare(b, a)).toBe(0);
        expect(compare(a, a)).toBe(0);
      }),
    );
  });
});
