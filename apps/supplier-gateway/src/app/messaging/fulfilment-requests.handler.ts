import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { FULFILMENT_REQUESTS, FulfilmentCancellationRequestedV1, FulfilmentRequestedV1, TOPICS } from '@oms/contracts';
import { MessageContext } from '@oms/messaging';
import { PurchaseOrderApplication } from '../application/purchase-orders';
import { readMessage } from '@oms/platform';

/**
 * `sourcing.allocations.v1`: drop-ship groups become purchase orders; the customer's cancellations
 * go to the supplier's POs. Warehouse groups and plan summaries are not the gateway's.
 */
@Controller()
export class FulfilmentRequestsHandler {
  constructor(private readonly purchaseOrders: PurchaseOrderApplication) {}

  @EventPattern(TOPICS.sourcingAllocations.name)
  async onAllocation(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { envelope } = ctx.getMessage();
    switch (envelope.type) {
      case FULFILMENT_REQUESTS.fulfilmentRequested: {
        const request = readMessage(FulfilmentRequestedV1, payload, envelope.type);
        if (request.nodeKind !== 'supplier') return;
        await this.purchaseOrders.createFromGroup(
          {
            orderId: request.orderId,
            ...(request.orderNumber !== undefined ? { orderNumber: request.orderNumber } : {}),
            groupId: request.groupId,
            supplierId: request.nodeId,
            planVersion: request.planVersion,
            currency: request.currency,
            lines: request.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, unitCost: l.unitCost, ...(l.name ? { name: l.name } : {}) })),
            shipTo: { ...request.shipTo },
            deliverBy: request.deliverBy,
          },
          envelope.eventId,
        );
        return;
      }
      case FULFILMENT_REQUESTS.fulfilmentCancellationRequested: {
        const request = readMessage(FulfilmentCancellationRequestedV1, payload, envelope.type);
        if (request.nodeKind !== 'supplier') return;
        await this.purchaseOrders.requestCancellation(
          { requestId: request.requestId, groupIds: request.groupIds, lines: request.lines, ...(request.reason ? { reason: request.reason } : {}) },
          envelope.eventId,
        );
        return;
      }
      default:
        return;
    }
  }
}

