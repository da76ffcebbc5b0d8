import type { Decider } from '@oms/event-store';
import { allocateEvenly } from '@oms/money';
import type { OrderEvent, PlanGroup, PurchaseOrderLine, PurchaseOrderStep } from './order-events';
import { evolveOrder, initialOrderState, type OpenOrder, type OrderState } from './order-state';
import type { Address, LineQuantity, PlacedOrderInput, ShipmentDetails } from './order-types';
import { viewOrder } from './order-view';
import { priceOrder } from './pricing';

export type OrderFact =
  | { readonly kind: 'plan'; readonly version: number; readonly groups: readonly PlanGroup[]; readonly unfulfillable: readonly LineQuantity[]; readonly at: string }
  | {
      readonly kind: 'purchase_order';
      readonly poId: string;
      readonly supplierId: string;
      readonly step: PurchaseOrderStep;
      readonly lines: readonly PurchaseOrderLine[];
      readonly reason?: string;
      readonly at: string;
    }
  | (ShipmentDetails & { readonly kind: 'shipment'; readonly shipmentId: string; readonly at: string })
  | { readonly kind: 'delivery'; readonly shipmentId: string; readonly at: string }
  | { readonly kind: 'cancellation'; readonly cancellationId: string; readonly lines: readonly LineQuantity[]; readonly reason: string; readonly at: string }
  | { readonly kind: 'return'; readonly returnId: string; readonly lines: readonly LineQuantity[]; readonly at: string }
  | {
      readonly kind: 'refund';
      readonly refundId: string;
      readonly amount: number;
      readonly currency: string;
      readonly lines: readonly (LineQuantity & { readonly amount: number })[];
      readonly at: string;
    };

export type OrderCommand =
  | {
      readonly type: 'PlaceOrder';
      readonly data: {
        readonly orderId: string;
        readonly order: PlacedOrderInput;
        readonly fingerprint: string;
        /** Orders accepted before personal data was sealed were fingerprinted in clear: a retry of one matches this. */
        readonly unsealedFingerprint?: string;
        readonly now: Date;
      };
    }
  | { readonly type: 'RecordFact'; readonly data: { readonly fact: OrderFact; readonly now: Date } }
  | {
      readonly type: 'RequestCancellation';
      readonly data: { readonly requestId: string; readonly lines?: readonly LineQuantity[]; readonly reason?: string; readonly now: Date };
    }
  | { readonly type: 'ChangeShippingAddress'; readonly data: { readonly requestId: string; readonly shipTo: Address; readonly now: Date } };

export type OrderErrorCode = 'order_not_found' | 'unknown_line' | 'nothing_left_to_ship';

