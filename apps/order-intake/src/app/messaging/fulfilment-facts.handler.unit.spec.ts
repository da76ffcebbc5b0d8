import { FULFILMENT_FACTS, TOPICS } from '@oms/contracts';
import { decodeRecordLeniently, MessageContext, PermanentMessageError } from '@oms/messaging';
import type { OrderApplication } from '../application/order-application';
import { FulfilmentFactsHandler } from './fulfilment-facts.handler';

const deliver = (type: string, value: string) => {
  const message = decodeRecordLeniently(TOPICS.returns.name, 0, '1', { key: 'k', value: Buffer.from(value), headers: { 'event-type': type } }, 1);
  return [message.payload, new MessageContext([message])] as const;
};

describe('FulfilmentFactsHandler', () => {
  const recorded: unknown[] = [];
  const handler = new FulfilmentFactsHandler({ recordFact: async (...args: unknown[]) => void recorded.push(args) } as unknown as OrderApplication);

  it.each(['constructor', 'toString', '__proto__', 'NoSuchFact'])('takes a message of type %s for no fact (the type names no reader of its own)', async (type) => {
    await expect(handler.fromReturns(...deliver(type, '{"orderId":"x"}'))).resolves.toBeUndefined();
    expect(recorded).toEqual([]);
  });

  it('dead-letters a fact it follows but cannot read', async () => {
    await expect(handler.fromReturns(...deliver(FULFILMENT_FACTS.returnReceived, '{"orderId":42}'))).rejects.toBeInstanceOf(PermanentMessageError);
  });
});
