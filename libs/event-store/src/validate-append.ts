import { InvalidAppendError } from './errors';
import type { EventToAppend, ExpectedRevision } from './port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks shared by every adapter, so they reject the same bad appends with the same message. */
export function validateAppend(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): void {
  if (!stream || stream.length > 512) throw new InvalidAppendError(`Invalid stream name "${stream}"`);
  if (expected.kind === 'exact' && (!Number.isSafeInteger(expected.revision) || expected.revision < 0)) {
    throw new InvalidAppendError(`Expected revision must be a non-negative integer, got ${expected.revision}`);
  }
  const seen = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) throw new InvalidAppendError(`Event id "${event.id}" is not a UUID`);
    const id = event.id.toLowerCase();
    if (seen.has(id)) throw new InvalidAppendError(`Event id ${event.id} appears twice in one append`);
    seen.add(id);
    if (!event.type) throw new InvalidAppendError(`Event ${event.id} has no type`);
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
      throw new InvalidAppendError(`Event ${event.id} data must be a JSON object`);
    }
  }
}
