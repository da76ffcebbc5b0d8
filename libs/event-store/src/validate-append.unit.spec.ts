import { InvalidAppendError } from './errors';
import type { EventToAppend, ExpectedRevision, JsonObject } from './port';
import { ANY_REVISION, NO_STREAM, STREAM_EXISTS, atRevision } from './port';
import { validateAppend } from './validate-append';

const ID_A = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const ID_B = '0b7e4c1a-9d2f-4e3b-8a6c-5f1d2e3c4b5a';

const event = (overrides: Partial<{ id: string; type: string; data: unknown; metadata: JsonObject }> = {}): EventToAppend =>
  ({ id: ID_A, type: 'OrderPlaced', data: { total: 1250 }, ...overrides }) as EventToAppend;

function rejection(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): InvalidAppendError {
  try {
    validateAppend(stream, events, expected);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidAppendError);
    expect((error as Error).name).toBe('InvalidAppendError');
    return error as InvalidAppendError;
  }
  throw new Error('validateAppend accepted the append');
}

describe('validateAppend', () => {
  it('accepts a well-formed append with each kind of expected revision', () => {
    const events = [event(), event({ id: ID_B, type: 'OrderConfirmed', data: {}, metadata: { correlationId: 'c-1' } })];
    for (const expected of [NO_STREAM, STREAM_EXISTS, ANY_REVISION, atRevision(0), atRevision(41)]) {
      expect(() => validateAppend('order-1', events, expected)).not.toThrow();
    }
  });

  it('accepts an empty append and upper-case UUIDs', () => {
    expect(() => validateAppend('order-1', [], NO_STREAM)).not.toThrow();
    expect(() => validateAppend('order-1', [event({ id: ID_A.toUpperCase() })], NO_STREAM)).not.toThrow();
  });

  it('rejects an empty or over-long stream name', () => {
    expect(rejection('', [event()], NO_STREAM).message).toMatch(/Invalid stream name/);
    expect(() => validateAppend('s'.repeat(512), [event()], NO_STREAM)).not.toThrow();
    expect(rejection('s'.repeat(513), [event()], NO_STREAM).message).toMatch(/Invalid stream name/);
  });

  it.each(['not-a-uuid', '', '6f1e2d3c4b5a49788695a4b3c2d1e0f9', `${ID_A}0`, ` ${ID_A}`, 'zf1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'])(
    'rejects the non-UUID event id %p',
    (id) => {
      expect(rejection('order-1', [event({ id })], NO_STREAM).message).toContain('is not a UUID');
    },
  );

  it('rejects an id that appears twice in one append, ignoring case', () => {
    expect(rejection('order-1', [event(), event({ type: 'Other' })], NO_STREAM).message).toMatch(/appears twice/);
    expect(rejection('order-1', [event(), event({ id: ID_A.toUpperCase() })], NO_STREAM).message).toMatch(/appears twice/);
  });

  it('rejects an event without a type', () => {
    expect(rejection('order-1', [event({ type: '' })], NO_STREAM).message).toMatch(/has no type/);
    expect(rejection('order-1', [event({ type: undefined as unknown as string })], NO_STREAM).message).toMatch(/has no type/);
  });

  it.each([null, undefined, [], [1, 2], 'text', 42, true])('rejects the non-object data %p', (data) => {
    expect(rejection('order-1', [event({ data })], NO_STREAM).message).toMatch(/data must be a JSON object/);
  });

  it('checks every event, not only the first', () => {
    expect(rejection('order-1', [event(), event({ id: ID_B, data: [] })], NO_STREAM).message).toContain(ID_B);
  });

  it.each([-1, -100, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects the exact revision %p', (revision) => {
    expect(rejection('order-1', [event()], atRevision(revision)).message).toMatch(/non-negative integer/);
  });

  it('rejects a bad exact revision even for an empty append', () => {
    expect(rejection('order-1', [], atRevision(-1)).message).toMatch(/non-negative integer/);
  });
});
