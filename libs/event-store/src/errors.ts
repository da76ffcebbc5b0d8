import type { ExpectedRevision } from './port';

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${stream}: expected ${describeExpected(expected)}, but it is ${actual === 'no_stream' ? 'absent' : `at revision ${actual}`}`);
  }
}

/** Some, but not all, of the event ids of an append already exist: the caller reused ids wrongly. */
export class IdempotencyViolationError extends Error {
  override readonly name = 'IdempotencyViolationError';
  constructor(readonly stream: string, readonly eventIds: readonly string[]) {
    super(`Stream ${stream}: event ids ${eventIds.join(', ')} were already appended with different neighbours or to another stream`);
  }
}

export class CheckpointConflictError extends Error {
  override readonly name = 'CheckpointConflictError';
  constructor(readonly processor: string, readonly expectedVersion: number | undefined) {
    super(`Checkpoint ${processor} was moved by another processor (expected version ${expectedVersion ?? 'none'})`);
  }
}

export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
}

export function describeExpected(expected: ExpectedRevision): string {
  switch (expected.kind) {
    case 'no_stream':
      return 'no stream';
    case 'stream_exists':
      return 'an existing stream';
    case 'any':
      return 'any revision';
    case 'exact':
      return `revision ${expected.revision}`;
    default: {
      const never: never = expected;
      return String(never);
    }
  }
}

/** Whether a stream at `actual` meets `expected`; the same rule in every adapter. */
export function expectationHolds(expected: ExpectedRevision, actual: number | 'no_stream'): boolean {
  switch (expected.kind) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    case 'exact':
      return actual === expected.revision;
    default: {
      const never: never = expected;
      return never;
    }
  }
}
