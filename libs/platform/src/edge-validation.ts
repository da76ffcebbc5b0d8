import { BadRequestException } from '@nestjs/common';
import { validatePayload } from '@oms/contracts';
import { PermanentMessageError } from '@oms/messaging';

/**
 * Validation at the edges, the same way in every service: a message of a type the service follows
 * that does not match its schema cannot get better by retrying — dead-lettered at once with every
 * failing field; an HTTP body that does not is a 400 naming every failing field.
 */
export function readMessage<T extends object>(schema: new () => T, payload: unknown, type: string): T {
  const parsed = validatePayload(schema, payload);
  if (!parsed.ok) throw new PermanentMessageError(`Invalid ${type}`, parsed.errors);
  return parsed.value;
}

export function readBody<T extends object>(schema: new () => T, body: unknown): T {
  const parsed = validatePayload(schema, body);
  if (!parsed.ok) throw new BadRequestException({ message: 'Invalid request', errors: parsed.errors });
  return parsed.value;
}
