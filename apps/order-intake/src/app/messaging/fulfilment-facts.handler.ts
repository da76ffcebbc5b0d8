import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, validatePayload } from '@oms/contracts';
import { MessageContext, PermanentMessageError } from '@oms/messaging';
import { OrderApplication } from '../application/order-application';
import { OrderDomainError } from '../domain/order-decider';
import { FACT_READERS } from './fulfilment-facts';

/**
 * Rolls the other services' outcomes into the order: plans, purchase-order steps, shipments,
 * deliveries, cancellations, returns and refunds. Types this service does not follow are ignored;
 * a fact it follows but cannot read, or about an unknown order, is dead-lettered.
 */
@Controller()
export class FulfilmentFactsHandler {
  constructor(private readonly orders: OrderApplication) {}

  @EventPattern(TOPICS.sourcingAllocations.name)
  fromSourcing(@Payload() payload: unknown, @Ctx() ctx: MessageContext) {
    return this.record(payload, ctx);
  }

  @EventPattern(TOPICS.supplierPurchaseOrders.name)
  fromSuppliers(@Payload() payload: unknown, @Ctx() ctx: MessageContext) {
    return this.record(payload, ctx);
  }

  @EventPattern(TOPICS.wmsShipments.name)
  fromWarehouses(@Payload() payload: unknown, @Ctx() ctx: MessageContext) {
    return this.record(payload, ctx);
  }

  @EventPattern(TOPICS.carrierTracking.name)
  fromCarriers(@Payload() payload: unknown, @Ctx() ctx: MessageContext) {
    return this.record(payload, ctx);
  }

  @EventPattern(TOPICS.returns.name)
  fromReturns(@Payload() payload: unknown, @Ctx() ctx: MessageContext) {
    return this.record(payload, ctx);
  }

  @EventPattern(TOPICS.financeSettlements.name)
  fromFinance(@Payload() payload: unknown, @Ctx() ctx: MessageContext) {
    return this.record(payload, ctx);
  }

  private async record(payload: unknown, ctx: MessageContext): Promise<void> {
    const { envelope } = ctx.getMessage();
    // Only the readers' own types: a message typed `constructor` or `toString` is no fact.
    const reader = Object.hasOwn(FACT_READERS, envelope.type) ? FACT_READERS[envelope.type] : undefined;
    if (!reader) return;
    const parsed = validatePayload(reader.schema, payload);
    if (!parsed.ok) throw new PermanentMessageError(`Invalid ${envelope.type}`, parsed.errors);
    try {
      await this.orders.recordFact(parsed.value.orderId, reader.toFact(parsed.value), {
        causationId: envelope.eventId,
        correlationId: parsed.value.orderId,
      });
    } catch (error) {
      if (error instanceof OrderDomainError) throw new PermanentMessageError(`${envelope.type}: ${error.message}`, { orderId: parsed.value.orderId });
      throw error;
    }
  }
}
