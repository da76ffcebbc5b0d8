import { createHmac, timingSafeEqual } from 'node:crypto';

/** Canonical base64 (standard alphabet, padded), the encoding of `X-Shopify-Hmac-Sha256`. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SHA256_BYTES = 32;

/**
 * Whether `headerValue` (the `X-Shopify-Hmac-Sha256` header) is the base64 HMAC-SHA256 of the exact
 * request bytes `rawBody` under one of `secrets` (several during a secret rotation: the old and the
 * new app secret). Must be given the raw body as received: a re-serialised JSON body differs.
 *
 * False, never an exception, for anything that does not verify: no header, a header that is not
 * canonical base64 or does not decode to 32 bytes, no secrets. Empty secrets are ignored (an HMAC
 * under an empty key proves nothing). Every secret is tried, whether or not an earlier one matched,
 * and each comparison is `timingSafeEqual` on equal-length buffers, so the time taken says nothing
 * about how much of the signature was right.
 */
export function verifyShopifyHmac(rawBody: Buffer, headerValue: string | undefined, secrets: readonly string[]): boolean {
  if (!Buffer.isBuffer(rawBody) || typeof headerValue !== 'string' || !Array.isArray(secrets)) return false;
  const header = headerValue.trim();
  if (header === '' || !BASE64.test(header)) return false;
  const received = Buffer.from(header, 'base64');
  if (received.length !== SHA256_BYTES) return false;

  let matched = false;
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret === '') continue;
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    if (expected.length === received.length && timingSafeEqual(expected, received)) matched = true;
  }
  return matched;
}
