import { judgePo, type Answer, type StoredEvent } from './po-verdict';

const ACCEPT = '{"lines":[{"lineId":"1","accepted":1}]}';
const REJECT = '{"lines":[{"lineId":"1","rejected":1}]}';
const CANCEL = '{"reason":"cannot supply"}';
const received = (body: string) => ({ received: { body } });
const created: StoredEvent = { type: 'PurchaseOrderCreated', data: {} };
const dispatched: StoredEvent = { type: 'PurchaseOrderDispatched', data: {} };
const accepted: StoredEvent = { type: 'PurchaseOrderAcknowledged', data: { lines: [{ lineId: '1', accepted: 1, rejected: 0 }], ...received(ACCEPT) } };
const rejected: StoredEvent = { type: 'PurchaseOrderAcknowledged', data: { lines: [{ lineId: '1', accepted: 0, rejected: 1 }], ...received(REJECT) } };
const cancelled: StoredEvent = { type: 'PurchaseOrderCancelled', data: { by: 'supplier', ...received(CANCEL) } };
const timedOut: StoredEvent = { type: 'PurchaseOrderTimedOut', data: { deadline: 'confirm' } };
const refused = (body: string): StoredEvent => ({ type: 'SupplierMessageRefused', data: received(body) });
const answer = (replica: number, kind: Answer['kind'], body: string, status: number, reply: Record<string, unknown> = {}): Answer => ({ replica, kind, body, status, reply });

describe('judging a raced PO', () => {
  it('takes the winner and its refused rivals as one outcome', () => {
    const verdict = judgePo(
      [created, dispatched, rejected, refused(ACCEPT), refused(CANCEL)],
      [answer(0, 'accept', ACCEPT, 409), answer(1, 'reject', REJECT, 200, { kind: 'applied' }), answer(2, 'cancel', CANCEL, 409)],
      ['cancelled', 'cancelled', 'cancelled'],
    );
    expect(verdict).toEqual({ outcome: 'rejected', cancelledAfterAcceptance: false, shipped: false, givenBack: true, problems: [] });
  });

  it('allows the supplier to cancel what it accepted, once', () => {
    const verdict = judgePo(
      [created, dispatched, accepted, cancelled, refused(REJECT)],
      [answer(0, 'accept', ACCEPT, 200, { kind: 'applied' }), answer(1, 'reject', REJECT, 409), answer(2, 'cancel', CANCEL, 200, { kind: 'applied' })],
      ['cancelled', 'cancelled', 'cancelled'],
    );
    expect(verdict).toMatchObject({ outcome: 'acknowledged', cancelledAfterAcceptance: true, givenBack: true, problems: [] });
  });

  it('finds a second time-out, and decisions recorded after the PO ended', () => {
    const verdict = judgePo([created, dispatched, timedOut, accepted, timedOut], [answer(0, 'accept', ACCEPT, 200, { kind: 'applied' })], ['timed_out', 'timed_out', 'timed_out']);
    expect(verdict.outcome).toBe('timed_out');
    expect(verdict.problems).toEqual(['2 PurchaseOrderTimedOut', 'PurchaseOrderAcknowledged after the PO ended (timed_out)', 'PurchaseOrderTimedOut after the PO ended (timed_out)']);
  });

  it('holds a copy of an applied message answered 409, a 5xx and an unrecorded refusal against the PO', () => {
    const verdict = judgePo(
      [created, dispatched, accepted],
      [answer(0, 'accept', ACCEPT, 200, { kind: 'applied' }), answer(1, 'accept', ACCEPT, 409), answer(2, 'reject', REJECT, 500, { message: 'Internal server error' })],
      ['acknowledged', 'acknowledged', 'dispatched'],
    );
    expect(verdict.problems).toEqual([
      'reject on replica 2: 500 {"message":"Internal server error"}',
      'accept took effect, answered 200 applied, 409',
      'reject had no effect, answered 500',
      'reject refused but its refusal is not recorded',
      'status acknowledged/acknowledged/dispatched on the replicas, acknowledged by the history',
    ]);
  });

  it('counts a PO nobody decided as having no outcome', () => {
    expect(judgePo([created, dispatched], [], ['dispatched']).problems).toEqual(['no decision']);
  });
});
