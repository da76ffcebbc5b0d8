import { runDecider } from '@oms/event-store/testing';
import { returnableOrderDecider, type ClaimError, type ReturnableOrder, type ReturnableOrderCommand, type ReturnableOrderEvent } from './returnable-order';
import { AT, claimReturn, claimReturnLines, noteDelivery, noteSale, noteShipment, units } from './testing/return-fixtures';

/*
 * Given what an order sold, shipped and already returned, when a return claims units, then it is
 * claimed (units per node, in node-id order) or refused with every reason, and decided once.
 */

const run = (commands: readonly ReturnableOrderCommand[], from?: ReturnableOrder) => runDecider(returnableOrderDecider, commands, from);
const given = (...commands: ReturnableOrderCommand[]) => {
  const past = run(commands);
  return { ...past, when: (...next: ReturnableOrderCommand[]) => run(next, past.state) };
};

const AT_ISO = AT.toISOString();
const claimed = (returnId: string, ...claimedUnits: ReturnType<typeof units>[]): ReturnableOrderEvent => ({
  type: 'ReturnClaimed',
  data: { returnId, units: claimedUnits, claimedAt: AT_ISO },
});
const refused = (returnId: string, errors: ClaimError[], at: string = AT_ISO): ReturnableOrderEvent => ({ type: 'ReturnClaimRefused', data: { returnId, errors, refusedAt: at } });

/**
 * S2 shipped L1×1 and L2×1 (noted first), S1 shipped L1×2 and L3×4 a day earlier; L7 never shipped.
 * Windows: S1 until 2024-03-10T10:00Z (14 days), S2 until 2024-03-27T10:00Z (30 days): both open at AT.
 */
const shipped = () => given(noteSale(), noteShipment('sh-2', 'S2', { L1: 1, L2: 1 }, '2024-02-26T10:00:00.000Z'), noteShipment('sh-1', 'S1', { L1: 2, L3: 4 }, '2024-02-25T10:00:00.000Z'));

/**
 * S1 shipped L1×2 on 2024-02-01T10:00Z: window (14 days) closed 2024-02-15T10:00Z, before AT.
 * S2 shipped L1×1 on 2024-02-10T10:00Z: window (30 days) open until 2024-03-11T10:00Z.
 */
const shippedLongAgo = (...more: ReturnableOrderCommand[]) =>
  given(noteSale(), noteShipment('sh-1', 'S1', { L1: 2 }, '2024-02-01T10:00:00.000Z'), noteShipment('sh-2', 'S2', { L1: 1 }, '2024-02-10T10:00:00.000Z'), ...more);

