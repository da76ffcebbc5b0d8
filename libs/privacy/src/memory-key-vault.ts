import { randomBytes } from 'node:crypto';
import { assertSubjectId, SubjectErasedError, type Erasure, type KeyVault, type SubjectKey } from './key-vault';
import { SUBJECT_KEY_BYTES } from './sealing';

export interface StoredSubject {
  /** base64; absent once erased. */
  readonly key?: string;
  readonly createdAt: string;
  readonly erasedAt?: string;
}

/**
 * Subject keys in memory, for unit tests and the embedded run kept in memory. `onChange` lets the
 * embedded vault persist each change before it is acted on.
 */
export class InMemoryKeyVault implements KeyVault {
  readonly kind: KeyVault['kind'] = 'memory';

  constructor(
    protected readonly subjects = new Map<string, StoredSubject>(),
    private readonly onChange: (subjects: ReadonlyMap<string, StoredSubject>) => void = () => undefined,
  ) {}

  async keyFor(subjectId: string): Promise<Buffer> {
    const known = this.subjects.get(assertSubjectId(subjectId));
    if (known?.key) return Buffer.from(known.key, 'base64');
    if (known) throw new SubjectErasedError(subjectId);
    const key = randomBytes(SUBJECT_KEY_BYTES);
    this.subjects.set(subjectId, { key: key.toString('base64'), createdAt: new Date().toISOString() });
    this.onChange(this.subjects);
    return key;
  }

  async lookup(subjectId: string): Promise<SubjectKey> {
    const known = this.subjects.get(assertSubjectId(subjectId));
    if (!known) return { status: 'unknown' };
    return known.key ? { status: 'active', key: Buffer.from(known.key, 'base64') } : { status: 'erased', erasedAt: known.erasedAt ?? known.createdAt };
  }

  async erase(subjectId: string, at: Date): Promise<Erasure> {
    const known = this.subjects.get(assertSubjectId(subjectId));
    if (known && !known.key) return { subjectId, erasedAt: known.erasedAt ?? known.createdAt, alreadyErased: true };
    const erasedAt = at.toISOString();
    this.subjects.set(subjectId, { createdAt: known?.createdAt ?? erasedAt, erasedAt });
    this.onChange(this.subjects);
    return { subjectId, erasedAt, alreadyErased: false };
  }

  async close(): Promise<void> {
    // Nothing held open.
  }
}
