import { randomUUID } from 'node:crypto';
import { ORDER_EVENTS, TOPICS, type AcceptedLineV1 } from '@oms/contracts';
import { commitGroupAtEnd, createKafka, DLQ_HEADER, ensureTopics, KafkaPublisher, type OutgoingMessage } from '@oms/messaging';
import { groupCaughtUp, TopicReader } from '@oms/messaging/testing';
import { startService, type RunningService } from '@oms/platform';
import { databaseUrl, dropSchema, kafkaBrokers, uniqueName, waitFor } from '@oms/testing';
import type { OrderFigures, SupplierFigures } from './domain/reconciliation';
import type { FinanceEnv } from './finance.env';
import { financeReconcilerService } from './finance-reconciler.service';
import { SETTLEMENT_EVENTS } from './messaging/settlement-messages';
import { countsByType, FinanceClient, financeEnv, type LedgerView, type Period, type ReportView } from './testing/finance-client';
import {
  fulfilmentRequested,
  linesCancelled,
  orderAccepted,
  purchaseOrderAcknowledged,
  purchaseOrderCancelled,
  purchaseOrderCreated,
  purchaseOrderInvoiced,
  purchaseOrderTimedOut,
  returnReceived,
  shipmentDispatched,
  supplierProfileUpdated,
} from './testing/finance-inputs';

const run = uniqueName('finance');
const schema = run.replace(/[^a-z0-9_]/g, '_');
const groupId = `${run}-finance-reconciler`;
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'finance-test' });
const publisher = new KafkaPublisher(kafka, { producerName: 'finance-upstream-stand-in' });
const reader = new TopicReader(kafka);
let service: RunningService<FinanceEnv>;
const api = new FinanceClient(() => service.url);

const SETTLEMENTS = TOPICS.financeSettlements.name;
const ORDERS_DLQ = `${TOPICS.omsOrders.name}.dlq`;
const CONSUMED = financeReconcilerService.consumes.map((t) => t.name);

/*
 * The order, priced as order intake prices it (USD, taxes excluded, 8.25 % tax on the discounted price):
 *
 *   line  supplier  qty  unit   subtotal  line disc.  order-disc. share  discount  tax   total
 *   l1    A         3    1250   3750      100         137                237       290   3513 + 290 = 3803
 *   l2    B         4    2499   9996        0         377                377       794   9619 + 794 = 10413
 *   l3    C         5     799   3995      200         143                343       301   3652 + 301 = 3953
 *   l4    C         2    4550   9100        0         343                343       722   8757 + 722 = 9479
 *
 *   Order discount 1000 over the lines by (subtotal − line discount) = 3650, 9996, 3795, 9100 (Σ 26541),
 *   largest remainder: 1000·3650/26541 = 137 r13883, ·9996 = 376 r16584, ·3795 = 142 r26178,
 *   ·9100 = 342 r22978 → floors sum to 997; the 3 units left go to l3, l4, l2 → 137, 377, 143, 343.
 *   Tax: 3513·8.25 % = 289.8 → 290; 9619 → 793.6 → 794; 3652 → 301.3 → 301; 8757 → 722.5 → 722.
 *   Shipping 995 + tax 82 (995·8.25 % = 82.1) = 1077.
 *   Order total 3803 + 10413 + 3953 + 9479 + 1077 = 28725; tax 290 + 794 + 301 + 722 + 82 = 2189.
 *
 * Per unit (refund-allocation.ts: total, discount and tax each split evenly by largest remainder,
 * the lower units taking the extra minor units):
 *   l1 total 3803/3 → [1268, 1268, 1267]  discount 237/3 → [79, 79, 79]        tax 290/3 → [97, 97, 96]
 *   l2 total 10413/4 → [2604, 2603, 2603, 2603]  discount 377/4 → [95, 94, 94, 94]  tax 794/4 → [199, 199, 198, 198]
 *   l3 total 3953/5 → [791, 791, 791, 790, 790]  discount 343/5 → [69, 69, 69, 68, 68]  tax 301/5 → [61, 60, 60, 60, 60]
 *   l4 total 9479/2 → [4740, 4739]  discount 343/2 → [172, 171]  tax 722/2 → [361, 361]
 *
 * Wholesale unit costs: A l1 800; B l2 1500; C l3 450, l4 2900.
 */
const LINES: readonly AcceptedLineV1[] = [
  { lineId: 'l1', sku: 'KETTLE', quantity: 3, unitPrice: 1250, discount: 237, tax: 290, total: 3803 },
  { lineId: 'l2', sku: 'TOASTER', quantity: 4, unitPrice: 2499, discount: 377, tax: 794, total: 10413 },
  { lineId: 'l3', sku: 'MUG', quantity: 5, unitPrice: 799, discount: 343, tax: 301, total: 3953 },
  { lineId: 'l4', sku: 'BLENDER', quantity: 2, unitPrice: 4550, discount: 343, tax: 722, total: 9479 },
];
const SHIPPING = { amount: 995, discount: 0, tax: 82 };
const COSTS = { l1: 800, l2: 1500, l3: 450, l4: 2900 };
const LATE_SHIPMENT_CHARGEBACK = 750;
const CANCELLED_AFTER_ACCEPTANCE_CHARGEBACK = 400;

