import type { FieldError, OrderPlacedV1 } from '@oms/contracts';
import { isCurrencyCode } from '@oms/money';
import type { PlacedOrderInput } from '../domain/order-types';

/**
 * From the validated contract class to the domain's plain values (dropping `undefined`s so the
 * fingerprint and the stored event are the same whichever edge the order came through).
 */
export function toPlacedOrder(order: OrderPlacedV1): { ok: true; value: PlacedOrderInput } | { ok: false; errors: FieldError[] } {
  if (!isCurrencyCode(order.currency)) {
    return { ok: false, errors: [{ field: 'currency', message: `${order.currency} is not a currency orders can be paid in` }] };
  }
  const { type: _type, ...rest } = order;
  return { ok: true, value: JSON.parse(JSON.stringify(rest)) as PlacedOrderInput };
}
