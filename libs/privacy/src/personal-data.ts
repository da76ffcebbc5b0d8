import { PERSONAL_ADDRESS_FIELDS, PERSONAL_CUSTOMER_FIELDS } from '@oms/contracts';
import type { Erasure, KeyVault, SubjectKey } from './key-vault';
import { isSealed, openWithKey, sealWithKey, subjectOf } from './sealing';

/** What an opened value reads after its subject was erased. */
export const ERASED_PLACEHOLDER = '[erased]';

export class UnknownSubjectKeyError extends Error {
  override readonly name = 'UnknownSubjectKeyError';
  constructor(readonly subjectId: string) {
    super(`The key vault has never seen subject ${subjectId}: is this service configured with the vault that sealed it?`);
  }
}

type Fields<T> = readonly (keyof T & string)[];

/**
 * Seals and opens a data subject's personal data. Sealing is deterministic per subject (see
 * `sealWithKey`), and idempotent: a sealed value passes through. Opening passes anything not sealed
 * through unchanged (data written before sealing began), and reads `ERASED_PLACEHOLDER` once the
 * subject's key is erased. Each call looks a subject's key up once; nothing is cached beyond it,
 * so an erasure takes effect at the next call in every service.
 */
export class PersonalData {
  constructor(readonly vault: KeyVault) {}

  async seal(subjectId: string, value: string): Promise<string> {
    return isSealed(value) ? value : sealWithKey(subjectId, await this.vault.keyFor(subjectId), value);
  }

  /** The object with these string fields sealed; other fields (and absent ones) as they are. */
  async sealFields<T extends object>(subjectId: string, value: T, fields: Fields<T>): Promise<T> {
    const present = fields.filter((f) => typeof value[f] === 'string' && !isSealed(value[f] as string));
    if (present.length === 0) return value;
    const key = await this.vault.keyFor(subjectId);
    const sealed = { ...value } as Record<string, unknown>;
    for (const field of present) sealed[field] = sealWithKey(subjectId, key, value[field] as string);
    return sealed as T;
  }

  sealAddress<T extends object>(subjectId: string, address: T): Promise<T> {
    return this.sealFields(subjectId, address, PERSONAL_ADDRESS_FIELDS as unknown as Fields<T>);
  }

  sealCustomer<T extends object>(subjectId: string, customer: T): Promise<T> {
    return this.sealFields(subjectId, customer, PERSONAL_CUSTOMER_FIELDS as unknown as Fields<T>);
  }

  async open(value: string): Promise<string> {
    return this.openDeep(value);
  }

  /** Every sealed string anywhere in a JSON value, opened (a view, an event's data, a document). */
  async openDeep<T>(value: T): Promise<T> {
    const subjects = new Set<string>();
    collect(value, subjects);
    if (subjects.size === 0) return value;
    const keys = new Map<string, SubjectKey>(await Promise.all([...subjects].map(async (s) => [s, await this.vault.lookup(s)] as const)));
    return replace(value, (sealed) => {
      const subjectId = subjectOf(sealed)!;
      const key = keys.get(subjectId)!;
      if (key.status === 'erased') return ERASED_PLACEHOLDER;
      if (key.status === 'unknown') throw new UnknownSubjectKeyError(subjectId);
      return openWithKey(sealed, key.key);
    }) as T;
  }

  erase(subjectId: string, at: Date): Promise<Erasure> {
    return this.vault.erase(subjectId, at);
  }

  /** Whether a subject's data can still be opened. */
  async status(subjectId: string): Promise<SubjectKey['status']> {
    return (await this.vault.lookup(subjectId)).status;
  }
}

function collect(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    const subject = subjectOf(value);
    if (subject) into.add(subject);
  } else if (Array.isArray(value)) value.forEach((v) => collect(v, into));
  else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) Object.values(value).forEach((v) => collect(v, into));
}

function replace(value: unknown, open: (sealed: string) => string): unknown {
  if (typeof value === 'string') return subjectOf(value) ? open(value) : value;
  if (Array.isArray(value)) return value.map((v) => replace(v, open));
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v, open)]));
  }
  return value;
}
