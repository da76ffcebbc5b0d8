import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { storableText, validatePayload } from '@oms/contracts';
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

/** Longer than any id the services issue or take (supplier ids are at most 63 characters, others UUIDs). */
export const MAX_ID_LENGTH = 200;

/**
 * A free-form id in a path (supplier, PO, node ids): 400 unless it has 1 to MAX_ID_LENGTH
 * characters, none of them a control character or an unpaired surrogate. Such ids name streams,
 * and PostgreSQL refuses a NUL in text: `GET /supplier-accounts/%00` was a 500 before.
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH && !hasControlCharacters(value) && storableText(value) === value) return value;
    throw new BadRequestException({ message: 'Invalid request', errors: [{ field: metadata.data ?? 'id', message: `must be 1 to ${MAX_ID_LENGTH} characters, none of them a control character` }] });
  }
}

function hasControlCharacters(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
