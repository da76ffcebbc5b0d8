import fc from 'fast-check';
import type { OrderLineInput, PlacedOrderInput } from './order-types';
import { priceOrder, type Pricing } from './pricing';
import { placedOrder } from './testing/order-fixtures';

const order = (overrides: Partial<PlacedOrderInput>): PlacedOrderInput => {
  const { totalCharged: _totalCharged, ...base } = placedOrder();
  return { ...base, ...overrides };
};

const priced = (input: PlacedOrderInput): Pricing => {
  const result = priceOrder(input);
  if (!result.ok) throw new Error(`expected the order to be priced, got ${JSON.stringify(result.problems)}`);
  return result.pricing;
};

const withTaxes: Pick<PlacedOrderInput, 'lines' | 'shipping'> = {
  lines: [
    { lineId: 'A', sku: 'SKU-A', quantity: 2, unitPrice: 1000, taxes: [{ name: 'VAT', rate: '0.10', amount: 200 }] },
    { lineId: 'B', sku: 'SKU-B', quantity: 1, unitPrice: 500, taxes: [{ name: 'VAT', amount: 60 }, { name: 'Eco', amount: 40 }] },
  ],
  shipping: { method: 'express', amount: 500, taxes: [{ amount: 100 }] },
};

describe('priceOrder', () => {
  describe('line totals', () => {
    it('adds the taxes to each line, to shipping and to the total when they are not included', () => {
      const { lines, shipping, totals, discrepancies } = priced(order({ ...withTaxes, taxesIncluded: false }));
      expect(lines).toEqual([
        { lineId: 'A', sku: 'SKU-A', quantity: 2, unitPrice: 1000, discount: 0, tax: 200, total: 2200 },
        { lineId: 'B', sku: 'SKU-B', quantity: 1, unitPrice: 500, discount: 0, tax: 100, total: 600 },
      ]);
      expect(shipping).toEqual({ method: 'express', amount: 500, discount: 0, tax: 100, total: 600 });
      expect(totals).toEqual({ subtotal: 2500, discount: 0, shipping: 500, tax: 400, total: 3400 });
      expect(discrepancies).toEqual([]);
    });

    it('treats taxes as absent from the default (taxesIncluded not given)', () => {
      expect(priced(order(withTaxes)).totals.total).toBe(3400);
    });

    it('keeps included taxes inside the prices: reported as tax, not added to any total', () => {
      const { lines, shipping, totals } = priced(order({ ...withTaxes, taxesIncluded: true }));
      expect(lines.map((l) => [l.lineId, l.tax, l.total])).toEqual([
        ['A', 200, 2000],
        ['B', 100, 500],
      ]);
      expect(shipping).toEqual({ method: 'express', amount: 500, discount: 0, tax: 100, total: 500 });
      expect(totals).toEqual({ subtotal: 2500, discount: 0, shipping: 500, tax: 400, total: 3000 });
    });

    it('takes line discounts off the line and carries the name only when given', () => {
      const { lines, totals } = priced(order({}));
      expect(lines).toEqual([
        { lineId: 'L1', sku: 'SKU-1', name: 'Kettle', quantity: 2, unitPrice: 2500, discount: 0, tax: 0, total: 5000 },
        { lineId: 'L2', sku: 'SKU-2', name: 'Toaster', quantity: 1, unitPrice: 4000, discount: 0, tax: 0, total: 4000 },
        { lineId: 'L3', sku: 'SKU-3', quantity: 2, unitPrice: 1250, discount: 0, tax: 0, total: 2500 },
        { lineId: 'L4', sku: 'SKU-4', name: 'Mug', quantity: 3, unitPrice: 400, discount: 200, tax: 0, total: 1000 },
      ]);
      expect(lines[2]).not.toHaveProperty('name');
      expect(totals).toEqual({ subtotal: 12_700, discount: 200, shipping: 595, tax: 0, total: 13_095 });
    });

    it('prices an order without shipping at zero shipping, with no method', () => {
      const { shipping, totals } = priced(order({ shipping: undefined }));
      expect(shipping).toEqual({ amount: 0, discount: 0, tax: 0, total: 0 });
      expect(totals.total).toBe(12_500);
    });

    it('accepts a discount equal to the whole line', () => {
      const lines: OrderLineInput[] = [{ lineId: 'A', sku: 'A', quantity: 2, unitPrice: 300, discounts: [{ amount: 600 }], taxes: [{ name: 'VAT', amount: 0 }] }];
      expect(priced(order({ lines, shipping: undefined })).lines[0]).toMatchObject({ discount: 600, total: 0 });
    });
  });

  describe('order discounts', () => {
    it('spreads an order discount over the lines by their net amounts (after line discounts), by largest remainder', () => {
      // Gross 1000 and 500, but net 500 and 500: an even split (51 + 50), not 67 + 34 by gross.
      const lines: OrderLineInput[] = [
        { lineId: 'A', sku: 'A', quantity: 1, unitPrice: 1000, discounts: [{ amount: 300 }, { amount: 200 }] },
        { lineId: 'B', sku: 'B', quantity: 5, unitPrice: 100 },
      ];
      const { lines: out, totals } = priced(order({ lines, orderDiscounts: [{ amount: 60 }, { amount: 41 }], shipping: undefined }));
      expect(out.map((l) => [l.lineId, l.discount, l.total])).toEqual([
        ['A', 551, 449],
        ['B', 50, 450],
      ]);
      expect(totals).toEqual({ subtotal: 1500, discount: 601, shipping: 0, tax: 0, total: 899 });
    });

    it('splits 100 over three equal lines as 34 + 33 + 33, the extra unit to the first', () => {
      const lines: OrderLineInput[] = ['A', 'B', 'C'].map((id) => ({ lineId: id, sku: id, quantity: 1, unitPrice: 1000 }));
      expect(priced(order({ lines, orderDiscounts: [{ amount: 100 }], shipping: undefined })).lines.map((l) => l.discount)).toEqual([34, 33, 33]);
    });

    it('gives a line whose net amount is zero no share of the order discount', () => {
      const lines: OrderLineInput[] = [
        { lineId: 'A', sku: 'A', quantity: 1, unitPrice: 700, discounts: [{ amount: 700 }] },
        { lineId: 'B', sku: 'B', quantity: 1, unitPrice: 300 },
      ];
      expect(priced(order({ lines, orderDiscounts: [{ amount: 299 }], shipping: undefined })).lines.map((l) => [l.discount, l.total])).toEqual([
        [700, 0],
        [299, 1],
      ]);
    });

    it('accepts an order discount equal to all the discounted lines', () => {
      const lines: OrderLineInput[] = [
        { lineId: 'A', sku: 'A', quantity: 3, unitPrice: 333 },
        { lineId: 'B', sku: 'B', quantity: 1, unitPrice: 1 },
      ];
      const { lines: out, totals } = priced(order({ lines, orderDiscounts: [{ amount: 1000 }], shipping: { amount: 250 } }));
      expect(out.map((l) => l.total)).toEqual([0, 0]);
      expect(totals.total).toBe(250);
    });

    it('always spreads the order discount exactly, each line within one unit of its proportional share, totals adding up', () => {
      const line = fc.record({
        quantity: fc.integer({ min: 1, max: 20 }),
        unitPrice: fc.integer({ min: 0, max: 100_000 }),
        discountPercent: fc.integer({ min: 0, max: 100 }),
        tax: fc.integer({ min: 0, max: 5_000 }),
      });
      fc.assert(
        fc.property(
          fc.array(line, { minLength: 1, maxLength: 8 }),
          fc.integer({ min: 0, max: 100 }),
          fc.boolean(),
          (specs, orderPercent, taxesIncluded) => {
            const lines: OrderLineInput[] = specs.map((s, i) => ({
              lineId: `L${i}`,
              sku: `SKU-${i}`,
              quantity: s.quantity,
              unitPrice: s.unitPrice,
              discounts: [{ amount: Math.floor((s.quantity * s.unitPrice * s.discountPercent) / 100) }],
              taxes: [{ name: 'VAT', amount: s.tax }],
            }));
            const net = lines.map((l) => l.quantity * l.unitPrice - l.discounts![0]!.amount);
            const netTotal = net.reduce((a, b) => a + b, 0);
            const orderDiscount = Math.floor((netTotal * orderPercent) / 100);
            const { lines: out, totals, shipping } = priced(order({ lines, orderDiscounts: [{ amount: orderDiscount }], shipping: { amount: 490 }, taxesIncluded }));

            const shares = out.map((l, i) => l.discount - lines[i]!.discounts![0]!.amount);
            expect(shares.reduce((a, b) => a + b, 0)).toBe(orderDiscount);
            shares.forEach((share, i) => {
              expect(share).toBeGreaterThanOrEqual(0);
              expect(share).toBeLessThanOrEqual(net[i]!);
              if (netTotal > 0) expect(Math.abs(share * netTotal - orderDiscount * net[i]!)).toBeLessThan(netTotal);
            });
            out.forEach((l, i) => expect(l.total).toBe(l.quantity * l.unitPrice - l.discount + (taxesIncluded ? 0 : specs[i]!.tax)));
            expect(totals.total).toBe(out.reduce((n, l) => n + l.total, 0) + shipping.total);
            expect(totals.discount).toBe(out.reduce((n, l) => n + l.discount, 0));
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  describe('shipping', () => {
    it('takes shipping discounts off the shipping charge and adds shipping taxes, both counted in the totals', () => {
      const { shipping, totals } = priced(
        order({ lines: [{ lineId: 'A', sku: 'A', quantity: 1, unitPrice: 2000 }], shipping: { method: 'standard', amount: 1000, discounts: [{ amount: 300 }, { amount: 200 }], taxes: [{ amount: 50 }] } }),
      );
      expect(shipping).toEqual({ method: 'standard', amount: 1000, discount: 500, tax: 50, total: 550 });
      expect(totals).toEqual({ subtotal: 2000, discount: 500, shipping: 1000, tax: 50, total: 2550 });
    });

    it('keeps included shipping taxes inside the charge', () => {
      const { shipping } = priced(order({ taxesIncluded: true, shipping: { amount: 1000, discounts: [{ amount: 1000 }], taxes: [{ amount: 50 }] } }));
      expect(shipping).toEqual({ amount: 1000, discount: 1000, tax: 50, total: 0 });
    });
  });

  describe('problems', () => {
    it('accepts a totalCharged equal to the computed total', () => {
      expect(priceOrder(placedOrder()).ok).toBe(true);
    });

    it('names totalCharged, with both amounts, when it is not what the lines, discounts, shipping and taxes add up to', () => {
      expect(priceOrder(placedOrder({ totalCharged: 13_094 }))).toEqual({
        ok: false,
        problems: [{ field: 'totalCharged', message: 'is 13094 but the lines, discounts, shipping and taxes add up to 13095' }],
      });
    });

    it('checks totalCharged against the total with added taxes, and without included ones', () => {
      expect(priceOrder(order({ ...withTaxes, totalCharged: 3400 })).ok).toBe(true);
      expect(priceOrder(order({ ...withTaxes, totalCharged: 3000 })).ok).toBe(false);
      expect(priceOrder(order({ ...withTaxes, taxesIncluded: true, totalCharged: 3000 })).ok).toBe(true);
      expect(priceOrder(order({ ...withTaxes, taxesIncluded: true, totalCharged: 3400 })).ok).toBe(false);
    });

    it('names the line whose discounts exceed it', () => {
      const lines: OrderLineInput[] = [
        { lineId: 'A', sku: 'A', quantity: 1, unitPrice: 100 },
        { lineId: 'B', sku: 'B', quantity: 2, unitPrice: 100, discounts: [{ amount: 150 }, { amount: 51 }] },
      ];
      expect(priceOrder(order({ lines }))).toEqual({
        ok: false,
        problems: [{ field: 'lines[1].discounts', message: 'discounts (201) exceed the line amount (200)' }],
      });
    });

    it('names orderDiscounts when they exceed the lines after their own discounts', () => {
      const lines: OrderLineInput[] = [
        { lineId: 'A', sku: 'A', quantity: 1, unitPrice: 1000, discounts: [{ amount: 400 }] },
        { lineId: 'B', sku: 'B', quantity: 1, unitPrice: 400 },
      ];
      expect(priceOrder(order({ lines, orderDiscounts: [{ amount: 1001 }] }))).toEqual({
        ok: false,
        problems: [{ field: 'orderDiscounts', message: 'order discounts (1001) exceed the discounted line amounts (1000)' }],
      });
    });

    it('names shipping.discounts when they exceed the shipping charge, and counts a missing shipping as zero', () => {
      expect(priceOrder(order({ shipping: { amount: 500, discounts: [{ amount: 501 }] } }))).toEqual({
        ok: false,
        problems: [{ field: 'shipping.discounts', message: 'shipping discounts (501) exceed the shipping charge (500)' }],
      });
      expect(priceOrder(order({ shipping: { amount: 0, discounts: [{ amount: 1 }] } }))).toMatchObject({ ok: false, problems: [{ field: 'shipping.discounts' }] });
    });

    it('reports every problem at once, before looking at totalCharged', () => {
      const result = priceOrder(
        order({
          lines: [
            { lineId: 'A', sku: 'A', quantity: 1, unitPrice: 100, discounts: [{ amount: 101 }] },
            { lineId: 'B', sku: 'B', quantity: 1, unitPrice: 100 },
          ],
          orderDiscounts: [{ amount: 101 }],
          shipping: { amount: 10, discounts: [{ amount: 11 }] },
          totalCharged: 1,
        }),
      );
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problems.map((p) => p.field)).toEqual(['lines[0].discounts', 'orderDiscounts', 'shipping.discounts']);
    });

    it('names a line whose unit price × quantity is beyond exact integers', () => {
      const result = priceOrder(order({ lines: [{ lineId: 'A', sku: 'A', quantity: 3, unitPrice: Math.floor(Number.MAX_SAFE_INTEGER / 2) }] }));
      expect(result).toEqual({ ok: false, problems: [{ field: 'lines[0]', message: 'unit price × quantity is too large' }] });
    });
  });

  describe('platform totals', () => {
    it('records differences in total, tax and shipping as discrepancies, never as problems', () => {
      const result = priceOrder(order({ ...withTaxes, platformTotals: { subtotal: 2500, shipping: 450, tax: 399, total: 3401 } }));
      expect(result).toMatchObject({ ok: true });
      expect(result.ok && result.pricing.discrepancies).toEqual([
        { field: 'total', reported: 3401, computed: 3400 },
        { field: 'tax', reported: 399, computed: 400 },
        { field: 'shipping', reported: 450, computed: 500 },
      ]);
    });

    it('has no discrepancy when the platform agrees, or leaves a field out; subtotal and discount are not compared', () => {
      expect(priced(order({ ...withTaxes, platformTotals: { total: 3400, tax: 400, shipping: 500 } })).discrepancies).toEqual([]);
      expect(priced(order({ ...withTaxes, platformTotals: { total: 3400, subtotal: 1, discount: 999 } })).discrepancies).toEqual([]);
    });

    it('does not let a disagreeing platform total stand in for totalCharged', () => {
      const result = priceOrder(order({ ...withTaxes, totalCharged: 3400, platformTotals: { total: 9999 } }));
      expect(result.ok && result.pricing.discrepancies).toEqual([{ field: 'total', reported: 9999, computed: 3400 }]);
    });
  });
});
