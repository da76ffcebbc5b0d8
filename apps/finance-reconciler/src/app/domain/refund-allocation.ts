import { allocateEvenly } from '@oms/money';

/**
 * What one unit of an order line cost the customer, component by component, so any set of units
 * can be refunded exactly. A line's total is split over its units by largest remainder (as the order
 * side does), and so are its discount and its tax; the item price of a unit is what remains. Over
 * all units every component sums to the line's own figure, so partial refunds in any sequence add
 * up to what was charged and never beyond.
 *
 * Cancellations take units from the first unit up, returns from the last unit down: the two never
 * meet (cancelled + returned ≤ quantity), and a cancellation's amount equals the order side's.
 */
export interface ChargedLine {
  readonly lineId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  /** Line discounts plus the line's share of order-level discounts. */
  readonly discount: number;
  readonly tax: number;
  /** unitPrice × quantity − discount (+ tax when taxes are not included in prices). */
  readonly total: number;
}

export interface UnitsRefund {
  readonly lineId: string;
  readonly quantity: number;
  /** Item price of the units before discount. */
  readonly items: number;
  readonly discount: number;
  readonly tax: number;
  /** What the customer gets back for these units: items − discount (+ tax when excluded). */
  readonly amount: number;
}

export function refundUnits(line: ChargedLine, taxesIncluded: boolean, from: number, count: number): UnitsRefund {
  if (!Number.isInteger(from) || !Number.isInteger(count) || from < 0 || count < 0 || from + count > line.quantity) {
    throw new RangeError(`Units ${from}..${from + count} of line ${line.lineId} (quantity ${line.quantity})`);
  }
  const slice = (parts: number[]) => parts.slice(from, from + count).reduce((a, b) => a + b, 0);
  const amount = slice(allocateEvenly(line.total, line.quantity));
  const discount = slice(allocateEvenly(line.discount, line.quantity));
  const tax = slice(allocateEvenly(line.tax, line.quantity));
  const items = amount + discount - (taxesIncluded ? 0 : tax);
  return { lineId: line.lineId, quantity: count, items, discount, tax, amount };
}

/** Net revenue of some units (what the retailer keeps before cost): the amount less its tax, either way taxes are quoted. */
export function netRevenue(units: UnitsRefund): number {
  return units.amount - units.tax;
}
