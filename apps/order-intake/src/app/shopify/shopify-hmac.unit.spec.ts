import { createHmac } from 'node:crypto';
import { verifyShopifyHmac } from './shopify-hmac';
import { shopifyFixtureBytes, webhookBytes } from './testing/shopify-fixtures';

const SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const sign = (body: Buffer, secret: string) => createHmac('sha256', secret).update(body).digest('base64');

describe('verifyShopifyHmac', () => {
  it('accepts the published HMAC-SHA256 test vector', () => {
    // HMAC_SHA256("key", "The quick brown fox jumps over the lazy dog"), as hex in RFC-style references.
    const header = Buffer.from('f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8', 'hex').toString('base64');
    expect(header).toBe('97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=');
    expect(verifyShopifyHmac(Buffer.from('The quick brown fox jumps over the lazy dog'), header, ['key'])).toBe(true);
  });

  it('accepts the signature of the exact raw bytes', () => {
    for (const body of [shopifyFixtureBytes(), webhookBytes(), Buffer.alloc(0)]) {
      expect(verifyShopifyHmac(body, sign(body, SECRET), [SECRET])).toBe(true);
    }
  });

  it('rejects a tampered body', () => {
    const body = webhookBytes();
    const header = sign(body, SECRET);
    const tampered = Buffer.from(body.toString('utf8').replace('"total_price": "63.01"', '"total_price": "0.01"'));
    expect(tampered.equals(body)).toBe(false);
    expect(verifyShopifyHmac(tampered, header, [SECRET])).toBe(false);
  });

  it('rejects the same JSON re-serialised: the raw body is what is signed', () => {
    const raw = shopifyFixtureBytes();
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
    expect(verifyShopifyHmac(reserialised, sign(raw, SECRET), [SECRET])).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    const body = webhookBytes();
    expect(verifyShopifyHmac(body, sign(body, 'someone-else'), [SECRET])).toBe(false);
  });

  it('accepts any of several secrets during a rotation', () => {
    const body = webhookBytes();
    const oldSecret = 'old-secret';
    const newSecret = 'new-secret';
    expect(verifyShopifyHmac(body, sign(body, oldSecret), [newSecret, oldSecret])).toBe(true);
    expect(verifyShopifyHmac(body, sign(body, newSecret), [newSecret, oldSecret])).toBe(true);
    expect(verifyShopifyHmac(body, sign(body, 'retired-secret'), [newSecret, oldSecret])).toBe(false);
  });

  it('rejects everything without secrets, and never trusts an empty secret', () => {
    const body = webhookBytes();
    expect(verifyShopifyHmac(body, sign(body, SECRET), [])).toBe(false);
    expect(verifyShopifyHmac(body, sign(body, ''), [''])).toBe(false);
  });

  it.each<[string, string | undefined]>([
    ['missing', undefined],
    ['empty', ''],
    ['not base64', 'not-a-signature!!'],
    ['hex instead of base64', createHmac('sha256', SECRET).update('x').digest('hex')],
    ['truncated', 'l+1Zp0K0Ng0='],
    ['too long', Buffer.alloc(33).toString('base64')],
    ['unpadded', '97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg'],
  ])('rejects a %s header', (_what, header) => {
    expect(verifyShopifyHmac(Buffer.from('x'), header, [SECRET])).toBe(false);
  });

  it('tolerates surrounding whitespace in the header', () => {
    const body = webhookBytes();
    expect(verifyShopifyHmac(body, ` ${sign(body, SECRET)} `, [SECRET])).toBe(true);
  });
});
