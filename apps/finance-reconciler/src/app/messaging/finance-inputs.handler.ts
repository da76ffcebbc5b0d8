import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  CATALOG_EVENTS,
  FULFILMENT_FACTS,
  FULFILMENT_REQUESTS,
  FulfilmentRequestedV1,
  LinesCancelledSchemaV1,
  ORDER_EVENTS,
  OrderAcceptedSchemaV1,
  PurchaseOrderAcknowledgedV1,
  PurchaseOrderCreatedV1,
  PurchaseOrderInvoicedV1,
  PurchaseOrderLinesFactV1,
  ReturnReceivedV1,
  ShipmentDispatchedV1,
  SupplierProfileUpdatedV1,
  TOPICS,
} from '@oms/contracts';
import { MessageContext, PermanentMessageError } from '@oms/messaging';
import { LedgerApplication } from '../application/ledger-application';
import { SupplierAccounts } from '../application/supplier-accounts';
import { cancellationDefects, shipmentDefects } from '../domain/chargebacks';
import { LedgerError } from '../domain/ledger';
import { readMessage } from '@oms/platform';


/**
 * Every money-moving fact: order charged and lines cancelled (`oms.orders.v1`), node costs
 * (`sourcing.allocations.v1`), PO steps, shipments and invoices (`supplier.purchase-orders.v1`),
 * warehouse shipments (`wms.shipments.v1`), returns (`returns.returns.v1`) and supplier terms
 * (`supplier.profiles.v1`). Each becomes one ledger command caused by the message's id.
 */
@Controller()
export class FinanceInputsHandler {
  constructor(
    private readonly ledger: LedgerApplication,
    private readonly accounts: SupplierAccounts,
  ) {}

