import { decodeRecord, decodeRecordLeniently, type InboundMessage, type TransportRecord } from './envelope';
import { isPermanent } from './errors';

export interface RetryPolicy {
  /** Tries in all, the first included, before the message is dead-lettered. */
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, initialBackoffMs: 200, maxBackoffMs: 5_000 };

export const DLQ_HEADER = {
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  consumerGroup: 'dlq-consumer-group',
  error: 'dlq-error',
  errorName: 'dlq-error-name',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
  /** Set when the dead letter carries only the start of the value: the original's size in bytes. */
  valueTruncated: 'dlq-value-truncated',
} as const;

/**
 * A dead letter is the record plus its reasons, so a record near the broker's message limit (1 MB by
 * default) would not fit in its dead-letter topic, and a dead letter that cannot be written blocks
 * the partition for good. Past this size the dead letter keeps the value's first bytes and says how
 * big it was; the whole record stays on its topic at the offset the headers name.
 */
export const DEAD_LETTER_VALUE_LIMIT = 512 * 1024;
const TRUNCATED_EXCERPT = 64 * 1024;

export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

export interface DeliveryTarget {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly record: TransportRecord;
}

export interface DeliveryDeps {
  readonly consumerGroup: string;
  readonly policy: RetryPolicy;
  readonly handle: (message: InboundMessage) => Promise<void>;
  /** Topics whose handler wants undecodable values too (to record a rejection); others dead-letter them. */
  readonly acceptsUndecodable?: (topic: string) => boolean;
  /** Publishes the raw record to a dead-letter topic; must resolve only once the broker has it. */
  readonly deadLetter: (topic: string, record: TransportRecord) => Promise<void>;
  readonly onFailure?: (failure: { target: DeliveryTarget; attempt: number; error: unknown; final: boolean }) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Stops retrying early (e.g. the consumer is shutting down or lost its partition). */
  readonly shouldStop?: () => boolean;
  /** Values larger than this are dead-lettered as an excerpt (default DEAD_LETTER_VALUE_LIMIT). */
  readonly deadLetterValueLimit?: number;
}

export type DeliveryOutcome = 'handled' | 'dead-lettered' | 'abandoned';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Hands one record to its handler: bounded retries with exponential back-off, then the record goes
 * to `<topic>.dlq` with the error and its origin. Undecodable records and permanent errors skip the
 * retries. 'abandoned' means the consumer is stopping: do not commit, the record will come again.
 */
export async function deliver(target: DeliveryTarget, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const sleep = deps.sleep ?? defaultSleep;
  const maxAttempts = Math.max(1, Math.floor(deps.policy.maxAttempts));
  let lastError: unknown;
  let attempt = 0;
  for (attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const decode = deps.acceptsUndecodable?.(target.topic) ? decodeRecordLeniently : decodeRecord;
      const message = decode(target.topic, target.partition, target.offset, target.record, attempt);
      await deps.handle(message);
      return 'handled';
    } catch (error) {
      lastError = error;
      const final = isPermanent(error) || attempt === maxAttempts;
      deps.onFailure?.({ target, attempt, error, final });
      if (final) break;
      if (deps.shouldStop?.()) return 'abandoned';
      const backoff = Math.min(deps.policy.initialBackoffMs * 2 ** (attempt - 1), deps.policy.maxBackoffMs);
      await sleep(backoff);
      if (deps.shouldStop?.()) return 'abandoned';
    }
  }
  const letter: TransportRecord = {
    key: target.record.key,
    value: target.record.value,
    headers: {
      ...target.record.headers,
      [DLQ_HEADER.originalTopic]: target.topic,
      [DLQ_HEADER.originalPartition]: String(target.partition),
      [DLQ_HEADER.originalOffset]: target.offset,
      [DLQ_HEADER.consumerGroup]: deps.consumerGroup,
      [DLQ_HEADER.error]: describeError(lastError).slice(0, 4_000),
      [DLQ_HEADER.errorName]: lastError instanceof Error ? lastError.name : typeof lastError,
      [DLQ_HEADER.attempts]: String(Math.min(attempt, maxAttempts)),
      [DLQ_HEADER.failedAt]: new Date().toISOString(),
    },
  };
  const topic = deadLetterTopic(target.topic);
  const size = target.record.value?.length ?? 0;
  try {
    await deps.deadLetter(topic, size > (deps.deadLetterValueLimit ?? DEAD_LETTER_VALUE_LIMIT) ? truncated(letter, size) : letter);
  } catch (error) {
    // A broker with a smaller message limit than ours: the excerpt goes instead.
    if (!isTooLarge(error) || letter.headers[DLQ_HEADER.valueTruncated] !== undefined || size <= TRUNCATED_EXCERPT) throw error;
    await deps.deadLetter(topic, truncated(letter, size));
  }
  return 'dead-lettered';
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const details = (error as { details?: unknown }).details;
    return details === undefined ? error.message : `${error.message} ${safeJson(details)}`;
  }
  return safeJson(error);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function truncated(letter: TransportRecord, size: number): TransportRecord {
  return { ...letter, value: letter.value?.subarray(0, TRUNCATED_EXCERPT) ?? null, headers: { ...letter.headers, [DLQ_HEADER.valueTruncated]: String(size) } };
}

/** kafkajs's MESSAGE_TOO_LARGE (error code 10), however deep its retry wrappers put it. */
function isTooLarge(error: unknown): boolean {
  for (let e = error as { type?: unknown; message?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.type === 'MESSAGE_TOO_LARGE' || (typeof e.message === 'string' && /larger than the max message size/i.test(e.message))) return true;
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return false;
}
