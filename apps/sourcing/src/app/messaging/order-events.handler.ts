import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ORDER_EVENTS, OrderAcceptedSchemaV1, OrderCancellationRequestedSchemaV1, OrderShippingAddressChangedSchemaV1, TOPICS } from '@oms/contracts';
import { MessageContext } from '@oms/messaging';
import { SourcingApplication } from '../application/sourcing-application';
import { asMessageOutcome, causeOf, readPayload, toAddress } from './read-payload';

/**
 * `oms.orders.v1`: an accepted order is planned; a cancellation request goes to the nodes holding
 * the units; a new address reaches groups planned after it. Other order events are not sourcing's.
 */
@Controller()
export class OrderEventsHandler {
  constructor(private readonly sourcing: SourcingApplication) {}

  @EventPattern(TOPICS.omsOrders.name)
  onOrderEvent(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> | undefined {
    const type = ctx.getMessage().envelope.type;
    switch (type) {
      case ORDER_EVENTS.accepted: {
        const order = readPayload(OrderAcceptedSchemaV1, payload, type);
        return this.sourcing.openAndPlan(
          {
            orderId: order.orderId,
            ...(order.orderNumber !== undefined ? { orderNumber: order.orderNumber } : {}),
            currency: order.currency,
            shipTo: toAddress(order.shipTo),
            lines: order.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, ...(l.name !== undefined ? { name: l.name } : {}) })),
          },
          causeOf(ctx, order.orderId),
        );
      }
      case ORDER_EVENTS.cancellationRequested: {
        const request = readPayload(OrderCancellationRequestedSchemaV1, payload, type);
        if (request.lines.length === 0) return undefined;
        return asMessageOutcome(type, () =>
          this.sourcing.requestCancellation(
            request.orderId,
            { requestId: request.requestId, lines: request.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })), ...(request.reason ? { reason: request.reason } : {}) },
            causeOf(ctx, request.orderId),
          ),
        );
      }
      case ORDER_EVENTS.shippingAddressChanged: {
        const change = readPayload(OrderShippingAddressChangedSchemaV1, payload, type);
        return asMessageOutcome(type, () => this.sourcing.changeShipTo(change.orderId, { requestId: change.requestId, shipTo: toAddress(change.shipTo) }, causeOf(ctx, change.orderId)));
      }
      default:
        return undefined;
    }
  }
}