interface Ids {
  readonly orderId: string;
  readonly A: string;
  readonly B: string;
  readonly C: string;
  readonly poA: string;
  readonly poB: string;
  readonly poC: string;
  readonly cancelA: string;
  readonly cancelB: string;
  readonly shipB: string;
  readonly shipC: string;
  readonly returnC: string;
  readonly returnB: string;
  readonly invoiceB: string;
  readonly invoiceC: string;
}

/** Fresh ids per scenario; suppliers sort A < B < C in the report. */
function scenarioIds(): Ids {
  const orderId = randomUUID();
  const s = uniqueName('sup');
  const o = orderId.slice(0, 8);
  return {
    orderId,
    A: `${s}-A`,
    B: `${s}-B`,
    C: `${s}-C`,
    poA: `po-${o}-A`,
    poB: `po-${o}-B`,
    poC: `po-${o}-C`,
    cancelA: `cancel-${o}-A`,
    cancelB: `cancel-${o}-B`,
    shipB: `pkg-${o}-B1`,
    shipC: `pkg-${o}-C1`,
    returnC: `rma-${o}-C`,
    returnB: `rma-${o}-B`,
    invoiceB: `INV-${o}-B`,
    invoiceC: `INV-${o}-C`,
  };
}

const q = (lineId: string, quantity: number) => ({ lineId, quantity });
const costed = (lineId: keyof typeof COSTS, quantity: number) => ({ lineId, sku: LINES.find((l) => l.lineId === lineId)!.sku, quantity, unitCost: COSTS[lineId] });

/*
 * The figures, by hand.
 *
 * A times out: its PO's commitment 3 × 800 = 2400 is released; LinesCancelled l1 × 3 refunds units
 *   0..2 (cancellations take from the first unit up): amount 3803, discount 237, tax 290, items
 *   3803 + 237 − 290 = 3750 (= 3 × 1250).
 * B ships 2 of 4 l2: payable 2 × 1500 = 3000. Revenue is recognised on the units cancellations do not
 *   take (from the last unit down, as returns): units 3, 2 → (2603 − 198) + (2603 − 198) = 4810;
 *   margin 4810 − 3000 = 1810, order margin 1810.
 *   B cancels the other 2 itself, after accepting them: PurchaseOrderCancelled releases 2 × 1500 =
 *   3000 and charges B back 400 (its terms); LinesCancelled l2 × 2 refunds units 0, 1: amount 2604 + 2603 = 5207, discount 95 + 94 = 189, tax 199 + 199 = 398,
 *   items 5207 + 189 − 398 = 4998 (= 2 × 2499).
 * C ships everything, a day late: payable 5 × 450 + 2 × 2900 = 2250 + 5800 = 8050; margin
 *   l3 (3953 − 301) − 2250 = 3652 − 2250 = 1402, l4 (9479 − 722) − 5800 = 8757 − 5800 = 2957,
 *   together 4359, order margin 1810 + 4359 = 6169; chargeback for the late shipment: C's terms, 750.
 * Invoices: C bills 5 × 450 + 2 × 2900 = 8050 → matched. B bills 3 × 1500 = 4500 for the 2 it
 *   shipped → disputed: expected 2 × 1500 = 3000, issue on l2 quantity 3 vs 2, 1500 in question.
 * C's return to the supplier, l3 × 2 and l4 × 1 (returns take from the last unit down):
 *   l3 units 3, 4: amount 790 + 790 = 1580, discount 68 + 68 = 136, tax 60 + 60 = 120, items 1596;
 *   l4 unit 1: amount 4739, discount 171, tax 361, items 4739 + 171 − 361 = 4549; refund 6319.
 *   Margin back: l3 −(1580 − 120) + 2 × 450 = −1460 + 900 = −560; l4 −(4739 − 361) + 2900 =
 *   −4378 + 2900 = −1478; together −2038, order margin 6169 − 2038 = 4131.
 *   Credit expected from C: 2 × 450 + 1 × 2900 = 900 + 2900 = 3800.
 * B's return to the retailer, l2 × 1: unit 3: amount 2603, discount 94, tax 198, items 2499;
 *   margin −(2603 − 198) + 1500 = −2405 + 1500 = −905 (the cost comes back as stock, no credit),
 *   order margin 4131 − 905 = 3226.
 *
 * Check of the final margin: revenue kept l2 unit 2 (2603 − 198 = 2405), l3 units 0..2
 *   (730 + 731 + 731 = 2192), l4 unit 0 (4740 − 361 = 4379) = 8976; cost kept 3000 − 1500 + 8050 −
 *   3800 = 5750; 8976 − 5750 = 3226.
 * Refunded 3803 + 5207 + 6319 + 2603 = 17932; tax refunded 290 + 398 + 120 + 361 + 198 = 1367.
 * Payables accrued 3000 + 8050 = 11050; released 2400 + 3000 = 5400.
 * Chargebacks 400 (B) + 750 (C) = 1150; B shipped on time with valid tracking, so its other terms
 *   (late 500, invalid tracking 300) charge nothing.
 */
