import { TOPICS } from '@oms/contracts';
import { decodeRecordLeniently, MessageContext, PermanentMessageError } from '@oms/messaging';
import type { OrderApplication, IntakeRejection } from '../application/order-application';
import { OrderIntakeEnv } from '../order-intake.env';
import { CommerceOrdersHandler, excerpt } from './commerce-orders.handler';

/** The handler with an application that only records rejections. */
function handler() {
  const rejections: IntakeRejection[] = [];
  const orders = { recordRejection: async (rejection: IntakeRejection) => void rejections.push(rejection) } as unknown as OrderApplication;
  return { rejections, handler: new CommerceOrdersHandler(orders, new OrderIntakeEnv()) };
}

const deliver = (value: Buffer, headers: Record<string, string> = {}) => {
  const message = decodeRecordLeniently(TOPICS.commerceOrders.name, 0, '7', { key: 'k', value, headers }, 1);
  return [message.payload, new MessageContext([message])] as const;
};

/** What PostgreSQL's jsonb refuses: a NUL character or an unpaired surrogate anywhere in the text. */
const unstorable = (value: unknown) => /\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i.test(JSON.stringify(value));

describe('CommerceOrdersHandler: the rejection of a bad message can always be stored', () => {
  it('records a message that is not JSON, with NUL bytes and broken UTF-8, as a rejection a store keeps (then dead-letters it)', async () => {
    const { rejections, handler: h } = handler();
    const value = Buffer.concat([Buffer.from('{"channel":"web\u0000shop",'), Buffer.from([0x00, 0xff, 0xfe, 0xed, 0xa0, 0x80])]);
    await expect(h.onMessage(...deliver(value))).rejects.toBeInstanceOf(PermanentMessageError);
    expect(rejections).toHaveLength(1);
    expect(rejections[0]!.reason).toBe('invalid');
    expect(unstorable(rejections[0])).toBe(false);
  });

  it('echoes the ids a bad order names without the characters a store refuses', async () => {
    const { rejections, handler: h } = handler();
    await expect(h.onMessage(...deliver(Buffer.from('{"channel":"web\\u0000shop","externalOrderId":"A-1\\ud800"}')))).rejects.toBeInstanceOf(PermanentMessageError);
    expect(rejections[0]).toMatchObject({ reason: 'invalid', channel: 'web\ufffdshop', externalOrderId: 'A-1\ufffd' });
    expect(unstorable(rejections[0])).toBe(false);
  });

  it('refuses an order nested thousands of levels deep as invalid, not as an error to retry', async () => {
    const { rejections, handler: h } = handler();
    await expect(h.onMessage(...deliver(Buffer.from(`{"channel":"web","lines":${'['.repeat(20_000)}${']'.repeat(20_000)}}`)))).rejects.toBeInstanceOf(PermanentMessageError);
    expect(rejections[0]).toMatchObject({ reason: 'invalid', channel: 'web', errors: [{ field: '$', message: expect.stringContaining('nested deeper') }] });
  });

  it('keeps a readable excerpt of what it could not read', () => {
    expect(excerpt(Buffer.from('not json \u0000 at all'))).toBe('not json \ufffd at all');
    expect(excerpt(null)).toBe('');
  });
});
