import { runDecider } from '@oms/event-store/testing';
import { ReturnError, returnDecider, SUPPLIER_FAULTS, type ReturnCommand, type ReturnState } from './return';
import type { Condition, ReturnEvent } from './return-events';
import { DEFAULT_ROUTING, routeReturn } from './routing';
import { AT, LINES, nodeInfo, ORDER_ID, S1_ADDRESS, units } from './testing/return-fixtures';

/*
 * Given a routed (or rejected) return, when a node reports a receipt or parts expire, then the
 * refunds approved (acceptable units only; returnless parts at once) and the exceptions raised.
 */

type Part = Extract<ReturnEvent, { type: 'ReturnRouted' }>['data']['parts'][number];

const run = (commands: readonly ReturnCommand[], from?: ReturnState) => runDecider(returnDecider, commands, from);
const given = (...commands: ReturnCommand[]) => {
  const past = run(commands);
  return { ...past, when: (...next: ReturnCommand[]) => run(next, past.state) };
};

const AT_ISO = AT.toISOString();
const RECEIVE_BY = '2024-03-15T12:00:00.000Z';
const RECEIVED_AT = new Date('2024-03-08T09:00:00.000Z');
const RECEIVED_ISO = RECEIVED_AT.toISOString();
const REVIEW = 'received short or not in acceptable condition: review before any further refund';

/** Two defective mugs back to S1, which takes its returns. */
const TO_S1: Part = {
  partId: 'r1:1',
  destination: 'supplier',
  nodeId: 'S1',
  shippedBy: 'S1',
  rule: 'supplier takes its returns',
  lines: [{ lineId: 'L1', quantity: 2, reason: 'defective' }],
  rmaNumber: 'RMA-0000000001',
  address: S1_ADDRESS,
  receiveBy: RECEIVE_BY,
};
/** A lamp and two vases S3 shipped (it takes no returns): to our warehouse. */
const TO_WAREHOUSE: Part = {
  partId: 'r1:2',
  destination: 'warehouse',
  nodeId: 'returns-warehouse',
  shippedBy: 'S3',
  rule: 'everything else to our warehouse',
  lines: [
    { lineId: 'L2', quantity: 1, reason: 'changed_mind' },
    { lineId: 'L7', quantity: 2, reason: 'changed_mind' },
  ],
  rmaNumber: 'RMA-0000000002',
  receiveBy: RECEIVE_BY,
};
/** Four pairs of socks (500 each): refunded without return. */
const RETURNLESS: Part = { partId: 'r1:3', destination: 'returnless', nodeId: 'S1', shippedBy: 'S1', rule: 'low value: refund without return', lines: [{ lineId: 'L3', quantity: 4, reason: 'changed_mind' }] };

const route = (parts: readonly Part[], comment?: string): ReturnCommand => ({ type: 'Route', data: { returnId: 'r1', orderId: ORDER_ID, parts, ...(comment ? { comment } : {}), now: AT } });
const reject = (): ReturnCommand => ({ type: 'Reject', data: { returnId: 'r1', orderId: ORDER_ID, errors: [{ lineId: 'L1', reason: 'window_closed', message: 'closed' }], now: AT } });
const receipt = (partId: string, receiptId: string, lines: Readonly<Record<string, number | [number, Condition]>>, now: Date = RECEIVED_AT): ReturnCommand => ({
  type: 'RecordReceipt',
  data: { partId, receiptId, lines: Object.entries(lines).map(([lineId, l]) => (typeof l === 'number' ? { lineId, quantity: l, condition: 'acceptable' as const } : { lineId, quantity: l[0], condition: l[1] })), now },
});
const receiptLines = (partId: string, receiptId: string, lines: { lineId: string; quantity: number; condition: Condition }[]): ReturnCommand => ({
  type: 'RecordReceipt',
  data: { partId, receiptId, lines, now: RECEIVED_AT },
});
const expire = (now: Date): ReturnCommand => ({ type: 'ExpireParts', data: { now } });