  @EventPattern(TOPICS.omsOrders.name)
  async orders(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { type, eventId } = ctx.getMessage().envelope;
    if (type === ORDER_EVENTS.accepted) {
      const order = readMessage(OrderAcceptedSchemaV1, payload, type);
      const shipping = order.shipping ?? { amount: 0, discount: 0, tax: 0 };
      const taxesIncluded = order.taxesIncluded ?? false;
      await this.run(type, () =>
        this.ledger.execute(
          order.orderId,
          {
            type: 'RecognizeCharge',
            data: {
              currency: order.currency,
              taxesIncluded,
              lines: order.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount, tax: l.tax, total: l.total })),
              shipping: { amount: shipping.amount, discount: shipping.discount, tax: shipping.tax, total: shipping.amount - shipping.discount + (taxesIncluded ? 0 : shipping.tax) },
            },
          },
          eventId,
        ),
      );
    } else if (type === ORDER_EVENTS.linesCancelled) {
      const cancelled = readMessage(LinesCancelledSchemaV1, payload, type);
      await this.run(type, () =>
        this.ledger.execute(cancelled.orderId, { type: 'RefundCancellation', data: { cancellationId: cancelled.cancellationId, lines: cancelled.lines, reason: cancelled.reason } }, eventId),
      );
    }
  }

  /** Supplier groups' requests: their unit costs are what the POs will owe. */
  @EventPattern(TOPICS.sourcingAllocations.name)
  allocations(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    return this.nodeCosts(payload, ctx);
  }

  /** Warehouse groups' requests go to the WMS only: their unit costs are the stock's book cost. */
  @EventPattern(TOPICS.wmsFulfilmentRequests.name)
  warehouseRequests(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    return this.nodeCosts(payload, ctx);
  }

  private async nodeCosts(payload: unknown, ctx: MessageContext): Promise<void> {
    const { type, eventId } = ctx.getMessage().envelope;
    if (type !== FULFILMENT_REQUESTS.fulfilmentRequested) return;
    const request = readMessage(FulfilmentRequestedV1, payload, type);
    await this.run(type, () =>
      this.ledger.execute(
        request.orderId,
        { type: 'RecordNodeCosts', data: { groupId: request.groupId, nodeId: request.nodeId, nodeKind: request.nodeKind, lines: request.lines.map((l) => ({ lineId: l.lineId, unitCost: l.unitCost })) } },
        eventId,
      ),
    );
  }

  @EventPattern(TOPICS.supplierPurchaseOrders.name)
  async purchaseOrders(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { type, eventId } = ctx.getMessage().envelope;
    switch (type) {
      case FULFILMENT_FACTS.purchaseOrderCreated: {
        const po = readMessage(PurchaseOrderCreatedV1, payload, type);
        await this.run(type, () =>
          this.ledger.execute(
            po.orderId,
            {
              type: 'CommitPurchaseOrder',
              data: { poId: po.poId, supplierId: po.supplierId, poNumber: po.poNumber, currency: po.currency, shipBy: po.shipBy, lines: po.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, unitCost: l.unitCost })) },
            },
            eventId,
          ),
        );
        return;
      }
      case FULFILMENT_FACTS.purchaseOrderAcknowledged: {
        const ack = readMessage(PurchaseOrderAcknowledgedV1, payload, type);
        await this.run(type, () =>
          this.ledger.execute(ack.orderId, { type: 'RecordAcknowledgement', data: { poId: ack.poId, accepted: ack.lines.map((l) => ({ lineId: l.lineId, quantity: l.accepted })), at: ack.at } }, eventId),
        );
        return;
      }
      case FULFILMENT_FACTS.shipmentDispatched: {
        const shipment = readMessage(ShipmentDispatchedV1, payload, type);
        await this.shipment(type, shipment, eventId);
        if (shipment.poId) await this.ledger.chargeBack(shipment.orderId, shipment.nodeId, shipment.poId, shipmentDefects(shipment), eventId);
        return;
      }
      case FULFILMENT_FACTS.purchaseOrderCancelled:
      case FULFILMENT_FACTS.purchaseOrderTimedOut: {
        const fact = readMessage(PurchaseOrderLinesFactV1, payload, type);
        const state = await this.run(type, () =>
          this.ledger.execute(fact.orderId, { type: 'ReleasePurchaseOrder', data: { sourceId: eventId, poId: fact.poId, lines: fact.lines, reason: fact.reason ?? type } }, eventId),
        );
        if (type !== FULFILMENT_FACTS.purchaseOrderCancelled) return;
        const po = state?.pos[fact.poId];
        const defects = cancellationDefects({
          sourceId: eventId,
          ...(fact.by ? { by: fact.by } : {}),
          acknowledged: po?.acknowledged ?? false,
          released: po?.releases[eventId] === true,
          ...(fact.reason ? { reason: fact.reason } : {}),
        });
        await this.ledger.chargeBack(fact.orderId, fact.supplierId, fact.poId, defects, eventId);
        return;
      }
      case FULFILMENT_FACTS.purchaseOrderInvoiced: {
        const invoice = readMessage(PurchaseOrderInvoicedV1, payload, type);
        await this.run(type, () =>
          this.ledger.execute(
            invoice.orderId,
            {
              type: 'MatchInvoice',
              data: {
                poId: invoice.poId,
                invoiceNumber: invoice.invoiceNumber,
                lines: invoice.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, unitCost: l.unitCost })),
                total: invoice.total,
                unitCostTolerance: this.ledger.unitCostTolerance,
              },
            },
            eventId,
          ),
        );
        return;
      }
      default:
        return;
    }
  }

  @EventPattern(TOPICS.wmsShipments.name)
  async warehouses(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { type, eventId } = ctx.getMessage().envelope;
    if (type !== FULFILMENT_FACTS.shipmentDispatched) return;
    await this.shipment(type, readMessage(ShipmentDispatchedV1, payload, type), eventId);
  }

  @EventPattern(TOPICS.returns.name)
  async returns(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { type, eventId } = ctx.getMessage().envelope;
    if (type !== FULFILMENT_FACTS.returnReceived && type !== FULFILMENT_FACTS.refundApproved) return;
    const received = readMessage(ReturnReceivedV1, payload, type);
    await this.run(type, () =>
      this.ledger.execute(
        received.orderId,
        {
          type: 'RefundReturn',
          data: {
            returnId: received.returnId,
            lines: received.lines,
            destination: received.destination ?? 'retailer',
            ...(received.nodeId ? { nodeId: received.nodeId } : {}),
            // The customer's reason travels with the refund (changed_mind, defective…), as a
            // cancellation's does; a bare receipt that names none is just "returned".
            reason: received.reason ?? 'returned',
          },
        },
        eventId,
      ),
    );
  }

  @EventPattern(TOPICS.supplierProfiles.name)
  async profiles(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { type } = ctx.getMessage().envelope;
    if (type !== CATALOG_EVENTS.supplierProfileUpdated) return;
    const profile = readMessage(SupplierProfileUpdatedV1, payload, type);
    await this.accounts.recordTerms(profile.supplierId, { ...(profile.chargebacks ?? {}) }, profile.asOf);
  }

  private shipment(type: string, shipment: ShipmentDispatchedV1, eventId: string) {
    return this.run(type, () =>
      this.ledger.execute(
        shipment.orderId,
        {
          type: 'RecordShipment',
          data: { shipmentId: shipment.shipmentId, nodeId: shipment.nodeId, ...(shipment.poId ? { poId: shipment.poId } : {}), lines: shipment.lines, shippedAt: shipment.shippedAt },
        },
        eventId,
      ),
    );
  }

  private async run<T>(type: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof LedgerError) throw new PermanentMessageError(`${type}: ${error.message}`);
      throw error;
    }
  }
}