const REFUNDS = (ids: Ids) => [
  { causeId: ids.cancelA, cause: 'cancellation', amount: 3803, lines: [{ lineId: 'l1', quantity: 3, items: 3750, discount: 237, tax: 290, amount: 3803 }] },
  { causeId: ids.cancelB, cause: 'cancellation', amount: 5207, lines: [{ lineId: 'l2', quantity: 2, items: 4998, discount: 189, tax: 398, amount: 5207 }] },
  {
    causeId: ids.returnC,
    cause: 'return',
    amount: 6319,
    lines: [
      { lineId: 'l3', quantity: 2, items: 1596, discount: 136, tax: 120, amount: 1580 },
      { lineId: 'l4', quantity: 1, items: 4549, discount: 171, tax: 361, amount: 4739 },
    ],
  },
  { causeId: ids.returnB, cause: 'return', amount: 2603, lines: [{ lineId: 'l2', quantity: 1, items: 2499, discount: 94, tax: 198, amount: 2603 }] },
];

const MARGINS = (ids: Ids) => [
  { sourceId: ids.shipB, cause: 'shipment', nodeId: ids.B, lines: [{ lineId: 'l2', quantity: 2, revenue: 4810, cost: 3000, margin: 1810 }], margin: 1810, orderMargin: 1810 },
  {
    sourceId: ids.shipC,
    cause: 'shipment',
    nodeId: ids.C,
    lines: [
      { lineId: 'l3', quantity: 5, revenue: 3652, cost: 2250, margin: 1402 },
      { lineId: 'l4', quantity: 2, revenue: 8757, cost: 5800, margin: 2957 },
    ],
    margin: 4359,
    orderMargin: 6169,
  },
  {
    sourceId: ids.returnC,
    cause: 'return',
    nodeId: ids.C,
    lines: [
      { lineId: 'l3', quantity: 2, revenue: -1460, cost: -900, margin: -560 },
      { lineId: 'l4', quantity: 1, revenue: -4378, cost: -2900, margin: -1478 },
    ],
    margin: -2038,
    orderMargin: 4131,
  },
  { sourceId: ids.returnB, cause: 'return', nodeId: ids.B, lines: [{ lineId: 'l2', quantity: 1, revenue: -2405, cost: -1500, margin: -905 }], margin: -905, orderMargin: 3226 },
];

const ORDER_MARGIN = 3226;

const ORDER_FIGURES = (ids: Ids): OrderFigures => ({
  orderId: ids.orderId,
  currency: 'USD',
  charged: 28725,
  refunded: 17932,
  taxCharged: 2189,
  taxRefunded: 1367,
  payableAccrued: 11050,
  payableReleased: 5400,
  chargebacks: 750 + 400,
  creditsExpected: 3800,
  margin: ORDER_MARGIN,
});

const SUPPLIER_FIGURES = (ids: Ids): SupplierFigures[] => {
  const none = { currency: 'USD', payableAccrued: 0, payableReleased: 0, chargebacks: 0, creditsExpected: 0, creditsReceived: 0, invoicedMatched: 0, invoicedDisputed: 0, paid: 0, balanceDue: 0 };
  return [
    { supplierId: ids.A, ...none, payableReleased: 2400 },
    // Owed 3000 for what shipped, less 400 for cancelling after accepting; its 4500 invoice is in dispute.
    { supplierId: ids.B, ...none, payableAccrued: 3000, payableReleased: 3000, chargebacks: 400, invoicedDisputed: 4500, balanceDue: 2600 },
    // 8050 − 750 chargeback − 3800 credit expected = 3500.
    { supplierId: ids.C, ...none, payableAccrued: 8050, chargebacks: 750, creditsExpected: 3800, invoicedMatched: 8050, balanceDue: 3500 },
  ];
};

/*
 * Trial balance of the scenario (debit +, credit −):
 *   charge   Dr receivable 28725 / Cr sales 3513 + 9619 + 3652 + 8757 = 25541, shipping 995, tax 2189
 *   refunds  Dr sales returns 3513 + 4809 + (1460 + 4378) + 2405 = 16565, tax 1367 / Cr receivable 17932
 *   accrued  Dr cost of goods 11050 / Cr supplier payable 11050
 *   credit   Dr credit receivable 3800 / Cr cost of goods 3800
 *   restock  Dr inventory 1500 / Cr cost of goods 1500 (B's unit back on the retailer's shelf)
 *   chargebacks Dr supplier payable 750 + 400 / Cr chargeback income 1150
 * Debits 10793 + 16565 + 5750 + 3800 + 1500 = 38408 = credits 25541 + 995 + 822 + 9900 + 1150.
 */
const TRIAL_BALANCE = {
  customer_receivable: 28725 - 17932,
  sales: -25541,
  shipping_revenue: -995,
  tax_payable: -2189 + 1367,
  sales_returns: 16565,
  cost_of_goods: 11050 - 3800 - 1500,
  inventory: 1500,
  supplier_payable: -11050 + 750 + 400,
  supplier_credit_receivable: 3800,
  chargeback_income: -750 - 400,
};

/** The ledger's history, once, per type. */
const HISTORY_COUNTS = {
  CustomerChargeRecognised: 1,
  NodeCostsRecorded: 3,
  PurchaseOrderCommitted: 3,
  PurchaseOrderAcknowledgementRecorded: 2,
  SupplierPayableReleased: 2,
  RefundIssued: 4,
  ShipmentRecorded: 2,
  SupplierPayableAccrued: 2,
  MarginRecognised: 4,
  ChargebackRaised: 2,
  SupplierInvoiceMatched: 1,
  SupplierInvoiceDisputed: 1,
  SupplierCreditExpected: 1,
  ReturnedToStock: 1,
};

