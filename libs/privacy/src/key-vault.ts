/**
 * Where each data subject's key lives — the retailer's KMS, shared by the services as
 * infrastructure. A key is created on first use and can be erased; an erased subject stays erased
 * (no new key is ever made for it), so everything sealed under it stays unreadable.
 */
export type SubjectKey =
  | { readonly status: 'active'; readonly key: Buffer }
  | { readonly status: 'erased'; readonly erasedAt: string }
  | { readonly status: 'unknown' };

export interface Erasure {
  readonly subjectId: string;
  readonly erasedAt: string;
  /** Erased before this call: nothing changed. */
  readonly alreadyErased: boolean;
}

export interface KeyVault {
  readonly kind: 'postgres' | 'embedded' | 'memory';
  /** The subject's key, created on first use. An erased subject has none: `SubjectErasedError`. */
  keyFor(subjectId: string): Promise<Buffer>;
  /** The subject's key as it stands, creating nothing. */
  lookup(subjectId: string): Promise<SubjectKey>;
  /** Destroys the subject's key (a subject never seen is recorded as erased, so it stays so). */
  erase(subjectId: string, at: Date): Promise<Erasure>;
  close(): Promise<void>;
}

export class SubjectErasedError extends Error {
  override readonly name = 'SubjectErasedError';
  constructor(readonly subjectId: string) {
    super(`The personal data of subject ${subjectId} was erased: nothing more is sealed or opened under it`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function assertSubjectId(subjectId: string): string {
  if (!UUID.test(subjectId)) throw new Error(`A data subject id is a lower-case UUID, got "${subjectId}"`);
  return subjectId;
}
