import { netRevenue, refundUnits, type ChargedLine } from './refund-allocation';
import { chargedLine } from './testing/ledger-fixtures';

/*
 * Figures worked by hand from the rule: the line's total, discount and tax are each split over its
 * units, the lower units taking the extra minor units; a unit's item price is what remains.
 */

describe('refundUnits', () => {
  describe('taxes excluded: 3 × 19.99, discount 1.00, tax 4.80, total 63.77', () => {
    // total 6377 → [2126, 2126, 2125]; discount 100 → [34, 33, 33]; tax 480 → [160, 160, 160];
    // items = amount + discount − tax → [2000, 1999, 1998].
    const line: ChargedLine = chargedLine('l1', 3, 1999, { discount: 100, tax: 480 });

    it('has the total of the documented rule', () => {
      expect(line.total).toBe(6377);
    });

    it.each([
      [0, 1, { items: 2000, discount: 34, tax: 160, amount: 2126 }],
      [1, 1, { items: 1999, discount: 33, tax: 160, amount: 2126 }],
      [2, 1, { items: 1998, discount: 33, tax: 160, amount: 2125 }],
      [0, 2, { items: 3999, discount: 67, tax: 320, amount: 4252 }],
      [1, 2, { items: 3997, discount: 66, tax: 320, amount: 4251 }],
      [0, 3, { items: 5997, discount: 100, tax: 480, amount: 6377 }],
    ])('units from %i, %i of them', (from, count, figures) => {
      expect(refundUnits(line, false, from, count)).toEqual({ lineId: 'l1', quantity: count, ...figures });
    });

    it('nets the tax out of the revenue', () => {
      expect(netRevenue(refundUnits(line, false, 0, 1))).toBe(1966);
      expect(netRevenue(refundUnits(line, false, 2, 1))).toBe(1965);
      expect(netRevenue(refundUnits(line, false, 0, 3))).toBe(5897);
    });
  });

  describe('taxes included: 4 × 24.99, discount 2.50, tax 16.25 inside, total 97.46', () => {
    // total 9746 → [2437, 2437, 2436, 2436]; discount 250 → [63, 63, 62, 62]; tax 1625 → [407, 406, 406, 406];
    // items = amount + discount → [2500, 2500, 2498, 2498].
    const line = chargedLine('l2', 4, 2499, { discount: 250, tax: 1625, taxesIncluded: true });

    it('has the total of the documented rule, tax inside', () => {
      expect(line.total).toBe(9746);
    });

    it.each([
      [0, 1, { items: 2500, discount: 63, tax: 407, amount: 2437 }],
      [3, 1, { items: 2498, discount: 62, tax: 406, amount: 2436 }],
      [1, 2, { items: 4998, discount: 125, tax: 812, amount: 4873 }],
      [0, 4, { items: 9996, discount: 250, tax: 1625, amount: 9746 }],
    ])('units from %i, %i of them', (from, count, figures) => {
      expect(refundUnits(line, true, from, count)).toEqual({ lineId: 'l2', quantity: count, ...figures });
    });

    it('nets the tax inside the amount out of the revenue', () => {
      expect(netRevenue(refundUnits(line, true, 0, 1))).toBe(2030);
      expect(netRevenue(refundUnits(line, true, 0, 4))).toBe(8121);
    });
  });

  describe('a one-unit line', () => {
    const line = chargedLine('l3', 1, 4999, { discount: 500, tax: 900 });

    it('refunds the whole line for its one unit', () => {
      expect(line.total).toBe(5399);
      expect(refundUnits(line, false, 0, 1)).toEqual({ lineId: 'l3', quantity: 1, items: 4999, discount: 500, tax: 900, amount: 5399 });
    });

    it('refunds nothing for no units, at either end', () => {
      const nothing = { lineId: 'l3', quantity: 0, items: 0, discount: 0, tax: 0, amount: 0 };
      expect(refundUnits(line, false, 0, 0)).toEqual(nothing);
      expect(refundUnits(line, false, 1, 0)).toEqual(nothing);
    });
  });

  describe('no discount and no tax', () => {
    it('refunds the unit price per unit', () => {
      const line = chargedLine('l4', 7, 1000);
      expect(refundUnits(line, false, 2, 3)).toEqual({ lineId: 'l4', quantity: 3, items: 3000, discount: 0, tax: 0, amount: 3000 });
      expect(refundUnits(line, true, 6, 1)).toEqual({ lineId: 'l4', quantity: 1, items: 1000, discount: 0, tax: 0, amount: 1000 });
    });

    it('refunds 0 for a free line', () => {
      expect(refundUnits(chargedLine('l5', 2, 0), false, 0, 2)).toEqual({ lineId: 'l5', quantity: 2, items: 0, discount: 0, tax: 0, amount: 0 });
    });

    it('spreads an odd total over the lower units first', () => {
      // 3 × 3.33 with a 0.01 tax: total 1000 → [334, 333, 333]; tax → [1, 0, 0].
      const line = chargedLine('l6', 3, 333, { tax: 1 });
      expect([0, 1, 2].map((from) => refundUnits(line, false, from, 1))).toEqual([
        { lineId: 'l6', quantity: 1, items: 333, discount: 0, tax: 1, amount: 334 },
        { lineId: 'l6', quantity: 1, items: 333, discount: 0, tax: 0, amount: 333 },
        { lineId: 'l6', quantity: 1, items: 333, discount: 0, tax: 0, amount: 333 },
      ]);
    });
  });

  describe('range', () => {
    const line = chargedLine('l1', 3, 1999, { discount: 100, tax: 480 });

    it.each([
      ['beyond the last unit', 2, 2],
      ['starting past the end', 3, 1],
      ['a negative start', -1, 1],
      ['a negative count', 1, -1],
      ['a fractional start', 0.5, 1],
      ['a fractional count', 0, 1.5],
      ['a NaN count', 0, Number.NaN],
      ['an infinite count', 0, Number.POSITIVE_INFINITY],
    ])('refuses %s', (_name, from, count) => {
      expect(() => refundUnits(line, false, from, count)).toThrow(RangeError);
    });

    it('names the units and the line in the error', () => {
      expect(() => refundUnits(line, false, 2, 2)).toThrow('Units 2..4 of line l1 (quantity 3)');
    });
  });
});
