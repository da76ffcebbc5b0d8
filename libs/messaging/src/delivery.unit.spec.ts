import { DEAD_LETTER_VALUE_LIMIT, deadLetterTopic, deliver, DLQ_HEADER, type DeliveryDeps, type DeliveryTarget, type RetryPolicy } from './delivery';
import { encodeMessage, HEADER, type InboundMessage, type TransportRecord } from './envelope';
import { PermanentMessageError } from './errors';

const policy: RetryPolicy = { maxAttempts: 4, initialBackoffMs: 100, maxBackoffMs: 10_000 };

const record: TransportRecord = encodeMessage(
  {
    topic: 'oms.payments',
    key: 'order-9',
    eventId: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
    type: 'PaymentCaptured',
    schemaVersion: 2,
    occurredAt: '2025-03-04T05:06:07.000Z',
    correlationId: 'order-9',
    payload: { amount: 1250 },
    headers: { traceparent: '00-trace-span-01' },
  },
  'payments',
);

const target = (r: TransportRecord = record): DeliveryTarget => ({ topic: 'oms.payments', partition: 2, offset: '317', record: r });

interface Harness {
  readonly deps: DeliveryDeps;
  readonly sleeps: number[];
  readonly calls: InboundMessage[];
  readonly dead: { topic: string; record: TransportRecord }[];
  readonly failures: { attempt: number; final: boolean; error: unknown }[];
}

/** Deps whose handler runs `behaviour(attempt)`; sleep is fake and only records the back-off asked for. */
function harness(
  behaviour: (attempt: number) => void | Promise<void>,
  overrides: Partial<DeliveryDeps> = {},
): Harness {
  const sleeps: number[] = [];
  const calls: InboundMessage[] = [];
  const dead: { topic: string; record: TransportRecord }[] = [];
  const failures: { attempt: number; final: boolean; error: unknown }[] = [];
  const deps: DeliveryDeps = {
    consumerGroup: 'payments-consumer',
    policy,
    handle: async (message) => {
      calls.push(message);
      await behaviour(calls.length);
    },
    deadLetter: async (topic, r) => void dead.push({ topic, record: r }),
    onFailure: ({ attempt, final, error }) => void failures.push({ attempt, final, error }),
    sleep: async (ms) => void sleeps.push(ms),
    ...overrides,
  };
  return { deps, sleeps, calls, dead, failures };
}

