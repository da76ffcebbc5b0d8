import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { storableText, TOPICS } from '@oms/contracts';
import { MessageContext, PermanentMessageError } from '@oms/messaging';
import { SERVICE_ENV } from '@oms/platform';
import { handleCommerceMessage, idsOf } from '../application/intake-requests';
import { OrderApplication, type IntakeRejection } from '../application/order-application';
import type { OrderIntakeEnv } from '../order-intake.env';

/**
 * `commerce.orders.v1`. A bad message is never lost and never blocks the partition: its
 * `OrderRejected` is recorded (and published by the relay), then the raw message goes to the DLQ.
 */
@Controller()
export class CommerceOrdersHandler {
  constructor(
    private readonly orders: OrderApplication,
    @Inject(SERVICE_ENV) private readonly env: OrderIntakeEnv,
  ) {}

  @EventPattern(TOPICS.commerceOrders.name, { acceptUndecodable: true, checksTypes: true })
  async onMessage(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const message = ctx.getMessage();
    const cause = { causationId: message.envelope.eventId };
    const size = message.rawValue?.length ?? 0;
    if (message.decodeError) {
      return this.reject({ reason: 'invalid', errors: [{ field: '$', message: storableText(message.decodeError) }], received: excerpt(message.rawValue) }, cause);
    }
    if (size > this.env.MAX_ORDER_BYTES) {
      return this.reject({ reason: 'too_large', ...idsOf(payload), errors: [{ field: '$', message: `is ${size} bytes; at most ${this.env.MAX_ORDER_BYTES} are accepted` }] }, cause);
    }
    const type = typeof (payload as { type?: unknown })?.type === 'string' ? (payload as { type: string }).type : message.headers['event-type'];
    const outcome = await handleCommerceMessage(this.orders, type, payload, cause);
    if (outcome.kind === 'refused') return this.reject(outcome.rejection, cause);
    if (outcome.kind === 'placed' && (outcome.outcome.kind === 'rejected' || outcome.outcome.kind === 'conflict')) {
      // Recorded in the order's stream (and published); the raw message still goes to the DLQ.
      throw new PermanentMessageError(`Order ${outcome.outcome.orderId} ${outcome.outcome.kind}`, outcome.outcome.kind === 'rejected' ? outcome.outcome.errors : undefined);
    }
  }

  private async reject(rejection: IntakeRejection, cause: { causationId: string }): Promise<never> {
    await this.orders.recordRejection(rejection, cause);
    throw new PermanentMessageError(`Order message rejected (${rejection.reason})`, rejection.errors);
  }
}

/** The start of a message that is not JSON, as the rejection records it (its NULs would not store). */
export function excerpt(raw: Buffer | null): string {
  return raw ? storableText(raw.subarray(0, 200).toString('utf8')) : '';
}
