import { v5 as uuidv5 } from 'uuid';

const ORDER_NAMESPACE = '2b0c7a52-6a0e-4c1f-9b0e-5d2f3c4a1e77';

/**
 * The OMS order id of a platform's order: UUIDv5 of (channel, external order id). Part of the
 * contract, so anything that knows only the platform's ids (a return request, say) finds the
 * same order, whenever and however often it arrives.
 */
export function orderIdFor(channel: string, externalOrderId: string): string {
  return uuidv5(`${channel}\u0000${externalOrderId}`, ORDER_NAMESPACE);
}