type Send = (messages: readonly OutgoingMessage[]) => Promise<void>;

const ledgerOf = (orderId: string) => api.ledger(orderId);
const has = (view: LedgerView | undefined, type: string, match: Record<string, unknown> = {}) =>
  (view?.history ?? []).some((e) => e.type === type && Object.entries(match).every(([k, v]) => e.data[k] === v));

/** Waits until the order's ledger holds every event named. */
function settled(orderId: string, what: string, expected: readonly [string, Record<string, unknown>?][]): Promise<LedgerView> {
  return waitFor(
    async () => {
      const view = await ledgerOf(orderId);
      return expected.every(([type, match]) => has(view, type, match)) ? view : undefined;
    },
    { what },
  );
}

/**
 * The story of one order, step by step as the upstream services would tell it; each step waits
 * until the ledger shows its effect, as the next fact would only come after it in real life.
 */
async function playScenario(ids: Ids, send: Send): Promise<LedgerView> {
  const { orderId } = ids;
  await send([
    supplierProfileUpdated(ids.B, { lateShipment: 500, invalidTracking: 300, cancelledAfterAcceptance: CANCELLED_AFTER_ACCEPTANCE_CHARGEBACK }),
    supplierProfileUpdated(ids.C, { lateShipment: LATE_SHIPMENT_CHARGEBACK }),
  ]);
  await waitFor(
    async () => {
      const [b, c] = await Promise.all([api.account(ids.B), api.account(ids.C)]);
      return b.terms?.chargebacks['cancelledAfterAcceptance'] === CANCELLED_AFTER_ACCEPTANCE_CHARGEBACK && c.terms?.chargebacks['lateShipment'] === LATE_SHIPMENT_CHARGEBACK;
    },
    { what: 'supplier terms of B and C' },
  );

  await send([
    orderAccepted(orderId, { lines: LINES, shipping: SHIPPING }),
    fulfilmentRequested(orderId, ids.A, [costed('l1', 3)]),
    fulfilmentRequested(orderId, ids.B, [costed('l2', 4)]),
    fulfilmentRequested(orderId, ids.C, [costed('l3', 5), costed('l4', 2)]),
  ]);
  // Sourcing's costs come before the POs, as in real life (a PO's own costs would make them news to nobody).
  await settled(orderId, 'charge and node costs', [
    ['CustomerChargeRecognised'],
    ['NodeCostsRecorded', { nodeId: ids.A }],
    ['NodeCostsRecorded', { nodeId: ids.B }],
    ['NodeCostsRecorded', { nodeId: ids.C }],
  ]);

  await send([
    purchaseOrderCreated(orderId, { poId: ids.poA, supplierId: ids.A, lines: [costed('l1', 3)] }),
    purchaseOrderCreated(orderId, { poId: ids.poB, supplierId: ids.B, lines: [costed('l2', 4)] }),
    purchaseOrderCreated(orderId, { poId: ids.poC, supplierId: ids.C, lines: [costed('l3', 5), costed('l4', 2)], shipBy: new Date(Date.now() - 86_400_000).toISOString() }),
    purchaseOrderAcknowledged(orderId, ids.poB, ids.B, [q('l2', 4)]),
    purchaseOrderAcknowledged(orderId, ids.poC, ids.C, [q('l3', 5), q('l4', 2)]),
  ]);
  await settled(orderId, 'POs committed and acknowledged', [
    ['PurchaseOrderCommitted', { poId: ids.poA }],
    ['PurchaseOrderCommitted', { poId: ids.poB }],
    ['PurchaseOrderCommitted', { poId: ids.poC }],
    ['PurchaseOrderAcknowledgementRecorded', { poId: ids.poB }],
    ['PurchaseOrderAcknowledgementRecorded', { poId: ids.poC }],
  ]);

  // A never confirms: the gateway times its PO out, then order intake cancels (and refunds) the lines.
  await send([purchaseOrderTimedOut(orderId, ids.poA, ids.A, [q('l1', 3)])]);
  await settled(orderId, 'A released', [['SupplierPayableReleased', { poId: ids.poA }]]);
  await send([linesCancelled(orderId, ids.cancelA, [q('l1', 3)], 3803)]);
  await settled(orderId, 'A refunded', [['RefundIssued', { causeId: ids.cancelA }]]);

  // B ships half, cancels the rest; order intake cancels those lines.
  await send([shipmentDispatched(orderId, { shipmentId: ids.shipB, nodeId: ids.B, poId: ids.poB, lines: [q('l2', 2)], shipBy: new Date(Date.now() + 86_400_000).toISOString(), trackingValid: true })]);
  await settled(orderId, 'B shipped', [['MarginRecognised', { sourceId: ids.shipB }]]);
  await send([purchaseOrderCancelled(orderId, ids.poB, ids.B, [q('l2', 2)], 'supplier')]);
  await settled(orderId, 'B released and charged back', [
    ['SupplierPayableReleased', { poId: ids.poB }],
    ['ChargebackRaised', { poId: ids.poB }],
  ]);
  await send([linesCancelled(orderId, ids.cancelB, [q('l2', 2)], 5207)]);
  await settled(orderId, 'B refunded', [['RefundIssued', { causeId: ids.cancelB }]]);

  // C ships everything, a day after its ship-by.
  await send([
    shipmentDispatched(orderId, {
      shipmentId: ids.shipC,
      nodeId: ids.C,
      poId: ids.poC,
      lines: [q('l3', 5), q('l4', 2)],
      shipBy: new Date(Date.now() - 86_400_000).toISOString(),
      trackingValid: true,
    }),
  ]);
  await settled(orderId, 'C shipped late', [
    ['MarginRecognised', { sourceId: ids.shipC }],
    ['ChargebackRaised', { poId: ids.poC }],
  ]);

  await send([
    purchaseOrderInvoiced(orderId, { poId: ids.poC, supplierId: ids.C, invoiceNumber: ids.invoiceC, lines: [{ lineId: 'l3', quantity: 5, unitCost: 450 }, { lineId: 'l4', quantity: 2, unitCost: 2900 }] }),
    purchaseOrderInvoiced(orderId, { poId: ids.poB, supplierId: ids.B, invoiceNumber: ids.invoiceB, lines: [{ lineId: 'l2', quantity: 3, unitCost: 1500 }] }),
  ]);
  await settled(orderId, 'invoices', [
    ['SupplierInvoiceMatched', { invoiceNumber: ids.invoiceC }],
    ['SupplierInvoiceDisputed', { invoiceNumber: ids.invoiceB }],
  ]);

  await send([
    returnReceived(orderId, { returnId: ids.returnC, destination: 'supplier', nodeId: ids.C, lines: [q('l3', 2), q('l4', 1)] }),
    returnReceived(orderId, { returnId: ids.returnB, destination: 'retailer', nodeId: ids.B, lines: [q('l2', 1)] }),
  ]);
  await settled(orderId, 'returns', [
    ['RefundIssued', { causeId: ids.returnC }],
    ['RefundIssued', { causeId: ids.returnB }],
    ['SupplierCreditExpected', { returnId: ids.returnC }],
    ['ReturnedToStock', { returnId: ids.returnB }],
  ]);

  // The supplier accounts are posted from the ledgers by their own processor.
  await waitFor(
    async () => {
      const [b, c] = await Promise.all([api.account(ids.B), api.account(ids.C)]);
      return b.totals['USD']?.['invoice_disputed'] === 4500 && c.totals['USD']?.['credit_expected'] === 3800;
    },
    { what: 'supplier accounts posted' },
  );
  return (await ledgerOf(orderId))!;
}

