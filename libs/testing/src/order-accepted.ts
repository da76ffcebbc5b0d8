import type { AddressPayloadV1, OrderAcceptedV1 } from '@oms/contracts';

export const TEST_SHIP_TO: AddressPayloadV1 = { name: 'Ann Smith', line1: '1 Main St', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' };

/**
 * An order as order intake announces it on `oms.orders.v1`, for tests of the services downstream:
 * every line at one unit price, no discounts, taxes or shipping, accepted now.
 */
export function orderAcceptedPayload(options: {
  orderId: string;
  channel: string;
  lines: readonly { lineId: string; sku: string; quantity: number }[];
  unitPrice: number;
  shipTo?: AddressPayloadV1;
}): OrderAcceptedV1 {
  const now = new Date().toISOString();
  const lines = options.lines.map((l) => ({ ...l, unitPrice: options.unitPrice, discount: 0, tax: 0, total: options.unitPrice * l.quantity }));
  const subtotal = lines.reduce((n, l) => n + l.total, 0);
  return {
    orderId: options.orderId,
    channel: options.channel,
    externalOrderId: options.orderId,
    orderNumber: `#${options.orderId.slice(0, 8)}`,
    placedAt: now,
    acceptedAt: now,
    currency: 'USD',
    customer: { email: 'ann@example.com' },
    shipTo: options.shipTo ?? TEST_SHIP_TO,
    lines,
    shipping: { amount: 0, discount: 0, tax: 0 },
    taxesIncluded: false,
    totals: { subtotal, discount: 0, shipping: 0, tax: 0, total: subtotal },
    discrepancies: [],
  };
}
