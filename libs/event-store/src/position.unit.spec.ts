import type { Position } from './port';
import { START } from './port';
import { comparePositions, formatPosition, parsePosition } from './position';

const p = (commit: bigint, prepare: bigint): Position => ({ commit, prepare });

describe('comparePositions', () => {
  it('orders by commit first, then by prepare', () => {
    expect(comparePositions(p(1n, 9n), p(2n, 0n))).toBe(-1);
    expect(comparePositions(p(2n, 0n), p(1n, 9n))).toBe(1);
    expect(comparePositions(p(5n, 1n), p(5n, 2n))).toBe(-1);
    expect(comparePositions(p(5n, 2n), p(5n, 1n))).toBe(1);
    expect(comparePositions(p(5n, 2n), p(5n, 2n))).toBe(0);
  });

  it('puts START before every real position', () => {
    expect(comparePositions(START, p(0n, 0n))).toBe(-1);
    expect(comparePositions(p(0n, 0n), START)).toBe(1);
    expect(comparePositions(START, { ...START })).toBe(0);
  });

  it('compares values beyond the safe-integer range exactly', () => {
    const big = 2n ** 63n - 1n;
    expect(comparePositions(p(big, 1n), p(big, 2n))).toBe(-1);
    expect(comparePositions(p(big - 1n, 2n ** 62n), p(big, 0n))).toBe(-1);
  });

  it('sorts a shuffled list into (commit, prepare) order', () => {
    const sorted = [p(-1n, -1n), p(0n, 5n), p(1n, 0n), p(1n, 3n), p(7n, 2n)];
    const shuffled = [sorted[3]!, sorted[0]!, sorted[4]!, sorted[2]!, sorted[1]!];
    expect([...shuffled].sort(comparePositions)).toEqual(sorted);
  });
});

describe('formatPosition / parsePosition', () => {
  it('formats as "<commit>/<prepare>"', () => {
    expect(formatPosition(p(12n, 34n))).toBe('12/34');
    expect(formatPosition(START)).toBe('-1/-1');
  });

  it.each([
    p(0n, 0n),
    p(12n, 34n),
    p(-1n, -1n),
    p(2n ** 64n + 7n, 2n ** 63n),
    p(9_007_199_254_740_993n, 1n), // not representable as a double
  ])('round-trips %p exactly', (position) => {
    const text = formatPosition(position);
    const parsed = parsePosition(text);
    expect(parsed).toEqual(position);
    expect(typeof parsed.commit).toBe('bigint');
    expect(typeof parsed.prepare).toBe('bigint');
    expect(comparePositions(parsed, position)).toBe(0);
    expect(formatPosition(parsed)).toBe(text);
  });

  it('tolerates surrounding whitespace', () => {
    expect(parsePosition('  7/8\n')).toEqual(p(7n, 8n));
  });

  it.each(['', ' ', '1', '1/', '/2', '1/2/3', 'a/b', '1.5/2', '1/2.0', '1 / 2', '0x10/1', '1e3/1', '--1/1', '+1/1', '1,2'])(
    'rejects %p',
    (text) => {
      expect(() => parsePosition(text)).toThrow(/Invalid position/);
    },
  );
});
