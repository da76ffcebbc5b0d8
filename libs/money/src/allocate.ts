import { AllocationError, MoneyRangeError } from './errors';

/**
 * Splits the integer `total` (minor units) into one integer part per weight, proportionally, by the
 * largest-remainder (Hamilton) method: each part starts at floor(|total| * w / W), computed exactly
 * in BigInt, and the units left over go one each to the largest remainders, ties to the lower
 * index. A negative total is split as its absolute value, then negated.
 *
 * Guarantees: the parts sum exactly to `total`; each part is within 1 of its exact share (it is the
 * share rounded down or up); a larger weight never gets a smaller part (in absolute value); a zero
 * weight gets 0; the result depends only on the arguments.
 *
 * Weights must be non-negative safe integers (quantities, or amounts in minor units) and not all zero:
 * there is no proportional split of a total over nothing, so an empty or all-zero list throws
 * `AllocationError` even for a zero total, rather than guessing an even split.
 */
export function allocateByWeights(total: number, weights: readonly number[]): number[] {
  checkTotal(total);
  weights.forEach((weight, index) => {
    if (!Number.isSafeInteger(weight) || weight < 0) {
      throw new AllocationError(`weight ${index} is ${weight}: weights must be non-negative safe integers`);
    }
  });
  const big = weights.map(BigInt);
  const weightSum = big.reduce((a, b) => a + b, 0n);
  if (weightSum === 0n) {
    throw new AllocationError(`cannot allocate ${total} over ${weights.length === 0 ? 'no weights' : 'all-zero weights'}`);
  }

  const magnitude = BigInt(Math.abs(total));
  const parts = big.map((weight) => (magnitude * weight) / weightSum);
  const remainders = big.map((weight) => (magnitude * weight) % weightSum);
  let leftover = Number(magnitude - parts.reduce((a, b) => a + b, 0n));
  // leftover = Σ remainder / weightSum < the number of non-zero remainders, so zero weights never get a unit.
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of order) {
    if (leftover === 0) break;
    parts[index]! += 1n;
    leftover -= 1;
  }
  return parts.map((part) => signed(total, Number(part)));
}

/**
 * Splits `total` into `count` parts as equal as possible, the lower indexes taking the extra units:
 * 100 over 3 → [34, 33, 33], -100 over 3 → [-34, -33, -33]. Same as `allocateByWeights` with
 * `count` equal weights.
 */
export function allocateEvenly(total: number, count: number): number[] {
  checkTotal(total);
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new AllocationError(`cannot allocate ${total} over ${count} parts: need a positive integer count`);
  }
  const magnitude = Math.abs(total);
  const extra = magnitude % count;
  const base = (magnitude - extra) / count; // exact: the dividend is a multiple of count
  return Array.from({ length: count }, (_, index) => signed(total, index < extra ? base + 1 : base));
}

function checkTotal(total: number): void {
  if (!Number.isSafeInteger(total)) throw new MoneyRangeError(`total ${total} is not a safe integer`);
}

/** `part` (of |total|) as a number with the sign of `total`, never -0. */
function signed(total: number, part: number): number {
  return total < 0 && part !== 0 ? -part : part;
}
