import { runDecider } from '@oms/event-store/testing';
import {
  nextDeadline,
  openLines,
  openUnits,
  purchaseOrderDecider,
  PurchaseOrderError,
  type OpenPo,
  type PoState,
  type PurchaseOrderCommand,
} from './purchase-order';
import type { AcknowledgedLine, LineUnits, PoAddress, PoLine, PurchaseOrderEvent, Received, TimeoutPolicy } from './purchase-order-events';

/*
 * Given the commands a PO has seen, when one more arrives, then these events. The PO: 3 kettles
 * (l1, 1000 each) and 2 toasters (l2, 500 each), to confirm within 24h and ship within 72h.
 */

const HOUR = 3_600_000;
const NOW = new Date('2025-03-03T09:00:00.000Z');
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);
const LATER = at(1);
const CONFIRM_BY = at(24).toISOString();
const SHIP_BY = at(72).toISOString();
const SHIP_TO: PoAddress = { name: 'Jane Doe', line1: '1 rue de la Paix', city: 'Lyon', postalCode: '69001', country: 'FR' };
const LINES: readonly PoLine[] = [
  { lineNumber: 1, lineId: 'l1', sku: 'KETTLE', supplierSku: 'K-100', name: 'Kettle', quantity: 3, unitCost: 1000 },
  { lineNumber: 2, lineId: 'l2', sku: 'TOASTER', quantity: 2, unitCost: 500 },
];
const COST: Readonly<Record<string, number>> = { l1: 1000, l2: 500 };

type Step = PurchaseOrderCommand;

function opened(state: PoState): OpenPo {
  if (state.status === 'none') throw new Error('expected a purchase order');
  return state;
}

function run(steps: readonly Step[], from: PoState = purchaseOrderDecider.initialState()): { state: PoState; events: PurchaseOrderEvent[] } {
  return runDecider(purchaseOrderDecider, steps, from);
}

function given(...steps: Step[]) {
  const past = run(steps);
  return {
    state: past.state,
    get open() {
      return opened(past.state);
    },
    /** The events decided for `next` on the state so far, and the state they lead to. */
    when(...next: Step[]) {
      const { state, events } = run(next, past.state);
      return { events, state, open: () => opened(state) };
    },
  };
}

const q = (lineId: string, quantity: number): LineUnits => ({ lineId, quantity });
const received = (body: string, now: Date = LATER): Received => ({
  channel: 'api',
  receivedAt: now.toISOString(),
  supplierId: 'S1',
  contentType: 'application/json',
  body,
});

const create = (extra: { lines?: readonly PoLine[]; enforceShipBy?: boolean; timeoutPolicy?: TimeoutPolicy } = {}): Step => ({
  type: 'CreatePurchaseOrder',
  data: {
    poId: 'po-1',
    poNumber: '1001-ACME',
    orderId: 'o-1',
    orderNumber: '#1001',
    groupId: 'o-1:1:S1',
    supplierId: 'S1',
    currency: 'EUR',
    lines: LINES,
    shipTo: SHIP_TO,
    shipMethod: 'ground',
    brandingRef: 'brand-1',
    connector: 'api',
    timeoutPolicy: 'resource',
    confirmBy: CONFIRM_BY,
    shipBy: SHIP_BY,
    deliverBy: at(120).toISOString(),
    enforceShipBy: true,
    now: NOW,
    ...extra,
  },
});
const dispatch = (document?: string, now: Date = LATER): Step => ({ type: 'MarkDispatched', data: { via: 'api', ...(document ? { document } : {}), now } });
const line = (lineId: string, accepted: number, rest: Partial<Omit<AcknowledgedLine, 'lineId' | 'accepted'>> = {}): AcknowledgedLine => ({
  lineId,
  accepted,
  rejected: 0,
  backordered: 0,
  ...rest,
});
const ack = (lines: readonly AcknowledgedLine[], now: Date = LATER, body = 'ack'): Step => ({ type: 'Acknowledge', data: { lines, received: received(body, now), now } });
const ACK_ALL = ack([line('l1', 3), line('l2', 2)]);
const ship = (shipmentId: string, lines: readonly LineUnits[], now: Date = at(2)): Step => ({
  type: 'RecordShipment',
  data: {
    shipmentId,
    carrier: 'ups',
    trackingNumber: `1Z${shipmentId}`,
    tracking: { valid: true, carrier: 'ups' },
    lines,
    shippedAt: now.toISOString(),
    received: received(`ship ${shipmentId}`, now),
    now,
  },
});
const invoice = (invoiceNumber: string, lines: readonly LineUnits[], now: Date = at(3)): Step => {
  const billed = lines.map((l) => ({ ...l, unitCost: COST[l.lineId] ?? 0 }));
  return {
    type: 'RecordInvoice',
    data: {
      invoiceNumber,
      lines: billed,
      total: billed.reduce((n, l) => n + l.quantity * l.unitCost, 0),
      invoicedAt: now.toISOString(),
      received: received(`invoice ${invoiceNumber}`, now),
      now,
    },
  };
};
const requestCancel = (requestId: string, lines: readonly LineUnits[], reason?: string, now: Date = at(2)): Step => ({
  type: 'RequestCancellation',
  data: { requestId, lines, ...(reason ? { reason } : {}), now },
});
const answer = (accepted: boolean, reason?: string, now: Date = at(3)): Step => ({
  type: 'AnswerCancellation',
  data: { accepted, ...(reason ? { reason } : {}), received: received(`answer ${accepted}`, now), now },
});
const supplierCancel = (lines?: readonly LineUnits[], reason?: string, now: Date = at(2)): Step => ({
  type: 'SupplierCancel',
  data: { ...(lines ? { lines } : {}), ...(reason ? { reason } : {}), received: received('cancel', now), now },
});
const expire = (now: Date): Step => ({ type: 'ExpireDeadlines', data: { now } });
const notify = (key: string, document?: string, now: Date = LATER): Step => ({
  type: 'RecordNotification',
  data: { key, about: 'time_out', via: 'edi', ...(document ? { document } : {}), now },
});

const types = (events: readonly PurchaseOrderEvent[]) => events.map((e) => e.type);
const refusal = (events: readonly PurchaseOrderEvent[]) => {
  expect(types(events)).toEqual(['SupplierMessageRefused']);
  return (events[0] as Extract<PurchaseOrderEvent, { type: 'SupplierMessageRefused' }>).data;
};

const CREATED: Step[] = [create()];
const DISPATCHED: Step[] = [create(), dispatch()];
const ACKNOWLEDGED: Step[] = [...DISPATCHED, ACK_ALL];
/** Everything accepted and shipped, nothing billed yet. */
const SHIPPED: Step[] = [...ACKNOWLEDGED, ship('sh-1', [q('l1', 3), q('l2', 2)])];
const CLOSED: Step[] = [...SHIPPED, invoice('inv-1', [q('l1', 3), q('l2', 2)])];
const CANCELLED: Step[] = [...DISPATCHED, requestCancel('c-1', [])];
const TIMED_OUT: Step[] = [...DISPATCHED, expire(at(24))];

