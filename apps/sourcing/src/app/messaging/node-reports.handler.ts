import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  FULFILMENT_FACTS,
  FULFILMENT_REQUESTS,
  PurchaseOrderAcknowledgedV1,
  PurchaseOrderLinesFactV1,
  ShipmentDispatchedV1,
  TOPICS,
  WarehouseLinesFactV1,
} from '@oms/contracts';
import { MessageContext } from '@oms/messaging';
import { SourcingApplication } from '../application/sourcing-application';
import type { NodeOutcome } from '../domain/allocation-events';
import { asMessageOutcome, causeOf, readPayload } from './read-payload';

/**
 * What the nodes answer: from the supplier gateway (`supplier.purchase-orders.v1`, where a
 * supplier's node id is its supplier id) and from the warehouses (`wms.shipments.v1`). Units a
 * node gives back are planned again (or cancelled, when the customer asked or the supplier's
 * policy says so); shipped units end their stock hold.
 */
@Controller()
export class NodeReportsHandler {
  constructor(private readonly sourcing: SourcingApplication) {}

  @EventPattern(TOPICS.supplierPurchaseOrders.name)
  async fromSuppliers(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const type = ctx.getMessage().envelope.type;
    switch (type) {
      case FULFILMENT_FACTS.purchaseOrderAcknowledged: {
        const ack = readPayload(PurchaseOrderAcknowledgedV1, payload, type);
        // One acknowledgement may reject some units and backorder others: two reports, each with
        // its own id so a redelivery repeats neither.
        for (const [outcome, pick] of [
          ['rejected', (l: PurchaseOrderAcknowledgedV1['lines'][number]) => l.rejected],
          ['backordered', (l: PurchaseOrderAcknowledgedV1['lines'][number]) => l.backordered],
        ] as const) {
          const lines = ack.lines.map((l) => ({ lineId: l.lineId, quantity: pick(l) })).filter((l) => l.quantity > 0);
          if (lines.length === 0) continue;
          const cause = causeOf(ctx, ack.orderId, outcome);
          await this.report(type, ack.orderId, { sourceId: cause.causationId, nodeId: ack.supplierId, lines, outcome, resolution: 'resource' }, cause);
        }
        return;
      }
      case FULFILMENT_FACTS.purchaseOrderTimedOut:
      case FULFILMENT_FACTS.purchaseOrderCancelled: {
        const fact = readPayload(PurchaseOrderLinesFactV1, payload, type);
        const outcome: NodeOutcome = type === FULFILMENT_FACTS.purchaseOrderTimedOut ? 'timed_out' : 'cancelled';
        const cause = causeOf(ctx, fact.orderId);
        return this.report(
          type,
          fact.orderId,
          {
            sourceId: cause.causationId,
            nodeId: fact.supplierId,
            lines: fact.lines,
            outcome,
            resolution: fact.resolution ?? 'resource',
            ...(fact.reason !== undefined ? { reason: fact.reason } : {}),
          },
          cause,
        );
      }
      case FULFILMENT_FACTS.shipmentDispatched:
        return this.shipment(type, payload, ctx);
      default:
        return;
    }
  }

  @EventPattern(TOPICS.wmsShipments.name)
  async fromWarehouses(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const type = ctx.getMessage().envelope.type;
    switch (type) {
      case FULFILMENT_REQUESTS.fulfilmentShortageReported:
      case FULFILMENT_REQUESTS.fulfilmentCancelled: {
        const fact = readPayload(WarehouseLinesFactV1, payload, type);
        const cause = causeOf(ctx, fact.orderId);
        return this.report(
          type,
          fact.orderId,
          {
            sourceId: `${fact.nodeId}:${fact.reportId}`,
            nodeId: fact.nodeId,
            lines: fact.lines,
            outcome: type === FULFILMENT_REQUESTS.fulfilmentShortageReported ? 'shortage' : 'cancelled',
            resolution: 'resource',
            ...(fact.reason !== undefined ? { reason: fact.reason } : {}),
          },
          cause,
        );
      }
      case FULFILMENT_FACTS.shipmentDispatched:
        return this.shipment(type, payload, ctx);
      default:
        return;
    }
  }

  private report(type: string, orderId: string, report: Parameters<SourcingApplication['recordNodeReport']>[1], cause: ReturnType<typeof causeOf>): Promise<void> {
    return asMessageOutcome(type, () => this.sourcing.recordNodeReport(orderId, report, cause));
  }

  private shipment(type: string, payload: unknown, ctx: MessageContext): Promise<void> {
    const shipment = readPayload(ShipmentDispatchedV1, payload, type);
    return asMessageOutcome(type, () =>
      this.sourcing.recordShipment(
        shipment.orderId,
        { shipmentId: shipment.shipmentId, nodeId: shipment.nodeId, lines: shipment.lines, shippedAt: shipment.shippedAt },
        causeOf(ctx, shipment.orderId),
      ),
    );
  }
}
