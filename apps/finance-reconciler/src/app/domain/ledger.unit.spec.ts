import { NotYetKnownError, ledgerDecider } from './ledger';
import type { LedgerEvent } from './ledger-events';
import {
  cancel,
  chargeback,
  chargedLine,
  commitPo,
  CURRENCY,
  given,
  invoice,
  LATER,
  nodeCosts,
  NOW,
  ofType,
  q,
  recognizeCharge,
  release,
  returned,
  ship,
  shippingCharge,
} from './testing/ledger-fixtures';

/*
 * Given the commands an order's ledger has seen, when one more arrives, then these events.
 *
 * The order: 3 kettles (l1) at 19.99 with 1.00 off and 4.80 tax on top (63.77, units of
 * [21.26, 21.26, 21.25]), 2 toasters (l2) at 25.00 with 5.00 tax (55.00, units of 27.50 of which
 * 2.50 tax), and 5.99 shipping with 1.20 tax (7.19): 125.96 charged. S1 supplies the kettles at
 * 12.00 (po-1), S2 the toasters at 13.00 (po-2); warehouse W1 holds both at 10.00 and 13.00.
 */

const KETTLE = chargedLine('l1', 3, 1999, { discount: 100, tax: 480 });
const TOASTER = chargedLine('l2', 2, 2500, { tax: 500 });
const SHIPPING = shippingCharge(599, { tax: 120 });
const CHARGED = recognizeCharge([KETTLE, TOASTER], SHIPPING);
const CHARGE_TOTAL = 6377 + 5500 + 719;

const PO_1 = commitPo('po-1', 'S1', [{ lineId: 'l1', quantity: 3, unitCost: 1200 }]);
const PO_2 = commitPo('po-2', 'S2', [{ lineId: 'l2', quantity: 2, unitCost: 1300 }]);
const W1_COSTS = nodeCosts('W1', [
  { lineId: 'l1', unitCost: 1000 },
  { lineId: 'l2', unitCost: 1300 },
]);

const refunds = (events: readonly LedgerEvent[]) => ofType(events, 'RefundIssued').map((e) => e.data);
const margins = (events: readonly LedgerEvent[]) => ofType(events, 'MarginRecognised').map((e) => e.data);

