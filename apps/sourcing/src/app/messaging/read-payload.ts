import type { AddressV1 } from '@oms/contracts';
import type { MessageContext } from '@oms/messaging';
import { PermanentMessageError } from '@oms/messaging';
import { AllocationError } from '../domain/allocation';
import type { Address } from '../domain/allocation-events';
import type { Cause } from '../application/sourcing-application';

/** A followed message type that does not match its schema is dead-lettered at once. */
export { readMessage as readPayload } from '@oms/platform';

export function causeOf(ctx: MessageContext, orderId?: string, suffix?: string): Cause {
  const { envelope } = ctx.getMessage();
  return { causationId: suffix ? `${envelope.eventId}:${suffix}` : envelope.eventId, correlationId: orderId ?? envelope.correlationId ?? envelope.eventId };
}

/** Domain refusals (a fact about an order sourcing never opened) go to the DLQ with the reason. */
export async function asMessageOutcome(type: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AllocationError) throw new PermanentMessageError(`${type}: ${error.message}`);
    throw error;
  }
}

export function toAddress(a: AddressV1): Address {
  return {
    name: a.name,
    line1: a.line1,
    city: a.city,
    country: a.country,
    ...(a.company !== undefined ? { company: a.company } : {}),
    ...(a.line2 !== undefined ? { line2: a.line2 } : {}),
    ...(a.region !== undefined ? { region: a.region } : {}),
    ...(a.postalCode !== undefined ? { postalCode: a.postalCode } : {}),
    ...(a.phone !== undefined ? { phone: a.phone } : {}),
  };
}
