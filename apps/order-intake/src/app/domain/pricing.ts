import { allocateByWeights } from '@oms/money';
import type { Discrepancy, FieldProblem, PlacedOrderInput, PricedLine, PricedShipping, Totals } from './order-types';

export interface Pricing {
  readonly lines: readonly PricedLine[];
  readonly shipping: PricedShipping;
  readonly totals: Totals;
  readonly discrepancies: readonly Discrepancy[];
}

const sum = (items: readonly { amount: number }[] | undefined) => (items ?? []).reduce((n, i) => n + i.amount, 0);

/**
 * Works out what the customer pays per line and in total, or why the amounts do not add up.
 * Order-level discounts are spread over the lines by their net amount with the largest-remainder
 * method, so the parts always sum to the discount exactly.
 */
export function priceOrder(order: PlacedOrderInput): { ok: true; pricing: Pricing } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const taxesIncluded = order.taxesIncluded ?? false;
  const gross = order.lines.map((l) => l.unitPrice * l.quantity);
  const lineDiscounts = order.lines.map((l) => sum(l.discounts));
  order.lines.forEach((_line, i) => {
    if (!Number.isSafeInteger(gross[i]!)) problems.push({ field: `lines[${i}]`, message: 'unit price × quantity is too large' });
    if (lineDiscounts[i]! > gross[i]!) {
      problems.push({ field: `lines[${i}].discounts`, message: `discounts (${lineDiscounts[i]}) exceed the line amount (${gross[i]})` });
    }
  });
  const net = gross.map((g, i) => Math.max(0, g - lineDiscounts[i]!));
  const orderDiscount = sum(order.orderDiscounts);
  const netTotal = net.reduce((a, b) => a + b, 0);
  if (orderDiscount > netTotal) {
    problems.push({ field: 'orderDiscounts', message: `order discounts (${orderDiscount}) exceed the discounted line amounts (${netTotal})` });
  }
  const shippingAmount = order.shipping?.amount ?? 0;
  const shippingDiscount = sum(order.shipping?.discounts);
  if (shippingDiscount > shippingAmount) {
    problems.push({ field: 'shipping.discounts', message: `shipping discounts (${shippingDiscount}) exceed the shipping charge (${shippingAmount})` });
  }
  if (problems.length > 0) return { ok: false, problems };

  const shares = orderDiscount === 0 ? net.map(() => 0) : allocateByWeights(orderDiscount, netTotal === 0 ? net.map(() => 1) : net);
  const lines: PricedLine[] = order.lines.map((line, i) => {
    const discount = lineDiscounts[i]! + shares[i]!;
    const tax = sum(line.taxes);
    return {
      lineId: line.lineId,
      sku: line.sku,
      ...(line.name !== undefined ? { name: line.name } : {}),
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discount,
      tax,
      total: gross[i]! - discount + (taxesIncluded ? 0 : tax),
    };
  });
  const shippingTax = sum(order.shipping?.taxes);
  const shipping: PricedShipping = {
    ...(order.shipping?.method !== undefined ? { method: order.shipping.method } : {}),
    amount: shippingAmount,
    discount: shippingDiscount,
    tax: shippingTax,
    total: shippingAmount - shippingDiscount + (taxesIncluded ? 0 : shippingTax),
  };
  const totals: Totals = {
    subtotal: gross.reduce((a, b) => a + b, 0),
    discount: lines.reduce((n, l) => n + l.discount, 0) + shippingDiscount,
    shipping: shippingAmount,
    tax: lines.reduce((n, l) => n + l.tax, 0) + shippingTax,
    total: lines.reduce((n, l) => n + l.total, 0) + shipping.total,
  };
  if (order.totalCharged !== undefined && order.totalCharged !== totals.total) {
    return {
      ok: false,
      problems: [{ field: 'totalCharged', message: `is ${order.totalCharged} but the lines, discounts, shipping and taxes add up to ${totals.total}` }],
    };
  }
  const discrepancies: Discrepancy[] = [];
  const reported = order.platformTotals;
  if (reported) {
    for (const field of ['total', 'tax', 'shipping'] as const) {
      const value = reported[field];
      if (value !== undefined && value !== totals[field]) discrepancies.push({ field, reported: value, computed: totals[field] });
    }
  }
  return { ok: true, pricing: { lines, shipping, totals, discrepancies } };
}
