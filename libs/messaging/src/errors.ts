/**
 * A failure that no retry can fix (invalid content, an unknown type): the message goes to the
 * dead-letter topic at once instead of after the retry budget.
 */
export class PermanentMessageError extends Error {
  override readonly name = 'PermanentMessageError';
  constructor(message: string, readonly details?: unknown) {
    super(message);
  }
}

export function isPermanent(error: unknown): boolean {
  return (
    error instanceof PermanentMessageError ||
    (error instanceof Error && (error.name === 'UndecodableMessageError' || error.name === 'PermanentMessageError'))
  );
}