/** A command that must not be recorded at all (HTTP 404/422; Kafka: rejection + dead letter). */
export class OrderDomainError extends Error {
  override readonly name = 'OrderDomainError';
  constructor(
    readonly code: OrderErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const orderDecider: Decider<OrderCommand, OrderState, OrderEvent> = {
  initialState: initialOrderState,
  evolve: evolveOrder,
  decide: (command, state) => {
    switch (command.type) {
      case 'PlaceOrder':
        return placeOrder(command.data, state);
      case 'RecordFact':
        return withAnnouncements(openOrder(state), recordFact(command.data.fact, openOrder(state)), command.data.now);
      case 'RequestCancellation':
        return requestCancellation(command.data, openOrder(state));
      case 'ChangeShippingAddress':
        return changeShippingAddress(command.data, openOrder(state));
      default: {
        const never: never = command;
        return never;
      }
    }
  },
};

function openOrder(state: OrderState): OpenOrder {
  if (state.status !== 'open') throw new OrderDomainError('order_not_found', 'No accepted order with this id');
  return state;
}

function placeOrder(data: Extract<OrderCommand, { type: 'PlaceOrder' }>['data'], state: OrderState): OrderEvent[] {
  const { orderId, order, fingerprint, unsealedFingerprint, now } = data;
  const ids = { orderId, channel: order.channel, externalOrderId: order.externalOrderId };
  if (state.status === 'open') {
    // The same order again (a retry, a replay days later) changes nothing; other content is a conflict.
    return state.accepted.fingerprint === fingerprint || (unsealedFingerprint !== undefined && state.accepted.fingerprint === unsealedFingerprint)
      ? []
      : [{ type: 'OrderPlacementConflicted', data: { ...ids, fingerprint, rejectedAt: now.toISOString() } }];
  }
  const priced = priceOrder(order);
  if (!priced.ok) {
    return [{ type: 'OrderRejected', data: { ...ids, reason: 'inconsistent_amounts', errors: priced.problems, rejectedAt: now.toISOString() } }];
  }
  const { lines, shipping, totals, discrepancies } = priced.pricing;
  return [
    {
      type: 'OrderAccepted',
      data: {
        ...ids,
        ...(order.orderNumber !== undefined ? { orderNumber: order.orderNumber } : {}),
        placedAt: order.placedAt,
        acceptedAt: now.toISOString(),
        currency: order.currency,
        customer: order.customer,
        shipTo: order.shipTo,
        lines,
        shipping,
        taxesIncluded: order.taxesIncluded ?? false,
        totals,
        discrepancies,
        fingerprint,
      },
    },
  ];
}

/** The fact as an event, or nothing when it is already known (by its own id, not the message's). */
function recordFact(fact: OrderFact, order: OpenOrder): OrderEvent[] {
  const known = new Set(order.accepted.lines.map((l) => l.lineId));
  const onKnownLines = <T extends { lineId: string }>(lines: readonly T[]) => lines.filter((l) => known.has(l.lineId));
  switch (fact.kind) {
    case 'plan':
      if (order.plan && order.plan.version >= fact.version) return [];
      return [
        {
          type: 'FulfilmentPlanRecorded',
          data: {
            version: fact.version,
            groups: fact.groups.map((g) => ({ ...g, lines: onKnownLines(g.lines) })),
            unfulfillable: onKnownLines(fact.unfulfillable),
            plannedAt: fact.at,
          },
        },
      ];
    case 'purchase_order':
      if (order.purchaseOrders[fact.poId]?.steps[fact.step]) return [];
      return [
        {
          type: 'PurchaseOrderRecorded',
          data: {
            poId: fact.poId,
            supplierId: fact.supplierId,
            step: fact.step,
            lines: onKnownLines(fact.lines),
            ...(fact.reason !== undefined ? { reason: fact.reason } : {}),
            at: fact.at,
          },
        },
      ];
    case 'shipment': {
      if (order.shipments[fact.shipmentId]) return [];
      const { kind: _kind, at, ...shipment } = fact;
      return [{ type: 'ShipmentRecorded', data: { ...shipment, lines: onKnownLines(fact.lines), shippedAt: at } }];
    }
    case 'delivery':
      return order.deliveries[fact.shipmentId] ? [] : [{ type: 'ShipmentDeliveryRecorded', data: { shipmentId: fact.shipmentId, deliveredAt: fact.at } }];
    case 'cancellation':
      return order.cancellations[fact.cancellationId] ? [] : [cancelLines(order, fact)];
    case 'return':
      return order.returns[fact.returnId] ? [] : [{ type: 'ReturnRecorded', data: { returnId: fact.returnId, lines: onKnownLines(fact.lines), receivedAt: fact.at } }];
    case 'refund':
      return order.refunds[fact.refundId]
        ? []
        : [
            {
              type: 'RefundRecorded',
              data: { refundId: fact.refundId, amount: fact.amount, currency: fact.currency, lines: onKnownLines(fact.lines), issuedAt: fact.at },
            },
          ];
    default: {
      const never: never = fact;
      return never;
    }
  }
}

/**
 * The definitive cancellation of some units, with exactly what they cost the customer: each line's
 * total is split over its units by largest remainder, and units are refunded in order, so any
 * sequence of partial cancellations adds up to the line total and never beyond. Shipping comes
 * back only when every unit of the order ends cancelled.
 */
function cancelLines(order: OpenOrder, fact: Extract<OrderFact, { kind: 'cancellation' }>): OrderEvent {
  const view = viewOrder(order);
  const cancelledAfter = new Map(view.lines.map((l) => [l.lineId, l.cancelled]));
  const cancelledNow = new Map<string, number>();
  let refund = 0;
  for (const requested of fact.lines) {
    const line = order.accepted.lines.find((l) => l.lineId === requested.lineId);
    const current = view.lines.find((l) => l.lineId === requested.lineId);
    if (!line || !current) continue;
    // Running count: a line named twice in one fact is capped and priced after its first mention.
    const alreadyCancelled = cancelledAfter.get(line.lineId)!;
    const quantity = Math.min(requested.quantity, line.quantity - alreadyCancelled - current.shipped);
    if (quantity <= 0) continue;
    const unitShares = allocateEvenly(line.total, line.quantity);
    refund += unitShares.slice(alreadyCancelled, alreadyCancelled + quantity).reduce((a, b) => a + b, 0);
    cancelledAfter.set(line.lineId, alreadyCancelled + quantity);
    cancelledNow.set(line.lineId, (cancelledNow.get(line.lineId) ?? 0) + quantity);
  }
  const lines: LineQuantity[] = [...cancelledNow].map(([lineId, quantity]) => ({ lineId, quantity }));
  const nothingLeft = order.accepted.lines.every((l) => (cancelledAfter.get(l.lineId) ?? 0) >= l.quantity);
  if (lines.length > 0 && nothingLeft) refund += order.accepted.shipping.total;
  return {
    type: 'LinesCancelled',
    data: {
      cancellationId: fact.cancellationId,
      lines,
      reason: fact.reason,
      refund: { amount: refund, currency: order.accepted.currency },
      cancelledAt: fact.at,
    },
  };
}

/** Status and completion, announced once each time the roll-up changes. */
function withAnnouncements(before: OpenOrder, events: OrderEvent[], now: Date): OrderEvent[] {
  if (events.length === 0) return events;
  const after = events.reduce(evolveOrder, before as OrderState) as OpenOrder;
  const view = viewOrder(after);
  const out = [...events];
  if (view.status !== before.announced.status || view.cancellation !== before.announced.cancellation) {
    out.push({
      type: 'OrderStatusChanged',
      data: { status: view.status, previousStatus: before.announced.status, cancellation: view.cancellation, changedAt: now.toISOString() },
    });
  }
  if (view.status === 'completed' && !before.announced.completed) out.push({ type: 'OrderCompleted', data: { completedAt: now.toISOString() } });
  return out;
}

function requestCancellation(data: Extract<OrderCommand, { type: 'RequestCancellation' }>['data'], order: OpenOrder): OrderEvent[] {
  if (order.requests[`cancel:${data.requestId}`]) return [];
  const view = viewOrder(order);
  const requested = data.lines ?? view.lines.map((l) => ({ lineId: l.lineId, quantity: l.ordered }));
  const lines: LineQuantity[] = [];
  const notCancellable: (LineQuantity & { reason: string })[] = [];
  for (const r of requested) {
    const line = view.lines.find((l) => l.lineId === r.lineId);
    if (!line) throw new OrderDomainError('unknown_line', `Line ${r.lineId} is not part of this order`);
    const open = Math.max(line.ordered - line.shipped - line.cancelled, 0);
    const quantity = Math.min(r.quantity, open);
    if (quantity > 0) lines.push({ lineId: r.lineId, quantity });
    // What is refused, split by why: shipped units first, then cancelled ones, then more than ordered.
    let refused = r.quantity - quantity;
    for (const [units, reason] of [
      [line.shipped, 'already shipped'],
      [line.cancelled, 'already cancelled'],
      [Number.MAX_SAFE_INTEGER, 'more than ordered'],
    ] as const) {
      const part = Math.min(refused, units);
      if (part > 0) notCancellable.push({ lineId: r.lineId, quantity: part, reason });
      refused -= part;
    }
  }
  return [
    {
      type: 'CancellationRequested',
      data: {
        requestId: data.requestId,
        lines,
        notCancellable,
        ...(data.reason !== undefined ? { reason: data.reason } : {}),
        requestedAt: data.now.toISOString(),
      },
    },
  ];
}

function changeShippingAddress(data: Extract<OrderCommand, { type: 'ChangeShippingAddress' }>['data'], order: OpenOrder): OrderEvent[] {
  if (order.requests[`address:${data.requestId}`]) return [];
  const view = viewOrder(order);
  if (view.lines.every((l) => l.shipped + l.cancelled >= l.ordered)) {
    throw new OrderDomainError('nothing_left_to_ship', 'Every line is already shipped or cancelled');
  }
  return [
    {
      type: 'ShippingAddressChanged',
      data: {
        requestId: data.requestId,
        shipTo: data.shipTo,
        alreadyShipped: view.lines.filter((l) => l.shipped > 0).map((l) => ({ lineId: l.lineId, quantity: l.shipped })),
        changedAt: data.now.toISOString(),
      },
    },
  ];
}
