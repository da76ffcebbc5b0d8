import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  FULFILMENT_FACTS,
  PurchaseOrderAcknowledgedV1,
  PurchaseOrderCreatedV1,
  PurchaseOrderFactV1,
  PurchaseOrderLinesFactV1,
  ReturnReceivedV1,
  SETTLEMENT_INVOICE_EVENTS,
  ShipmentDispatchedV1,
  SupplierInvoiceOutcomeSchemaV1,
  TOPICS,
} from '@oms/contracts';
import { MessageContext, PermanentMessageError } from '@oms/messaging';
import { Scorecards } from '../application/scorecards';
import type { SupplierFact } from '../domain/supplier-facts';
import { readMessage } from '@oms/platform';


const units = (lines: readonly { quantity: number }[]) => lines.reduce((n, l) => n + l.quantity, 0);

/**
 * What suppliers do, as the other services saw it: PO steps and shipments (gateway), invoice
 * outcomes (finance), returns the supplier caused (returns router). Each becomes one fact in the
 * supplier's scorecard stream; the message id makes a redelivery a no-op, the fact's own id makes
 * the same fact sent twice one fact.
 */
@Controller()
export class SupplierEventsHandler {
  constructor(private readonly scorecards: Scorecards) {}

  @EventPattern(TOPICS.supplierPurchaseOrders.name)
  async purchaseOrders(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { type, eventId, occurredAt } = ctx.getMessage().envelope;
    const fact = this.poFact(type, payload, eventId, occurredAt);
    if (fact) await this.scorecards.record(fact.supplierId, fact.fact, eventId);
  }

  @EventPattern(TOPICS.financeSettlements.name)
  async settlements(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { type, eventId } = ctx.getMessage().envelope;
    if (type !== SETTLEMENT_INVOICE_EVENTS.matched && type !== SETTLEMENT_INVOICE_EVENTS.disputed) return;
    const outcome = readMessage(SupplierInvoiceOutcomeSchemaV1, payload, type);
    const at = outcome.matchedAt ?? outcome.disputedAt;
    if (!at) throw new PermanentMessageError(`${type} without a time`);
    await this.scorecards.record(outcome.supplierId, { kind: 'invoice', poId: outcome.poId, invoiceNumber: outcome.invoiceNumber, at, disputed: type === SETTLEMENT_INVOICE_EVENTS.disputed }, eventId);
  }

  @EventPattern(TOPICS.returns.name)
  async returns(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const { type, eventId } = ctx.getMessage().envelope;
    if (type !== FULFILMENT_FACTS.returnReceived && type !== FULFILMENT_FACTS.refundApproved) return;
    const received = readMessage(ReturnReceivedV1, payload, type);
    // Only returns traced to a node count; a warehouse's returns land on a scorecard nobody reads.
    if (!received.nodeId) return;
    await this.scorecards.record(
      received.nodeId,
      { kind: 'return', returnId: received.returnId, at: received.receivedAt, units: units(received.lines), attributable: received.attributableToSupplier ?? false },
      eventId,
    );
  }

  private poFact(type: string, payload: unknown, eventId: string, occurredAt: string): { supplierId: string; fact: SupplierFact } | undefined {
    switch (type) {
      case FULFILMENT_FACTS.purchaseOrderCreated: {
        const po = readMessage(PurchaseOrderCreatedV1, payload, type);
        return {
          supplierId: po.supplierId,
          fact: { kind: 'po_created', poId: po.poId, at: po.at, confirmBy: po.confirmBy, shipBy: po.shipBy, units: units(po.lines), lines: po.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity })) },
        };
      }
      case FULFILMENT_FACTS.purchaseOrderDispatched: {
        const po = readMessage(PurchaseOrderFactV1, payload, type);
        return { supplierId: po.supplierId, fact: { kind: 'po_dispatched', poId: po.poId, at: po.at } };
      }
      case FULFILMENT_FACTS.purchaseOrderAcknowledged: {
        const ack = readMessage(PurchaseOrderAcknowledgedV1, payload, type);
        const sum = (pick: (l: PurchaseOrderAcknowledgedV1['lines'][number]) => number) => ack.lines.reduce((n, l) => n + pick(l), 0);
        return {
          supplierId: ack.supplierId,
          fact: { kind: 'po_acknowledged', poId: ack.poId, at: ack.at, accepted: sum((l) => l.accepted), rejected: sum((l) => l.rejected), backordered: sum((l) => l.backordered) },
        };
      }
      case FULFILMENT_FACTS.shipmentDispatched: {
        const shipment = readMessage(ShipmentDispatchedV1, payload, type);
        if (!shipment.poId) return undefined;
        return {
          supplierId: shipment.nodeId,
          fact: {
            kind: 'shipment',
            poId: shipment.poId,
            shipmentId: shipment.shipmentId,
            at: shipment.shippedAt,
            units: units(shipment.lines),
            lines: shipment.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
            trackingNumber: shipment.trackingNumber,
            trackingValid: shipment.trackingValid ?? true,
            reportedAt: occurredAt,
          },
        };
      }
      case FULFILMENT_FACTS.purchaseOrderTimedOut: {
        const timedOut = readMessage(PurchaseOrderLinesFactV1, payload, type);
        const deadline = (payload as { deadline?: unknown }).deadline === 'ship' ? 'ship' : 'confirm';
        return { supplierId: timedOut.supplierId, fact: { kind: 'po_timed_out', poId: timedOut.poId, at: timedOut.at, deadline } };
      }
      case FULFILMENT_FACTS.purchaseOrderCancelled: {
        const cancelled = readMessage(PurchaseOrderLinesFactV1, payload, type);
        return { supplierId: cancelled.supplierId, fact: { kind: 'po_cancelled', poId: cancelled.poId, eventId, at: cancelled.at, by: cancelled.by ?? 'retailer', units: units(cancelled.lines) } };
      }
      case FULFILMENT_FACTS.supplierMessageRefused: {
        const refused = readMessage(PurchaseOrderFactV1, payload, type);
        return { supplierId: refused.supplierId, fact: { kind: 'message_refused', poId: refused.poId, eventId, at: refused.at } };
      }
      default:
        return undefined;
    }
  }
}