const once: Send = (messages) => publisher.publish(messages);

/** Kafka's at-least-once, exaggerated: the batch replayed `copies` times, then each fact re-sent under a new event id. */
const redelivered =
  (copies: number): Send =>
  (messages) =>
    publisher.publish([...Array.from({ length: copies }, () => messages).flat(), ...messages.map((m) => ({ ...m, eventId: randomUUID() }))]);

const settlements = (orderId: string, type?: string) => reader.find(SETTLEMENTS, type, { orderId });

/** The report of a period without the ids: what two runs of the same story must share. */
function anonymous(report: ReportView) {
  return {
    orders: report.orders.map(({ orderId: _orderId, ...figures }) => figures),
    suppliers: report.suppliers.map(({ supplierId: _supplierId, ...figures }) => figures),
    trialBalance: report.trialBalance,
    balanced: report.balanced,
  };
}

let first: { ids: Ids; period: Required<Period>; report: ReportView; ledger: LedgerView } | undefined;

beforeAll(async () => {
  // A shared broker keeps earlier runs' traffic: this run's service starts after it.
  await ensureTopics(kafka, [...CONSUMED, ORDERS_DLQ, SETTLEMENTS].map((name) => ({ name, partitions: 3, replicationFactor: 1 })));
  const started = commitGroupAtEnd(kafka, groupId, CONSUMED).then(() =>
    startService(financeReconcilerService, { env: financeEnv({ brokers: kafkaBrokers(), databaseUrl: databaseUrl(), schema, groupId, partitions: 3 }), logger: false }),
  );
  await Promise.all([started.then((s) => (service = s)), publisher.connect(), reader.follow([SETTLEMENTS, ORDERS_DLQ])]);
}, 120_000);

afterAll(async () => {
  await reader.close();
  await publisher.close();
  await service?.close();
  await dropSchema(schema);
});

