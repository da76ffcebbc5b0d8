import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** API keys: 32 random bytes, shown once; only their SHA-256 is stored. */
export function newApiKey(): { key: string; hash: string; prefix: string } {
  const key = `sk_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 10) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** AES-256-GCM with a random nonce: `v1.<nonce>.<tag>.<ciphertext>`, base64url parts. */
export function encryptSecret(secret: string, keyHex: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), nonce);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', nonce.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function decryptSecret(sealed: string, keyHex: string): string {
  const [version, nonce, tag, body] = sealed.split('.');
  if (version !== 'v1' || !nonce || !tag || body === undefined) throw new Error('Unreadable sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), Buffer.from(nonce, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** What both directions sign: `<unix seconds>.<raw body>`, HMAC-SHA256, hex. */
export function signWebhook(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

export type WebhookCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Signature over timestamp + raw body, within the tolerance window, compared in constant time. */
export function verifyWebhook(
  secret: string,
  headers: { readonly timestamp: string | undefined; readonly signature: string | undefined },
  rawBody: Buffer,
  now: Date,
  toleranceSeconds: number,
): WebhookCheck {
  if (!headers.timestamp || !/^\d{1,12}$/.test(headers.timestamp)) return { ok: false, reason: 'missing or malformed timestamp' };
  if (!headers.signature) return { ok: false, reason: 'missing signature' };
  const timestamp = Number(headers.timestamp);
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'timestamp outside the replay window' };
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody), 'hex');
  const given = Buffer.from(headers.signature.replace(/^sha256=/, ''), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}
