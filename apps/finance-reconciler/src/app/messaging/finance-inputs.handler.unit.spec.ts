import { FULFILMENT_FACTS, TOPICS } from '@oms/contracts';
import { MessageContext } from '@oms/messaging';
import type { LedgerApplication } from '../application/ledger-application';
import type { SupplierAccounts } from '../application/supplier-accounts';
import { FinanceInputsHandler } from './finance-inputs.handler';

const ORDER_ID = '2f1c7a52-8e4b-4f0e-9a51-6d0b1c2e3f40';

function handlerWithLedger() {
  const commands: { orderId: string; request: unknown }[] = [];
  const ledger = { execute: async (orderId: string, request: unknown) => void commands.push({ orderId, request }) } as unknown as LedgerApplication;
  return { handler: new FinanceInputsHandler(ledger, {} as SupplierAccounts), commands };
}

const context = (type: string) =>
  new MessageContext([
    {
      topic: TOPICS.returns.name,
      partition: 0,
      offset: '0',
      key: ORDER_ID,
      envelope: { eventId: 'evt-1', type, schemaVersion: 1, occurredAt: '2026-11-25T10:00:00.000Z', correlationId: ORDER_ID, causationId: undefined, producer: 'returns-router' },
      payload: undefined,
      headers: {},
      attempt: 1,
      rawValue: null,
    },
  ]);

const approved = (extra: Record<string, unknown>) => ({
  orderId: ORDER_ID,
  returnId: 'ret-1:1',
  destination: 'supplier',
  nodeId: 's1-alpha',
  lines: [{ lineId: '1', quantity: 1 }],
  attributableToSupplier: false,
  receivedAt: '2026-11-25T10:00:00.000Z',
  ...extra,
});

describe('FinanceInputsHandler: returns', () => {
  it("refunds an approved return with the customer's reason, as a cancellation keeps its own", async () => {
    const { handler, commands } = handlerWithLedger();
    await handler.returns(approved({ reason: 'changed_mind' }), context(FULFILMENT_FACTS.refundApproved));
    expect(commands).toEqual([
      { orderId: ORDER_ID, request: { type: 'RefundReturn', data: { returnId: 'ret-1:1', lines: [{ lineId: '1', quantity: 1 }], destination: 'supplier', nodeId: 's1-alpha', reason: 'changed_mind' } } },
    ]);
  });

  it('says "returned" when the receipt names no reason', async () => {
    const { handler, commands } = handlerWithLedger();
    await handler.returns(approved({}), context(FULFILMENT_FACTS.refundApproved));
    expect(commands.map((c) => (c.request as { data: { reason: string } }).data.reason)).toEqual(['returned']);
  });
});