describe('ledger decider', () => {
  describe('RecognizeCharge', () => {
    it('recognises the lines and shipping, totalling them', () => {
      expect(given().when(CHARGED).events).toEqual([
        { type: 'CustomerChargeRecognised', data: { currency: CURRENCY, taxesIncluded: false, lines: [KETTLE, TOASTER], shipping: SHIPPING, total: CHARGE_TOTAL, chargedAt: NOW.toISOString() } },
      ]);
    });

    it('recognises the charge once: a second, even with other lines, records nothing', () => {
      const again = given(CHARGED).when(recognizeCharge([chargedLine('l9', 1, 100)]));
      expect(again.events).toEqual([]);
      expect(again.state.charge?.total).toBe(CHARGE_TOTAL);
      expect(Object.keys(again.state.charge?.lines ?? {})).toEqual(['l1', 'l2']);
    });
  });

  describe('RefundCancellation', () => {
    it('refunds exactly the cancelled units, from the first unit up, without shipping while units remain', () => {
      const { events } = given(CHARGED).when(cancel('c-1', [q('l1', 1)]), cancel('c-2', [q('l1', 2)]));
      expect(events).toEqual([
        {
          type: 'RefundIssued',
          data: {
            refundId: 'cancellation:c-1',
            cause: 'cancellation',
            causeId: 'c-1',
            reason: 'customer request',
            lines: [{ lineId: 'l1', quantity: 1, items: 2000, discount: 34, tax: 160, amount: 2126 }],
            amount: 2126,
            currency: CURRENCY,
            issuedAt: LATER.toISOString(),
          },
        },
        {
          type: 'RefundIssued',
          data: {
            refundId: 'cancellation:c-2',
            cause: 'cancellation',
            causeId: 'c-2',
            reason: 'customer request',
            lines: [{ lineId: 'l1', quantity: 2, items: 3997, discount: 66, tax: 320, amount: 4251 }],
            amount: 4251,
            currency: CURRENCY,
            issuedAt: LATER.toISOString(),
          },
        },
      ]);
      expect(events.some((e) => e.type === 'RefundIssued' && e.data.shipping !== undefined)).toBe(false);
    });

    it('refunds shipping with the cancellation that leaves every unit cancelled, and only then', () => {
      const { events, state } = given(CHARGED).when(cancel('c-1', [q('l1', 3)]), cancel('c-2', [q('l2', 2)]));
      expect(refunds(events).map((r) => ({ amount: r.amount, shipping: r.shipping }))).toEqual([
        { amount: 6377, shipping: undefined },
        { amount: 5500 + 719, shipping: SHIPPING },
      ]);
      expect(state.refunded).toBe(CHARGE_TOTAL);
      expect(state.shippingRefunded).toBe(true);
    });

    it('refunds the whole charge, shipping included, when the whole order is cancelled at once', () => {
      const { events, state } = given(CHARGED).when(cancel('c-1', [q('l1', 3), q('l2', 2)]));
      expect(refunds(events)).toEqual([expect.objectContaining({ amount: CHARGE_TOTAL, shipping: SHIPPING })]);
      expect(state.refunded).toBe(CHARGE_TOTAL);
    });

    it('carries no shipping when the order was shipped free', () => {
      const { events } = given(recognizeCharge([TOASTER])).when(cancel('c-1', [q('l2', 2)]));
      expect(refunds(events)).toEqual([expect.objectContaining({ amount: 5500 })]);
      expect(refunds(events)[0]).not.toHaveProperty('shipping');
    });

    it('caps a cancellation at the units left and then refunds nothing more', () => {
      const order = given(CHARGED, cancel('c-1', [q('l1', 1)]));
      const capped = order.when(cancel('c-2', [q('l1', 5)]));
      expect(refunds(capped.events)).toEqual([expect.objectContaining({ lines: [{ lineId: 'l1', quantity: 2, items: 3997, discount: 66, tax: 320, amount: 4251 }], amount: 4251 })]);
      expect(given(CHARGED, cancel('c-1', [q('l1', 3)])).when(cancel('c-2', [q('l1', 1)])).events).toEqual([]);
    });

    it('ignores lines the charge does not have, and refunds nothing when nothing is left', () => {
      const { events } = given(CHARGED).when(cancel('c-1', [q('l9', 1), q('l2', 1)]), cancel('c-2', [q('l9', 4)]));
      expect(refunds(events)).toEqual([expect.objectContaining({ refundId: 'cancellation:c-1', lines: [{ lineId: 'l2', quantity: 1, items: 2500, discount: 0, tax: 250, amount: 2750 }], amount: 2750 })]);
    });

    it('refunds nothing for a repeated cancellation id, whatever its lines', () => {
      const order = given(CHARGED, cancel('c-1', [q('l1', 1)]));
      const again = order.when(cancel('c-1', [q('l1', 1)]), cancel('c-1', [q('l2', 2)]));
      expect(again.events).toEqual([]);
      expect(again.state.refunded).toBe(2126);
    });

    it('never cancels a returned unit, and keeps shipping when some units were returned rather than cancelled', () => {
      const order = given(CHARGED, W1_COSTS, ship('s-1', 'W1', [q('l1', 3)]), returned('r-1', [q('l1', 1)], 'retailer', 'W1'));
      const { events, state } = order.when(cancel('c-1', [q('l1', 3), q('l2', 2)]));
      expect(refunds(events)).toEqual([
        expect.objectContaining({
          lines: [
            { lineId: 'l1', quantity: 2, items: 3999, discount: 67, tax: 320, amount: 4252 },
            { lineId: 'l2', quantity: 2, items: 5000, discount: 0, tax: 500, amount: 5500 },
          ],
          amount: 4252 + 5500,
        }),
      ]);
      expect(refunds(events)[0]).not.toHaveProperty('shipping');
      expect(state.refunded).toBe(CHARGE_TOTAL - 719);
    });

    it('waits for the charge: a refund before it is not yet known', () => {
      expect(() => given().when(cancel('c-1', [q('l1', 1)]))).toThrow(NotYetKnownError);
      expect(() => given(W1_COSTS, ship('s-1', 'W1', [q('l1', 1)])).when(returned('r-1', [q('l1', 1)], 'retailer', 'W1'))).toThrow(NotYetKnownError);
    });
  });

  describe('RefundReturn', () => {
    it('waits for the shipment of units returned before they are known to have shipped', () => {
      expect(() => given(CHARGED, W1_COSTS, ship('s-1', 'W1', [q('l1', 2)])).when(returned('r-1', [q('l1', 3)], 'retailer', 'W1'))).toThrow(NotYetKnownError);
    });

    it('refunds only shipped units, from the last unit down, once no more can ship', () => {
      const { events } = given(CHARGED, W1_COSTS, ship('s-1', 'W1', [q('l1', 2)]), cancel('c-1', [q('l1', 1)])).when(returned('r-1', [q('l1', 3)], 'retailer', 'W1'));
      expect(events[0]).toEqual({
        type: 'RefundIssued',
        data: {
          refundId: 'return:r-1',
          cause: 'return',
          causeId: 'r-1',
          reason: 'changed mind',
          lines: [{ lineId: 'l1', quantity: 2, items: 3997, discount: 66, tax: 320, amount: 4251 }],
          amount: 4251,
          currency: CURRENCY,
          issuedAt: LATER.toISOString(),
        },
      });
    });

    it('continues down from the units already returned', () => {
      const { events } = given(CHARGED, W1_COSTS, ship('s-1', 'W1', [q('l1', 3)])).when(returned('r-1', [q('l1', 1)], 'retailer', 'W1'), returned('r-2', [q('l1', 1)], 'retailer', 'W1'));
      expect(refunds(events).map((r) => r.lines)).toEqual([
        [{ lineId: 'l1', quantity: 1, items: 1998, discount: 33, tax: 160, amount: 2125 }],
        [{ lineId: 'l1', quantity: 1, items: 1999, discount: 33, tax: 160, amount: 2126 }],
      ]);
    });

    it('refunds nothing for units cancelled or already returned; waits for units that may still ship', () => {
      expect(() => given(CHARGED).when(returned('r-1', [q('l1', 1)], 'retailer'))).toThrow(NotYetKnownError);
      const order = given(CHARGED, W1_COSTS, ship('s-1', 'W1', [q('l1', 1)]), returned('r-1', [q('l1', 1)], 'retailer', 'W1'), cancel('c-1', [q('l1', 2)]));
      expect(order.when(returned('r-2', [q('l1', 1)], 'retailer', 'W1')).events).toEqual([]);
    });

    it('refunds nothing for a repeated return id, whatever its lines', () => {
      const order = given(CHARGED, W1_COSTS, ship('s-1', 'W1', [q('l1', 3), q('l2', 2)]), returned('r-1', [q('l1', 1)], 'retailer', 'W1'));
      const again = order.when(returned('r-1', [q('l1', 1)], 'retailer', 'W1'), returned('r-1', [q('l2', 2)], 'supplier'));
      expect(again.events).toEqual([]);
      expect(again.state.refunded).toBe(2125);
    });

    it('expects a credit from each supplier the units go back to, at its PO unit cost', () => {
      const order = given(CHARGED, PO_1, PO_2, ship('s-1', 'S1', [q('l1', 3)], 'po-1'), ship('s-2', 'S2', [q('l2', 2)], 'po-2'));
      const { events } = order.when(returned('r-1', [q('l1', 2), q('l2', 1)], 'supplier'));
      expect(events.map((e) => e.type)).toEqual(['RefundIssued', 'MarginRecognised', 'SupplierCreditExpected', 'SupplierCreditExpected']);
      expect(ofType(events, 'SupplierCreditExpected')).toEqual([
        {
          type: 'SupplierCreditExpected',
          data: { returnId: 'r-1', poId: 'po-1', supplierId: 'S1', lines: [{ lineId: 'l1', quantity: 2, unitCost: 1200, amount: 2400 }], amount: 2400, currency: CURRENCY, expectedAt: LATER.toISOString() },
        },
        {
          type: 'SupplierCreditExpected',
          data: { returnId: 'r-1', poId: 'po-2', supplierId: 'S2', lines: [{ lineId: 'l2', quantity: 1, unitCost: 1300, amount: 1300 }], amount: 1300, currency: CURRENCY, expectedAt: LATER.toISOString() },
        },
      ]);
    });

    it('expects no credit when the units come back to the retailer, but still takes their cost back', () => {
      const order = given(CHARGED, PO_2, ship('s-2', 'S2', [q('l2', 2)], 'po-2'));
      const { events } = order.when(returned('r-1', [q('l2', 1)], 'retailer', 'S2'));
      expect(ofType(events, 'SupplierCreditExpected')).toEqual([]);
      expect(margins(events)).toEqual([expect.objectContaining({ lines: [{ lineId: 'l2', quantity: 1, revenue: -2500, cost: -1300, margin: -1200 }], margin: -1200 })]);
    });

    it('credits the supplier named on the return when two POs shipped the line', () => {
      const line = chargedLine('l1', 4, 3000);
      const order = given(
        recognizeCharge([line]),
        commitPo('po-1', 'S1', [{ lineId: 'l1', quantity: 2, unitCost: 1500 }]),
        commitPo('po-2', 'S2', [{ lineId: 'l1', quantity: 2, unitCost: 1800 }]),
        ship('s-1', 'S1', [q('l1', 2)], 'po-1'),
        ship('s-2', 'S2', [q('l1', 2)], 'po-2'),
      );
      const { events } = order.when(returned('r-1', [q('l1', 2)], 'supplier', 'S2'));
      expect(ofType(events, 'SupplierCreditExpected').map((e) => e.data)).toEqual([expect.objectContaining({ poId: 'po-2', supplierId: 'S2', lines: [{ lineId: 'l1', quantity: 2, unitCost: 1800, amount: 3600 }], amount: 3600 })]);
    });

    // BUG: `refundReturn` attributes every returned unit of a line to the first PO that shipped any
    // of it (`poFor`, `Object.entries(state.pos).find(...)`), so units shipped by another PO are
    // credited by, and costed at, the wrong supplier — more units than that PO ever shipped.
    it('expects each PO to credit only the units it shipped when the return names no node', () => {
      const line = chargedLine('l1', 4, 3000);
      const order = given(
        recognizeCharge([line]),
        commitPo('po-1', 'S1', [{ lineId: 'l1', quantity: 2, unitCost: 1500 }]),
        commitPo('po-2', 'S2', [{ lineId: 'l1', quantity: 2, unitCost: 1800 }]),
        ship('s-1', 'S1', [q('l1', 2)], 'po-1'),
        ship('s-2', 'S2', [q('l1', 2)], 'po-2'),
      );
      const { events } = order.when(returned('r-1', [q('l1', 4)], 'supplier'));
      const credits = ofType(events, 'SupplierCreditExpected')
        .map((e) => ({ poId: e.data.poId, units: e.data.lines.reduce((n, l) => n + l.quantity, 0), amount: e.data.amount }))
        .sort((a, b) => a.poId.localeCompare(b.poId));
      expect(credits).toEqual([
        { poId: 'po-1', units: 2, amount: 3000 },
        { poId: 'po-2', units: 2, amount: 3600 },
      ]);
    });
  });

  describe('margin', () => {
    it('recognises net revenue (amount less tax) less cost as units ship, accumulating over the order', () => {
      const order = given(CHARGED, PO_1, PO_2);
      const { events, state } = order.when(ship('s-2', 'S2', [q('l2', 2)], 'po-2'), ship('s-1', 'S1', [q('l1', 3)], 'po-1'));
      expect(ofType(events, 'MarginRecognised')).toEqual([
        {
          type: 'MarginRecognised',
          data: {
            sourceId: 's-2',
            cause: 'shipment',
            nodeId: 'S2',
            lines: [{ lineId: 'l2', quantity: 2, revenue: 5000, cost: 2600, margin: 2400 }],
            margin: 2400,
            currency: CURRENCY,
            orderMargin: 2400,
            recognisedAt: LATER.toISOString(),
          },
        },
        {
          type: 'MarginRecognised',
          data: {
            sourceId: 's-1',
            cause: 'shipment',
            nodeId: 'S1',
            lines: [{ lineId: 'l1', quantity: 3, revenue: 6377 - 480, cost: 3600, margin: 2297 }],
            margin: 2297,
            currency: CURRENCY,
            orderMargin: 4697,
            recognisedAt: LATER.toISOString(),
          },
        },
      ]);
      expect(state.orderMargin).toBe(4697);
    });

    it('records a negative margin for a return, lowering the order margin', () => {
      const order = given(CHARGED, PO_2, ship('s-2', 'S2', [q('l2', 2)], 'po-2'));
      const { events, state } = order.when(returned('r-1', [q('l2', 1)], 'supplier', 'S2'));
      expect(margins(events)).toEqual([
        {
          sourceId: 'r-1',
          cause: 'return',
          nodeId: 'S2',
          lines: [{ lineId: 'l2', quantity: 1, revenue: -2500, cost: -1300, margin: -1200 }],
          sources: [{ poId: 'po-2', nodeId: 'S2', lineId: 'l2', quantity: 1, unitCost: 1300 }],
          margin: -1200,
          currency: CURRENCY,
          orderMargin: 1200,
          recognisedAt: LATER.toISOString(),
        },
      ]);
      expect(state.orderMargin).toBe(1200);
    });

    it('takes the tax out of the amount when prices include it', () => {
      // 2 × 25.00 with 4.17 VAT inside: net revenue 45.83.
      const line = chargedLine('l2', 2, 2500, { tax: 417, taxesIncluded: true });
      const { events } = given(recognizeCharge([line], undefined, true), PO_2).when(ship('s-2', 'S2', [q('l2', 2)], 'po-2'));
      expect(margins(events)).toEqual([expect.objectContaining({ lines: [{ lineId: 'l2', quantity: 2, revenue: 4583, cost: 2600, margin: 1983 }], margin: 1983 })]);
    });

    it('costs a warehouse shipment at the node cost, with no payable', () => {
      const { events } = given(CHARGED, W1_COSTS).when(ship('s-1', 'W1', [q('l1', 3)]));
      expect(events.map((e) => e.type)).toEqual(['ShipmentRecorded', 'MarginRecognised']);
      expect(margins(events)).toEqual([expect.objectContaining({ nodeId: 'W1', lines: [{ lineId: 'l1', quantity: 3, revenue: 5897, cost: 3000, margin: 2897 }], margin: 2897, orderMargin: 2897 })]);
    });

    it('recognises no revenue beyond the units charged', () => {
      const { events } = given(CHARGED, W1_COSTS, ship('s-1', 'W1', [q('l2', 1)])).when(ship('s-2', 'W1', [q('l2', 5)]));
      expect(margins(events)).toEqual([expect.objectContaining({ lines: [{ lineId: 'l2', quantity: 1, revenue: 2500, cost: 1300, margin: 1200 }] })]);
    });

    it('gives shipments recorded before the charge their margin when the charge arrives', () => {
      const order = given(PO_1, PO_2, ship('s-2', 'S2', [q('l2', 2)], 'po-2'), ship('s-1', 'S1', [q('l1', 3)], 'po-1'));
      expect(order.events.map((e) => e.type)).toEqual(['PurchaseOrderCommitted', 'PurchaseOrderCommitted', 'ShipmentRecorded', 'SupplierPayableAccrued', 'ShipmentRecorded', 'SupplierPayableAccrued']);
      const { events, state } = order.when(recognizeCharge([KETTLE, TOASTER], SHIPPING, false, LATER));
      expect(events.map((e) => e.type)).toEqual(['CustomerChargeRecognised', 'MarginRecognised', 'MarginRecognised']);
      expect(margins(events).map((m) => ({ sourceId: m.sourceId, margin: m.margin, orderMargin: m.orderMargin, recognisedAt: m.recognisedAt }))).toEqual([
        { sourceId: 's-2', margin: 2400, orderMargin: 2400, recognisedAt: LATER.toISOString() },
        { sourceId: 's-1', margin: 2297, orderMargin: 4697, recognisedAt: LATER.toISOString() },
      ]);
      expect(state.recognised).toEqual({ l1: 3, l2: 2 });
      // …so their units can come back.
      expect(refunds(given(PO_1, ship('s-1', 'S1', [q('l1', 1)], 'po-1'), CHARGED).when(returned('r-1', [q('l1', 1)], 'supplier')).events)).toHaveLength(1);
    });

    it('records a shipment once', () => {
      expect(given(CHARGED, PO_2, ship('s-2', 'S2', [q('l2', 1)], 'po-2')).when(ship('s-2', 'S2', [q('l2', 1)], 'po-2')).events).toEqual([]);
    });

    // BUG: shipments recognise revenue from the first unit up (`marginOfShipment` slices
    // `refundUnits(line, …, from = recognised, …)`), the same end cancellations take, while returns
    // refund from the last unit down. On a line whose units differ by a minor unit, a unit shipped
    // then returned leaves the order margin off: here +19.66 − 10.00 on shipping, −19.65 + 10.00 on
    // return, so 0.01 where nothing was kept.
    it('leaves the order margin at 0 when the units shipped all come back', () => {
      const { state } = given(CHARGED, W1_COSTS, ship('s-1', 'W1', [q('l1', 1)])).when(returned('r-1', [q('l1', 1)], 'retailer', 'W1'));
      expect(state.orderMargin).toBe(0);
    });
  });

  describe('supplier payables', () => {
    it('accrues a payable at the PO unit cost when a supplier ships', () => {
      const { events } = given(CHARGED, PO_1).when(ship('s-1', 'S1', [q('l1', 2)], 'po-1'));
      expect(events.map((e) => e.type)).toEqual(['ShipmentRecorded', 'SupplierPayableAccrued', 'MarginRecognised']);
      expect(ofType(events, 'SupplierPayableAccrued')).toEqual([
        {
          type: 'SupplierPayableAccrued',
          data: { poId: 'po-1', supplierId: 'S1', shipmentId: 's-1', lines: [{ lineId: 'l1', quantity: 2, unitCost: 1200, amount: 2400 }], amount: 2400, currency: CURRENCY, accruedAt: LATER.toISOString() },
        },
      ]);
    });

    it('waits for a PO a shipment names', () => {
      expect(() => given(CHARGED).when(ship('s-1', 'S1', [q('l1', 2)], 'po-1'))).toThrow(NotYetKnownError);
    });

    it('records nothing for a shipment of no units', () => {
      expect(given(CHARGED, PO_1).when(ship('s-1', 'S1', [q('l1', 0)], 'po-1')).events).toEqual([]);
    });

    it('commits a PO once, at the sum of its lines', () => {
      const po = commitPo('po-3', 'S3', [
        { lineId: 'l1', quantity: 3, unitCost: 1200 },
        { lineId: 'l2', quantity: 1, unitCost: 999 },
      ]);
      const { events } = given().when(po, commitPo('po-3', 'S9', []));
      expect(events).toEqual([
        {
          type: 'PurchaseOrderCommitted',
          data: {
            poId: 'po-3',
            supplierId: 'S3',
            poNumber: 'PO-po-3',
            currency: CURRENCY,
            lines: [
              { lineId: 'l1', quantity: 3, unitCost: 1200, amount: 3600 },
              { lineId: 'l2', quantity: 1, unitCost: 999, amount: 999 },
            ],
            amount: 4599,
            shipBy: LATER.toISOString(),
            committedAt: NOW.toISOString(),
          },
        },
      ]);
    });

    it('records an acknowledgement once, and none for an unknown PO', () => {
      const ack = { type: 'RecordAcknowledgement', data: { poId: 'po-1', accepted: [q('l1', 3)], at: NOW.toISOString() } } as const;
      expect(given(PO_1).when(ack, ack).events).toEqual([{ type: 'PurchaseOrderAcknowledgementRecorded', data: ack.data }]);
      expect(given().when(ack).events).toEqual([]);
    });

    // Found by end-to-end scenario 3: a supplier rejecting every unit at acknowledgement left the
    // PO's commitment open for good, where a time-out or a cancellation of the same units releases it.
    it('releases the units the supplier declined at acknowledgement, once, and none for a full acceptance', () => {
      const ack = (accepted: readonly { lineId: string; quantity: number }[]) => ({ type: 'RecordAcknowledgement', data: { poId: 'po-1', accepted, at: NOW.toISOString() } }) as const;
      const { events, state } = given(CHARGED, PO_1).when(ack([q('l1', 1)]), ack([q('l1', 0)]));
      expect(events).toEqual([
        { type: 'PurchaseOrderAcknowledgementRecorded', data: ack([q('l1', 1)]).data },
        {
          type: 'SupplierPayableReleased',
          data: {
            poId: 'po-1',
            supplierId: 'S1',
            sourceId: 'acknowledgement:po-1',
            reason: 'declined at acknowledgement',
            lines: [{ lineId: 'l1', quantity: 2, unitCost: 1200, amount: 2400 }],
            amount: 2400,
            currency: CURRENCY,
            releasedAt: NOW.toISOString(),
          },
        },
      ]);
      // A later time-out of the accepted unit releases only that one.
      expect(ofType(given(CHARGED, PO_1).when(ack([q('l1', 1)]), release('timeout:po-1', 'po-1', [q('l1', 3)])).events, 'SupplierPayableReleased').map((e) => e.data.amount)).toEqual([2400, 1200]);
      expect(state.pos['po-1']?.released).toEqual({ l1: 2 });
      expect(ofType(given(CHARGED, PO_1).when(ack([q('l1', 3)])).events, 'SupplierPayableReleased')).toEqual([]);
    });

    it('records node costs only when they change', () => {
      expect(given(W1_COSTS).when(W1_COSTS).events).toEqual([]);
      const changed = nodeCosts('W1', [{ lineId: 'l1', unitCost: 1100 }]);
      const { events, state } = given(W1_COSTS).when(changed);
      expect(events).toEqual([{ type: 'NodeCostsRecorded', data: changed.data }]);
      expect(state.nodeCosts['W1']).toEqual({ l1: 1100, l2: 1300 });
    });

    it('releases the units of a PO that will not ship, at the PO unit cost, capped at what is neither shipped nor released', () => {
      const order = given(CHARGED, PO_1, ship('s-1', 'S1', [q('l1', 1)], 'po-1'));
      const { events } = order.when(release('timeout:po-1', 'po-1', [q('l1', 3), q('l9', 1)]), release('cancel:c-7', 'po-1', [q('l1', 1)]));
      expect(events).toEqual([
        {
          type: 'SupplierPayableReleased',
          data: {
            poId: 'po-1',
            supplierId: 'S1',
            sourceId: 'timeout:po-1',
            reason: 'ship-by passed',
            lines: [{ lineId: 'l1', quantity: 2, unitCost: 1200, amount: 2400 }],
            amount: 2400,
            currency: CURRENCY,
            releasedAt: LATER.toISOString(),
          },
        },
      ]);
    });

    it('releases successive cancellations until nothing is left, never the same units twice', () => {
      const { events, state } = given(CHARGED, PO_1).when(release('c-1', 'po-1', [q('l1', 1)]), release('c-2', 'po-1', [q('l1', 5)]), release('c-3', 'po-1', [q('l1', 1)]));
      expect(ofType(events, 'SupplierPayableReleased').map((e) => ({ sourceId: e.data.sourceId, amount: e.data.amount }))).toEqual([
        { sourceId: 'c-1', amount: 1200 },
        { sourceId: 'c-2', amount: 2400 },
      ]);
      expect(state.pos['po-1']?.released).toEqual({ l1: 3 });
    });

    // BUG: `ReleasePurchaseOrder` keeps no record of its `sourceId` (every other command is
    // idempotent by its id), so the same release delivered twice releases more units while any are
    // left: here 1 unit, then 1 more for the same cancellation.
    it('releases nothing for a repeated release', () => {
      const order = given(CHARGED, PO_1, release('c-1', 'po-1', [q('l1', 1)]));
      const { events, state } = order.when(release('c-1', 'po-1', [q('l1', 1)]));
      expect(events).toEqual([]);
      expect(state.pos['po-1']?.released).toEqual({ l1: 1 });
    });

    it('waits for the PO a release names', () => {
      expect(() => given(CHARGED).when(release('c-1', 'po-1', [q('l1', 1)]))).toThrow(NotYetKnownError);
    });
  });

  describe('MatchInvoice', () => {
    const PO = commitPo('po-1', 'S1', [
      { lineId: 'l1', quantity: 3, unitCost: 1200 },
      { lineId: 'l2', quantity: 2, unitCost: 1300 },
    ]);
    /** 2 kettles and 2 toasters shipped by S1, none billed. */
    const SHIPPED = given(CHARGED, PO, ship('s-1', 'S1', [q('l1', 2), q('l2', 2)], 'po-1'));
    const disputed = (events: readonly LedgerEvent[]) => ofType(events, 'SupplierInvoiceDisputed').map((e) => e.data);

    it('matches an invoice for shipped units at the PO cost whose total is its lines', () => {
      const lines = [
        { lineId: 'l1', quantity: 2, unitCost: 1200 },
        { lineId: 'l2', quantity: 2, unitCost: 1300 },
      ];
      expect(SHIPPED.when(invoice('po-1', 'INV-1', lines)).events).toEqual([
        { type: 'SupplierInvoiceMatched', data: { poId: 'po-1', supplierId: 'S1', invoiceNumber: 'INV-1', lines, amount: 5000, currency: CURRENCY, matchedAt: LATER.toISOString() } },
      ]);
    });

    it('matches a unit cost within the tolerance, at the invoiced amount', () => {
      const { events } = SHIPPED.when(invoice('po-1', 'INV-1', [{ lineId: 'l1', quantity: 2, unitCost: 1205 }], { unitCostTolerance: 5 }));
      expect(events).toEqual([expect.objectContaining({ type: 'SupplierInvoiceMatched', data: expect.objectContaining({ amount: 2410 }) })]);
    });

    it('matches units shipped by successive shipments, in successive invoices', () => {
      const order = given(CHARGED, PO, ship('s-1', 'S1', [q('l1', 1)], 'po-1'), invoice('po-1', 'INV-1', [{ lineId: 'l1', quantity: 1, unitCost: 1200 }]), ship('s-2', 'S1', [q('l1', 2)], 'po-1'));
      const { events, state } = order.when(invoice('po-1', 'INV-2', [{ lineId: 'l1', quantity: 2, unitCost: 1200 }]));
      expect(events.map((e) => e.type)).toEqual(['SupplierInvoiceMatched']);
      expect(state.pos['po-1']?.invoiced).toEqual({ l1: 3 });
    });

    it('disputes more units than were shipped and not yet billed', () => {
      expect(SHIPPED.when(invoice('po-1', 'INV-1', [{ lineId: 'l1', quantity: 3, unitCost: 1200 }])).events).toEqual([
        {
          type: 'SupplierInvoiceDisputed',
          data: {
            poId: 'po-1',
            supplierId: 'S1',
            invoiceNumber: 'INV-1',
            invoiced: 3600,
            expected: 2400,
            issues: [{ lineId: 'l1', kind: 'quantity', invoiced: 3, expected: 2, amount: 1200 }],
            currency: CURRENCY,
            disputedAt: LATER.toISOString(),
          },
        },
      ]);
    });

    it('disputes units already billed', () => {
      const order = given(CHARGED, PO, ship('s-1', 'S1', [q('l1', 2)], 'po-1'), invoice('po-1', 'INV-1', [{ lineId: 'l1', quantity: 2, unitCost: 1200 }]));
      expect(disputed(order.when(invoice('po-1', 'INV-2', [{ lineId: 'l1', quantity: 1, unitCost: 1200 }])).events)).toEqual([
        expect.objectContaining({ invoiced: 1200, expected: 0, issues: [{ lineId: 'l1', kind: 'quantity', invoiced: 1, expected: 0, amount: 1200 }] }),
      ]);
    });

    it('disputes a unit cost beyond the tolerance', () => {
      expect(disputed(SHIPPED.when(invoice('po-1', 'INV-1', [{ lineId: 'l2', quantity: 2, unitCost: 1310 }], { unitCostTolerance: 5 })).events)).toEqual([
        expect.objectContaining({ invoiced: 2620, expected: 2600, issues: [{ lineId: 'l2', kind: 'unit_cost', invoiced: 1310, expected: 1300, amount: 20 }] }),
      ]);
    });

    it('disputes a line the PO does not have', () => {
      const lines = [
        { lineId: 'l1', quantity: 2, unitCost: 1200 },
        { lineId: 'l9', quantity: 1, unitCost: 500 },
      ];
      expect(disputed(SHIPPED.when(invoice('po-1', 'INV-1', lines)).events)).toEqual([
        expect.objectContaining({ invoiced: 2900, expected: 2400, issues: [{ lineId: 'l9', kind: 'unknown_line', invoiced: 500, expected: 0, amount: 500 }] }),
      ]);
    });

    it('disputes a total that is not the sum of the lines', () => {
      expect(disputed(SHIPPED.when(invoice('po-1', 'INV-1', [{ lineId: 'l1', quantity: 2, unitCost: 1200 }], { total: 2500 })).events)).toEqual([
        expect.objectContaining({ invoiced: 2500, expected: 2400, issues: [{ lineId: '*', kind: 'total', invoiced: 2500, expected: 2400, amount: 100 }] }),
      ]);
    });

    it('reports every issue of a line and of the invoice', () => {
      const { events } = SHIPPED.when(invoice('po-1', 'INV-1', [{ lineId: 'l1', quantity: 3, unitCost: 1250 }], { total: 3800, unitCostTolerance: 5 }));
      expect(disputed(events)).toEqual([
        expect.objectContaining({
          invoiced: 3800,
          expected: 2400,
          issues: [
            { lineId: 'l1', kind: 'quantity', invoiced: 3, expected: 2, amount: 1250 },
            { lineId: 'l1', kind: 'unit_cost', invoiced: 1250, expected: 1200, amount: 150 },
            { lineId: '*', kind: 'total', invoiced: 3800, expected: 3750, amount: 50 },
          ],
        }),
      ]);
    });

    it('bills nothing on a disputed invoice, so the corrected one matches', () => {
      const order = given(CHARGED, PO, ship('s-1', 'S1', [q('l1', 2)], 'po-1'), invoice('po-1', 'INV-1', [{ lineId: 'l1', quantity: 3, unitCost: 1200 }]));
      expect(order.state.pos['po-1']?.invoiced).toEqual({});
      const { events, state } = order.when(invoice('po-1', 'INV-1-R', [{ lineId: 'l1', quantity: 2, unitCost: 1200 }]));
      expect(events.map((e) => e.type)).toEqual(['SupplierInvoiceMatched']);
      expect(state.pos['po-1']?.invoiced).toEqual({ l1: 2 });
    });

    it('records nothing for an invoice number seen before, matched or disputed', () => {
      const matched = given(CHARGED, PO, ship('s-1', 'S1', [q('l1', 2)], 'po-1'), invoice('po-1', 'INV-1', [{ lineId: 'l1', quantity: 1, unitCost: 1200 }]));
      expect(matched.when(invoice('po-1', 'INV-1', [{ lineId: 'l1', quantity: 1, unitCost: 1200 }])).events).toEqual([]);
      const wasDisputed = given(CHARGED, PO, ship('s-1', 'S1', [q('l1', 2)], 'po-1'), invoice('po-1', 'INV-1', [{ lineId: 'l1', quantity: 5, unitCost: 1200 }]));
      expect(wasDisputed.when(invoice('po-1', 'INV-1', [{ lineId: 'l1', quantity: 5, unitCost: 1200 }])).events).toEqual([]);
    });

    // BUG: `matchInvoice` adds min(line quantity, billable) to `expected` for every invoice line,
    // with `billable` not reduced by the quantity earlier lines of the same invoice already took:
    // a line invoiced in two parts counts the shipped units twice (36.00 expected for 2 shipped
    // kettles at 12.00, billed as 1 + 2). The quantity issue itself is right.
    it('values a line invoiced in two parts at the shipped units once', () => {
      const lines = [
        { lineId: 'l1', quantity: 1, unitCost: 1200 },
        { lineId: 'l1', quantity: 2, unitCost: 1200 },
      ];
      expect(disputed(SHIPPED.when(invoice('po-1', 'INV-1', lines)).events)).toEqual([
        expect.objectContaining({ invoiced: 3600, expected: 2400, issues: [{ lineId: 'l1', kind: 'quantity', invoiced: 3, expected: 2, amount: 1200 }] }),
      ]);
    });

    it('waits for the PO an invoice names', () => {
      expect(() => given(CHARGED).when(invoice('po-1', 'INV-1', [{ lineId: 'l1', quantity: 1, unitCost: 1200 }]))).toThrow(NotYetKnownError);
    });
  });

  describe('RaiseChargeback', () => {
    it('raises a chargeback once per id, against the PO supplier', () => {
      const { events } = given(CHARGED, PO_1).when(chargeback('cb-1', 'po-1', 2500), chargeback('cb-1', 'po-1', 2500), chargeback('cb-2', 'po-1', 1000, 'invalid_tracking'));
      expect(events).toEqual([
        {
          type: 'ChargebackRaised',
          data: { chargebackId: 'cb-1', poId: 'po-1', supplierId: 'S1', rule: 'late_shipment', amount: 2500, currency: CURRENCY, reason: 'shipped after ship-by', raisedAt: LATER.toISOString() },
        },
        expect.objectContaining({ type: 'ChargebackRaised', data: expect.objectContaining({ chargebackId: 'cb-2', rule: 'invalid_tracking', amount: 1000 }) }),
      ]);
    });

    it('never raises a chargeback of nothing, or of a negative amount', () => {
      expect(given(CHARGED, PO_1).when(chargeback('cb-1', 'po-1', 0), chargeback('cb-2', 'po-1', -500)).events).toEqual([]);
      expect(given().when(chargeback('cb-1', 'po-unknown', 0)).events).toEqual([]);
    });

    it('waits for the PO a chargeback names', () => {
      expect(() => given(CHARGED).when(chargeback('cb-1', 'po-1', 2500))).toThrow(NotYetKnownError);
    });
  });

  /*
   * Three suppliers on one order. l1: 2 × 25.00 + 5.00 tax (55.00) from S1 at 15.00; l2: the
   * kettles, 3 × 19.99 − 1.00 + 4.80 tax (63.77) from S2 at 12.00; l3: 4 × 12.50 − 2.50 + 9.51 tax
   * (57.01: units [14.26, 14.25, 14.25, 14.25], discount [0.63, 0.63, 0.62, 0.62], tax [2.38, 2.38,
   * 2.38, 2.37]) from S3 at 7.00; shipping 5.99 + 1.20 tax. Charged 182.97.
   *
   * S3 ships all 4; S2 ships 2 of 3 and cancels the third; S1 never ships (timed out); then the
   * customer sends 1 kettle and 2 of l3 back to their suppliers.
   */
  describe('a three-supplier order', () => {
    const L1 = chargedLine('l1', 2, 2500, { tax: 500 });
    const L2 = chargedLine('l2', 3, 1999, { discount: 100, tax: 480 });
    const L3 = chargedLine('l3', 4, 1250, { discount: 250, tax: 951 });
    const SHIP = shippingCharge(599, { tax: 120 });
    const ORDER = [
      recognizeCharge([L1, L2, L3], SHIP),
      commitPo('PO-1', 'S1', [{ lineId: 'l1', quantity: 2, unitCost: 1500 }]),
      commitPo('PO-2', 'S2', [{ lineId: 'l2', quantity: 3, unitCost: 1200 }]),
      commitPo('PO-3', 'S3', [{ lineId: 'l3', quantity: 4, unitCost: 700 }]),
      ship('s-3', 'S3', [q('l3', 4)], 'PO-3'),
      ship('s-2', 'S2', [q('l2', 2)], 'PO-2'),
      cancel('timeout:PO-1', [q('l1', 2)], 'supplier did not ship by ship-by'),
      release('timeout:PO-1', 'PO-1', [q('l1', 2)]),
      cancel('short:PO-2', [q('l2', 1)], 'supplier short'),
      // The supplier cancels "the rest"; only the 1 unit not shipped is released.
      release('short:PO-2', 'PO-2', [q('l2', 3)], 'supplier short'),
      returned('r-1', [q('l2', 1), q('l3', 2)], 'supplier'),
    ];
    const { events, state } = given().when(...ORDER);
    const bySupplier = (type: 'SupplierPayableAccrued' | 'SupplierPayableReleased' | 'SupplierCreditExpected') =>
      events.reduce<Record<string, number>>(
        (acc, e) =>
          e.type === type && (e.type === 'SupplierPayableAccrued' || e.type === 'SupplierPayableReleased' || e.type === 'SupplierCreditExpected')
            ? { ...acc, [e.data.supplierId]: (acc[e.data.supplierId] ?? 0) + e.data.amount }
            : acc,
        {},
      );

    it('charges 182.97', () => {
      expect(ofType(events, 'CustomerChargeRecognised')[0]?.data.total).toBe(18297);
    });

    it('refunds the timed-out line whole, the short kettle from the bottom, the returned units from the top, and no shipping', () => {
      expect(refunds(events)).toEqual([
        expect.objectContaining({ refundId: 'cancellation:timeout:PO-1', lines: [{ lineId: 'l1', quantity: 2, items: 5000, discount: 0, tax: 500, amount: 5500 }], amount: 5500 }),
        expect.objectContaining({ refundId: 'cancellation:short:PO-2', lines: [{ lineId: 'l2', quantity: 1, items: 2000, discount: 34, tax: 160, amount: 2126 }], amount: 2126 }),
        expect.objectContaining({
          refundId: 'return:r-1',
          lines: [
            { lineId: 'l2', quantity: 1, items: 1998, discount: 33, tax: 160, amount: 2125 },
            { lineId: 'l3', quantity: 2, items: 2499, discount: 124, tax: 475, amount: 2850 },
          ],
          amount: 4975,
        }),
      ]);
      expect(refunds(events).some((r) => r.shipping !== undefined)).toBe(false);
      expect(state.refunded).toBe(12601);
      // What the customer keeps paying for: the middle kettle 21.26, l3's two lower units 28.51, shipping 7.19.
      expect(18297 - state.refunded).toBe(2126 + 2851 + 719);
    });

    it('accrues what shipped, releases what will not, and expects credits for what went back, per supplier', () => {
      expect(bySupplier('SupplierPayableAccrued')).toEqual({ S3: 2800, S2: 2400 });
      expect(bySupplier('SupplierPayableReleased')).toEqual({ S1: 3000, S2: 1200 });
      expect(ofType(events, 'SupplierPayableReleased').map((e) => e.data.lines)).toEqual([[{ lineId: 'l1', quantity: 2, unitCost: 1500, amount: 3000 }], [{ lineId: 'l2', quantity: 1, unitCost: 1200, amount: 1200 }]]);
      expect(ofType(events, 'SupplierCreditExpected').map((e) => ({ poId: e.data.poId, supplierId: e.data.supplierId, lines: e.data.lines, amount: e.data.amount }))).toEqual([
        { poId: 'PO-2', supplierId: 'S2', lines: [{ lineId: 'l2', quantity: 1, unitCost: 1200, amount: 1200 }], amount: 1200 },
        { poId: 'PO-3', supplierId: 'S3', lines: [{ lineId: 'l3', quantity: 2, unitCost: 700, amount: 1400 }], amount: 1400 },
      ]);
      expect(state.pos['PO-1']).toEqual(expect.objectContaining({ shipped: {}, released: { l1: 2 } }));
      expect(state.pos['PO-2']).toEqual(expect.objectContaining({ shipped: { l2: 2 }, released: { l2: 1 } }));
      expect(state.pos['PO-3']).toEqual(expect.objectContaining({ shipped: { l3: 4 }, released: {} }));
    });

    it('recognises l3 whole on shipping and takes back exactly the returned units', () => {
      const ms = margins(events);
      expect(ms.find((m) => m.sourceId === 's-3')?.lines).toEqual([{ lineId: 'l3', quantity: 4, revenue: 4750, cost: 2800, margin: 1950 }]);
      expect(ms.find((m) => m.sourceId === 'r-1')).toEqual(
        expect.objectContaining({
          cause: 'return',
          nodeId: 'S2',
          lines: [
            { lineId: 'l2', quantity: 1, revenue: -1965, cost: -1200, margin: -765 },
            { lineId: 'l3', quantity: 2, revenue: -2375, cost: -1400, margin: -975 },
          ],
          margin: -1740,
        }),
      );
    });

    // Fails with the shipment/return unit-order BUG above: 17.42 instead of 17.41.
    it('ends with the margin of what was kept: the middle kettle 19.66 − 12.00 and l3 units 0–1 23.75 − 14.00', () => {
      expect(state.orderMargin).toBe(766 + 975);
      expect(margins(events).at(-1)?.orderMargin).toBe(state.orderMargin);
    });

    it('changes nothing when every command is delivered again', () => {
      expect(ORDER.flatMap((command) => ledgerDecider.decide(command, state))).toEqual([]);
    });
  });
});