const routed = () => given(route([TO_S1, TO_WAREHOUSE, RETURNLESS]));
const received = (partId: string, receiptId: string, lines: { lineId: string; quantity: number; condition: Condition }[]): ReturnEvent => ({
  type: 'ReturnPartReceived',
  data: { orderId: ORDER_ID, partId, receiptId, lines, receivedAt: RECEIVED_ISO },
});
const exception = (partId: string, reason = REVIEW, at = RECEIVED_ISO): ReturnEvent => ({ type: 'ReturnException', data: { orderId: ORDER_ID, partId, reason, raisedAt: at } });
const types = (events: readonly ReturnEvent[]) => events.map((e) => e.type);

describe('return decider', () => {
  describe('Route and Reject', () => {
    it('records the route and approves the returnless part at once, on nobody’s account for a change of mind', () => {
      const { events, state } = given().when(route([TO_S1, TO_WAREHOUSE, RETURNLESS]));

      expect(events).toEqual([
        { type: 'ReturnRouted', data: { returnId: 'r1', orderId: ORDER_ID, parts: [TO_S1, TO_WAREHOUSE, RETURNLESS], routedAt: AT_ISO } },
        {
          type: 'RefundApproved',
          data: { orderId: ORDER_ID, partId: 'r1:3', destination: 'none', nodeId: 'S1', lines: [{ lineId: 'L3', quantity: 4 }], attributableToSupplier: false, reason: 'changed_mind', approvedAt: AT_ISO },
        },
      ]);
      expect(state).toEqual({
        status: 'routed',
        returnId: 'r1',
        orderId: ORDER_ID,
        parts: {
          'r1:1': { ...TO_S1, received: false, exception: false },
          'r1:2': { ...TO_WAREHOUSE, received: false, exception: false },
          'r1:3': { ...RETURNLESS, received: false, exception: false },
        },
        receipts: {},
      });
    });

    it('approves nothing before a receipt when no part is returnless, and keeps the comment', () => {
      expect(given().when(route([TO_S1], 'box was open')).events).toEqual([
        { type: 'ReturnRouted', data: { returnId: 'r1', orderId: ORDER_ID, parts: [TO_S1], comment: 'box was open', routedAt: AT_ISO } },
      ]);
    });

    it.each([
      ['defective', true],
      ['wrong_item', true],
      ['not_as_described', true],
      ['damaged_in_transit', false],
      ['changed_mind', false],
    ])('puts a returnless refund for %s on the supplier’s account: %p', (reason, attributable) => {
      const part: Part = { ...RETURNLESS, lines: [{ lineId: 'L3', quantity: 4, reason }] };

      expect(given().when(route([part])).events[1]).toMatchObject({ type: 'RefundApproved', data: { reason, attributableToSupplier: attributable } });
      expect(SUPPLIER_FAULTS.includes(reason)).toBe(attributable);
    });

    it("takes a returnless part's reason from its first specified line", () => {
      const part: Part = {
        ...RETURNLESS,
        lines: [
          { lineId: 'L3', quantity: 4, reason: 'unspecified' },
          { lineId: 'L5', quantity: 1, reason: 'wrong_item' },
        ],
      };

      expect(given().when(route([part])).events[1]).toMatchObject({ data: { reason: 'wrong_item', attributableToSupplier: true, lines: [{ lineId: 'L3', quantity: 4 }, { lineId: 'L5', quantity: 1 }] } });
    });

    it('routes a return once: no second route, no second refund, and no route after a rejection', () => {
      expect(routed().when(route([TO_S1, TO_WAREHOUSE, RETURNLESS])).events).toEqual([]);
      expect(given(reject()).when(route([TO_S1])).events).toEqual([]);
    });

    it('rejects a return once, and never one already routed', () => {
      const { events, state } = given().when(reject(), reject());

      expect(events).toEqual([{ type: 'ReturnRejected', data: { returnId: 'r1', orderId: ORDER_ID, errors: [{ lineId: 'L1', reason: 'window_closed', message: 'closed' }], rejectedAt: AT_ISO } }]);
      expect(state).toEqual({ status: 'rejected', returnId: 'r1', orderId: ORDER_ID });
      expect(routed().when(reject()).events).toEqual([]);
    });
  });

  describe('RecordReceipt', () => {
    it('refunds a part received whole and acceptable, on the supplier’s account for a defect', () => {
      const { events, state } = routed().when(receipt('r1:1', 'rc-1', { L1: 2 }));

      expect(events).toEqual([
        received('r1:1', 'rc-1', [{ lineId: 'L1', quantity: 2, condition: 'acceptable' }]),
        {
          type: 'RefundApproved',
          data: { orderId: ORDER_ID, partId: 'r1:1', destination: 'supplier', nodeId: 'S1', lines: [{ lineId: 'L1', quantity: 2 }], attributableToSupplier: true, reason: 'defective', approvedAt: RECEIVED_ISO },
        },
      ]);
      expect(state.status === 'routed' && state.parts['r1:1']).toMatchObject({ received: true, exception: false });
      expect(state.status === 'routed' && state.receipts).toEqual({ 'r1:1|rc-1': true });
    });

    it("refunds a warehouse part as the retailer's, naming the node that shipped it", () => {
      expect(routed().when(receipt('r1:2', 'rc-1', { L2: 1, L7: 2 })).events[1]).toEqual({
        type: 'RefundApproved',
        data: {
          orderId: ORDER_ID,
          partId: 'r1:2',
          destination: 'retailer',
          nodeId: 'S3',
          lines: [
            { lineId: 'L2', quantity: 1 },
            { lineId: 'L7', quantity: 2 },
          ],
          attributableToSupplier: false,
          reason: 'changed_mind',
          approvedAt: RECEIVED_ISO,
        },
      });
    });

    it('refunds only the acceptable units and raises an exception for the damaged one', () => {
      const lines = [
        { lineId: 'L2', quantity: 1, condition: 'acceptable' as const },
        { lineId: 'L7', quantity: 1, condition: 'acceptable' as const },
        { lineId: 'L7', quantity: 1, condition: 'damaged' as const },
      ];
      const { events } = routed().when(receiptLines('r1:2', 'rc-1', lines));

      expect(events).toEqual([
        received('r1:2', 'rc-1', lines),
        expect.objectContaining({
          type: 'RefundApproved',
          data: expect.objectContaining({
            partId: 'r1:2',
            lines: [
              { lineId: 'L2', quantity: 1 },
              { lineId: 'L7', quantity: 1 },
            ],
          }),
        }),
        exception('r1:2'),
      ]);
    });

    it.each<Condition>(['damaged', 'wrong_item', 'missing'])('refunds nothing of a part received %s, and raises an exception', (condition) => {
      const { events, state } = routed().when(receipt('r1:1', 'rc-1', { L1: [2, condition] }));

      expect(events).toEqual([received('r1:1', 'rc-1', [{ lineId: 'L1', quantity: 2, condition }]), exception('r1:1')]);
      expect(state.status === 'routed' && state.parts['r1:1']).toMatchObject({ received: true, exception: true });
    });

    it('refunds what came of a short part and raises an exception for the rest', () => {
      expect(routed().when(receipt('r1:1', 'rc-1', { L1: 1 })).events).toEqual([
        received('r1:1', 'rc-1', [{ lineId: 'L1', quantity: 1, condition: 'acceptable' }]),
        expect.objectContaining({ type: 'RefundApproved', data: expect.objectContaining({ lines: [{ lineId: 'L1', quantity: 1 }] }) }),
        exception('r1:1'),
      ]);
      // the vases never came: the lamp is refunded, the part reviewed
      expect(types(routed().when(receipt('r1:2', 'rc-1', { L2: 1 })).events)).toEqual(['ReturnPartReceived', 'RefundApproved', 'ReturnException']);
    });

    it('receives a receipt of nothing as a short part: no refund, an exception', () => {
      expect(routed().when(receipt('r1:1', 'rc-1', { L1: 0 })).events).toEqual([received('r1:1', 'rc-1', []), exception('r1:1')]);
    });

    it('caps what a receipt says at what the part holds, and drops lines the part does not hold', () => {
      const { events } = routed().when(receipt('r1:1', 'rc-1', { L1: 5, L9: 3, L2: 1 }));

      expect(events).toEqual([
        received('r1:1', 'rc-1', [{ lineId: 'L1', quantity: 2, condition: 'acceptable' }]),
        expect.objectContaining({ type: 'RefundApproved', data: expect.objectContaining({ lines: [{ lineId: 'L1', quantity: 2 }] }) }),
      ]);
    });

    it('caps a line reported twice at the part’s quantity in the receipt’s order', () => {
      const { events } = routed().when(
        receiptLines('r1:1', 'rc-1', [
          { lineId: 'L1', quantity: 1, condition: 'acceptable' },
          { lineId: 'L1', quantity: 3, condition: 'damaged' },
        ]),
      );

      expect(events).toEqual([
        received('r1:1', 'rc-1', [
          { lineId: 'L1', quantity: 1, condition: 'acceptable' },
          { lineId: 'L1', quantity: 1, condition: 'damaged' },
        ]),
        expect.objectContaining({ type: 'RefundApproved', data: expect.objectContaining({ lines: [{ lineId: 'L1', quantity: 1 }] }) }),
        exception('r1:1'),
      ]);
    });

    it('records a receipt once: the same receipt id again for the same part decides nothing', () => {
      const history = given(route([TO_S1, TO_WAREHOUSE, RETURNLESS]), receipt('r1:1', 'rc-1', { L1: 2 }));

      expect(history.when(receipt('r1:1', 'rc-1', { L1: 2 })).events).toEqual([]);
      expect(history.when(receipt('r1:1', 'rc-1', { L1: 1 })).events).toEqual([]);
    });

    // BUG: receipts are remembered per return, not per part. A receipt id is the receiving node's
    // own: our warehouse logging one box that holds two parts of the return (from S3 and from S4)
    // under one id reports it for each part, and the second part is silently never received.
    it('records the same receipt id for another part of the return', () => {
      const fromS4: Part = { ...TO_WAREHOUSE, partId: 'r1:4', shippedBy: 'S4', lines: [{ lineId: 'L1', quantity: 1, reason: 'changed_mind' }], rmaNumber: 'RMA-0000000004' };
      const history = given(route([TO_WAREHOUSE, fromS4]), receipt('r1:2', 'WR-77', { L2: 1, L7: 2 }));
      const { events, state } = history.when(receipt('r1:4', 'WR-77', { L1: 1 }));

      expect(events).toEqual([
        received('r1:4', 'WR-77', [{ lineId: 'L1', quantity: 1, condition: 'acceptable' }]),
        {
          type: 'RefundApproved',
          data: { orderId: ORDER_ID, partId: 'r1:4', destination: 'retailer', nodeId: 'S4', lines: [{ lineId: 'L1', quantity: 1 }], attributableToSupplier: false, reason: 'changed_mind', approvedAt: RECEIVED_ISO },
        },
      ]);
      expect(state.status === 'routed' && state.parts['r1:4']).toMatchObject({ received: true });
    });

    it('refuses a second receipt of a part already received', () => {
      const history = given(route([TO_S1]), receipt('r1:1', 'rc-1', { L1: 1 }));

      expect(() => history.when(receipt('r1:1', 'rc-2', { L1: 1 }))).toThrow(new ReturnError('Part r1:1 was already received'));
    });

    it('refuses to receive a returnless part: it was refunded already and is not coming back', () => {
      expect(() => routed().when(receipt('r1:3', 'rc-1', { L3: 4 }))).toThrow(new ReturnError('Part r1:3 is refunded without return: nothing to receive'));
    });

    it('refuses a receipt for a part the return does not have, or for a return not routed', () => {
      expect(() => routed().when(receipt('r1:9', 'rc-1', { L1: 1 }))).toThrow(new ReturnError('Return r1 has no part r1:9'));
      expect(() => given().when(receipt('r1:1', 'rc-1', { L1: 1 }))).toThrow(ReturnError);
      expect(() => given(reject()).when(receipt('r1:1', 'rc-1', { L1: 1 }))).toThrow(new ReturnError('No routed return to receive against'));
    });
  });

  describe('ExpireParts', () => {
    const AFTER = new Date('2024-03-16T00:00:00.000Z');
    const AFTER_ISO = AFTER.toISOString();

    it('expires nothing before the receive-by time', () => {
      expect(routed().when(expire(new Date('2024-03-15T11:59:59.999Z'))).events).toEqual([]);
    });

    it('raises an exception for each unreceived part past its receive-by time, never for a returnless one', () => {
      const { events, state } = routed().when(expire(AFTER));

      expect(events).toEqual([
        exception('r1:1', 'nothing received from S1 by 2024-03-15T12:00:00.000Z', AFTER_ISO),
        exception('r1:2', 'nothing received from returns-warehouse by 2024-03-15T12:00:00.000Z', AFTER_ISO),
      ]);
      expect(state.status === 'routed' && state.parts['r1:1']).toMatchObject({ received: false, exception: true });
    });

    it('does not expire a part once received', () => {
      const { events } = routed().when(receipt('r1:1', 'rc-1', { L1: 2 }), expire(AFTER));

      expect(events.slice(2)).toEqual([exception('r1:2', 'nothing received from returns-warehouse by 2024-03-15T12:00:00.000Z', AFTER_ISO)]);
    });

    it('expires a part once', () => {
      expect(routed().when(expire(AFTER), expire(new Date('2024-03-20T00:00:00.000Z'))).events).toHaveLength(2);
    });

    it('expires nothing of a part without receive-by, nor of a return not routed', () => {
      const { receiveBy: _, ...open } = TO_S1;

      expect(given(route([open])).when(expire(AFTER)).events).toEqual([]);
      expect(given().when(expire(AFTER)).events).toEqual([]);
      expect(given(reject()).when(expire(AFTER)).events).toEqual([]);
    });
  });

  describe('supplier attribution per line', () => {
    /** Each refunded line with whether it was put on the supplier's account. */
    const attribution = (events: readonly ReturnEvent[]) =>
      events
        .flatMap((e) => (e.type === 'RefundApproved' ? e.data.lines.map((l) => ({ lineId: l.lineId, attributableToSupplier: e.data.attributableToSupplier })) : []))
        .sort((a, b) => a.lineId.localeCompare(b.lineId));

    /** Routes the units by default, then receives every part whole and acceptable. */
    function refundEverything(claimed: Parameters<typeof routeReturn>[1], reasons: Record<string, string>) {
      const parts = routeReturn('r1', claimed, reasons, LINES, nodeInfo, DEFAULT_ROUTING);
      const receipts = parts
        .filter((p) => p.destination !== 'returnless')
        .map((p, i) => receiptLines(p.partId, `rc-${i}`, p.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, condition: 'acceptable' }))));
      return given().when(route(parts), ...receipts).events;
    }

    // BUG: a part holds lines of different reasons (one part per destination/node/rule), but its
    // refund takes the reason of its first line for all: the defective cup is not on S1's account.
    it("puts on the supplier's account the units returned for its fault, not the others sent back with them", () => {
      const events = refundEverything([units('L1', 'S1', 1), units('L6', 'S1', 1)], { L1: 'changed_mind', L6: 'defective' });

      expect(attribution(events)).toEqual([
        { lineId: 'L1', attributableToSupplier: false },
        { lineId: 'L6', attributableToSupplier: true },
      ]);
    });

    // BUG: the same for a returnless part, refunded at routing: the change of mind is put on S1's account.
    it("puts on the supplier's account only the returnless units refunded for its fault", () => {
      const events = refundEverything([units('L5', 'S1', 1), units('L3', 'S1', 2)], { L5: 'wrong_item', L3: 'changed_mind' });

      expect(attribution(events)).toEqual([
        { lineId: 'L3', attributableToSupplier: false },
        { lineId: 'L5', attributableToSupplier: true },
      ]);
    });
  });
});