describe('returnable order decider', () => {
  describe('ClaimReturn: quantities', () => {
    it('claims every shipped unit, taken from the nodes in node-id order, not in shipping order', () => {
      const { events, state } = shipped().when(claimReturn('r1', { L1: 3 }));

      expect(events).toEqual([claimed('r1', units('L1', 'S1', 2), units('L1', 'S2', 1))]);
      expect(state.claimed).toEqual({ L1: { S1: 2, S2: 1 } });
      expect(state.decided['r1']).toEqual({ units: [units('L1', 'S1', 2), units('L1', 'S2', 1)] });
    });

    it('takes the lower node first for a part of a line, and what it has left before the next node', () => {
      const history = shipped();
      const first = history.when(claimReturn('r1', { L1: 1 }));
      const second = run([claimReturn('r2', { L1: 2 })], first.state);

      expect(first.events).toEqual([claimed('r1', units('L1', 'S1', 1))]);
      expect(second.events).toEqual([claimed('r2', units('L1', 'S1', 1), units('L1', 'S2', 1))]);
      expect(second.state.claimed).toEqual({ L1: { S1: 2, S2: 1 } });
    });

    it('claims several lines at once, each from its own nodes', () => {
      expect(shipped().when(claimReturn('r1', { L2: 1, L3: 3 })).events).toEqual([claimed('r1', units('L2', 'S2', 1), units('L3', 'S1', 3))]);
    });

    it('refuses more units than shipped, and claims nothing', () => {
      const { events, state } = shipped().when(claimReturn('r1', { L1: 4 }));

      expect(events).toEqual([refused('r1', [{ lineId: 'L1', reason: 'invalid_quantity', message: 'Line L1: 4 requested, 3 shipped and 0 already returned' }])]);
      expect(state.claimed).toEqual({});
      expect(state.decided['r1']).toEqual({ errors: [{ lineId: 'L1', reason: 'invalid_quantity', message: 'Line L1: 4 requested, 3 shipped and 0 already returned' }] });
    });

    it('adds up a line requested twice in one return before checking it', () => {
      expect(shipped().when(claimReturnLines('r1', [{ lineId: 'L1', quantity: 2 }, { lineId: 'L1', quantity: 2 }])).events).toEqual([
        refused('r1', [{ lineId: 'L1', reason: 'invalid_quantity', message: 'Line L1: 4 requested, 3 shipped and 0 already returned' }]),
      ]);
      expect(shipped().when(claimReturnLines('r1', [{ lineId: 'L1', quantity: 1 }, { lineId: 'L1', quantity: 1 }])).events).toEqual([claimed('r1', units('L1', 'S1', 2))]);
    });

    it('refuses more than an earlier return left of the line', () => {
      const { events } = shipped().when(claimReturn('r1', { L1: 2 }), claimReturn('r2', { L1: 2 }));

      expect(events).toEqual([claimed('r1', units('L1', 'S1', 2)), refused('r2', [{ lineId: 'L1', reason: 'invalid_quantity', message: 'Line L1: 2 requested, 3 shipped and 2 already returned' }])]);
    });

    it('refuses a line an earlier return took entirely as already returned', () => {
      const { events, state } = shipped().when(claimReturn('r1', { L1: 3 }), claimReturn('r2', { L1: 1 }));

      expect(events[1]).toEqual(refused('r2', [{ lineId: 'L1', reason: 'already_returned', message: 'Line L1: 1 requested, 3 shipped and 3 already returned' }]));
      expect(state.claimed).toEqual({ L1: { S1: 2, S2: 1 } });
    });

    it('gives the last unit to the first of two racing returns decided in sequence on the same state, and refuses the second', () => {
      const before = shipped().state;

      // Each decided alone on the state both read would pass: the stream revision is what serialises them.
      expect(returnableOrderDecider.decide(claimReturn('r2', { L2: 1 }), before)).toEqual([claimed('r2', units('L2', 'S2', 1))]);

      const { events, state } = run([claimReturn('r1', { L2: 1 }), claimReturn('r2', { L2: 1 })], before);
      expect(events).toEqual([
        claimed('r1', units('L2', 'S2', 1)),
        refused('r2', [{ lineId: 'L2', reason: 'already_returned', message: 'Line L2: 1 requested, 1 shipped and 1 already returned' }]),
      ]);
      expect(state.claimed).toEqual({ L2: { S2: 1 } });
    });

    it.each([
      [0, 'Line L1: 0 is not a positive whole quantity'],
      [-1, 'Line L1: -1 is not a positive whole quantity'],
      [1.5, 'Line L1: 1.5 is not a positive whole quantity'],
    ])('refuses a quantity of %p', (quantity, message) => {
      expect(shipped().when(claimReturn('r1', { L1: quantity })).events).toEqual([refused('r1', [{ lineId: 'L1', reason: 'invalid_quantity', message }])]);
    });

    it('refuses a line sold but not shipped: it is cancelled, not returned', () => {
      expect(shipped().when(claimReturn('r1', { L7: 1 })).events).toEqual([
        refused('r1', [{ lineId: 'L7', reason: 'not_shipped', message: 'Line L7 has not shipped: cancel it instead' }]),
      ]);
    });

    it('refuses a line that is not on the order, and any line before the sale is known', () => {
      expect(shipped().when(claimReturn('r1', { L9: 1 })).events).toEqual([refused('r1', [{ lineId: 'L9', reason: 'unknown_line', message: 'Line L9 is not on this order' }])]);
      expect(given().when(claimReturn('r1', { L1: 1 })).events).toEqual([refused('r1', [{ lineId: 'L1', reason: 'unknown_line', message: 'Line L1 is not on this order' }])]);
    });

    it('refuses the whole return for one bad line, with every error, and leaves the good line claimable', () => {
      const { events, state } = shipped().when(claimReturn('r1', { L1: 1, L7: 1, L9: 2 }), claimReturn('r2', { L1: 3 }));

      expect(events).toEqual([
        refused('r1', [
          { lineId: 'L7', reason: 'not_shipped', message: 'Line L7 has not shipped: cancel it instead' },
          { lineId: 'L9', reason: 'unknown_line', message: 'Line L9 is not on this order' },
        ]),
        claimed('r2', units('L1', 'S1', 2), units('L1', 'S2', 1)),
      ]);
      expect(state.claimed).toEqual({ L1: { S1: 2, S2: 1 } });
    });
  });

  describe('ClaimReturn: return windows per node', () => {
    it("takes units from a node whose window is open when a lower node's window has closed", () => {
      expect(shippedLongAgo().when(claimReturn('r1', { L1: 1 })).events).toEqual([claimed('r1', units('L1', 'S2', 1))]);
    });

    it('refuses what only a node with a closed window could give, naming that node and its last day', () => {
      const closed = { lineId: 'L1', reason: 'window_closed', message: 'Line L1: the return window has closed (S1 until 2024-02-15)' } as const;

      expect(shippedLongAgo().when(claimReturn('r1', { L1: 2 })).events).toEqual([refused('r1', [closed])]);
      expect(shippedLongAgo().when(claimReturn('r1', { L1: 3 })).events).toEqual([refused('r1', [closed])]);
      // S2's unit returned already: what is left of the line sits behind S1's closed window.
      expect(shippedLongAgo().when(claimReturn('r1', { L1: 1 }), claimReturn('r2', { L1: 1 })).events).toEqual([claimed('r1', units('L1', 'S2', 1)), refused('r2', [closed])]);
    });

    it('takes returns up to the deadline itself, not a millisecond after', () => {
      const deadline = new Date('2024-02-15T10:00:00.000Z');
      const after = new Date('2024-02-15T10:00:00.001Z');

      expect(shippedLongAgo().when(claimReturn('r1', { L1: 2 }, deadline)).events).toEqual([{ type: 'ReturnClaimed', data: { returnId: 'r1', units: [units('L1', 'S1', 2)], claimedAt: deadline.toISOString() } }]);
      expect(shippedLongAgo().when(claimReturn('r1', { L1: 2 }, after)).events).toEqual([
        refused('r1', [{ lineId: 'L1', reason: 'window_closed', message: 'Line L1: the return window has closed (S1 until 2024-02-15)' }], after.toISOString()),
      ]);
    });

    it("asks each node's window: 30 days for S1 too keeps it open until 2024-03-02T10:00Z", () => {
      expect(shippedLongAgo().when(claimReturn('r1', { L1: 2 }, AT, () => 30)).events).toEqual([claimed('r1', units('L1', 'S1', 2))]);
    });

    it('counts the window from delivery when it is known: delivered 2024-02-20T10:00Z keeps S1 open until 2024-03-05T10:00Z', () => {
      const delivered = shippedLongAgo(noteDelivery('sh-1', '2024-02-20T10:00:00.000Z'));
      const later = new Date('2024-03-06T00:00:00.000Z');

      expect(delivered.events.at(-1)).toEqual({ type: 'ShipmentDeliveryNoted', data: { shipmentId: 'sh-1', deliveredAt: '2024-02-20T10:00:00.000Z' } });
      expect(delivered.when(claimReturn('r1', { L1: 2 })).events).toEqual([claimed('r1', units('L1', 'S1', 2))]);
      expect(delivered.when(claimReturn('r1', { L1: 2 }, later)).events).toEqual([
        refused('r1', [{ lineId: 'L1', reason: 'window_closed', message: 'Line L1: the return window has closed (S1 until 2024-03-05)' }], later.toISOString()),
      ]);
    });

    it('notes a delivery once (a later report does not stretch the window) and ignores one for an unknown shipment', () => {
      const delivered = shippedLongAgo(noteDelivery('sh-1', '2024-02-20T10:00:00.000Z'));

      expect(delivered.when(noteDelivery('sh-1', '2024-02-28T10:00:00.000Z')).events).toEqual([]);
      expect(delivered.when(noteDelivery('sh-9', '2024-02-28T10:00:00.000Z')).events).toEqual([]);
      expect(delivered.state.shipments['sh-1']?.deliveredAt).toBe('2024-02-20T10:00:00.000Z');
    });
  });

  describe('ClaimReturn: a return id is decided once', () => {
    it('decides nothing for a return id already claimed, whatever it asks now', () => {
      const history = shipped().when(claimReturn('r1', { L1: 1 }));

      expect(run([claimReturn('r1', { L1: 1 })], history.state).events).toEqual([]);
      expect(run([claimReturn('r1', { L2: 1, L9: 1 })], history.state).events).toEqual([]);
      expect(run([claimReturn('r1', { L1: 1 })], history.state).state.claimed).toEqual({ L1: { S1: 1 } });
    });

    it('decides nothing for a return id already refused, even when it would pass now', () => {
      const history = shipped().when(claimReturn('r1', { L1: 4 }));
      const again = run([claimReturn('r1', { L1: 1 })], history.state);

      expect(again.events).toEqual([]);
      expect(again.state.claimed).toEqual({});
      expect(again.state.decided['r1']).toEqual({ errors: [{ lineId: 'L1', reason: 'invalid_quantity', message: 'Line L1: 4 requested, 3 shipped and 0 already returned' }] });
    });
  });

  describe('NoteSale and NoteShipment', () => {
    it('notes the sale once', () => {
      expect(given(noteSale()).when(noteSale([])).events).toEqual([]);
    });

    it('notes a shipment once: the same shipment again does not ship its units twice', () => {
      const again = shipped().when(noteShipment('sh-1', 'S1', { L1: 2, L3: 4 }, '2024-02-25T10:00:00.000Z'), claimReturn('r1', { L1: 4 }));

      expect(again.events).toEqual([refused('r1', [{ lineId: 'L1', reason: 'invalid_quantity', message: 'Line L1: 4 requested, 3 shipped and 0 already returned' }])]);
    });
  });
});
