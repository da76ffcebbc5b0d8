import {
  AddressChangeRequestV1,
  CancellationRequestV1,
  COMMERCE_ORDER_CANCELLATION_REQUESTED,
  COMMERCE_ORDER_PLACED,
  COMMERCE_SHIPPING_ADDRESS_CHANGED,
  OrderPlacedV1,
  storableText,
  validatePayload,
  type FieldError,
} from '@oms/contracts';
import { OrderDomainError } from '../domain/order-decider';
import { CustomerErasedError, type Cause, type IntakeRejection, type OrderApplication, type PlaceOutcome } from './order-application';
import { toPlacedOrder } from './to-domain';

export type IntakeOutcome =
  | { readonly kind: 'placed'; readonly outcome: PlaceOutcome }
  | { readonly kind: 'cancellation_requested'; readonly orderId: string; readonly result: unknown }
  | { readonly kind: 'address_changed'; readonly orderId: string; readonly result: unknown }
  | { readonly kind: 'refused'; readonly rejection: IntakeRejection };

/** A string the message names, as a rejection may record it (whatever bytes a bad message carried). */
const text = (payload: unknown, key: string): string | undefined => {
  const value = payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? storableText(value) : undefined;
};

/**
 * One canonical message from a commerce platform, whichever edge it came through (Kafka or HTTP):
 * validate, turn into a command, run it. Refusals carry every failing field.
 */
/** The ids a message names, when it names them, so even its rejection can be matched to it. */
export function idsOf(payload: unknown): { channel?: string; externalOrderId?: string } {
  const channel = text(payload, 'channel');
  const externalOrderId = text(payload, 'externalOrderId');
  return { ...(channel ? { channel } : {}), ...(externalOrderId ? { externalOrderId } : {}) };
}

export async function handleCommerceMessage(orders: OrderApplication, type: string | undefined, payload: unknown, cause: Cause): Promise<IntakeOutcome> {
  const ids = idsOf(payload);
  const refuse = (reason: IntakeRejection['reason'], errors: readonly FieldError[]): IntakeOutcome => ({ kind: 'refused', rejection: { reason, errors, ...ids } });
  switch (type ?? COMMERCE_ORDER_PLACED) {
    case COMMERCE_ORDER_PLACED: {
      const parsed = validatePayload(OrderPlacedV1, payload);
      if (!parsed.ok) return refuse('invalid', parsed.errors);
      const order = toPlacedOrder(parsed.value);
      if (!order.ok) return refuse('invalid', order.errors);
      try {
        return { kind: 'placed', outcome: await orders.place(order.value, cause) };
      } catch (error) {
        if (error instanceof CustomerErasedError) return refuse('invalid', [{ field: 'customer', message: error.message }]);
        throw error;
      }
    }
    case COMMERCE_ORDER_CANCELLATION_REQUESTED: {
      const parsed = validatePayload(CancellationRequestV1, payload);
      if (!parsed.ok) return refuse('invalid', parsed.errors);
      const request = parsed.value;
      const orderId = orders.orderIdFor(request.channel, request.externalOrderId);
      return domainOutcome(refuse, async () => ({
        kind: 'cancellation_requested',
        orderId,
        result: await orders.requestCancellation(
          orderId,
          {
            requestId: request.requestId,
            ...(request.lines ? { lines: request.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })) } : {}),
            ...(request.reason !== undefined ? { reason: request.reason } : {}),
          },
          { ...cause, correlationId: orderId },
        ),
      }));
    }
    case COMMERCE_SHIPPING_ADDRESS_CHANGED: {
      const parsed = validatePayload(AddressChangeRequestV1, payload);
      if (!parsed.ok) return refuse('invalid', parsed.errors);
      const request = parsed.value;
      const orderId = orders.orderIdFor(request.channel, request.externalOrderId);
      return domainOutcome(refuse, async () => ({
        kind: 'address_changed',
        orderId,
        result: await orders.changeShippingAddress(
          orderId,
          { requestId: request.requestId, shipTo: JSON.parse(JSON.stringify(request.shipTo)) },
          { ...cause, correlationId: orderId },
        ),
      }));
    }
    default:
      return refuse('unknown_type', [{ field: 'type', message: `must be one of ${COMMERCE_ORDER_PLACED}, ${COMMERCE_ORDER_CANCELLATION_REQUESTED}, ${COMMERCE_SHIPPING_ADDRESS_CHANGED}` }]);
  }
}

async function domainOutcome(
  refuse: (reason: IntakeRejection['reason'], errors: readonly FieldError[]) => IntakeOutcome,
  run: () => Promise<IntakeOutcome>,
): Promise<IntakeOutcome> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CustomerErasedError) return refuse('invalid', [{ field: 'shipTo', message: error.message }]);
    if (!(error instanceof OrderDomainError)) throw error;
    return refuse(error.code === 'order_not_found' ? 'unknown_order' : 'invalid', [{ field: error.code === 'unknown_line' ? 'lines' : '$', message: error.message }]);
  }
}
