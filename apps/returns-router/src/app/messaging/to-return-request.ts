import { orderIdFor, type ReturnRequestV1 } from '@oms/contracts';
import { returnIdFor } from '../application/returns-application';

/** The platform's request as the router's: the order and the return named by OMS ids. */
export function toReturnRequest(request: ReturnRequestV1) {
  const orderId = request.orderId ?? orderIdFor(request.channel!, request.externalOrderId!);
  return {
    orderId,
    // Scoped by the order, however the request named it: the same return id either way.
    returnId: returnIdFor(orderId, request.externalReturnId),
    lines: request.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, reason: l.reason })),
    ...(request.comment ? { comment: request.comment } : {}),
  };
}