describe('purchase order decider', () => {
  describe('CreatePurchaseOrder', () => {
    it('records the PO as asked, with the time it was created, and opens every line', () => {
      const { events, open } = given().when(create());
      const { now: _now, ...asked } = (create() as Extract<Step, { type: 'CreatePurchaseOrder' }>).data;
      expect(events).toEqual([{ type: 'PurchaseOrderCreated', data: { ...asked, createdAt: NOW.toISOString() } }]);
      expect(open().status).toBe('created');
      expect(openLines(open())).toEqual([q('l1', 3), q('l2', 2)]);
      expect(open().acknowledged).toBeUndefined();
      expect(open().pendingCancellation).toBeUndefined();
    });

    it('is idempotent: a second create, even with other lines, records nothing and changes nothing', () => {
      const po = given(create());
      const again = po.when(create({ lines: [{ lineNumber: 1, lineId: 'l9', sku: 'Q', quantity: 9, unitCost: 1 }] }));
      expect(again.events).toEqual([]);
      expect(again.state).toEqual(po.state);
      // Also once the PO has moved on.
      expect(given(...SHIPPED).when(create()).events).toEqual([]);
    });

    it('refuses a PO without lines', () => {
      expect(() => given().when(create({ lines: [] }))).toThrow(PurchaseOrderError);
      expect(() => given().when(create({ lines: [] }))).toThrow(/at least one line/);
    });

    it.each<[string, Step]>([
      ['MarkDispatched', dispatch()],
      ['Acknowledge', ACK_ALL],
      ['RecordShipment', ship('sh-1', [q('l1', 1)])],
      ['RecordInvoice', invoice('inv-1', [q('l1', 1)])],
      ['RequestCancellation', requestCancel('c-1', [])],
      ['AnswerCancellation', answer(true)],
      ['SupplierCancel', supplierCancel()],
      ['ExpireDeadlines', expire(at(100))],
      ['RecordNotification', notify('k-1')],
    ])('refuses %s before the PO exists', (_name, command) => {
      expect(() => given().when(command)).toThrow(PurchaseOrderError);
    });

    it('cannot fold an event onto a PO that was never created', () => {
      expect(() => purchaseOrderDecider.evolve({ status: 'none' }, { type: 'PurchaseOrderClosed', data: { closedAt: NOW.toISOString() } })).toThrow(PurchaseOrderError);
    });
  });

  describe('MarkDispatched', () => {
    it('marks a created PO dispatched, with what was sent and its open lines', () => {
      const { events, open } = given(...CREATED).when(dispatch('EDI-850-1'));
      expect(events).toEqual([{ type: 'PurchaseOrderDispatched', data: { via: 'api', lines: [q('l1', 3), q('l2', 2)], document: 'EDI-850-1', dispatchedAt: LATER.toISOString() } }]);
      expect(open().status).toBe('dispatched');
      // No document given: none recorded (not `document: undefined`).
      expect(given(...CREATED).when(dispatch()).events[0]!.data).not.toHaveProperty('document');
    });

    it('sends only what is still open', () => {
      const { events } = given(create(), requestCancel('c-1', [q('l1', 1), q('l2', 2)])).when(dispatch());
      expect(events).toMatchObject([{ type: 'PurchaseOrderDispatched', data: { lines: [q('l1', 2)] } }]);
    });

    it.each<[string, Step[]]>([
      ['dispatched', DISPATCHED],
      ['acknowledged', ACKNOWLEDGED],
      ['cancelled', CANCELLED],
      ['timed_out', TIMED_OUT],
      ['closed', CLOSED],
    ])('records nothing once the PO is %s', (status, steps) => {
      const po = given(...steps);
      expect(po.open.status).toBe(status);
      const { events, state } = po.when(dispatch());
      expect(events).toEqual([]);
      expect(state).toEqual(po.state);
    });
  });

  describe('Acknowledge', () => {
    it('accepts everything, from a dispatched or a merely created PO', () => {
      const { events, open } = given(...DISPATCHED).when(ack([line('l1', 3), line('l2', 2)]));
      expect(events).toEqual([
        {
          type: 'PurchaseOrderAcknowledged',
          data: {
            lines: [
              { lineId: 'l1', accepted: 3, rejected: 0, backordered: 0 },
              { lineId: 'l2', accepted: 2, rejected: 0, backordered: 0 },
            ],
            acknowledgedAt: LATER.toISOString(),
            received: received('ack'),
          },
        },
      ]);
      expect(open().status).toBe('acknowledged');
      expect(openLines(open())).toEqual([q('l1', 3), q('l2', 2)]);
      expect(given(...CREATED).when(ACK_ALL).open().status).toBe('acknowledged');
    });

    it('takes units the supplier did not mention as accepted, including whole lines', () => {
      const { events } = given(...DISPATCHED).when(ack([]));
      expect(events).toMatchObject([{ data: { lines: [line('l1', 3), line('l2', 2)] } }]);
    });

    it('records a partial answer per line: accepted, rejected, backordered past ship-by (given back)', () => {
      const late = at(100).toISOString();
      const { events, open } = given(...DISPATCHED).when(
        ack([line('l1', 1, { rejected: 1, reason: 'damaged stock' }), line('l2', 0, { backordered: 2, backorderDate: late, reason: 'awaiting restock' })]),
      );
      expect(events).toMatchObject([
        {
          type: 'PurchaseOrderAcknowledged',
          data: {
            lines: [
              // 1 accepted + 1 rejected named; the third kettle was not mentioned, so it is accepted.
              { lineId: 'l1', accepted: 2, rejected: 1, backordered: 0, reason: 'damaged stock' },
              { lineId: 'l2', accepted: 0, rejected: 0, backordered: 2, backorderDate: late, reason: 'awaiting restock' },
            ],
          },
        },
      ]);
      expect(open().status).toBe('acknowledged');
      expect(openUnits(open(), 'l1')).toBe(2);
      expect(openUnits(open(), 'l2')).toBe(0);
      expect(openLines(open())).toEqual([q('l1', 2)]);
    });

    it('counts a backorder that still ships by ship-by (on or before) as accepted; one after it, or without a date, stays backordered', () => {
      const po = given(...DISPATCHED);
      const ackedLine = (backorderDate: string | undefined) =>
        (po.when(ack([line('l1', 1, { backordered: 2, ...(backorderDate ? { backorderDate } : {}) })])).events[0] as Extract<PurchaseOrderEvent, { type: 'PurchaseOrderAcknowledged' }>)
          .data.lines[0];

      expect(ackedLine(at(48).toISOString())).toEqual({ lineId: 'l1', accepted: 3, rejected: 0, backordered: 0, backorderDate: at(48).toISOString() });
      expect(ackedLine(SHIP_BY)).toEqual({ lineId: 'l1', accepted: 3, rejected: 0, backordered: 0, backorderDate: SHIP_BY });
      const justAfter = new Date(Date.parse(SHIP_BY) + 1).toISOString();
      expect(ackedLine(justAfter)).toEqual({ lineId: 'l1', accepted: 1, rejected: 0, backordered: 2, backorderDate: justAfter });
      expect(ackedLine(undefined)).toEqual({ lineId: 'l1', accepted: 1, rejected: 0, backordered: 2 });

      expect(openUnits(po.when(ack([line('l1', 1, { backordered: 2, backorderDate: SHIP_BY })])).open(), 'l1')).toBe(3);
      expect(openUnits(po.when(ack([line('l1', 1, { backordered: 2, backorderDate: justAfter })])).open(), 'l1')).toBe(1);
    });

    it('adds up a line named twice', () => {
      const { events } = given(...DISPATCHED).when(ack([line('l1', 1), line('l1', 0, { rejected: 1 })]));
      expect(events).toMatchObject([{ data: { lines: [line('l1', 2, { rejected: 1 }), line('l2', 2)] } }]);
    });

    it('refuses and records an acknowledgement of more units than ordered, and applies nothing', () => {
      const po = given(...DISPATCHED);
      const { events, state } = po.when(ack([line('l1', 2, { rejected: 1, backordered: 1 })], at(2), 'too many'));
      expect(refusal(events)).toEqual({
        command: 'Acknowledge',
        status: 'dispatched',
        reason: 'Line 1 acknowledges 4 units of 3 ordered',
        refusedAt: at(2).toISOString(),
        received: received('too many', at(2)),
      });
      expect(state).toEqual(po.state);
      // Twice in one message counts too.
      expect(refusal(po.when(ack([line('l2', 2), line('l2', 1)])).events).reason).toBe('Line 2 acknowledges 3 units of 2 ordered');
    });

    it('refuses and records an acknowledgement naming a line the PO does not have', () => {
      const po = given(...DISPATCHED);
      const { events, state } = po.when(ack([line('l1', 3), line('l9', 1)]));
      expect(refusal(events)).toMatchObject({ command: 'Acknowledge', status: 'dispatched', reason: 'Unknown lines: l9' });
      expect(state).toEqual(po.state);
    });

    it('ends the PO cancelled when everything is rejected, and leaves nothing open', () => {
      const { events, open, state } = given(...DISPATCHED).when(ack([line('l1', 0, { rejected: 3 }), line('l2', 0, { rejected: 2 })]));
      expect(types(events)).toEqual(['PurchaseOrderAcknowledged']);
      expect(open().status).toBe('cancelled');
      expect(openLines(open())).toEqual([]);
      expect(nextDeadline(state)).toBeUndefined();
      const after = given(...DISPATCHED, ack([line('l1', 0, { rejected: 3 }), line('l2', 0, { rejected: 2 })]));
      expect(refusal(after.when(ship('sh-1', [q('l1', 1)])).events).status).toBe('cancelled');
      expect(after.when(expire(at(100))).events).toEqual([]);
      expect(after.when(requestCancel('c-1', [])).events).toEqual([]);
    });

    it('refuses a second acknowledgement: the first one stands', () => {
      const po = given(...ACKNOWLEDGED);
      const { events, state } = po.when(ack([line('l1', 0, { rejected: 3 })], at(2)));
      expect(refusal(events)).toMatchObject({ command: 'Acknowledge', status: 'acknowledged', reason: 'Acknowledgement refused: the PO is acknowledged' });
      expect(state).toEqual(po.state);
    });

    it('refuses a late acknowledgement once the PO timed out, saying so; the PO stays timed out', () => {
      const po = given(...TIMED_OUT);
      const { events, open, state } = po.when(ACK_ALL);
      const refused = refusal(events);
      expect(refused).toMatchObject({ command: 'Acknowledge', status: 'timed_out', received: received('ack') });
      expect(refused.reason).toMatch(/timed out/);
      expect(refused.reason).toContain(CONFIRM_BY);
      expect(open().status).toBe('timed_out');
      expect(open().acknowledged).toBeUndefined();
      expect(state).toEqual(po.state);
    });

    it('refuses an acknowledgement of a PO we cancelled, or one the supplier already started shipping', () => {
      expect(refusal(given(...CANCELLED).when(ACK_ALL).events)).toMatchObject({ status: 'cancelled', reason: 'Acknowledgement refused: the PO is cancelled' });
      expect(refusal(given(...DISPATCHED, ship('sh-1', [q('l1', 1)])).when(ACK_ALL).events).status).toBe('partially_shipped');
    });
  });

  describe('RecordShipment', () => {
    it('records a partial then a full shipment: partially shipped, then shipped', () => {
      const first = given(...ACKNOWLEDGED).when(ship('sh-1', [q('l1', 1)]));
      expect(first.events).toEqual([
        {
          type: 'PurchaseOrderShipped',
          data: {
            shipmentId: 'sh-1',
            carrier: 'ups',
            trackingNumber: '1Zsh-1',
            tracking: { valid: true, carrier: 'ups' },
            lines: [q('l1', 1)],
            shippedAt: at(2).toISOString(),
            shipBy: SHIP_BY,
            received: received('ship sh-1', at(2)),
          },
        },
      ]);
      expect(first.open().status).toBe('partially_shipped');
      expect(openLines(first.open())).toEqual([q('l1', 2), q('l2', 2)]);

      const second = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 1)])).when(ship('sh-2', [q('l1', 2), q('l2', 2)], at(4)));
      expect(types(second.events)).toEqual(['PurchaseOrderShipped']);
      expect(second.open().status).toBe('shipped');
      expect(openLines(second.open())).toEqual([]);
      expect(second.open().shipped).toEqual({ l1: 3, l2: 2 });
    });

    it('carries the tracking validation it was given, the tracking url, and the PO ship-by', () => {
      const base = ship('sh-1', [q('l1', 1)]) as Extract<Step, { type: 'RecordShipment' }>;
      const command: Step = {
        ...base,
        data: { ...base.data, carrier: 'fedex', trackingNumber: 'NOT-A-NUMBER', trackingUrl: 'https://t.example/1', tracking: { valid: false, carrier: 'fedex', reason: 'bad check digit' } },
      };
      const { events } = given(...ACKNOWLEDGED).when(command);
      expect(events).toMatchObject([
        {
          type: 'PurchaseOrderShipped',
          data: { carrier: 'fedex', trackingNumber: 'NOT-A-NUMBER', trackingUrl: 'https://t.example/1', tracking: { valid: false, carrier: 'fedex', reason: 'bad check digit' }, shipBy: SHIP_BY },
        },
      ]);
    });

    it('accepts a shipment before any acknowledgement: it takes what it carries as accepted', () => {
      for (const steps of [CREATED, DISPATCHED]) {
        const partial = given(...steps).when(ship('sh-1', [q('l1', 2)]));
        expect(types(partial.events)).toEqual(['PurchaseOrderShipped']);
        expect(partial.open().status).toBe('partially_shipped');
        expect(openLines(partial.open())).toEqual([q('l1', 1), q('l2', 2)]);
        const all = given(...steps).when(ship('sh-1', [q('l1', 3), q('l2', 2)]));
        expect(all.open().status).toBe('shipped');
      }
      // Still no more than was ordered.
      expect(refusal(given(...DISPATCHED).when(ship('sh-1', [q('l1', 4)])).events).status).toBe('dispatched');
    });

    it('records a shipment id once: a redelivery records nothing, even with other lines or after the PO moved on', () => {
      const po = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 1)]));
      const again = po.when(ship('sh-1', [q('l1', 1)]));
      expect(again.events).toEqual([]);
      expect(again.state).toEqual(po.state);
      expect(po.when(ship('sh-1', [q('l2', 2)])).events).toEqual([]);
      expect(given(...CLOSED).when(ship('sh-1', [q('l1', 3), q('l2', 2)])).events).toEqual([]);
    });

    it('leaves out empty lines, and refuses a shipment of nothing', () => {
      const po = given(...ACKNOWLEDGED);
      expect(po.when(ship('sh-1', [q('l1', 1), q('l2', 0)])).events).toMatchObject([{ data: { lines: [q('l1', 1)] } }]);
      expect(refusal(po.when(ship('sh-1', [q('l2', 0)])).events).reason).toBe('Shipment sh-1 ships nothing');
      expect(refusal(po.when(ship('sh-1', [])).events).reason).toBe('Shipment sh-1 ships nothing');
    });

    it('refuses and records shipping more than is open, and applies nothing', () => {
      const po = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 2)]));
      const { events, state } = po.when(ship('sh-2', [q('l2', 1), q('l1', 2)], at(3)));
      expect(refusal(events)).toEqual({
        command: 'RecordShipment',
        status: 'partially_shipped',
        reason: 'Shipment sh-2 ships 2 of line l1, but 1 are open',
        refusedAt: at(3).toISOString(),
        received: received('ship sh-2', at(3)),
      });
      expect(state).toEqual(po.state);
      // The refused shipment id is not remembered: a corrected message under it is recorded.
      expect(types(po.when(ship('sh-2', [q('l2', 1), q('l1', 1)])).events)).toEqual(['PurchaseOrderShipped']);
    });

    it('refuses shipping units of one line named twice beyond what is open', () => {
      const po = given(...ACKNOWLEDGED);
      const { events, state } = po.when(ship('sh-1', [q('l1', 2), q('l1', 2)]));
      expect(refusal(events)).toMatchObject({ command: 'RecordShipment', status: 'acknowledged' });
      expect(state).toEqual(po.state);
    });

    it('refuses shipping a rejected line, a line given back as backordered, or a line the PO does not have', () => {
      const po = given(...DISPATCHED, ack([line('l1', 3), line('l2', 0, { rejected: 1, backordered: 1, backorderDate: at(100).toISOString() })]));
      expect(refusal(po.when(ship('sh-1', [q('l2', 1)])).events).reason).toBe('Shipment sh-1 ships 1 of line l2, but 0 are open');
      expect(refusal(po.when(ship('sh-1', [q('l9', 1)])).events).reason).toBe('Shipment sh-1 ships 1 of line l9, but 0 are open');
    });

    it.each<[string, Step[]]>([
      ['cancelled', CANCELLED],
      ['timed_out', TIMED_OUT],
      ['shipped', SHIPPED],
      ['closed', CLOSED],
    ])('refuses and records a shipment once the PO is %s', (status, steps) => {
      const po = given(...steps);
      const { events, state } = po.when(ship('sh-9', [q('l1', 1)]));
      expect(refusal(events)).toMatchObject({ command: 'RecordShipment', status, reason: `Shipment refused: the PO is ${status}`, received: received('ship sh-9', at(2)) });
      expect(state).toEqual(po.state);
    });
  });

  describe('RecordInvoice', () => {
    it.each<[string, Step[]]>([
      ['created', CREATED],
      ['dispatched', DISPATCHED],
      ['acknowledged', ACKNOWLEDGED],
      ['cancelled', CANCELLED],
      ['timed_out', TIMED_OUT],
    ])('refuses and records an invoice while nothing has shipped (%s)', (status, steps) => {
      const po = given(...steps);
      const { events, state } = po.when(invoice('inv-1', [q('l1', 1)]));
      expect(refusal(events)).toMatchObject({ command: 'RecordInvoice', status, reason: `Invoice refused: the PO is ${status}` });
      expect(state).toEqual(po.state);
    });

    it('records an invoice for shipped units in the PO currency, and keeps the PO open while units are still to ship', () => {
      const { events, open } = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 2)])).when(invoice('inv-1', [q('l1', 2)]));
      expect(events).toEqual([
        {
          type: 'PurchaseOrderInvoiced',
          data: {
            invoiceNumber: 'inv-1',
            currency: 'EUR',
            lines: [{ lineId: 'l1', quantity: 2, unitCost: 1000 }],
            total: 2000,
            invoicedAt: at(3).toISOString(),
            received: received('invoice inv-1', at(3)),
          },
        },
      ]);
      expect(open().status).toBe('partially_shipped');
      expect(open().invoiced).toEqual({ l1: 2 });
    });

    it('refuses and records billing more than was shipped and not yet billed', () => {
      const po = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 2)]), invoice('inv-1', [q('l1', 1)]));
      const { events, state } = po.when(invoice('inv-2', [q('l1', 2)], at(4)));
      expect(refusal(events)).toEqual({
        command: 'RecordInvoice',
        status: 'partially_shipped',
        reason: 'Invoice inv-2 bills 2 of line l1, 1 shipped and not yet billed',
        refusedAt: at(4).toISOString(),
        received: received('invoice inv-2', at(4)),
      });
      expect(state).toEqual(po.state);
      // A line not shipped at all.
      expect(refusal(po.when(invoice('inv-2', [q('l2', 1)])).events).reason).toBe('Invoice inv-2 bills 1 of line l2, 0 shipped and not yet billed');
      expect(types(po.when(invoice('inv-2', [q('l1', 1)])).events)).toEqual(['PurchaseOrderInvoiced']);
    });

    it('refuses billing units of one line named twice beyond what was shipped and not yet billed', () => {
      const po = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 2)]));
      const { events, state } = po.when(invoice('inv-1', [q('l1', 2), q('l1', 2)]));
      expect(refusal(events)).toMatchObject({ command: 'RecordInvoice', status: 'partially_shipped' });
      expect(state).toEqual(po.state);
    });

    it('records an invoice number once: a redelivery records nothing', () => {
      const po = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 2)]), invoice('inv-1', [q('l1', 1)]));
      const again = po.when(invoice('inv-1', [q('l1', 1)]));
      expect(again.events).toEqual([]);
      expect(again.state).toEqual(po.state);
      expect(given(...CLOSED).when(invoice('inv-1', [q('l1', 3), q('l2', 2)])).events).toEqual([]);
    });

    it('closes the PO in the same decision once every accepted unit shipped and every shipped unit is billed', () => {
      const { events, open } = given(...SHIPPED).when(invoice('inv-1', [q('l1', 3), q('l2', 2)], at(5)));
      expect(types(events)).toEqual(['PurchaseOrderInvoiced', 'PurchaseOrderClosed']);
      expect(events[1]).toEqual({ type: 'PurchaseOrderClosed', data: { closedAt: at(5).toISOString() } });
      expect(open().status).toBe('closed');
      expect(nextDeadline(open())).toBeUndefined();
    });

    it('does not close while shipped units are unbilled, whichever comes last', () => {
      // Billed in two invoices: 'invoiced' in between.
      const half = given(...SHIPPED).when(invoice('inv-1', [q('l1', 3)]));
      expect(types(half.events)).toEqual(['PurchaseOrderInvoiced']);
      expect(half.open().status).toBe('invoiced');
      expect(types(given(...SHIPPED, invoice('inv-1', [q('l1', 3)])).when(invoice('inv-2', [q('l2', 2)])).events)).toEqual(['PurchaseOrderInvoiced', 'PurchaseOrderClosed']);

      // Billed as it shipped: the last shipment leaves units unbilled, the last invoice closes.
      const po = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 1)]), invoice('inv-1', [q('l1', 1)]));
      const lastShipment = po.when(ship('sh-2', [q('l1', 2), q('l2', 2)]));
      expect(types(lastShipment.events)).toEqual(['PurchaseOrderShipped']);
      expect(lastShipment.open().status).toBe('invoiced');
      expect(types(po.when(ship('sh-2', [q('l1', 2), q('l2', 2)]), invoice('inv-2', [q('l1', 2), q('l2', 2)])).events)).toEqual([
        'PurchaseOrderShipped',
        'PurchaseOrderInvoiced',
        'PurchaseOrderClosed',
      ]);
    });

    it('closes on the accepted units only: rejected units are never waited for', () => {
      const po = given(...DISPATCHED, ack([line('l1', 3), line('l2', 0, { rejected: 2 })]), ship('sh-1', [q('l1', 3)]));
      expect(po.open.status).toBe('shipped');
      expect(types(po.when(invoice('inv-1', [q('l1', 3)])).events)).toEqual(['PurchaseOrderInvoiced', 'PurchaseOrderClosed']);
    });

    it.each<[string, Step]>([
      ['Acknowledge', ACK_ALL],
      ['RecordShipment', ship('sh-9', [q('l1', 1)])],
      ['RecordInvoice', invoice('inv-9', [q('l1', 1)])],
      ['AnswerCancellation', answer(true)],
      ['SupplierCancel', supplierCancel()],
    ])('refuses and records %s once the PO is closed', (command, step) => {
      const po = given(...CLOSED);
      const { events, state } = po.when(step);
      expect(refusal(events)).toMatchObject({ command, status: 'closed' });
      expect(state).toEqual(po.state);
    });

    it('records nothing for our own commands once the PO is closed', () => {
      const po = given(...CLOSED);
      expect(po.when(requestCancel('c-1', [])).events).toEqual([]);
      expect(po.when(expire(at(1000))).events).toEqual([]);
      expect(po.when(dispatch()).events).toEqual([]);
    });
  });

  describe('RequestCancellation', () => {
    it('cancels at once, by the retailer, before the supplier acknowledged; no lines named means everything open', () => {
      for (const steps of [CREATED, DISPATCHED]) {
        const { events, open, state } = given(...steps).when(requestCancel('c-1', [], 'customer changed their mind'));
        expect(events).toEqual([
          {
            type: 'PurchaseOrderCancelled',
            data: { lines: [q('l1', 3), q('l2', 2)], by: 'retailer', requestId: 'c-1', reason: 'customer changed their mind', cancelledAt: at(2).toISOString() },
          },
        ]);
        expect(open().status).toBe('cancelled');
        expect(openLines(open())).toEqual([]);
        expect(nextDeadline(state)).toBeUndefined();
      }
      expect(given(...CREATED).when(requestCancel('c-1', [])).events[0]!.data).not.toHaveProperty('reason');
    });

    it('cancels only the units named, capped to what is open, and the PO stays waiting for the rest', () => {
      const { events, open } = given(...DISPATCHED).when(requestCancel('c-1', [q('l1', 5), q('l9', 1)]));
      expect(events).toMatchObject([{ type: 'PurchaseOrderCancelled', data: { lines: [q('l1', 3)], by: 'retailer' } }]);
      expect(open().status).toBe('dispatched');
      expect(openLines(open())).toEqual([q('l2', 2)]);
      expect(nextDeadline(open())).toEqual({ deadline: 'confirm', due: CONFIRM_BY });
    });

    it('asks the supplier once it has acknowledged: the cancellation is pending', () => {
      const { events, open } = given(...ACKNOWLEDGED).when(requestCancel('c-1', [q('l1', 1), q('l1', 5)], 'customer request'));
      expect(events).toEqual([
        { type: 'PurchaseOrderCancellationRequested', data: { requestId: 'c-1', lines: [q('l1', 3)], reason: 'customer request', requestedAt: at(2).toISOString() } },
      ]);
      expect(open().status).toBe('acknowledged');
      expect(open().pendingCancellation).toEqual({ requestId: 'c-1', lines: [q('l1', 3)] });
      // Nothing is cancelled until the supplier answers.
      expect(openLines(open())).toEqual([q('l1', 3), q('l2', 2)]);
    });

    it('cancels what is still open when the supplier accepts', () => {
      const { events, open } = given(...ACKNOWLEDGED, requestCancel('c-1', [])).when(answer(true, 'not yet picked'));
      expect(events).toEqual([
        {
          type: 'PurchaseOrderCancelled',
          data: { lines: [q('l1', 3), q('l2', 2)], by: 'retailer', requestId: 'c-1', reason: 'not yet picked', cancelledAt: at(3).toISOString(), received: received('answer true', at(3)) },
        },
      ]);
      expect(open().status).toBe('cancelled');
      expect(open().pendingCancellation).toBeUndefined();

      const partial = given(...ACKNOWLEDGED, requestCancel('c-1', [q('l2', 2)])).when(answer(true));
      expect(partial.events).toMatchObject([{ type: 'PurchaseOrderCancelled', data: { lines: [q('l2', 2)] } }]);
      expect(partial.open().status).toBe('acknowledged');
      expect(openLines(partial.open())).toEqual([q('l1', 3)]);
    });

    it('records the refusal when the supplier refuses, and nothing is cancelled', () => {
      const po = given(...ACKNOWLEDGED, requestCancel('c-1', [q('l1', 2)]));
      const { events, open } = po.when(answer(false, 'already packed'));
      expect(events).toEqual([
        {
          type: 'PurchaseOrderCancellationRefused',
          data: { requestId: 'c-1', lines: [q('l1', 2)], reason: 'already packed', refusedAt: at(3).toISOString(), received: received('answer false', at(3)) },
        },
      ]);
      expect(open().status).toBe('acknowledged');
      expect(open().pendingCancellation).toBeUndefined();
      expect(openLines(open())).toEqual([q('l1', 3), q('l2', 2)]);
      expect(po.when(answer(false)).events).toMatchObject([{ data: { reason: 'refused by the supplier' } }]);
      // Answered: a new request may be made.
      expect(types(given(...ACKNOWLEDGED, requestCancel('c-1', [q('l1', 2)]), answer(false)).when(requestCancel('c-2', [q('l1', 1)])).events)).toEqual([
        'PurchaseOrderCancellationRequested',
      ]);
    });

    it('a shipment while the request is pending shrinks what the accepted answer cancels', () => {
      const { events, open } = given(...ACKNOWLEDGED, requestCancel('c-1', [q('l1', 3)]), ship('sh-1', [q('l1', 2)])).when(answer(true));
      expect(events).toMatchObject([{ type: 'PurchaseOrderCancelled', data: { lines: [q('l1', 1)], by: 'retailer', requestId: 'c-1' } }]);
      expect(open().status).toBe('partially_shipped');
      expect(openLines(open())).toEqual([q('l2', 2)]);
      expect(open().shipped).toEqual({ l1: 2 });

      // Shipped in full meanwhile: the shipment answers the request (refused: shipped), and a
      // later acceptance from the supplier has nothing left to answer.
      const shipped = given(...ACKNOWLEDGED, requestCancel('c-1', [q('l1', 3)])).when(ship('sh-1', [q('l1', 3)]));
      expect(types(shipped.events)).toContain('PurchaseOrderCancellationRefused');
      expect(shipped.open().pendingCancellation).toBeUndefined();
      const moot = given(...ACKNOWLEDGED, requestCancel('c-1', [q('l1', 3)]), ship('sh-1', [q('l1', 3)])).when(answer(true));
      expect(types(moot.events)).toEqual(['SupplierMessageRefused']);
    });

    it('keeps the PO from closing while a cancellation is pending, and closes it on the answer', () => {
      const po = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 3)]), invoice('inv-1', [q('l1', 3)]), requestCancel('c-1', [q('l2', 2)]));
      expect(po.open.status).toBe('partially_shipped');
      const { events, open } = po.when(answer(true));
      expect(types(events)).toEqual(['PurchaseOrderCancelled', 'PurchaseOrderClosed']);
      expect(open().status).toBe('closed');
    });

    it('still closes the PO when everything ships and is billed while a cancellation is pending', () => {
      const { events, open } = given(...ACKNOWLEDGED, requestCancel('c-1', [q('l1', 1)]), ship('sh-1', [q('l1', 3), q('l2', 2)])).when(invoice('inv-1', [q('l1', 3), q('l2', 2)]));
      expect(types(events)).toEqual(['PurchaseOrderInvoiced', 'PurchaseOrderClosed']);
      expect(open().status).toBe('closed');
    });

    it('refuses a request when everything has shipped, and remembers it', () => {
      const po = given(...SHIPPED);
      const { events, open } = po.when(requestCancel('c-1', [q('l1', 1)]));
      expect(events).toEqual([
        {
          type: 'PurchaseOrderCancellationRefused',
          data: { requestId: 'c-1', lines: [q('l1', 1)], reason: 'nothing left to cancel: shipped or already cancelled', refusedAt: at(2).toISOString() },
        },
      ]);
      expect(open().status).toBe('shipped');
      expect(given(...SHIPPED, requestCancel('c-1', [q('l1', 1)])).when(requestCancel('c-1', [q('l1', 1)])).events).toEqual([]);
    });

    it('records a request id once', () => {
      // Decided at once (before acknowledgement)…
      const cancelled = given(...DISPATCHED, requestCancel('c-1', [q('l1', 1)]));
      const again = cancelled.when(requestCancel('c-1', [q('l1', 1)]));
      expect(again.events).toEqual([]);
      expect(again.state).toEqual(cancelled.state);
      // …pending…
      expect(given(...ACKNOWLEDGED, requestCancel('c-1', [q('l1', 1)])).when(requestCancel('c-1', [q('l1', 1)])).events).toEqual([]);
      // …or answered.
      expect(given(...ACKNOWLEDGED, requestCancel('c-1', [q('l1', 1)]), answer(true)).when(requestCancel('c-1', [q('l1', 1)])).events).toEqual([]);
      expect(given(...ACKNOWLEDGED, requestCancel('c-1', [q('l1', 1)]), answer(false)).when(requestCancel('c-1', [q('l1', 1)])).events).toEqual([]);
    });

    it.each<[string, Step[]]>([
      ['cancelled', CANCELLED],
      ['timed_out', TIMED_OUT],
      ['closed', CLOSED],
    ])('records nothing once the PO is %s', (_status, steps) => {
      expect(given(...steps).when(requestCancel('c-9', [])).events).toEqual([]);
    });

    it.each<[string, Step[]]>([
      ['created', CREATED],
      ['acknowledged', ACKNOWLEDGED],
      ['shipped', SHIPPED],
      ['cancelled', CANCELLED],
    ])('refuses and records an answer when no cancellation is pending (%s)', (status, steps) => {
      const po = given(...steps);
      const { events, state } = po.when(answer(true));
      expect(refusal(events)).toEqual({
        command: 'AnswerCancellation',
        status,
        reason: 'No cancellation is waiting for an answer',
        refusedAt: at(3).toISOString(),
        received: received('answer true', at(3)),
      });
      expect(state).toEqual(po.state);
    });

    it('refuses a second answer to the same request', () => {
      expect(refusal(given(...ACKNOWLEDGED, requestCancel('c-1', [q('l1', 1)]), answer(false)).when(answer(true)).events).command).toBe('AnswerCancellation');
    });
  });

  describe('SupplierCancel', () => {
    it('cancels everything open, by the supplier, when no lines are named', () => {
      const { events, open } = given(...ACKNOWLEDGED).when(supplierCancel(undefined, 'discontinued'));
      expect(events).toEqual([
        {
          type: 'PurchaseOrderCancelled',
          data: { lines: [q('l1', 3), q('l2', 2)], by: 'supplier', reason: 'discontinued', cancelledAt: at(2).toISOString(), received: received('cancel', at(2)) },
        },
      ]);
      expect(open().status).toBe('cancelled');
      // Before acknowledging too.
      expect(given(...DISPATCHED).when(supplierCancel()).open().status).toBe('cancelled');
    });

    it('cancels the units named, capped to what is open', () => {
      const { events, open } = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 2)])).when(supplierCancel([q('l1', 3)]));
      expect(events).toMatchObject([{ type: 'PurchaseOrderCancelled', data: { lines: [q('l1', 1)], by: 'supplier' } }]);
      expect(open().status).toBe('partially_shipped');
      expect(openLines(open())).toEqual([q('l2', 2)]);
      // The rest too: what shipped stays shipped.
      const rest = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 2)])).when(supplierCancel());
      expect(rest.events).toMatchObject([{ data: { lines: [q('l1', 1), q('l2', 2)] } }]);
      expect(rest.open().status).toBe('shipped');
    });

    it('closes the PO when what it cancels was the last thing open and all shipped is billed', () => {
      const { events } = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 3)]), invoice('inv-1', [q('l1', 3)])).when(supplierCancel());
      expect(types(events)).toEqual(['PurchaseOrderCancelled', 'PurchaseOrderClosed']);
    });

    it('refuses and records a cancellation of nothing open', () => {
      const po = given(...DISPATCHED, ack([line('l1', 3), line('l2', 0, { rejected: 2 })]));
      const { events, state } = po.when(supplierCancel([q('l2', 2)]));
      expect(refusal(events)).toEqual({ command: 'SupplierCancel', status: 'acknowledged', reason: 'Nothing left to cancel', refusedAt: at(2).toISOString(), received: received('cancel', at(2)) });
      expect(state).toEqual(po.state);
    });

    it.each<[string, Step[]]>([
      ['shipped', SHIPPED],
      ['cancelled', CANCELLED],
      ['timed_out', TIMED_OUT],
    ])('refuses and records a cancellation once the PO is %s', (status, steps) => {
      expect(refusal(given(...steps).when(supplierCancel()).events)).toMatchObject({ status, reason: `Cancellation refused: the PO is ${status}` });
    });

    it('leaves our pending request waiting when it cancels other lines', () => {
      const { events } = given(...ACKNOWLEDGED, requestCancel('c-1', [q('l1', 1)]), supplierCancel([q('l2', 2)])).when(answer(true));
      expect(events).toMatchObject([{ type: 'PurchaseOrderCancelled', data: { lines: [q('l1', 1)], by: 'retailer', requestId: 'c-1' } }]);
    });
  });

  describe('a copy of a supplier message', () => {
    const copy = <S extends Step>(step: S, messageId: string): S => ({ ...step, data: { ...step.data, received: { ...(step.data as { received: Received }).received, messageId } } });
    const ACK_M1 = copy(ACK_ALL, 'm1');

    it('is already known once the PO applied it: nothing recorded, even after the PO moved on', () => {
      const acknowledged = given(...DISPATCHED, ACK_M1);
      expect(acknowledged.when(copy(ack([line('l1', 3), line('l2', 2)], at(2)), 'm1')).events).toEqual([]);
      expect(given(...DISPATCHED, ACK_M1, ship('sh-1', [q('l1', 1)])).when(ACK_M1).events).toEqual([]);
      // Another message with another answer is still refused: the first acknowledgement stands.
      expect(refusal(acknowledged.when(copy(ack([line('l1', 0, { rejected: 3 })], at(2)), 'm2')).events).reason).toBe('Acknowledgement refused: the PO is acknowledged');
    });

    it('is already known when it cancelled the PO, so a retried cancellation is not refused as out of turn', () => {
      const cancelled = given(...DISPATCHED, copy(supplierCancel(), 'c1'));
      expect(cancelled.open.status).toBe('cancelled');
      expect(cancelled.when(copy(supplierCancel(), 'c1')).events).toEqual([]);
      expect(refusal(cancelled.when(copy(supplierCancel(), 'c2')).events).status).toBe('cancelled');
    });

    it('is decided again when the PO refused it: refused again, or applied once the PO allows it', () => {
      const early = copy(invoice('inv-1', [q('l1', 3)]), 'i1');
      expect(refusal(given(...ACKNOWLEDGED).when(early).events).status).toBe('acknowledged');
      const { events } = given(...ACKNOWLEDGED, early, ship('sh-1', [q('l1', 3)])).when(early);
      expect(types(events)).toEqual(['PurchaseOrderInvoiced']);
      expect(refusal(given(...TIMED_OUT, ACK_M1).when(ACK_M1).events).status).toBe('timed_out');
    });

    it('without an identity (recorded before messages had one) is decided as before', () => {
      expect(refusal(given(...ACKNOWLEDGED).when(ACK_ALL).events).status).toBe('acknowledged');
    });
  });

  describe('ExpireDeadlines', () => {
    it('records nothing before confirm-by', () => {
      const po = given(...DISPATCHED);
      expect(po.when(expire(new Date(Date.parse(CONFIRM_BY) - 1))).events).toEqual([]);
    });

    it('times the PO out at or after confirm-by while unacknowledged, with the PO time-out policy', () => {
      for (const steps of [CREATED, DISPATCHED]) {
        const { events, open, state } = given(...steps).when(expire(at(24)));
        expect(events).toEqual([
          { type: 'PurchaseOrderTimedOut', data: { deadline: 'confirm', due: CONFIRM_BY, lines: [q('l1', 3), q('l2', 2)], resolution: 'resource', timedOutAt: at(24).toISOString() } },
        ]);
        expect(open().status).toBe('timed_out');
        expect(openLines(open())).toEqual([]);
        expect(nextDeadline(state)).toBeUndefined();
      }
      expect(given(create({ timeoutPolicy: 'cancel' }), dispatch()).when(expire(at(30))).events).toMatchObject([
        { type: 'PurchaseOrderTimedOut', data: { deadline: 'confirm', resolution: 'cancel', timedOutAt: at(30).toISOString() } },
      ]);
    });

    it('times out only the units still open', () => {
      const { events } = given(...DISPATCHED, requestCancel('c-1', [q('l1', 2)])).when(expire(at(24)));
      expect(events).toMatchObject([{ data: { lines: [q('l1', 1), q('l2', 2)] } }]);
    });

    it('fires once: a time-out already recorded records nothing more', () => {
      expect(given(...TIMED_OUT).when(expire(at(25))).events).toEqual([]);
      expect(given(...TIMED_OUT).when(expire(at(1000))).events).toEqual([]);
    });

    it('no longer times out on confirm-by once acknowledged', () => {
      expect(given(...ACKNOWLEDGED).when(expire(at(24))).events).toEqual([]);
      expect(given(...ACKNOWLEDGED).when(expire(at(71))).events).toEqual([]);
    });

    it('enforces ship-by after acknowledgement when the supplier policy says so', () => {
      const po = given(...ACKNOWLEDGED);
      expect(po.when(expire(new Date(Date.parse(SHIP_BY) - 1))).events).toEqual([]);
      const { events, open } = po.when(expire(at(72)));
      expect(events).toEqual([
        { type: 'PurchaseOrderTimedOut', data: { deadline: 'ship', due: SHIP_BY, lines: [q('l1', 3), q('l2', 2)], resolution: 'resource', timedOutAt: at(72).toISOString() } },
      ]);
      expect(open().status).toBe('timed_out');
    });

    it('times out only the open units of a partially shipped PO, which keeps what shipped and ends shipped', () => {
      const po = given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 1)]));
      const { events, open, state } = po.when(expire(at(80)));
      expect(events).toEqual([
        { type: 'PurchaseOrderTimedOut', data: { deadline: 'ship', due: SHIP_BY, lines: [q('l1', 2), q('l2', 2)], resolution: 'resource', timedOutAt: at(80).toISOString() } },
      ]);
      expect(open().status).toBe('shipped');
      expect(open().shipped).toEqual({ l1: 1 });
      expect(openLines(open())).toEqual([]);
      expect(nextDeadline(state)).toBeUndefined();
      // What shipped can still be billed, and that closes the PO.
      expect(types(given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 1)]), expire(at(80))).when(invoice('inv-1', [q('l1', 1)])).events)).toEqual([
        'PurchaseOrderInvoiced',
        'PurchaseOrderClosed',
      ]);
      // Already billed: the time-out closes it.
      expect(types(given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 1)]), invoice('inv-1', [q('l1', 1)])).when(expire(at(80))).events)).toEqual([
        'PurchaseOrderTimedOut',
        'PurchaseOrderClosed',
      ]);
    });

    it('never enforces ship-by when the supplier policy does not', () => {
      const acked = given(create({ enforceShipBy: false }), dispatch(), ACK_ALL);
      expect(acked.when(expire(at(1000))).events).toEqual([]);
      expect(nextDeadline(acked.state)).toBeUndefined();
      const partly = given(create({ enforceShipBy: false }), dispatch(), ACK_ALL, ship('sh-1', [q('l1', 1)]));
      expect(partly.when(expire(at(1000))).events).toEqual([]);
      expect(nextDeadline(partly.state)).toBeUndefined();
      // The confirm deadline holds regardless.
      expect(given(create({ enforceShipBy: false })).when(expire(at(24))).events).toMatchObject([{ data: { deadline: 'confirm' } }]);
    });

    it('refuses the ack that lost the race to the time-out, and ignores the time-out that lost to the ack: one outcome', () => {
      const po = given(...DISPATCHED);
      // Both were decidable on the same state, between confirm-by and ship-by.
      const late = ack([line('l1', 3), line('l2', 2)], at(25), 'late ack');
      const deadline = expire(at(25));
      expect(types(po.when(late).events)).toEqual(['PurchaseOrderAcknowledged']);
      expect(types(po.when(deadline).events)).toEqual(['PurchaseOrderTimedOut']);

      const timedOutFirst = po.when(deadline, late);
      expect(types(timedOutFirst.events)).toEqual(['PurchaseOrderTimedOut', 'SupplierMessageRefused']);
      expect(timedOutFirst.open().status).toBe('timed_out');
      expect(timedOutFirst.open().acknowledged).toBeUndefined();

      const ackFirst = po.when(late, deadline);
      expect(types(ackFirst.events)).toEqual(['PurchaseOrderAcknowledged']);
      expect(ackFirst.open().status).toBe('acknowledged');
      expect(openLines(ackFirst.open())).toEqual([q('l1', 3), q('l2', 2)]);
    });

    it('says which deadline passed when it refuses an answer after a ship-by time-out', () => {
      const { events } = given(...ACKNOWLEDGED, expire(at(72))).when(ack([line('l1', 3), line('l2', 2)], at(73)));
      const refused = refusal(events);
      expect(refused.status).toBe('timed_out');
      expect(refused.reason).toContain(SHIP_BY);
      expect(refused.reason).not.toContain(CONFIRM_BY);
    });
  });

  describe('nextDeadline', () => {
    it.each<[string, PoState, ReturnType<typeof nextDeadline>]>([
      ['none', { status: 'none' }, undefined],
      ['created', given(...CREATED).state, { deadline: 'confirm', due: CONFIRM_BY }],
      ['dispatched', given(...DISPATCHED).state, { deadline: 'confirm', due: CONFIRM_BY }],
      ['acknowledged, ship-by enforced', given(...ACKNOWLEDGED).state, { deadline: 'ship', due: SHIP_BY }],
      ['acknowledged, ship-by not enforced', given(create({ enforceShipBy: false }), ACK_ALL).state, undefined],
      ['partially shipped after acknowledgement', given(...ACKNOWLEDGED, ship('sh-1', [q('l1', 1)])).state, { deadline: 'ship', due: SHIP_BY }],
      ['partially shipped without acknowledgement', given(...DISPATCHED, ship('sh-1', [q('l1', 1)])).state, { deadline: 'ship', due: SHIP_BY }],
      ['shipped', given(...SHIPPED).state, undefined],
      ['invoiced', given(...SHIPPED, invoice('inv-1', [q('l1', 1)])).state, undefined],
      ['closed', given(...CLOSED).state, undefined],
      ['cancelled', given(...CANCELLED).state, undefined],
      ['timed_out', given(...TIMED_OUT).state, undefined],
    ])('%s', (_name, state, expected) => {
      expect(nextDeadline(state)).toEqual(expected);
    });
  });

  describe('RecordNotification', () => {
    it('records a notification once per key, in any state', () => {
      const po = given(...TIMED_OUT);
      const { events, open } = po.when(notify('evt-1', 'EDI-865-1'));
      expect(events).toEqual([{ type: 'SupplierNotified', data: { key: 'evt-1', about: 'time_out', via: 'edi', document: 'EDI-865-1', notifiedAt: LATER.toISOString() } }]);
      expect(open().status).toBe('timed_out');
      expect(open().notified).toEqual({ 'evt-1': true });
      expect(po.when(notify('evt-1'), notify('evt-1', 'EDI-865-2')).events).toHaveLength(1);
      expect(po.when(notify('evt-1'), notify('evt-2')).events.map((e) => e.type === 'SupplierNotified' && e.data.key)).toEqual(['evt-1', 'evt-2']);
      expect(po.when(notify('evt-1')).events[0]!.data).not.toHaveProperty('document');
    });

    it('neither closes nor changes the status of a PO', () => {
      const po = given(...SHIPPED);
      const { events, open } = po.when(notify('evt-1'));
      expect(types(events)).toEqual(['SupplierNotified']);
      expect(open().status).toBe('shipped');
    });
  });
});
