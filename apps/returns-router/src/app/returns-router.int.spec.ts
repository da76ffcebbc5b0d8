import { randomUUID } from 'node:crypto';
import { COMMERCE_RETURN_REQUESTED, FULFILMENT_FACTS, TOPICS, type AcceptedLineV1 } from '@oms/contracts';
import { commitGroupAtEnd, createKafka, DLQ_HEADER, ensureTopics, HEADER, KafkaPublisher, type OutgoingMessage } from '@oms/messaging';
import { groupCaughtUp, TopicReader, type SeenMessage } from '@oms/messaging/testing';
import { startService, type RunningService } from '@oms/platform';
import { databaseUrl, dropSchema, kafkaBrokers, uniqueName, waitFor } from '@oms/testing';
import type { FinanceEnv } from '../../../finance-reconciler/src/app/finance.env';
import { financeReconcilerService } from '../../../finance-reconciler/src/app/finance-reconciler.service';
import { SETTLEMENT_EVENTS } from '../../../finance-reconciler/src/app/messaging/settlement-messages';
import { countsByType, FinanceClient, financeEnv, type LedgerView } from '../../../finance-reconciler/src/app/testing/finance-client';
import { orderAccepted, purchaseOrderCreated, shipmentDispatched } from '../../../finance-reconciler/src/app/testing/finance-inputs';
import { returnIdFor } from './application/returns-application';
import type { ReturnsEnv } from './returns.env';
import { returnsRouterService } from './returns-router.service';
import { returnPartReceived, returnRequest, returnRequested, shipmentAdded, supplierReturnPolicy, type Address } from './testing/return-inputs';
import { ReturnsClient, returnsRouterEnv } from './testing/returns-client';

const run = uniqueName('returns');
const routerSchema = `${run}_router`.replace(/[^a-z0-9_]/g, '_');
const financeSchema = `${run}_finance`.replace(/[^a-z0-9_]/g, '_');
const routerGroup = `${run}-returns-router`;
const financeGroup = `${run}-finance-reconciler`;
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'returns-test' });
const publisher = new KafkaPublisher(kafka, { producerName: 'returns-upstream-stand-in' });
const reader = new TopicReader(kafka);
let router: RunningService<ReturnsEnv>;
let finance: RunningService<FinanceEnv>;
const returnsApi = new ReturnsClient(() => router.url);
const financeApi = new FinanceClient(() => finance.url);

const RETURNS = TOPICS.returns.name;
const SETTLEMENTS = TOPICS.financeSettlements.name;
const REQUESTS_DLQ = `${TOPICS.commerceReturns.name}.dlq`;
const ROUTER_CONSUMED = returnsRouterService.consumes.map((t) => t.name);
const FINANCE_CONSUMED = financeReconcilerService.consumes.map((t) => t.name);

const DAY = 86_400_000;