describe('finance reconciler on Kafka and PostgreSQL', () => {
  it('keeps a three-supplier order to the minor unit: charge, refunds, payables, credits, chargebacks, invoices, margin and a balanced report', async () => {
    const ids = scenarioIds();
    const from = new Date();
    const ledger = await playScenario(ids, once);
    // Recorded times and this one have millisecond precision: one more keeps the last event inside.
    const to = new Date(Date.now() + 1);

    expect(countsByType(ledger)).toEqual(HISTORY_COUNTS);
    expect(ledger.orderMargin).toBe(ORDER_MARGIN);
    expect(ledger.figures).toEqual([ORDER_FIGURES(ids)]);

    // What finance systems see on finance.settlements.v1, keyed by the order.
    const expectedCounts = { CustomerChargeRecognised: 1, RefundIssued: 4, SupplierPayableAccrued: 2, SupplierPayableReleased: 2, MarginRecognised: 4, ChargebackRaised: 2, SupplierInvoiceMatched: 1, SupplierInvoiceDisputed: 1, SupplierCreditExpected: 1, ReturnedToStock: 1 };
    await waitFor(() => settlements(ids.orderId).length >= 19, { what: '19 settlement events' });
    const published: Record<string, number> = {};
    for (const m of settlements(ids.orderId)) published[m.type] = (published[m.type] ?? 0) + 1;
    expect(published).toEqual(expectedCounts);
    expect(settlements(ids.orderId).every((m) => m.key === ids.orderId)).toBe(true);

    const [charge] = settlements(ids.orderId, SETTLEMENT_EVENTS.customerChargeRecognised);
    expect(charge!.payload).toMatchObject({ currency: 'USD', taxesIncluded: false, total: 28725, shipping: { amount: 995, discount: 0, tax: 82, total: 1077 } });

    const refunds = settlements(ids.orderId, SETTLEMENT_EVENTS.refundIssued).map((m) => m.payload);
    expect(refunds).toEqual(REFUNDS(ids).map((r) => expect.objectContaining({ ...r, refundId: `${r.cause}:${r.causeId}`, currency: 'USD' })));
    expect(refunds.some((r) => 'shipping' in r)).toBe(false);
    expect(refunds.reduce((n, r) => n + (r['amount'] as number), 0)).toBe(17932);

    const accrued = settlements(ids.orderId, SETTLEMENT_EVENTS.supplierPayableAccrued).map((m) => m.payload);
    expect(accrued).toEqual([
      expect.objectContaining({ poId: ids.poB, supplierId: ids.B, shipmentId: ids.shipB, amount: 3000, lines: [{ lineId: 'l2', quantity: 2, unitCost: 1500, amount: 3000 }] }),
      expect.objectContaining({
        poId: ids.poC,
        supplierId: ids.C,
        shipmentId: ids.shipC,
        amount: 8050,
        lines: [
          { lineId: 'l3', quantity: 5, unitCost: 450, amount: 2250 },
          { lineId: 'l4', quantity: 2, unitCost: 2900, amount: 5800 },
        ],
      }),
    ]);
    const released = settlements(ids.orderId, SETTLEMENT_EVENTS.supplierPayableReleased).map((m) => m.payload);
    expect(released).toEqual([
      expect.objectContaining({ poId: ids.poA, supplierId: ids.A, amount: 2400, lines: [{ lineId: 'l1', quantity: 3, unitCost: 800, amount: 2400 }] }),
      expect.objectContaining({ poId: ids.poB, supplierId: ids.B, amount: 3000, lines: [{ lineId: 'l2', quantity: 2, unitCost: 1500, amount: 3000 }] }),
    ]);
    expect(settlements(ids.orderId, SETTLEMENT_EVENTS.supplierCreditExpected).map((m) => m.payload)).toEqual([
      expect.objectContaining({
        returnId: ids.returnC,
        poId: ids.poC,
        supplierId: ids.C,
        amount: 3800,
        lines: [
          { lineId: 'l3', quantity: 2, unitCost: 450, amount: 900 },
          { lineId: 'l4', quantity: 1, unitCost: 2900, amount: 2900 },
        ],
      }),
    ]);
    expect(settlements(ids.orderId, SETTLEMENT_EVENTS.marginRecognised).map((m) => m.payload)).toEqual(MARGINS(ids).map((m) => expect.objectContaining(m)));
    expect(settlements(ids.orderId, SETTLEMENT_EVENTS.chargebackRaised).map((m) => m.payload)).toEqual([
      expect.objectContaining({ poId: ids.poB, supplierId: ids.B, rule: 'cancelled_after_acceptance', amount: CANCELLED_AFTER_ACCEPTANCE_CHARGEBACK, currency: 'USD' }),
      expect.objectContaining({ poId: ids.poC, supplierId: ids.C, rule: 'late_shipment', amount: LATE_SHIPMENT_CHARGEBACK, currency: 'USD' }),
    ]);
    expect(settlements(ids.orderId, SETTLEMENT_EVENTS.supplierInvoiceMatched).map((m) => m.payload)).toEqual([
      expect.objectContaining({ poId: ids.poC, supplierId: ids.C, invoiceNumber: ids.invoiceC, amount: 8050 }),
    ]);
    expect(settlements(ids.orderId, SETTLEMENT_EVENTS.supplierInvoiceDisputed).map((m) => m.payload)).toEqual([
      expect.objectContaining({
        poId: ids.poB,
        supplierId: ids.B,
        invoiceNumber: ids.invoiceB,
        invoiced: 4500,
        expected: 3000,
        issues: [{ lineId: 'l2', kind: 'quantity', invoiced: 3, expected: 2, amount: 1500 }],
      }),
    ]);

    // The report of the scenario's period: nothing else happened in it.
    const report = await api.report({ from, to });
    expect(report.period).toEqual({ from: from.toISOString(), to: to.toISOString() });
    expect(report.orders).toEqual([ORDER_FIGURES(ids)]);
    expect(report.suppliers).toEqual(SUPPLIER_FIGURES(ids));
    expect(report.trialBalance).toEqual([{ currency: 'USD', accounts: TRIAL_BALANCE, debits: 38408, credits: 38408, difference: 0 }]);
    expect(report.balanced).toBe(true);

    // Each supplier's account, posted from the ledger once per event.
    expect((await api.account(ids.C)).totals).toEqual({ USD: { payable_accrued: 8050, chargeback: 750, invoice_matched: 8050, credit_expected: 3800, balanceDue: 3500 } });
    expect((await api.account(ids.B)).totals).toEqual({ USD: { payable_accrued: 3000, payable_released: 3000, chargeback: 400, invoice_disputed: 4500, balanceDue: 2600 } });
    expect((await api.account(ids.A)).totals).toEqual({ USD: { payable_released: 2400, balanceDue: 0 } });

    first = { ids, period: { from, to }, report, ledger };
  });

  it('ends with the same ledger when every input arrives five times and once more under a new event id', async () => {
    expect(first).toBeDefined();
    const ids = scenarioIds();
    const from = new Date();
    await playScenario(ids, redelivered(5));
    // Every copy handled, not only the first of each: the group has committed past them all.
    await waitFor(() => groupCaughtUp(kafka, groupId, CONSUMED), { what: 'every redelivered copy consumed', intervalMs: 200 });
    const to = new Date(Date.now() + 1);

    const ledger = (await ledgerOf(ids.orderId))!;
    expect(countsByType(ledger)).toEqual(countsByType(first!.ledger));
    expect(countsByType(ledger)).toEqual(HISTORY_COUNTS);
    expect(ledger.orderMargin).toBe(ORDER_MARGIN);
    expect(ledger.figures).toEqual([ORDER_FIGURES(ids)]);

    const report = await api.report({ from, to });
    expect(anonymous(report)).toEqual(anonymous(first!.report));
    expect(report.orders).toEqual([ORDER_FIGURES(ids)]);
    expect(report.suppliers).toEqual(SUPPLIER_FIGURES(ids));
    expect(report.balanced).toBe(true);

    await waitFor(() => settlements(ids.orderId).length >= settlements(first!.ids.orderId).length, { what: 'settlement events of the redelivered order' });
    const typesOf = (orderId: string) => settlements(orderId).map((m) => m.type).sort();
    expect(typesOf(ids.orderId)).toEqual(typesOf(first!.ids.orderId));
    expect(settlements(ids.orderId, SETTLEMENT_EVENTS.refundIssued).map((m) => m.payload['amount'])).toEqual([3803, 5207, 6319, 2603]);
    expect((await api.account(ids.C)).totals).toEqual({ USD: { payable_accrued: 8050, chargeback: 750, invoice_matched: 8050, credit_expected: 3800, balanceDue: 3500 } });
  });

  it('records a payment to a supplier and a credit from it once per id, and the books still balance', async () => {
    expect(first).toBeDefined();
    const { C } = first!.ids;
    const pay = { id: `pay-${C}`, amount: 3500, currency: 'USD', reference: 'wire 0042' };
    const credit = { id: `credit-${C}`, amount: 3800, currency: 'USD', reference: `RMA credit note` };
    for (let i = 0; i < 2; i++) {
      expect((await api.post(C, 'payments', pay)).status).toBe(200);
      expect((await api.post(C, 'credits', credit)).status).toBe(200);
    }
    const account = await api.account(C);
    // 8050 accrued − 750 charged back − 3800 credit expected − 3500 paid = 0.
    expect(account.totals).toEqual({ USD: { payable_accrued: 8050, chargeback: 750, invoice_matched: 8050, credit_expected: 3800, payment: 3500, credit_received: 3800, balanceDue: 0 } });
    const invalid = await api.post(C, 'payments', { id: 'x', amount: -5, currency: 'USD' });
    expect(invalid.status).toBe(400);

    const paid = await waitFor(() => reader.find(SETTLEMENTS, SETTLEMENT_EVENTS.supplierPaymentRecorded, { supplierId: C })[0], { what: 'SupplierPaymentRecorded' });
    expect(paid.key).toBe(C);
    expect(paid.payload).toMatchObject({ supplierId: C, kind: 'payment', amount: 3500, currency: 'USD', reference: 'wire 0042' });
    const received = await waitFor(() => reader.find(SETTLEMENTS, SETTLEMENT_EVENTS.supplierCreditReceived, { supplierId: C })[0], { what: 'SupplierCreditReceived' });
    expect(received.payload).toMatchObject({ supplierId: C, kind: 'credit_received', amount: 3800 });

    const report = await api.report();
    const supplier = report.suppliers.find((s) => s.supplierId === C);
    expect(supplier).toMatchObject({ paid: 3500, creditsReceived: 3800, balanceDue: 0 });
    // Cash out 3500, in 3800; the credit receivable is settled.
    const usd = report.trialBalance.find((t) => t.currency === 'USD')!;
    expect(usd.difference).toBe(0);
    expect(report.balanced).toBe(true);
    const sinceFirst = await api.report({ from: first!.period.from });
    const accounts = sinceFirst.trialBalance[0]!.accounts;
    expect(accounts['cash']).toBe(300);
    expect(accounts['supplier_credit_receivable']).toBe(2 * 3800 - 3800);
  });

  it('dead-letters an OrderAccepted with a line missing its total, and charges the next order', async () => {
    const bad = randomUUID();
    const good = randomUUID();
    const broken = orderAccepted(bad, { lines: LINES, shipping: SHIPPING });
    const payload = broken.payload as { lines: AcceptedLineV1[] };
    const { total: _total, ...withoutTotal } = payload.lines[0]!;
    // The bad one ahead of the good one in the same partition.
    await publisher.publish([
      { ...broken, key: good, payload: { ...payload, lines: [withoutTotal, ...payload.lines.slice(1)] } },
      orderAccepted(good, { lines: LINES.slice(0, 1), shipping: { amount: 0, discount: 0, tax: 0 } }),
    ]);

    const charged = await settled(good, 'charge of the next order', [['CustomerChargeRecognised']]);
    expect(charged.figures).toEqual([expect.objectContaining({ charged: 3803, taxCharged: 290 })]);
    const dead = await waitFor(() => reader.find(ORDERS_DLQ, ORDER_EVENTS.accepted, { orderId: bad })[0], { what: 'dead letter' });
    expect(dead.key).toBe(good);
    expect(dead.headers[DLQ_HEADER.originalTopic]).toBe(TOPICS.omsOrders.name);
    expect(dead.headers[DLQ_HEADER.consumerGroup]).toBe(groupId);
    expect(dead.headers[DLQ_HEADER.attempts]).toBe('1');
    expect(dead.headers[DLQ_HEADER.errorName]).toBe('PermanentMessageError');
    expect(dead.headers[DLQ_HEADER.error]).toContain('total');
    expect(await api.ledger(bad)).toBeUndefined();
  });

  it('recognises the margin of a warehouse shipment at the node cost sourcing sent, with no payable', async () => {
    const orderId = randomUUID();
    const warehouse = uniqueName('wh');
    await publisher.publish([orderAccepted(orderId, { lines: LINES.slice(0, 1), shipping: SHIPPING }), fulfilmentRequested(orderId, warehouse, [{ ...costed('l1', 3), unitCost: 700 }], 'warehouse')]);
    await settled(orderId, 'charge and warehouse costs', [['CustomerChargeRecognised'], ['NodeCostsRecorded', { nodeId: warehouse }]]);
    await publisher.publish([shipmentDispatched(orderId, { shipmentId: `wms-${orderId}`, nodeId: warehouse, lines: [q('l1', 2)] })]);
    const ledger = await settled(orderId, 'warehouse shipment', [['MarginRecognised', { sourceId: `wms-${orderId}` }]]);
    // l1 units 2 and 1 (from the last unit down): amount 1267 + 1268 = 2535, tax 96 + 97 = 193,
    // revenue 2535 − 193 = 2342; cost 2 × 700 = 1400; margin 942.
    expect(ledger.history.find((e) => e.type === 'MarginRecognised')!.data).toMatchObject({
      cause: 'shipment',
      nodeId: warehouse,
      lines: [{ lineId: 'l1', quantity: 2, revenue: 2342, cost: 1400, margin: 942 }],
      margin: 942,
      orderMargin: 942,
    });
    expect(ledger.history.some((e) => e.type === 'SupplierPayableAccrued')).toBe(false);
    expect(ledger.figures).toEqual([expect.objectContaining({ charged: 3803 + 1077, payableAccrued: 0, margin: 942 })]);
  });

  it('serves the report as CSV with its three sections, and only with the token', async () => {
    expect(first).toBeDefined();
    const { status, contentType, text } = await api.csv(first!.period);
    expect(status).toBe(200);
    expect(contentType).toContain('text/csv');

    const sections = new Map<string, string[][]>();
    let current: string[][] | undefined;
    for (const line of text.split(/\r?\n/)) {
      if (line.startsWith('# ')) sections.set(line.slice(2), (current = []));
      else if (line !== '') current!.push(line.split(','));
    }
    expect([...sections.keys()]).toEqual(['orders', 'suppliers', 'trial balance']);
    const rows = (name: string) => {
      const [header, ...body] = sections.get(name)!;
      return body.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i]])));
    };
    const { ids } = first!;
    expect(sections.get('orders')![0]).toEqual(Object.keys(ORDER_FIGURES(ids)));
    expect(rows('orders')).toEqual([Object.fromEntries(Object.entries(ORDER_FIGURES(ids)).map(([k, v]) => [k, String(v)]))]);
    expect(sections.get('suppliers')![0]).toEqual(Object.keys(SUPPLIER_FIGURES(ids)[0]!));
    expect(rows('suppliers').map((r) => [r['supplierId'], r['balanceDue']])).toEqual([
      [ids.A, '0'],
      [ids.B, '2600'],
      [ids.C, '3500'],
    ]);
    expect(sections.get('trial balance')![0]!.slice(0, 4)).toEqual(['currency', 'debits', 'credits', 'difference']);
    expect(rows('trial balance')).toEqual([expect.objectContaining({ currency: 'USD', debits: '38408', credits: '38408', difference: '0', sales: '-25541' })]);

    expect((await api.get('/reports/reconciliation', null)).status).toBe(401);
    expect((await api.get('/reports/reconciliation', 'not-the-finance-token')).status).toBe(401);
    expect((await api.get('/reports/reconciliation?from=yesterday')).status).toBe(400);
  });
});
