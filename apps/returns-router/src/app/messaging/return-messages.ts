import { RETURN_EVENT_TYPES, TOPICS } from '@oms/contracts';
import { categoryOf, type RecordedEvent } from '@oms/event-store';
import { outgoingFrom, type OutgoingMessage } from '@oms/messaging';
import { RETURN_CATEGORY } from '../application/returns-application';
import type { ReturnEvent } from '../domain/return-events';

/**
 * On `returns.returns.v1` (key: order id): the customer's instructions (`ReturnRouted`: per part,
 * where to send it and the RMA number), refusals, receipts, exceptions for review, and
 * `RefundApproved` — the units to refund, where they went and whether the supplier caused it —
 * which finance refunds and credits from, and order intake and the scorecards record.
 */
export function returnMessages(event: RecordedEvent): OutgoingMessage[] {
  if (categoryOf(event.streamName) !== RETURN_CATEGORY) return [];
  const returnId = event.streamName.slice(RETURN_CATEGORY.length + 1);
  const stored = { type: event.type, data: event.data } as unknown as ReturnEvent;
  const out = (orderId: string, type: string, payload: object) => [outgoingFrom(event, TOPICS.returns.name, orderId, type, payload)];
  switch (stored.type) {
    case 'ReturnRouted':
      return out(stored.data.orderId, RETURN_EVENT_TYPES.routed, stored.data);
    case 'ReturnRejected':
      return out(stored.data.orderId, RETURN_EVENT_TYPES.rejected, stored.data);
    case 'ReturnPartReceived':
      return out(stored.data.orderId, RETURN_EVENT_TYPES.partReceived, { returnId, ...stored.data });
    case 'ReturnException':
      return out(stored.data.orderId, RETURN_EVENT_TYPES.exception, { returnId, ...stored.data });
    case 'RefundApproved': {
      const { partId, approvedAt, ...approved } = stored.data;
      // Each part is its own return for finance and the order: refunded once, by the part's id.
      return out(approved.orderId, RETURN_EVENT_TYPES.refundApproved, { ...approved, returnId: partId, customerReturnId: returnId, receivedAt: approvedAt });
    }
    default: {
      const never: never = stored;
      return never;
    }
  }
}
