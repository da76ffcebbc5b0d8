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
} as const;

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
  await deps.deadLetter(deadLetterTopic(target.topic), {
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
  });
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
