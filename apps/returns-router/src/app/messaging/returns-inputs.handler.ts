import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  CATALOG_EVENTS,
  COMMERCE_RETURN_REQUESTED,
  FULFILMENT_FACTS,
  ORDER_EVENTS,
  OrderAcceptedSchemaV1,
  ReturnPartReceivedV1,
  ReturnRequestV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  SupplierProfileUpdatedV1,
  TOPICS,
} from '@oms/contracts';
import { MessageContext, PermanentMessageError } from '@oms/messaging';
import { ReturnNodes } from '../application/return-nodes';
import { ReturnsApplication } from '../application/returns-application';
import { ReturnError } from '../domain/return';
import { toReturnRequest } from './to-return-request';
import { readMessage } from '@oms/platform';

export const RETURN_PART_RECEIVED = 'ReturnPartReceived';


/**
 * Return requests (`commerce.returns.v1`), what was sold and shipped (`oms.orders.v1`,
 * deliveries from the nodes), receipts of routed parts (warehouses on `wms.shipments.v1`, the
 * gateway on `supplier.purchase-orders.v1`) and suppliers' return policies (`supplier.profiles.v1`).
 */
@Controller()
export class ReturnsInputsHandler {
  constructor(
    private readonly returns: ReturnsApplication,
    private readonly nodes: ReturnNodes,
  ) {}

  @EventPattern(TOPICS.commerceReturns.name)
  async requested(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { type, eventId } = ctx.getMessage().envelope;
    if (type !== COMMERCE_RETURN_REQUESTED) return;
    // A business refusal (window closed, already returned) is published as ReturnRejected; only a
    // message that cannot be read goes to the dead-letter topic.
    await this.returns.request(toReturnRequest(readMessage(ReturnRequestV1, payload, type)), { causationId: eventId });
  }

  @EventPattern(TOPICS.omsOrders.name)
  async orders(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { type, eventId } = ctx.getMessage().envelope;
    if (type === ORDER_EVENTS.accepted) {
      const order = readMessage(OrderAcceptedSchemaV1, payload, type);
      await this.returns.noteSale(order.orderId, { currency: order.currency, lines: order.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, total: l.total })) }, { causationId: eventId });
    } else if (type === ORDER_EVENTS.shipmentAdded) {
      const shipment = readMessage(ShipmentDispatchedV1, payload, type);
      await this.returns.noteShipment(shipment.orderId, { shipmentId: shipment.shipmentId, nodeId: shipment.nodeId, lines: shipment.lines, shippedAt: shipment.shippedAt }, { causationId: eventId });
    }
  }

  @EventPattern(TOPICS.wmsShipments.name)
  warehouses(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    return this.fromNodes(payload, ctx);
  }

  @EventPattern(TOPICS.carrierTracking.name)
  carriers(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    return this.fromNodes(payload, ctx);
  }

  @EventPattern(TOPICS.supplierPurchaseOrders.name)
  suppliers(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    return this.fromNodes(payload, ctx);
  }

  @EventPattern(TOPICS.supplierProfiles.name)
  async profiles(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { type, eventId } = ctx.getMessage().envelope;
    if (type !== CATALOG_EVENTS.supplierProfileUpdated) return;
    const profile = readMessage(SupplierProfileUpdatedV1, payload, type);
    await this.nodes.record(
      {
        supplierId: profile.supplierId,
        acceptsReturns: profile.returnPolicy?.acceptsReturns ?? false,
        ...(profile.returnPolicy ? { windowDays: profile.returnPolicy.windowDays } : {}),
        ...(profile.returnAddress ? { returnAddress: profile.returnAddress } : {}),
        asOf: profile.asOf,
      },
      eventId,
    );
  }

  private async fromNodes(payload: unknown, ctx: MessageContext): Promise<void> {
    const { type, eventId } = ctx.getMessage().envelope;
    if (type === FULFILMENT_FACTS.shipmentDelivered) {
      const delivered = readMessage(ShipmentDeliveredV1, payload, type);
      await this.returns.noteDelivery(delivered.orderId, { shipmentId: delivered.shipmentId, deliveredAt: delivered.deliveredAt }, { causationId: eventId });
    } else if (type === RETURN_PART_RECEIVED) {
      const receipt = readMessage(ReturnPartReceivedV1, payload, type);
      try {
        await this.returns.receive(receipt.returnId, { partId: receipt.partId, receiptId: receipt.receiptId, lines: receipt.lines }, { causationId: eventId });
      } catch (error) {
        if (error instanceof ReturnError) throw new PermanentMessageError(`${type}: ${error.message}`);
        throw error;
      }
    }
  }
}
