import fc from 'fast-check';
import { allocateByWeights, allocateEvenly } from './allocate';
import { AllocationError, MoneyRangeError } from './errors';

const MAX = Number.MAX_SAFE_INTEGER;

const total = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger());
/** Small weights (many ties, the tie-break matters) or mixed magnitudes up to MAX_SAFE_INTEGER (BigInt matters). */
const weights = fc
  .oneof(
    fc.array(fc.nat(3), { minLength: 1, maxLength: 10 }),
    fc.array(fc.oneof(fc.constant(0), fc.nat(10), fc.nat(10_000), fc.maxSafeNat()), { minLength: 1, maxLength: 25 }),
  )
  .filter((ws) => ws.some((w) => w > 0));

const sumOf = (parts: readonly number[]): bigint => parts.reduce((a, b) => a + BigInt(b), 0n);

describe('allocateByWeights', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [5, [0, 1, 0], [0, 5, 0]],
    [-100, [1, 1, 1], [-34, -33, -33]],
    [100, [1, 2, 3], [17, 33, 50]],
    [7, [1, 1, 1, 1], [2, 2, 2, 1]],
    [10, [1, 2, 3, 4], [1, 2, 3, 4]],
    [1, [1, 1, 1], [1, 0, 0]],
    [2, [1, 3, 3], [0, 1, 1]],
    [0, [5, 7], [0, 0]],
    [1000, [1999, 2999, 500], [364, 545, 91]],
    [MAX, [1, 1], [4503599627370496, 4503599627370495]],
    [MAX, [3, 7], [2702159776422297, 6305039478318694]],
    [-MAX, [MAX, 1], [-(MAX - 1), -1]],
  ])('splits %p over %j into %j', (amount, ws, parts) => {
    expect(allocateByWeights(amount, ws)).toEqual(parts);
  });

  it('never returns -0', () => {
    const parts = allocateByWeights(-1, [0, 1, 1]);
    expect(parts).toEqual([0, -1, 0]);
    expect(Object.is(parts[0], 0)).toBe(true);
    expect(Object.is(parts[2], 0)).toBe(true);
  });

  it('throws AllocationError for all-zero or no weights, even for a zero total', () => {
    expect(() => allocateByWeights(100, [0, 0])).toThrow(AllocationError);
    expect(() => allocateByWeights(0, [0, 0])).toThrow('cannot allocate 0 over all-zero weights');
    expect(() => allocateByWeights(100, [])).toThrow('cannot allocate 100 over no weights');
  });

  it.each([[[1, -1]], [[1, 0.5]], [[NaN]], [[Infinity]], [[MAX + 1]]])('throws AllocationError for the weights %p', (ws) => {
    expect(() => allocateByWeights(100, ws)).toThrow(AllocationError);
  });

  it.each([1.5, NaN, MAX + 1, -Infinity])('throws MoneyRangeError for the total %p', (amount) => {
    expect(() => allocateByWeights(amount, [1])).toThrow(MoneyRangeError);
  });

  it('property: the parts sum exactly to the total', () => {
    fc.assert(
      fc.property(total, weights, (amount, ws) => {
        const parts = allocateByWeights(amount, ws);
        expect(parts).toHaveLength(ws.length);
        expect(sumOf(parts)).toBe(BigInt(amount));
        for (const part of parts) expect(Number.isSafeInteger(part)).toBe(true);
      }),
    );
  });

  it('property: each part is within 1 of its exact share, zero weights get 0', () => {
    fc.assert(
      fc.property(total, weights, (amount, ws) => {
        const parts = allocateByWeights(amount, ws);
        const weightSum = sumOf(ws);
        parts.forEach((part, i) => {
          // |part - amount * w / W| < 1, in exact integers: |part * W - amount * w| < W
          const error = BigInt(part) * weightSum - BigInt(amount) * BigInt(ws[i]!);
          expect(error < 0n ? -error : error).toBeLessThan(weightSum);
          if (ws[i] === 0) expect(Object.is(part, 0)).toBe(true);
        });
      }),
    );
  });

  it('property: a larger weight never gets less, equal weights favour the lower index by at most 1', () => {
    fc.assert(
      fc.property(total, weights, (amount, ws) => {
        const size = allocateByWeights(amount, ws).map(Math.abs);
        for (let i = 0; i < ws.length; i++) {
          for (let j = 0; j < ws.length; j++) {
            if (ws[i]! > ws[j]!) expect(size[i]).toBeGreaterThanOrEqual(size[j]!);
            if (ws[i] === ws[j] && i < j) expect(size[i]! - size[j]!).toBeGreaterThanOrEqual(0);
            if (ws[i] === ws[j] && i < j) expect(size[i]! - size[j]!).toBeLessThanOrEqual(1);
          }
        }
      }),
    );
  });

  it('property: deterministic, sign-symmetric, and leaves the weights alone', () => {
    fc.assert(
      fc.property(total, weights, (amount, ws) => {
        const frozen = Object.freeze([...ws]);
        const parts = allocateByWeights(amount, frozen);
        expect(allocateByWeights(amount, frozen)).toEqual(parts);
        expect(allocateByWeights(-amount, frozen)).toEqual(parts.map((p) => (p === 0 ? 0 : -p)));
        expect(frozen).toEqual(ws);
      }),
    );
  });
});

describe('allocateEvenly', () => {
  it.each([
    [100, 3, [34, 33, 33]],
    [-100, 3, [-34, -33, -33]],
    [2, 5, [1, 1, 0, 0, 0]],
    [0, 2, [0, 0]],
    [7, 1, [7]],
    [MAX, 2, [4503599627370496, 4503599627370495]],
  ])('splits %p into %i parts: %j', (amount, count, parts) => {
    expect(allocateEvenly(amount, count)).toEqual(parts);
  });

  it.each([0, -1, 1.5, NaN])('throws AllocationError for the count %p', (count) => {
    expect(() => allocateEvenly(100, count)).toThrow(AllocationError);
  });

  it('property: same as allocateByWeights with equal weights', () => {
    fc.assert(
      fc.property(total, fc.integer({ min: 1, max: 50 }), (amount, count) => {
        expect(allocateEvenly(amount, count)).toEqual(allocateByWeights(amount, Array<number>(count).fill(1)));
      }),
    );
  });
});