/* Suppliers of this file; S3 takes returns on the day it ships only. */
const S1 = uniqueName('s1');
const S2 = uniqueName('s2');
const S3 = uniqueName('s3');
const S1_ADDRESS: Address = { name: 'Kettle Works returns', line1: '10 Dock Rd', city: 'Dayton', region: 'OH', postalCode: '45402', country: 'US' };
const S2_ADDRESS: Address = { name: 'Toast & Co RMA desk', line1: '200 Mill St', city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' };

/*
 * The order, priced as order intake prices it (USD, taxes excluded, 8.25 % tax on the discounted price):
 *
 *   line  supplier  qty  unit  subtotal  discount  net     tax                         total
 *   l1    S1        3    4999  14997     499       14498   14498·8.25 % = 1196.1 → 1196  15694
 *   l2    S2        1    3450   3450       0        3450    3450·8.25 % =  284.6 →  285   3735
 *   l3    S1        2     850   1700     101        1599    1599·8.25 % =  131.9 →  132   1731
 *   shipping 795 + tax 795·8.25 % = 65.6 → 66 = 861. Charged 15694 + 3735 + 1731 + 861 = 22021,
 *   tax 1196 + 285 + 132 + 66 = 1679.
 *
 * Routing (DEFAULT_ROUTING): l3's unit value ⌊1731 / 2⌋ = 865 ≤ 1000 → refunded without return;
 * l1 (⌊15694 / 3⌋ = 5231) and l2 (3735) go back to their suppliers, who take returns.
 *
 * Finance's split per unit (refund-allocation.ts: total, discount and tax each split evenly by
 * largest remainder, the lower units taking the extra minor unit; returns from the last unit down):
 *   l1 total 15694/3 → [5232, 5231, 5231]  discount 499/3 → [167, 166, 166]  tax 1196/3 → [399, 399, 398]
 *   l2 total 3735 → [3735]                 discount 0 → [0]                 tax 285 → [285]
 *   l3 total 1731/2 → [866, 865]           discount 101/2 → [51, 50]        tax 132/2 → [66, 66]
 * One unit back of each line, the last one (items = amount + discount − tax):
 *   l1 unit 2: amount 5231, discount 166, tax 398, items 4999
 *   l2 unit 0: amount 3735, discount 0,   tax 285, items 3450
 *   l3 unit 1: amount  865, discount 50,  tax 66,  items 849
 *   refunded 5231 + 3735 + 865 = 9831, tax refunded 398 + 285 + 66 = 749.
 *
 * PO unit costs: S1 l1 3100, l3 400; S2 l2 2100. Payables as everything ships: S1 3·3100 + 2·400 =
 * 10100, S2 2100 → 12200.
 * Margins (revenue = amount − tax):
 *   S1 ships: l1 15694 − 1196 = 14498 − 9300 = 5198; l3 1731 − 132 = 1599 − 800 = 799 → 5997, order 5997
 *   S2 ships: l2 3735 − 285 = 3450 − 2100 = 1350, order 7347
 *   l3 returnless: −(865 − 66) = −799, the cost does not come back: margin −799, order 6548
 *   l1 to S1: −(5231 − 398) = −4833, cost back 3100 (a credit from S1): −1733, order 4815
 *   l2 to S2: −3450 + 2100 = −1350, order 3465
 *   Check: revenue kept l1 units 0, 1 (4833 + 4832) + l3 unit 0 (866 − 66 = 800) = 10465; cost kept
 *   10100 + 2100 − 3100 − 2100 = 7000; 10465 − 7000 = 3465.
 * Credits expected: S1 1 · 3100 = 3100 on its PO, S2 1 · 2100 = 2100; none for the returnless unit.
 */
const LINES: readonly AcceptedLineV1[] = [
  { lineId: 'l1', sku: 'KETTLE', quantity: 3, unitPrice: 4999, discount: 499, tax: 1196, total: 15694 },
  { lineId: 'l2', sku: 'TOASTER', quantity: 1, unitPrice: 3450, discount: 0, tax: 285, total: 3735 },
  { lineId: 'l3', sku: 'MUG', quantity: 2, unitPrice: 850, discount: 101, tax: 132, total: 1731 },
];
const SHIPPING = { amount: 795, discount: 0, tax: 66 };
const COSTS = { l1: 3100, l2: 2100, l3: 400 } as const;

const REFUND_LINES = {
  l1: { lineId: 'l1', quantity: 1, items: 4999, discount: 166, tax: 398, amount: 5231 },
  l2: { lineId: 'l2', quantity: 1, items: 3450, discount: 0, tax: 285, amount: 3735 },
  l3: { lineId: 'l3', quantity: 1, items: 849, discount: 50, tax: 66, amount: 865 },
};

const ORDER_MARGIN = 3465;

const ORDER_FIGURES = (orderId: string) => ({
  orderId,
  currency: 'USD',
  charged: 22021,
  refunded: 9831,
  taxCharged: 1679,
  taxRefunded: 749,
  payableAccrued: 12200,
  payableReleased: 0,
  chargebacks: 0,
  creditsExpected: 3100 + 2100,
  margin: ORDER_MARGIN,
});

const LEDGER_COUNTS = {
  CustomerChargeRecognised: 1,
  PurchaseOrderCommitted: 2,
  ShipmentRecorded: 2,
  SupplierPayableAccrued: 2,
  MarginRecognised: 5,
  RefundIssued: 3,
  SupplierCreditExpected: 2,
};

type LineId = keyof typeof COSTS;
const q = (lineId: string, quantity: number) => ({ lineId, quantity });
const costed = (lineId: LineId, quantity: number) => ({ lineId, sku: LINES.find((l) => l.lineId === lineId)!.sku, quantity, unitCost: COSTS[lineId] });

const published = (topic: string, type: string | undefined, match: Record<string, unknown> = {}) => reader.find(topic, type, match);
const one = (topic: string, type: string, match: Record<string, unknown>, what: string) => waitFor(() => published(topic, type, match)[0], { what });

const has = (view: LedgerView | undefined, type: string, match: Record<string, unknown> = {}) =>
  (view?.history ?? []).some((e) => e.type === type && Object.entries(match).every(([k, v]) => e.data[k] === v));

/** Waits until the order's ledger holds every event named. */
function settled(orderId: string, what: string, expected: readonly [string, Record<string, unknown>?][]): Promise<LedgerView> {
  return waitFor(
    async () => {
      const view = await financeApi.ledger(orderId);
      return expected.every(([type, match]) => has(view, type, match)) ? view : undefined;
    },
    { what },
  );
}

/** Everything published to the router so far has been handled (its group committed past it). */
const routerCaughtUp = (what: string, topics: readonly string[] = ROUTER_CONSUMED) => waitFor(() => groupCaughtUp(kafka, routerGroup, topics), { what, intervalMs: 200 });

/** The message a relay would send again: same envelope, same event id unless told otherwise. */
function resent(seen: SeenMessage, eventId = seen.headers[HEADER.eventId]!): OutgoingMessage {
  return { topic: seen.topic, key: seen.key!, eventId, type: seen.type, schemaVersion: 1, occurredAt: new Date().toISOString(), payload: seen.payload };
}

interface Sold {
  readonly orderId: string;
  readonly returnId: string;
  readonly parts: { readonly toS1: string; readonly toS2: string; readonly returnless: string };
  readonly request: OutgoingMessage;
  readonly receiptS2: OutgoingMessage;
  readonly receiptS1: object;
}

let sold: Sold | undefined;

beforeAll(async () => {
  // A shared broker keeps earlier runs' traffic: this run's services start after it.
  const topics = [...new Set([...ROUTER_CONSUMED, ...FINANCE_CONSUMED, RETURNS, SETTLEMENTS, REQUESTS_DLQ])];
  await ensureTopics(kafka, topics.map((name) => ({ name, partitions: 3, replicationFactor: 1 })));
  const routerStarted = commitGroupAtEnd(kafka, routerGroup, ROUTER_CONSUMED).then(() =>
    startService(returnsRouterService, { env: returnsRouterEnv({ brokers: kafkaBrokers(), databaseUrl: databaseUrl(), schema: routerSchema, groupId: routerGroup, partitions: 3 }), logger: false }),
  );
  const financeStarted = commitGroupAtEnd(kafka, financeGroup, FINANCE_CONSUMED).then(() =>
    startService(financeReconcilerService, { env: financeEnv({ brokers: kafkaBrokers(), databaseUrl: databaseUrl(), schema: financeSchema, groupId: financeGroup, partitions: 3 }), logger: false }),
  );
  await Promise.all([
    routerStarted.then((s) => (router = s)),
    financeStarted.then((s) => (finance = s)),
    publisher.connect(),
    reader.follow([RETURNS, SETTLEMENTS, REQUESTS_DLQ]),
  ]);
  // The suppliers' return policies, once for the file.
  await publisher.publish([
    supplierReturnPolicy(S1, { windowDays: 30, acceptsReturns: true, returnAddress: S1_ADDRESS }),
    supplierReturnPolicy(S2, { windowDays: 30, acceptsReturns: true, returnAddress: S2_ADDRESS }),
    supplierReturnPolicy(S3, { windowDays: 0, acceptsReturns: true }),
  ]);
  await routerCaughtUp('return policies of S1, S2 and S3', [TOPICS.supplierProfiles.name]);
}, 120_000);

afterAll(async () => {
  await reader.close();
  await publisher.close();
  await router?.close();
  await finance?.close();
  await dropSchema(routerSchema);
  await dropSchema(financeSchema);
});

describe('returns router with finance on Kafka and PostgreSQL', () => {
  it('routes a two-supplier return part by part, refunds the cheap line without return, and finance refunds each part and expects each supplier’s credit', async () => {
    const orderId = randomUUID();
    const o = orderId.slice(0, 8);
    const poS1 = `po-${o}-S1`;
    const poS2 = `po-${o}-S2`;

    // Sold and committed: order intake's charge, the gateway's POs.
    await publisher.publish([
      orderAccepted(orderId, { lines: LINES, shipping: SHIPPING }),
      purchaseOrderCreated(orderId, { poId: poS1, supplierId: S1, lines: [costed('l1', 3), costed('l3', 2)] }),
      purchaseOrderCreated(orderId, { poId: poS2, supplierId: S2, lines: [costed('l2', 1)] }),
    ]);
    await settled(orderId, 'charge and POs', [['CustomerChargeRecognised'], ['PurchaseOrderCommitted', { poId: poS1 }], ['PurchaseOrderCommitted', { poId: poS2 }]]);

    // Everything ships: order intake tells the customer (ShipmentAdded), the gateway tells finance.
    await publisher.publish([
      shipmentAdded(orderId, { shipmentId: `pkg-${o}-S1`, nodeId: S1, lines: [q('l1', 3), q('l3', 2)] }),
      shipmentAdded(orderId, { shipmentId: `pkg-${o}-S2`, nodeId: S2, lines: [q('l2', 1)] }),
      shipmentDispatched(orderId, { shipmentId: `pkg-${o}-S1`, nodeId: S1, poId: poS1, lines: [q('l1', 3), q('l3', 2)] }),
      shipmentDispatched(orderId, { shipmentId: `pkg-${o}-S2`, nodeId: S2, poId: poS2, lines: [q('l2', 1)] }),
    ]);
    await settled(orderId, 'shipments margined', [
      ['MarginRecognised', { sourceId: `pkg-${o}-S1` }],
      ['MarginRecognised', { sourceId: `pkg-${o}-S2` }],
    ]);
    await routerCaughtUp('sale and shipments noted by the router', [TOPICS.omsOrders.name]);

    // The customer returns one unit of each line.
    const request = returnRequested(
      returnRequest(orderId, `ext-${o}-1`, [
        { lineId: 'l1', quantity: 1, reason: 'defective' },
        { lineId: 'l2', quantity: 1, reason: 'changed_mind' },
        { lineId: 'l3', quantity: 1, reason: 'changed_mind' },
      ]),
      orderId,
    );
    await publisher.publish([request]);

    const routed = await one(RETURNS, 'ReturnRouted', { orderId }, 'ReturnRouted');
    expect(routed.key).toBe(orderId);
    const returnId = routed.payload['returnId'] as string;
    const parts = { toS1: `${returnId}:1`, toS2: `${returnId}:2`, returnless: `${returnId}:3` };
    const rma = expect.stringMatching(/^RMA-[0-9A-F]{10}$/);
    expect(routed.payload).toEqual({
      returnId,
      orderId,
      routedAt: expect.any(String),
      parts: [
        { partId: parts.toS1, destination: 'supplier', nodeId: S1, shippedBy: S1, rule: 'supplier takes its returns', lines: [{ lineId: 'l1', quantity: 1, reason: 'defective' }], rmaNumber: rma, receiveBy: expect.any(String), address: S1_ADDRESS },
        { partId: parts.toS2, destination: 'supplier', nodeId: S2, shippedBy: S2, rule: 'supplier takes its returns', lines: [{ lineId: 'l2', quantity: 1, reason: 'changed_mind' }], rmaNumber: rma, receiveBy: expect.any(String), address: S2_ADDRESS },
        { partId: parts.returnless, destination: 'returnless', nodeId: S1, shippedBy: S1, rule: 'low value: refund without return', lines: [{ lineId: 'l3', quantity: 1, reason: 'changed_mind' }] },
      ],
    });
    const routedParts = routed.payload['parts'] as { rmaNumber?: string; receiveBy?: string }[];
    expect(routedParts[0]!.rmaNumber).not.toBe(routedParts[1]!.rmaNumber);
    // Receive-by: RETURNS_RECEIVE_WITHIN_DAYS (30) after routing.
    for (const part of routedParts.slice(0, 2)) expect(Date.parse(part.receiveBy!) - Date.parse(routed.payload['routedAt'] as string)).toBe(30 * DAY);

    // The cheap line is refunded at once, without return.
    const returnless = await one(RETURNS, FULFILMENT_FACTS.refundApproved, { returnId: parts.returnless }, 'RefundApproved of the returnless part');
    expect(returnless.payload).toEqual({
      orderId,
      returnId: parts.returnless,
      customerReturnId: returnId,
      destination: 'none',
      nodeId: S1,
      lines: [q('l3', 1)],
      attributableToSupplier: false,
      reason: 'changed_mind',
      receivedAt: routed.payload['routedAt'],
    });
    expect(published(RETURNS, FULFILMENT_FACTS.refundApproved, { customerReturnId: returnId })).toHaveLength(1);

    // S1 reports its part over HTTP; S2's arrives through the gateway on supplier.purchase-orders.v1.
    const receiptS1 = { receiptId: `rcv-${o}-S1`, lines: [{ lineId: 'l1', quantity: 1, condition: 'acceptable' }] };
    const answer = await returnsApi.receipt(returnId, parts.toS1, receiptS1);
    expect(answer.status).toBe(201);
    expect(answer.body.state.parts?.[parts.toS1]).toMatchObject({ received: true, exception: false });
    const receiptS2 = returnPartReceived(orderId, { returnId, partId: parts.toS2, receiptId: `rcv-${o}-S2`, lines: [{ lineId: 'l2', quantity: 1, condition: 'acceptable' }] });
    await publisher.publish([receiptS2]);

    const approvedS1 = await one(RETURNS, FULFILMENT_FACTS.refundApproved, { returnId: parts.toS1 }, 'RefundApproved of the part back at S1');
    expect(approvedS1.payload).toMatchObject({ orderId, customerReturnId: returnId, destination: 'supplier', nodeId: S1, lines: [q('l1', 1)], attributableToSupplier: true, reason: 'defective' });
    const approvedS2 = await one(RETURNS, FULFILMENT_FACTS.refundApproved, { returnId: parts.toS2 }, 'RefundApproved of the part back at S2');
    expect(approvedS2.payload).toMatchObject({ orderId, customerReturnId: returnId, destination: 'supplier', nodeId: S2, lines: [q('l2', 1)], attributableToSupplier: false, reason: 'changed_mind' });
    const receipts = published(RETURNS, 'ReturnPartReceived', { returnId }).map((m) => m.payload);
    expect(receipts).toEqual([
      expect.objectContaining({ orderId, partId: parts.toS1, receiptId: receiptS1.receiptId, lines: [{ lineId: 'l1', quantity: 1, condition: 'acceptable' }] }),
      expect.objectContaining({ orderId, partId: parts.toS2, receiptId: `rcv-${o}-S2`, lines: [{ lineId: 'l2', quantity: 1, condition: 'acceptable' }] }),
    ]);
    expect(published(RETURNS, 'ReturnException', { orderId })).toEqual([]);

    // Finance: a refund per part, a credit from each supplier, none for the returnless unit.
    const ledger = await settled(orderId, 'refunds and credits', [
      ['RefundIssued', { causeId: parts.returnless }],
      ['RefundIssued', { causeId: parts.toS1 }],
      ['RefundIssued', { causeId: parts.toS2 }],
      ['SupplierCreditExpected', { returnId: parts.toS1 }],
      ['SupplierCreditExpected', { returnId: parts.toS2 }],
    ]);
    expect(countsByType(ledger)).toEqual(LEDGER_COUNTS);
    expect(ledger.orderMargin).toBe(ORDER_MARGIN);
    expect(ledger.figures).toEqual([ORDER_FIGURES(orderId)]);

    const refund = (partId: string, line: (typeof REFUND_LINES)[keyof typeof REFUND_LINES]) =>
      expect.objectContaining({ orderId, refundId: `return:${partId}`, cause: 'return', causeId: partId, lines: [line], amount: line.amount, currency: 'USD' });
    const expectedRefunds = [refund(parts.returnless, REFUND_LINES.l3), refund(parts.toS1, REFUND_LINES.l1), refund(parts.toS2, REFUND_LINES.l2)];
    const credit = (partId: string, poId: string, supplierId: string, lineId: LineId) =>
      expect.objectContaining({ orderId, returnId: partId, poId, supplierId, lines: [{ lineId, quantity: 1, unitCost: COSTS[lineId], amount: COSTS[lineId] }], amount: COSTS[lineId], currency: 'USD' });
    const expectedCredits = [credit(parts.toS1, poS1, S1, 'l1'), credit(parts.toS2, poS2, S2, 'l2')];
    const expectedMargins = [
      { sourceId: `pkg-${o}-S1`, cause: 'shipment', nodeId: S1, lines: [{ lineId: 'l1', quantity: 3, revenue: 14498, cost: 9300, margin: 5198 }, { lineId: 'l3', quantity: 2, revenue: 1599, cost: 800, margin: 799 }], margin: 5997, orderMargin: 5997 },
      { sourceId: `pkg-${o}-S2`, cause: 'shipment', nodeId: S2, lines: [{ lineId: 'l2', quantity: 1, revenue: 3450, cost: 2100, margin: 1350 }], margin: 1350, orderMargin: 7347 },
      { sourceId: parts.returnless, cause: 'return', nodeId: S1, lines: [{ lineId: 'l3', quantity: 1, revenue: -799, cost: 0, margin: -799 }], margin: -799, orderMargin: 6548 },
      { sourceId: parts.toS1, cause: 'return', nodeId: S1, lines: [{ lineId: 'l1', quantity: 1, revenue: -4833, cost: -3100, margin: -1733 }], margin: -1733, orderMargin: 4815 },
      { sourceId: parts.toS2, cause: 'return', nodeId: S2, lines: [{ lineId: 'l2', quantity: 1, revenue: -3450, cost: -2100, margin: -1350 }], margin: -1350, orderMargin: 3465 },
    ].map((m) => expect.objectContaining(m));

    const dataOf = (type: string) => ledger.history.filter((e) => e.type === type).map((e) => ({ orderId, ...e.data }));
    expect(dataOf('RefundIssued')).toEqual(expectedRefunds);
    expect(dataOf('SupplierCreditExpected')).toEqual(expectedCredits);
    expect(dataOf('MarginRecognised')).toEqual(expectedMargins);
    expect(dataOf('ReturnedToStock')).toEqual([]);

    // The same on finance.settlements.v1, keyed by the order.
    const settlements = (type?: string) => published(SETTLEMENTS, type, { orderId });
    await waitFor(() => settlements().length >= 13, { what: '13 settlement events' });
    const counts: Record<string, number> = {};
    for (const m of settlements()) counts[m.type] = (counts[m.type] ?? 0) + 1;
    expect(counts).toEqual({ CustomerChargeRecognised: 1, SupplierPayableAccrued: 2, MarginRecognised: 5, RefundIssued: 3, SupplierCreditExpected: 2 });
    expect(settlements().every((m) => m.key === orderId)).toBe(true);
    expect(settlements(SETTLEMENT_EVENTS.refundIssued).map((m) => m.payload)).toEqual(expectedRefunds);
    expect(settlements(SETTLEMENT_EVENTS.refundIssued).some((m) => 'shipping' in m.payload)).toBe(false);
    expect(settlements(SETTLEMENT_EVENTS.supplierCreditExpected).map((m) => m.payload)).toEqual(expectedCredits);
    expect(settlements(SETTLEMENT_EVENTS.marginRecognised).map((m) => m.payload)).toEqual(expectedMargins);

    // The router's own record of the return: both supplier parts received, the returnless one never is.
    const view = (await returnsApi.get(returnId))!;
    expect(view.state.status).toBe('routed');
    expect(view.state.parts).toEqual({
      [parts.toS1]: expect.objectContaining({ received: true, exception: false }),
      [parts.toS2]: expect.objectContaining({ received: true, exception: false }),
      [parts.returnless]: expect.objectContaining({ received: false, exception: false }),
    });
    expect(view.history.map((e) => e.type)).toEqual(['ReturnRouted', 'RefundApproved', 'ReturnPartReceived', 'RefundApproved', 'ReturnPartReceived', 'RefundApproved']);

    sold = { orderId, returnId, parts, request, receiptS2, receiptS1 };
  });

  it('refuses a second return of units already returned, over HTTP and on the topic', async () => {
    expect(sold).toBeDefined();
    const { orderId } = sold!;
    const answer = await returnsApi.request(returnRequest(orderId, `ext-${orderId.slice(0, 8)}-2`, [{ lineId: 'l2', quantity: 1, reason: 'defective' }]));
    expect(answer.status).toBe(422);
    expect(answer.body.status).toBe('rejected');
    const { returnId } = answer.body;
    expect(returnId).not.toBe(sold!.returnId);
    const refused = { returnId, orderId, errors: [{ lineId: 'l2', reason: 'already_returned', message: expect.stringContaining('1 shipped and 1 already returned') }], rejectedAt: expect.any(String) };
    expect(answer.body.events).toEqual([{ type: 'ReturnRejected', data: refused }]);

    const rejected = await one(RETURNS, 'ReturnRejected', { returnId }, 'ReturnRejected of the second return');
    expect(rejected.key).toBe(orderId);
    expect(rejected.payload).toEqual(refused);
    expect(published(RETURNS, 'ReturnRouted', { returnId })).toEqual([]);
  });

  it('changes nothing when the request, a receipt or a refund approval comes again, under its own event id or a new one', async () => {
    expect(sold).toBeDefined();
    const { orderId, returnId, parts, request, receiptS2, receiptS1 } = sold!;
    const before = (await returnsApi.get(returnId))!;
    const approved = published(RETURNS, FULFILMENT_FACTS.refundApproved, { customerReturnId: returnId });
    expect(approved).toHaveLength(3);

    await publisher.publish([
      request,
      { ...request, eventId: randomUUID() },
      receiptS2,
      { ...receiptS2, eventId: randomUUID() },
      // The router's relay sending its approvals again, as at-least-once allows.
      ...approved.flatMap((m) => [resent(m), resent(m, randomUUID())]),
    ]);
    const again = await returnsApi.receipt(returnId, parts.toS1, receiptS1);
    expect(again.status).toBe(201);
    await routerCaughtUp('the copies handled by the router');

    // A later request on the same order: the relay publishes in store order, so once its refusal is
    // out, anything the copies had caused would be out before it.
    const later = returnRequest(orderId, `ext-${orderId.slice(0, 8)}-3`, [{ lineId: 'l2', quantity: 1, reason: 'changed_mind' }]);
    await publisher.publish([returnRequested(later, orderId)]);
    await one(RETURNS, 'ReturnRejected', { returnId: returnIdFor(orderId, later.externalReturnId) }, 'refusal of the later request');
    await waitFor(() => groupCaughtUp(kafka, financeGroup, [RETURNS]), { what: 'finance past every approval', intervalMs: 200 });

    const after = (await returnsApi.get(returnId))!;
    expect(after.history).toEqual(before.history);
    expect(published(RETURNS, 'ReturnRouted', { orderId })).toHaveLength(1);
    expect(published(RETURNS, 'ReturnPartReceived', { returnId })).toHaveLength(2);
    // Three from the router, six copies sent here: the same three parts.
    expect(new Set(published(RETURNS, FULFILMENT_FACTS.refundApproved, { customerReturnId: returnId }).map((m) => m.payload['returnId']))).toEqual(new Set(Object.values(parts)));

    const ledger = (await financeApi.ledger(orderId))!;
    expect(countsByType(ledger)).toEqual(LEDGER_COUNTS);
    expect(ledger.figures).toEqual([ORDER_FIGURES(orderId)]);
    expect(published(SETTLEMENTS, SETTLEMENT_EVENTS.refundIssued, { orderId })).toHaveLength(3);
    expect(published(SETTLEMENTS, SETTLEMENT_EVENTS.supplierCreditExpected, { orderId })).toHaveLength(2);
  });

  it('dead-letters a ReturnRequested without lines, and refuses the next one, past the return window of each node', async () => {
    const orderId = randomUUID();
    const o = orderId.slice(0, 8);
    // m1 came from S1 45 days ago (its window is 30 days); m2 from S3 an hour ago (S3's window is 0 days).
    await publisher.publish([
      orderAccepted(orderId, {
        lines: [
          { lineId: 'm1', sku: 'KETTLE', quantity: 1, unitPrice: 4999, discount: 0, tax: 0, total: 4999 },
          { lineId: 'm2', sku: 'LAMP', quantity: 1, unitPrice: 2500, discount: 0, tax: 0, total: 2500 },
        ],
        shipping: { amount: 0, discount: 0, tax: 0 },
      }),
      shipmentAdded(orderId, { shipmentId: `pkg-${o}-S1`, nodeId: S1, lines: [q('m1', 1)], shippedAt: new Date(Date.now() - 45 * DAY) }),
      shipmentAdded(orderId, { shipmentId: `pkg-${o}-S3`, nodeId: S3, lines: [q('m2', 1)], shippedAt: new Date(Date.now() - DAY / 24) }),
    ]);
    await routerCaughtUp('the late order noted by the router', [TOPICS.omsOrders.name]);

    const { lines: _lines, ...withoutLines } = returnRequest(orderId, `ext-${o}-bad`, []);
    const late = returnRequest(orderId, `ext-${o}-late`, [
      { lineId: 'm1', quantity: 1, reason: 'defective' },
      { lineId: 'm2', quantity: 1, reason: 'changed_mind' },
    ]);
    // The unreadable one ahead of the good one in the same partition.
    await publisher.publish([returnRequested(withoutLines, orderId), returnRequested(late, orderId)]);

    const returnId = returnIdFor(orderId, late.externalReturnId);
    const rejected = await one(RETURNS, 'ReturnRejected', { returnId }, 'ReturnRejected past the window');
    expect(rejected.key).toBe(orderId);
    expect(rejected.payload['errors']).toEqual([
      { lineId: 'm1', reason: 'window_closed', message: expect.stringContaining(S1) },
      { lineId: 'm2', reason: 'window_closed', message: expect.stringContaining(S3) },
    ]);
    expect(published(RETURNS, 'ReturnRouted', { orderId })).toEqual([]);
    expect(published(RETURNS, FULFILMENT_FACTS.refundApproved, { orderId })).toEqual([]);

    const dead = await one(REQUESTS_DLQ, COMMERCE_RETURN_REQUESTED, { externalReturnId: `ext-${o}-bad` }, 'dead letter');
    expect(dead.key).toBe(orderId);
    expect(dead.payload).toEqual(withoutLines);
    expect(dead.headers[DLQ_HEADER.originalTopic]).toBe(TOPICS.commerceReturns.name);
    expect(dead.headers[DLQ_HEADER.consumerGroup]).toBe(routerGroup);
    expect(dead.headers[DLQ_HEADER.attempts]).toBe('1');
    expect(dead.headers[DLQ_HEADER.errorName]).toBe('PermanentMessageError');
    expect(dead.headers[DLQ_HEADER.error]).toContain('lines');
    expect(await returnsApi.get(returnIdFor(orderId, `ext-${o}-bad`))).toBeUndefined();
  });

  it('answers unreadable requests and receipts with 400 and every field at fault', async () => {
    const bad = await returnsApi.request({ orderId: 'not-a-uuid', externalReturnId: '', lines: [{ lineId: 'l1', quantity: 0, reason: 'bored' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('Invalid request');
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['externalReturnId', 'lines[0].quantity', 'lines[0].reason', 'orderId', 'requestedAt']);
    expect(bad.body.errors.find((e) => e.field === 'lines[0].quantity')!.message).toBe('must be a positive whole quantity');

    const noLines = await returnsApi.request({ ...returnRequest(randomUUID(), 'ext-empty', []) });
    expect(noLines.status).toBe(400);
    expect(noLines.body.errors).toEqual([expect.objectContaining({ field: 'lines' })]);

    expect(sold).toBeDefined();
    const { returnId, parts } = sold!;
    const receipt = await returnsApi.receipt(returnId, parts.toS2, { receiptId: '', lines: [{ lineId: 'l2', quantity: -1, condition: 'fine' }] });
    expect(receipt.status).toBe(400);
    expect(receipt.body.errors.map((e) => e.field).sort()).toEqual(['lines[0].condition', 'lines[0].quantity', 'receiptId']);
    // Nothing to receive of a part refunded without return.
    const returnless = await returnsApi.receipt(returnId, parts.returnless, { receiptId: 'rcv-x', lines: [{ lineId: 'l3', quantity: 1, condition: 'acceptable' }] });
    expect(returnless.status).toBe(400);
    expect(returnless.body.message).toContain('refunded without return');
  });
});