describe('deliver', () => {
  it('handles a message that succeeds the first time, without back-off or dead letter', async () => {
    const h = harness(() => undefined);
    await expect(deliver(target(), h.deps)).resolves.toBe('handled');
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({
      topic: 'oms.payments',
      partition: 2,
      offset: '317',
      key: 'order-9',
      attempt: 1,
      payload: { amount: 1250 },
      envelope: { type: 'PaymentCaptured', schemaVersion: 2, correlationId: 'order-9' },
    });
    expect(h.sleeps).toEqual([]);
    expect(h.dead).toEqual([]);
    expect(h.failures).toEqual([]);
  });

  it('retries with exponential back-off and reports handled when a later attempt succeeds', async () => {
    const h = harness((attempt) => {
      if (attempt < 3) throw new Error(`transient ${attempt}`);
    });
    await expect(deliver(target(), h.deps)).resolves.toBe('handled');
    expect(h.calls.map((m) => m.attempt)).toEqual([1, 2, 3]);
    expect(h.sleeps).toEqual([100, 200]);
    expect(h.failures.map((f) => [f.attempt, f.final])).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(h.dead).toEqual([]);
  });

  it('dead-letters after exactly maxAttempts failures, with the origin and error in the headers', async () => {
    const h = harness((attempt) => {
      throw new Error(`boom on attempt ${attempt}`);
    });
    const before = Date.now();
    await expect(deliver(target(), h.deps)).resolves.toBe('dead-lettered');
    const after = Date.now();

    expect(h.calls).toHaveLength(4);
    expect(h.sleeps).toEqual([100, 200, 400]); // no back-off after the last attempt
    expect(h.failures.map((f) => [f.attempt, f.final])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(h.dead).toHaveLength(1);
    const [{ topic, record: dead }] = h.dead as [{ topic: string; record: TransportRecord }];
    expect(topic).toBe('oms.payments.dlq');
    expect(topic).toBe(deadLetterTopic('oms.payments'));
    expect(dead.key).toBe('order-9');
    expect(dead.value).toEqual(record.value);
    expect(dead.headers).toEqual({
      ...record.headers,
      [DLQ_HEADER.originalTopic]: 'oms.payments',
      [DLQ_HEADER.originalPartition]: '2',
      [DLQ_HEADER.originalOffset]: '317',
      [DLQ_HEADER.consumerGroup]: 'payments-consumer',
      [DLQ_HEADER.error]: 'boom on attempt 4',
      [DLQ_HEADER.errorName]: 'Error',
      [DLQ_HEADER.attempts]: '4',
      [DLQ_HEADER.failedAt]: expect.any(String),
    });
    // Original envelope headers survive into the dead letter.
    expect(dead.headers[HEADER.eventId]).toBe('6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9');
    expect(dead.headers['traceparent']).toBe('00-trace-span-01');
    const failedAt = dead.headers[DLQ_HEADER.failedAt]!;
    expect(new Date(failedAt).toISOString()).toBe(failedAt);
    expect(Date.parse(failedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(failedAt)).toBeLessThanOrEqual(after + 1);
  });

  it('dead-letters a PermanentMessageError after one attempt, with its details', async () => {
    const h = harness(() => {
      throw new PermanentMessageError('unknown sku', { sku: 'X-1' });
    });
    await expect(deliver(target(), h.deps)).resolves.toBe('dead-lettered');
    expect(h.calls).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    expect(h.failures.map((f) => [f.attempt, f.final])).toEqual([[1, true]]);
    expect(h.dead[0]!.record.headers).toMatchObject({
      [DLQ_HEADER.attempts]: '1',
      [DLQ_HEADER.errorName]: 'PermanentMessageError',
      [DLQ_HEADER.error]: 'unknown sku {"sku":"X-1"}',
    });
  });

  it('treats an error named PermanentMessageError (another copy of the class) as permanent too', async () => {
    const h = harness(() => {
      const error = new Error('foreign permanent');
      error.name = 'PermanentMessageError';
      throw error;
    });
    await expect(deliver(target(), h.deps)).resolves.toBe('dead-lettered');
    expect(h.calls).toHaveLength(1);
  });

  it('dead-letters an undecodable record after one attempt without calling the handler', async () => {
    const h = harness(() => undefined);
    const bad: TransportRecord = { key: 'raw', value: Buffer.from('{not json'), headers: { source: 'upstream' } };
    await expect(deliver(target(bad), h.deps)).resolves.toBe('dead-lettered');
    expect(h.calls).toEqual([]);
    expect(h.sleeps).toEqual([]);
    expect(h.dead).toHaveLength(1);
    expect(h.dead[0]!.record.value!.toString()).toBe('{not json');
    expect(h.dead[0]!.record.headers).toMatchObject({
      source: 'upstream',
      [DLQ_HEADER.attempts]: '1',
      [DLQ_HEADER.errorName]: 'UndecodableMessageError',
      [DLQ_HEADER.error]: expect.stringContaining('not JSON'),
    });
  });

  it('dead-letters an empty record after one attempt', async () => {
    const h = harness(() => undefined);
    await expect(deliver(target({ key: undefined, value: null, headers: {} }), h.deps)).resolves.toBe('dead-lettered');
    expect(h.calls).toEqual([]);
    expect(h.dead[0]!.record).toMatchObject({ key: undefined, value: null });
  });

  it('abandons without a dead letter when told to stop after a failure', async () => {
    const h = harness(
      () => {
        throw new Error('transient');
      },
      { shouldStop: () => true },
    );
    await expect(deliver(target(), h.deps)).resolves.toBe('abandoned');
    expect(h.calls).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    expect(h.dead).toEqual([]);
  });

  it('abandons when the stop comes during the back-off', async () => {
    let stopping = false;
    const h = harness(
      () => {
        throw new Error('transient');
      },
      { shouldStop: () => stopping },
    );
    const sleeps: number[] = [];
    const outcome = await deliver(target(), {
      ...h.deps,
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 2) stopping = true;
      },
    });
    expect(outcome).toBe('abandoned');
    expect(h.calls).toHaveLength(2);
    expect(sleeps).toEqual([100, 200]);
    expect(h.dead).toEqual([]);
  });

  it('does not stop while the handler succeeds', async () => {
    const h = harness(() => undefined, { shouldStop: () => true });
    await expect(deliver(target(), h.deps)).resolves.toBe('handled');
  });

  it('propagates a dead-letter publish failure instead of reporting dead-lettered', async () => {
    const publishError = new Error('DLQ broker unavailable');
    const h = harness(
      () => {
        throw new PermanentMessageError('bad');
      },
      {
        deadLetter: async () => {
          throw publishError;
        },
      },
    );
    await expect(deliver(target(), h.deps)).rejects.toBe(publishError);
  });

  it('caps the back-off at maxBackoffMs', async () => {
    const h = harness(
      () => {
        throw new Error('down');
      },
      { policy: { maxAttempts: 7, initialBackoffMs: 100, maxBackoffMs: 250 } },
    );
    await expect(deliver(target(), h.deps)).resolves.toBe('dead-lettered');
    expect(h.sleeps).toEqual([100, 200, 250, 250, 250, 250]);
    expect(h.calls).toHaveLength(7);
    expect(h.dead[0]!.record.headers[DLQ_HEADER.attempts]).toBe('7');
  });

  it('with maxAttempts 1 dead-letters at once, without back-off', async () => {
    const h = harness(
      () => {
        throw new Error('once');
      },
      { policy: { maxAttempts: 1, initialBackoffMs: 100, maxBackoffMs: 1000 } },
    );
    await expect(deliver(target(), h.deps)).resolves.toBe('dead-lettered');
    expect(h.calls).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    expect(h.dead[0]!.record.headers[DLQ_HEADER.attempts]).toBe('1');
  });

  it('describes a thrown non-Error value as JSON', async () => {
    const h = harness(() => {
      throw { code: 'E42', retry: false };
    });
    await expect(deliver(target(), { ...h.deps, policy: { ...policy, maxAttempts: 1 } })).resolves.toBe('dead-lettered');
    expect(h.dead[0]!.record.headers).toMatchObject({
      [DLQ_HEADER.error]: '{"code":"E42","retry":false}',
      [DLQ_HEADER.errorName]: 'object',
    });
  });

  it('truncates a long error message in the dead-letter header', async () => {
    const h = harness(() => {
      throw new Error('x'.repeat(10_000));
    });
    await deliver(target(), { ...h.deps, policy: { ...policy, maxAttempts: 1 } });
    expect(h.dead[0]!.record.headers[DLQ_HEADER.error]).toHaveLength(4_000);
  });

  it('lets the handler see a decoded, attempt-numbered message each time', async () => {
    const h = harness((attempt) => {
      if (attempt === 1) throw new Error('again');
    });
    await deliver(target(), h.deps);
    expect(h.calls.map((m) => [m.attempt, m.envelope.eventId])).toEqual([
      [1, '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'],
      [2, '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'],
    ]);
  });

  describe('a record too large for its dead-letter topic', () => {
    // Valid JSON of exactly `bytes` bytes: the handler, not the decoder, refuses it.
    const big = (bytes: number): TransportRecord => ({ ...record, value: Buffer.from(`{"p":"${'x'.repeat(bytes - 8)}"}`) });
    const refuse = () => {
      throw new PermanentMessageError('not a payment');
    };

    it('dead-letters the start of the value and its size, and points at the whole record', async () => {
      const h = harness(refuse);
      await expect(deliver(target(big(DEAD_LETTER_VALUE_LIMIT + 1)), h.deps)).resolves.toBe('dead-lettered');
      expect(h.dead).toHaveLength(1);
      const letter = h.dead[0]!.record;
      expect(letter.value!.length).toBe(64 * 1024);
      expect(letter.headers).toMatchObject({
        [DLQ_HEADER.valueTruncated]: String(DEAD_LETTER_VALUE_LIMIT + 1),
        [DLQ_HEADER.originalTopic]: 'oms.payments',
        [DLQ_HEADER.originalPartition]: '2',
        [DLQ_HEADER.originalOffset]: '317',
        [DLQ_HEADER.error]: 'not a payment',
      });
    });

    it('keeps a value at the limit whole', async () => {
      const h = harness(refuse);
      await deliver(target(big(DEAD_LETTER_VALUE_LIMIT)), h.deps);
      expect(h.dead[0]!.record.value!.length).toBe(DEAD_LETTER_VALUE_LIMIT);
      expect(h.dead[0]!.record.headers[DLQ_HEADER.valueTruncated]).toBeUndefined();
    });

    it("sends the excerpt when the broker's own limit is smaller and it refuses the whole letter", async () => {
      const sent: TransportRecord[] = [];
      const tooLarge = Object.assign(new Error('The request included a message larger than the max message size the server will accept'), { type: 'MESSAGE_TOO_LARGE' });
      const h = harness(refuse, {
        deadLetter: async (_topic, r) => {
          sent.push(r);
          if (r.value!.length > 100_000) throw Object.assign(new Error('retries exhausted'), { cause: tooLarge });
        },
      });
      await expect(deliver(target(big(200_000)), h.deps)).resolves.toBe('dead-lettered');
      expect(sent.map((r) => [r.value!.length, r.headers[DLQ_HEADER.valueTruncated]])).toEqual([
        [200_000, undefined],
        [64 * 1024, '200000'],
      ]);
    });

    it('lets any other failure to dead-letter through (the record is redelivered, not committed)', async () => {
      const h = harness(refuse, {
        deadLetter: async () => {
          throw new Error('broker unreachable');
        },
      });
      await expect(deliver(target(big(200_000)), h.deps)).rejects.toThrow('broker unreachable');
    });
  });
});
