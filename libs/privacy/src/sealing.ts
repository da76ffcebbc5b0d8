import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { SEALED_VALUE_PREFIX } from '@oms/contracts';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A subject key is 32 random bytes; each use gets its own derived key. */
export const SUBJECT_KEY_BYTES = 32;

/** Any length: a whole sealed document as well as a sealed field (`SEALED_VALUE_PATTERN` bounds fields). */
const SEALED = /^pii:v1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[A-Za-z0-9+/]+={0,2}$/;

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_VALUE_PREFIX);
}

/** The data subject a sealed value belongs to, or undefined for anything else. */
export function subjectOf(value: unknown): string | undefined {
  return isSealed(value) && SEALED.test(value) ? value.slice(SEALED_VALUE_PREFIX.length, SEALED_VALUE_PREFIX.length + 36) : undefined;
}

const derive = (key: Buffer, purpose: string) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `pii:v1:${purpose}`, 32));

/**
 * AES-256-GCM under the subject's key, with the subject id as associated data (a value cannot be
 * moved under another subject's prefix). The nonce is synthetic — an HMAC of the value under a
 * second derived key — so the same value sealed twice for one subject is the same text: a retried
 * order fingerprints the same, an unchanged address compares equal. It reveals only that two
 * values of one subject are equal; different values never share a nonce.
 */
export function sealWithKey(subjectId: string, key: Buffer, value: string): string {
  const nonce = createHmac('sha256', derive(key, 'nonce')).update(value, 'utf8').digest().subarray(0, NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', derive(key, 'seal'), nonce);
  cipher.setAAD(Buffer.from(subjectId, 'utf8'));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return `${SEALED_VALUE_PREFIX}${subjectId}:${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64')}`;
}

export class UnreadableSealedValueError extends Error {
  override readonly name = 'UnreadableSealedValueError';
}

/** Opens a value sealed with `sealWithKey`; a malformed or tampered value throws. */
export function openWithKey(sealed: string, key: Buffer): string {
  const subjectId = subjectOf(sealed);
  if (!subjectId) throw new UnreadableSealedValueError('Not a sealed value');
  const raw = Buffer.from(sealed.slice(SEALED_VALUE_PREFIX.length + subjectId.length + 1), 'base64');
  if (raw.length < NONCE_BYTES + TAG_BYTES) throw new UnreadableSealedValueError('Sealed value too short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', derive(key, 'seal'), raw.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(subjectId, 'utf8'));
    decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new UnreadableSealedValueError(`A value of subject ${subjectId} does not open with its key (altered, or sealed under another vault)`);
  }
}
