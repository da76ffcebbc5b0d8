import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { FULFILMENT_FACTS, TOPICS, type FulfilmentRequestedV1 } from '@oms/contracts';
import { commitGroupAtEnd, createKafka, DLQ_HEADER, ensureTopics, KafkaPublisher } from '@oms/messaging';
import { ManualClock, startService, type RunningService } from '@oms/platform';
import { databaseUrl, dropSchema, kafkaBrokers, uniqueName, waitFor } from '@oms/testing';
import { PurchaseOrderDispatcher } from './application/purchase-order-dispatcher';
import { PurchaseOrderIndex } from './application/purchase-order-index';
import { poIdFor } from './application/purchase-orders';
import { SupplierDirectory } from './application/supplier-directory';
import { flattened, readPdf } from './blind-dropship/testing/read-pdf';
import type { GatewayEnv } from './gateway.env';
import { supplierGatewayService } from './supplier-gateway.service';
import { FakeSupplierEndpoint } from './testing/fake-supplier-endpoint';
import { BRAND, fulfilmentRequested, GatewayClient, gatewayEnv, SHIP_TO, typesOf, type PurchaseOrderView } from './testing/gateway-client';
import { TopicReader } from '@oms/messaging/testing';
import { editSegments, replaced, withSender, x12Fixture } from './testing/x12-variants';

const run = uniqueName('gateway');
const schema = run.replace(/[^a-z0-9_]/g, '_');
const groupId = `${run}-supplier-gateway`;
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'gateway-test' });
const publisher = new KafkaPublisher(kafka, { producerName: 'sourcing-stand-in' });
const reader = new TopicReader(kafka);
const endpoint = new FakeSupplierEndpoint();
// Deadlines move with this clock, never with the wall clock: only explicit ticks fire them.
const clock = new ManualClock(new Date());
let gateway: RunningService<GatewayEnv>;
const api = new GatewayClient(() => gateway.url);

const ALLOCATIONS = TOPICS.sourcingAllocations.name;
const ALLOCATIONS_DLQ = `${ALLOCATIONS}.dlq`;
const PO_FACTS = TOPICS.supplierPurchaseOrders.name;
const UPS_TRACKING = '1Z999AA10123456784';

const startGateway = (kafkaGroupId = groupId) =>
  startService(supplierGatewayService, {
    env: gatewayEnv({ brokers: kafkaBrokers(), databaseUrl: databaseUrl(), schema, groupId: kafkaGroupId }),
    clock,
    logger: false,
  });

/** Fires due deadlines once the instance has folded every PO and supplier. */
async function tick(service: RunningService<GatewayEnv>): Promise<void> {
  await Promise.all([service.app.get(PurchaseOrderIndex).ready, service.app.get(SupplierDirectory).ready]);
  await service.app.get(PurchaseOrderDispatcher).tick();
}

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);

const poFacts = (poId: string, type?: string) => reader.find(PO_FACTS, type, { poId });

function fact(poId: string, type: string) {
  return waitFor(() => poFacts(poId, type)[0], { what: `${type} of PO ${poId} on ${PO_FACTS}` });
}

function purchaseOrder(poId: string, status?: string): Promise<PurchaseOrderView> {
  return waitFor(
    async () => {
      const view = await api.purchaseOrder(poId);
      return view && (status === undefined || view.status === status) ? view : undefined;
    },
    { what: `PO ${poId}${status ? ` ${status}` : ''}` },
  );
}

async function requestPo(supplierId: string, lines: FulfilmentRequestedV1['lines'], orderNumber?: string) {
  const orderId = randomUUID();
  const request = fulfilmentRequested({ orderId, supplierId, lines, now: clock.now(), ...(orderNumber ? { orderNumber } : {}) });
  await publisher.publish([request.message]);
  return { orderId, groupId: request.groupId, poId: poIdFor(request.groupId) };
}

const apiSupplier = (supplierId: string, extra: Record<string, unknown> = {}) => ({
  supplierId,
  name: `Supplier ${supplierId}`,
  code: 'SUP',
  connector: 'api',
  confirmWithinHours: 24,
  shipWithinHours: 72,
  ...extra,
});

beforeAll(async () => {
  // A shared broker keeps earlier runs' traffic: this run's gateway starts after it.
  await ensureTopics(kafka, [ALLOCATIONS, ALLOCATIONS_DLQ, PO_FACTS].map((name) => ({ name, partitions: 3, replicationFactor: 1 })));
  const started = commitGroupAtEnd(kafka, groupId, [ALLOCATIONS]).then(() => startGateway());
  await Promise.all([started.then((s) => (gateway = s)), publisher.connect(), reader.follow([PO_FACTS, ALLOCATIONS_DLQ]), endpoint.start()]);
}, 120_000);

afterAll(async () => {
  await reader.close();
  await publisher.close();
  await endpoint.close();
  await gateway?.close();
  await dropSchema(schema);
});

describe('supplier gateway on Kafka and PostgreSQL', () => {
  it('takes a PO through the supplier API: listed, read, blind packing slip, acknowledged, shipped, invoiced and closed', async () => {
    const supplierId = uniqueName('api');
    const registered = await api.registerSupplier(apiSupplier(supplierId, { name: 'Acme Wholesale', code: 'ACME' }));
    const { apiKey } = registered;
    // Settings not sent keep their defaults (a profile without a status is refused by every consumer).
    expect((registered as { settings?: unknown }).settings).toMatchObject({ status: 'active', enforceShipBy: false });
    const sku = uniqueName('sku');
    const { orderId, groupId: group, poId } = await requestPo(supplierId, [{ lineId: 'l1', sku, name: 'Oak side table', quantity: 2, unitCost: 4500 }], 'A-1001');

    const listed = await waitFor(
      async () => {
        const reply = await api.asSupplier(apiKey, 'GET', '/purchase-orders');
        return (reply.body['purchaseOrders'] as { poId: string; status: string }[]).find((p) => p.poId === poId && p.status === 'dispatched');
      },
      { what: 'the PO in the supplier’s open list' },
    );
    expect(listed).toMatchObject({ poNumber: 'A1001-ACME', currency: 'USD', shipTo: SHIP_TO, lines: [{ lineNumber: 1, lineId: 'l1', sku, quantity: 2, unitCost: 4500, open: 2 }] });
    const read = await api.asSupplier(apiKey, 'GET', `/purchase-orders/${poId}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(listed);

    const slip = await api.asSupplier(apiKey, 'GET', `/purchase-orders/${poId}/packing-slip.pdf`);
    expect(slip.status).toBe(200);
    expect(slip.contentType).toMatch(/^application\/pdf/);
    expect(slip.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    // Blind: the retailer's brand and the customer, never the supplier or its cost.
    const text = flattened((await readPdf(slip.bytes)).text);
    expect(text).toContain(BRAND.name);
    expect(text).toContain(SHIP_TO.name);
    expect(text).not.toContain('Acme Wholesale');
    expect(text).not.toContain('45.00');

    const ack = await api.asSupplier(apiKey, 'POST', `/purchase-orders/${poId}/acknowledgement`, { lines: [{ lineId: 'l1', accepted: 2 }] });
    expect(ack).toMatchObject({ status: 200, body: { kind: 'applied', status: 'acknowledged' } });
    const shippedAt = clock.now().toISOString();
    const ship = await api.asSupplier(apiKey, 'POST', `/purchase-orders/${poId}/shipments`, {
      shipmentId: 'SHP-1',
      carrier: 'UPS',
      trackingNumber: UPS_TRACKING,
      shippedAt,
      lines: [{ lineNumber: 1, quantity: 2 }],
    });
    expect(ship).toMatchObject({ status: 200, body: { kind: 'applied', status: 'shipped' } });
    const invoice = await api.asSupplier(apiKey, 'POST', `/purchase-orders/${poId}/invoices`, {
      invoiceNumber: 'INV-1',
      invoicedAt: shippedAt,
      total: 9000,
      lines: [{ sku, quantity: 2, unitCost: 4500 }],
    });
    expect(invoice).toMatchObject({ status: 200, body: { kind: 'applied', status: 'closed', events: ['PurchaseOrderInvoiced', 'PurchaseOrderClosed'] } });

    await fact(poId, FULFILMENT_FACTS.purchaseOrderClosed);
    const facts = poFacts(poId);
    expect(facts.map((f) => f.type)).toEqual([
      FULFILMENT_FACTS.purchaseOrderCreated,
      FULFILMENT_FACTS.purchaseOrderDispatched,
      FULFILMENT_FACTS.purchaseOrderAcknowledged,
      FULFILMENT_FACTS.shipmentDispatched,
      FULFILMENT_FACTS.purchaseOrderInvoiced,
      FULFILMENT_FACTS.purchaseOrderClosed,
    ]);
    expect(facts.every((f) => f.key === orderId && f.payload['supplierId'] === supplierId && f.payload['orderId'] === orderId)).toBe(true);
    expect(facts[0]!.payload).toMatchObject({ groupId: group, poNumber: 'A1001-ACME', connector: 'api', lines: [{ lineNumber: 1, lineId: 'l1', sku, quantity: 2, unitCost: 4500 }] });
    expect(facts[2]!.payload).toMatchObject({ channel: 'api', lines: [{ lineId: 'l1', accepted: 2, rejected: 0, backordered: 0 }] });
    expect(facts[3]!.payload).toMatchObject({ shipmentId: 'SHP-1', nodeId: supplierId, carrier: 'UPS', trackingNumber: UPS_TRACKING, trackingValid: true, lines: [{ lineId: 'l1', quantity: 2 }], shippedAt });
    expect(facts[3]!.payload).not.toHaveProperty('received');
    expect(facts[4]!.payload).toMatchObject({ invoiceNumber: 'INV-1', currency: 'USD', total: 9000, lines: [{ lineId: 'l1', quantity: 2, unitCost: 4500 }] });
    expect((await api.purchaseOrder(poId))?.status).toBe('closed');
  });

  it('pushes a signed PO with its packing slip to a webhook supplier and takes its signed acknowledgement and shipment', async () => {
    const supplierId = uniqueName('hook');
    const { webhookSecret } = await api.registerSupplier(apiSupplier(supplierId, { code: 'HOOK', connector: 'webhook', webhookUrl: endpoint.url(`/po/${supplierId}`) }));
    expect(webhookSecret).toMatch(/^whsec_/);
    const secret = webhookSecret!;
    const { orderId, poId } = await requestPo(supplierId, [
      { lineId: 'l1', sku: 'LAMP-1', quantity: 1, unitCost: 2500 },
      { lineId: 'l2', sku: 'BULB-4', quantity: 3, unitCost: 300 },
    ]);

    const delivery = await waitFor(() => endpoint.received.find((r) => r.path === `/po/${supplierId}`), { what: 'the PO webhook at the supplier' });
    const timestamp = String(delivery.headers['x-oms-timestamp']);
    expect(Math.abs(Number(timestamp) - seconds(clock.now()))).toBeLessThanOrEqual(1);
    const expected = createHmac('sha256', secret).update(`${timestamp}.${delivery.raw}`).digest('hex');
    expect(delivery.headers['x-oms-signature']).toBe(`sha256=${expected}`);
    expect(delivery.headers['x-oms-delivery-id']).toBe(`${poId}:created`);
    expect(delivery.headers['content-type']).toBe('application/json');
    const po = delivery.body['purchaseOrder'] as { poNumber: string };
    expect(delivery.body).toMatchObject({
      type: 'purchase_order.created',
      purchaseOrder: { poId, status: 'created', shipTo: SHIP_TO, lines: [{ lineNumber: 1, lineId: 'l1', quantity: 1 }, { lineNumber: 2, lineId: 'l2', quantity: 3 }] },
      packingSlip: { contentType: 'application/pdf' },
    });
    const slip = Buffer.from((delivery.body['packingSlip'] as { base64: string }).base64, 'base64');
    expect(slip.subarray(0, 4).toString('latin1')).toBe('%PDF');
    await purchaseOrder(poId, 'dispatched');

    const ack = await api.webhook(supplierId, secret, { type: 'acknowledgement', poId, lines: [{ lineNumber: 1, accepted: 1 }, { lineNumber: 2, accepted: 3 }] }, { timestamp: seconds(clock.now()) });
    expect(ack).toMatchObject({ status: 200, body: { kind: 'applied', status: 'acknowledged' } });
    const ship = await api.webhook(
      supplierId,
      secret,
      { type: 'shipment', poNumber: po.poNumber, shipmentId: 'W-1', carrier: 'UPS', trackingNumber: UPS_TRACKING, shippedAt: clock.now().toISOString(), lines: [{ lineId: 'l1', quantity: 1 }, { sku: 'BULB-4', quantity: 3 }] },
      { timestamp: seconds(clock.now()) },
    );
    expect(ship).toMatchObject({ status: 200, body: { kind: 'applied', status: 'shipped' } });

    const shipped = await fact(poId, FULFILMENT_FACTS.shipmentDispatched);
    expect(shipped.key).toBe(orderId);
    expect(shipped.payload).toMatchObject({ shipmentId: 'W-1', nodeId: supplierId, trackingValid: true, lines: [{ lineId: 'l1', quantity: 1 }, { lineId: 'l2', quantity: 3 }] });
    expect(poFacts(poId, FULFILMENT_FACTS.purchaseOrderAcknowledged).map((f) => f.payload)).toEqual([
      expect.objectContaining({ channel: 'webhook', lines: [{ lineId: 'l1', accepted: 1, rejected: 0, backordered: 0 }, { lineId: 'l2', accepted: 3, rejected: 0, backordered: 0 }] }),
    ]);
    const history = await api.purchaseOrder(poId);
    expect(history?.history.find((e) => e.type === 'PurchaseOrderShipped')?.data['received']).toMatchObject({ channel: 'webhook', supplierId, contentType: 'application/json' });
  });

  it('renders the 850 for an EDI supplier and reads its 855 and 856, built from the real samples', async () => {
    const supplierId = uniqueName('edi');
    const ediId = `E${randomBytes(5).toString('hex').toUpperCase()}`;
    const { apiKey } = await api.registerSupplier(
      apiSupplier(supplierId, { code: 'BOOKS', connector: 'edi', edi: { supplierId: ediId, supplierQualifier: 'ZZ', ourId: 'NORTHWINDOMS', ourQualifier: 'ZZ' } }),
    );
    // Four lines, as many units as the sample 855 answers for.
    const lines = [
      { lineId: 'l1', sku: 'BK-DICT', quantity: 3, unitCost: 450 },
      { lineId: 'l2', sku: 'BK-CLAPTON', quantity: 2, unitCost: 1599 },
      { lineId: 'l3', sku: 'BK-9531', quantity: 1, unitCost: 1000 },
      { lineId: 'l4', sku: 'BK-THES', quantity: 2, unitCost: 450 },
    ];
    const { orderId, poId } = await requestPo(supplierId, lines, 'E-2002');
    const { purchaseOrder: po } = await purchaseOrder(poId, 'dispatched');
    expect(po.poNumber).toBe('E2002-BOOKS');

    const document = await api.asSupplier(apiKey, 'GET', `/purchase-orders/${poId}/edi`);
    expect(document.status).toBe(200);
    expect(document.contentType).toMatch(/^application\/edi-x12/);
    const segments = document.bytes.toString('utf8').trim().split('~\n');
    expect(segments[0]).toMatch(new RegExp(`^ISA\\*00\\*.{10}\\*00\\*.{10}\\*ZZ\\*NORTHWINDOMS   \\*ZZ\\*${ediId.padEnd(15)}\\*`));
    expect(segments).toContain(`BEG*00*DS*${po.poNumber}**${clock.now().toISOString().slice(0, 10).replace(/-/g, '')}`);
    expect(segments).toContain(`N1*ST*${SHIP_TO.name}`);
    expect(segments.filter((s) => s.startsWith('PO1*'))).toEqual([
      'PO1*1*3*EA*4.50*PE*VN*BK-DICT*SK*BK-DICT',
      'PO1*2*2*EA*15.99*PE*VN*BK-CLAPTON*SK*BK-CLAPTON',
      'PO1*3*1*EA*10.00*PE*VN*BK-9531*SK*BK-9531',
      'PO1*4*2*EA*4.50*PE*VN*BK-THES*SK*BK-THES',
    ]);

    // The sample 855 accepts lines 1 and 4 and rejects 2 and 3 (ACK*IR*0).
    const ack855 = editSegments(withSender(x12Fixture('855-node-x12.edi'), ediId), (e) => (e[0] === 'BAK' ? replaced(e, 3, po.poNumber) : undefined));
    const acked = await api.asSupplier(apiKey, 'POST', '/edi', ack855, 'application/edi-x12');
    expect(acked.status).toBe(200);
    expect(acked.body['transactionSets']).toEqual([{ set: '855', control: '0005', outcome: { kind: 'applied', status: 'acknowledged', events: ['PurchaseOrderAcknowledged'] } }]);
    const ackFact = await fact(poId, FULFILMENT_FACTS.purchaseOrderAcknowledged);
    expect(ackFact.key).toBe(orderId);
    expect(ackFact.payload['channel']).toBe('edi');
    expect((ackFact.payload['lines'] as Record<string, unknown>[]).map(({ lineId, accepted, rejected, backordered }) => ({ lineId, accepted, rejected, backordered }))).toEqual([
      { lineId: 'l1', accepted: 3, rejected: 0, backordered: 0 },
      { lineId: 'l2', accepted: 0, rejected: 2, backordered: 0 },
      { lineId: 'l3', accepted: 0, rejected: 1, backordered: 0 },
      { lineId: 'l4', accepted: 2, rejected: 0, backordered: 0 },
    ]);

    // The sample 856 (newline-terminated) ships its two items: as lines 1 and 4, in the accepted quantities.
    const asn = editSegments(withSender(x12Fixture('856-gozer-newline-terminated.txt'), ediId), (e) => {
      if (e[0] === 'PRF') return replaced(e, 1, po.poNumber);
      if (e[0] === 'LIN' && e[1] === '2') return replaced(e, 1, '4');
      if (e[0] === 'SN1' && e[1] === '1') return replaced(e, 2, '3');
      if (e[0] === 'SN1' && e[1] === '2') return replaced(replaced(e, 1, '4'), 2, '2');
      return undefined;
    });
    expect(asn).not.toContain('~');
    const shippedReply = await api.asSupplier(apiKey, 'POST', '/edi', asn, 'application/edi-x12');
    expect(shippedReply.status).toBe(200);
    expect(shippedReply.body['transactionSets']).toEqual([{ set: '856', control: '0008', outcome: { kind: 'applied', status: 'shipped', events: ['PurchaseOrderShipped'] } }]);
    const shipment = await fact(poId, FULFILMENT_FACTS.shipmentDispatched);
    expect(shipment.payload).toMatchObject({
      shipmentId: '829716',
      nodeId: supplierId,
      carrier: 'XXXX',
      trackingNumber: '5787970539',
      // A carrier the gateway does not check: kept as given, not counted as a defect.
      trackingValid: true,
      shippedAt: '2011-12-06T00:00:00.000Z',
      lines: [{ lineId: 'l1', quantity: 3 }, { lineId: 'l4', quantity: 2 }],
    });
    const view = await api.purchaseOrder(poId);
    expect(view?.status).toBe('shipped');
    expect(view?.history.find((e) => e.type === 'PurchaseOrderShipped')?.data['received']).toMatchObject({ channel: 'edi', body: asn });
  });

  it('publishes the units a supplier rejects on its acknowledgement', async () => {
    const supplierId = uniqueName('rej');
    const { apiKey } = await api.registerSupplier(apiSupplier(supplierId));
    const { poId } = await requestPo(supplierId, [
      { lineId: 'l1', sku: 'CHAIR', quantity: 3, unitCost: 1000 },
      { lineId: 'l2', sku: 'DESK', quantity: 1, unitCost: 9000 },
    ]);
    await purchaseOrder(poId, 'dispatched');
    const ack = await api.asSupplier(apiKey, 'POST', `/purchase-orders/${poId}/acknowledgement`, {
      lines: [
        { lineId: 'l1', accepted: 1, rejected: 2, reason: 'discontinued colour' },
        { lineNumber: 2, rejected: 1 },
      ],
    });
    expect(ack).toMatchObject({ status: 200, body: { kind: 'applied', status: 'acknowledged' } });
    const acked = await fact(poId, FULFILMENT_FACTS.purchaseOrderAcknowledged);
    expect(acked.payload['lines']).toEqual([
      { lineId: 'l1', accepted: 1, rejected: 2, backordered: 0, reason: 'discontinued colour' },
      { lineId: 'l2', accepted: 0, rejected: 1, backordered: 0 },
    ]);
  });

  it('shows a supplier nothing of another supplier’s PO: 404 to read or answer it, and nothing recorded', async () => {
    const a = uniqueName('tenantA');
    const b = uniqueName('tenantB');
    const [keysA, keysB] = await Promise.all([api.registerSupplier(apiSupplier(a)), api.registerSupplier(apiSupplier(b))]);
    const { poId } = await requestPo(b, [{ lineId: 'l1', sku: 'RUG', quantity: 1, unitCost: 7000 }]);
    const before = await purchaseOrder(poId, 'dispatched');

    const asA = (method: 'GET' | 'POST', path: string, body?: unknown) => api.asSupplier(keysA.apiKey, method, path, body);
    expect((await asA('GET', `/purchase-orders/${poId}`)).status).toBe(404);
    expect((await asA('GET', `/purchase-orders/${poId}/packing-slip.pdf`)).status).toBe(404);
    expect((await asA('GET', `/purchase-orders/${poId}/edi`)).status).toBe(404);
    expect((await asA('POST', `/purchase-orders/${poId}/acknowledgement`, { lines: [{ lineId: 'l1', accepted: 1 }] })).status).toBe(404);
    expect((await asA('POST', `/purchase-orders/${poId}/shipments`, { shipmentId: 'X', carrier: 'UPS', trackingNumber: UPS_TRACKING, shippedAt: clock.now().toISOString(), lines: [{ lineId: 'l1', quantity: 1 }] })).status).toBe(404);
    // Signed by A, naming B's PO.
    const signedByA = await api.webhook(a, keysA.webhookSecret!, { type: 'acknowledgement', poId, lines: [{ lineId: 'l1', accepted: 1 }] }, { timestamp: seconds(clock.now()) });
    expect(signedByA.status).toBe(404);
    const listA = await asA('GET', '/purchase-orders?status=all');
    expect((listA.body['purchaseOrders'] as { poId: string }[]).map((p) => p.poId)).not.toContain(poId);

    // B itself still reads it, and its stream holds exactly what it held before.
    expect((await api.asSupplier(keysB.apiKey, 'GET', `/purchase-orders/${poId}`)).status).toBe(200);
    const after = await api.purchaseOrder(poId);
    expect(after?.history).toEqual(before.history);
    expect(after?.status).toBe('dispatched');
  });

  it('refuses tampered and stale webhook callbacks with 401 and records nothing', async () => {
    const supplierId = uniqueName('sign');
    const { webhookSecret } = await api.registerSupplier(apiSupplier(supplierId, { connector: 'webhook', webhookUrl: endpoint.url(`/po/${supplierId}`) }));
    const secret = webhookSecret!;
    const { poId } = await requestPo(supplierId, [{ lineId: 'l1', sku: 'VASE', quantity: 2, unitCost: 1500 }]);
    const before = await purchaseOrder(poId, 'dispatched');
    const ack = { type: 'acknowledgement', poId, lines: [{ lineId: 'l1', accepted: 2 }] };

    const tampered = await api.webhook(supplierId, secret, ack, { timestamp: seconds(clock.now()), tamper: (raw) => raw.replace('"accepted":2', '"accepted":0,"rejected":2') });
    expect(tampered.status).toBe(401);
    const stale = await api.webhook(supplierId, secret, ack, { timestamp: seconds(clock.now()) - 600 });
    expect(stale.status).toBe(401);
    const wrongSecret = await api.webhook(supplierId, 'whsec_not-the-secret', ack, { timestamp: seconds(clock.now()) });
    expect(wrongSecret.status).toBe(401);
    expect(tampered.body['message']).toBe(stale.body['message']);

    const after = await api.purchaseOrder(poId);
    expect(after?.history).toEqual(before.history);
    expect(after?.status).toBe('dispatched');
    // The same callback, signed now and untouched, is taken: the refusals were the signature's.
    const genuine = await api.webhook(supplierId, secret, ack, { timestamp: seconds(clock.now()) });
    expect(genuine).toMatchObject({ status: 200, body: { kind: 'applied', status: 'acknowledged' } });
  });

  it('dead-letters a FulfilmentRequested without lines and answers an unreadable acknowledgement with 400 and its fields', async () => {
    const supplierId = uniqueName('bad');
    const { apiKey } = await api.registerSupplier(apiSupplier(supplierId));
    const orderId = randomUUID();
    const broken = fulfilmentRequested({ orderId, supplierId, lines: [{ lineId: 'l1', sku: 'X', quantity: 1, unitCost: 1 }], now: clock.now() });
    const { lines: _lines, ...withoutLines } = broken.message.payload as FulfilmentRequestedV1;
    const good = fulfilmentRequested({ orderId, supplierId, planVersion: 2, lines: [{ lineId: 'l1', sku: 'MUG', quantity: 4, unitCost: 350 }], now: clock.now() });
    // Same key: the bad request is ahead of the good one in its partition.
    await publisher.publish([{ ...broken.message, payload: withoutLines }, good.message]);

    const poId = poIdFor(good.groupId);
    const before = await purchaseOrder(poId, 'dispatched');
    const dead = await waitFor(() => reader.find(ALLOCATIONS_DLQ, undefined).find((m) => m.key === orderId), { what: 'the request in the dead-letter topic' });
    expect(dead.type).toBe('FulfilmentRequested');
    expect(dead.headers[DLQ_HEADER.originalTopic]).toBe(ALLOCATIONS);
    expect(dead.headers[DLQ_HEADER.consumerGroup]).toBe(groupId);
    expect(dead.headers[DLQ_HEADER.errorName]).toBe('PermanentMessageError');
    expect(dead.headers[DLQ_HEADER.error]).toContain('lines');
    expect(dead.payload['groupId']).toBe(broken.groupId);
    expect(await api.purchaseOrder(poIdFor(broken.groupId))).toBeUndefined();

    const path = `/purchase-orders/${poId}/acknowledgement`;
    const invalid = await api.asSupplier(apiKey, 'POST', path, { lines: [{ lineId: 'l1', accepted: -1, rejected: 'two' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body['message']).toBe('Invalid request');
    const fields = (invalid.body['errors'] as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['lines[0].accepted', 'lines[0].rejected']));
    const empty = await api.asSupplier(apiKey, 'POST', path, { lines: [] });
    expect(empty.status).toBe(400);
    expect((empty.body['errors'] as { field: string }[]).map((e) => e.field)).toContain('lines');
    const notJson = await api.asSupplier(apiKey, 'POST', path, '{"lines": [{"lineId": "l1", "accepted": 4');
    expect(notJson.status).toBe(400);

    const after = await api.purchaseOrder(poId);
    expect(after?.history).toEqual(before.history);
  });

  it('fires a confirm-by deadline that passed while the gateway was down exactly once after restart, and refuses a late acknowledgement with 409', async () => {
    const supplierId = uniqueName('slow');
    const { apiKey } = await api.registerSupplier(apiSupplier(supplierId, { confirmWithinHours: 4 }));
    const { orderId, poId } = await requestPo(supplierId, [{ lineId: 'l1', sku: 'LAMP', quantity: 2, unitCost: 800 }]);
    const { purchaseOrder: po } = await purchaseOrder(poId, 'dispatched');
    await fact(poId, FULFILMENT_FACTS.purchaseOrderDispatched);

    await gateway.close();
    clock.set(new Date(Date.parse(po.confirmBy) + 60_000));
    gateway = await startGateway();

    const timedOut = await waitFor(
      async () => {
        await tick(gateway);
        const view = await api.purchaseOrder(poId);
        return view?.status === 'timed_out' ? view : undefined;
      },
      { what: 'the PO timed out after restart' },
    );
    await tick(gateway);
    await tick(gateway);
    const afterTicks = await api.purchaseOrder(poId);
    expect(typesOf(afterTicks).filter((t) => t === 'PurchaseOrderTimedOut')).toHaveLength(1);
    expect(timedOut.history.find((e) => e.type === 'PurchaseOrderTimedOut')?.data).toMatchObject({ deadline: 'confirm', due: po.confirmBy, lines: [{ lineId: 'l1', quantity: 2 }], resolution: 'resource' });

    const lateBody = { lines: [{ lineId: 'l1', accepted: 2 }] };
    const late = await api.asSupplier(apiKey, 'POST', `/purchase-orders/${poId}/acknowledgement`, lateBody);
    expect(late.status).toBe(409);
    expect(late.body['message']).toContain('timed out');
    const final = await api.purchaseOrder(poId);
    expect(final?.status).toBe('timed_out');
    expect(typesOf(final)).not.toContain('PurchaseOrderAcknowledged');
    expect(typesOf(final).filter((t) => t === 'PurchaseOrderTimedOut')).toHaveLength(1);
    expect(final?.history.filter((e) => e.type === 'SupplierMessageRefused').map((e) => e.data)).toEqual([
      expect.objectContaining({ command: 'Acknowledge', status: 'timed_out', received: expect.objectContaining({ channel: 'api', supplierId, body: JSON.stringify(lateBody) }) }),
    ]);

    // The refusal is published after the time-out on the same key: by then the topic holds the whole story.
    const refused = await fact(poId, FULFILMENT_FACTS.supplierMessageRefused);
    expect(refused.key).toBe(orderId);
    expect(poFacts(poId, FULFILMENT_FACTS.purchaseOrderTimedOut).map((f) => f.payload)).toEqual([
      expect.objectContaining({ orderId, supplierId, deadline: 'confirm', lines: [{ lineId: 'l1', quantity: 2 }], resolution: 'resource' }),
    ]);
    expect(poFacts(poId, FULFILMENT_FACTS.purchaseOrderAcknowledged)).toHaveLength(0);
  });

  it('gives each of 200 POs exactly one outcome when acknowledgements race the deadline fired by a second gateway', async () => {
    const supplierId = uniqueName('race');
    const { apiKey } = await api.registerSupplier(apiSupplier(supplierId, { confirmWithinHours: 1 }));
    const requests = Array.from({ length: 200 }, () =>
      fulfilmentRequested({ orderId: randomUUID(), supplierId, lines: [{ lineId: 'l1', sku: 'PEN', quantity: 1, unitCost: 100 }], now: clock.now() }),
    );
    await publisher.publish(requests.map((r) => r.message));
    const poIds = requests.map((r) => poIdFor(r.groupId));
    const open = await waitFor(
      async () => {
        const list = (await api.asSupplier(apiKey, 'GET', '/purchase-orders?status=dispatched')).body['purchaseOrders'] as { poId: string; confirmBy: string }[];
        return list.length === poIds.length ? list : undefined;
      },
      { what: '200 POs dispatched', timeoutMs: 60_000 },
    );
    expect(open.map((p) => p.poId).sort()).toEqual([...poIds].sort());

    const secondGroup = `${run}-supplier-gateway-b`;
    await commitGroupAtEnd(kafka, secondGroup, [ALLOCATIONS]);
    const second = await startGateway(secondGroup);
    try {
      await Promise.all([second.app.get(PurchaseOrderIndex).ready, second.app.get(SupplierDirectory).ready]);
      clock.set(new Date(Math.max(...open.map((p) => Date.parse(p.confirmBy))) + 1000));

      const acks = poIds.map((poId) => api.asSupplier(apiKey, 'POST', `/purchase-orders/${poId}/acknowledgement`, { lines: [{ lineId: 'l1', accepted: 1 }] }));
      const [replies] = await Promise.all([Promise.all(acks), tick(second)]);
      await tick(second);

      const views = await Promise.all(poIds.map((poId) => api.purchaseOrder(poId)));
      const outcomes = views.map((view, i) => {
        const types = typesOf(view);
        const refusals = (view?.history ?? []).filter((e) => e.type === 'SupplierMessageRefused').map((e) => e.data['command']);
        return {
          poId: poIds[i],
          acknowledged: types.filter((t) => t === 'PurchaseOrderAcknowledged').length,
          timedOut: types.filter((t) => t === 'PurchaseOrderTimedOut').length,
          reply: replies[i]!.status,
          refusals,
          status: view?.status,
        };
      });
      const acknowledged = outcomes.filter((o) => o.acknowledged === 1 && o.timedOut === 0);
      const timedOut = outcomes.filter((o) => o.timedOut === 1 && o.acknowledged === 0);
      console.log(`200 acknowledgement/deadline races: ${acknowledged.length} acknowledged, ${timedOut.length} timed out`);
      // Exactly one outcome each; the losing attempt left nothing (deadline) or a refusal (acknowledgement).
      const wrong = outcomes.filter(
        (o) =>
          !(o.acknowledged === 1 && o.timedOut === 0 && o.reply === 200 && o.refusals.length === 0 && o.status === 'acknowledged') &&
          !(o.timedOut === 1 && o.acknowledged === 0 && o.reply === 409 && o.refusals.length === 1 && o.refusals[0] === 'Acknowledge' && o.status === 'timed_out'),
      );
      expect(wrong).toEqual([]);
    } finally {
      await second.close();
    }

    // The first gateway still sends new POs on after the second one went away.
    const { poId } = await requestPo(supplierId, [{ lineId: 'l1', sku: 'PEN', quantity: 1, unitCost: 100 }]);
    await purchaseOrder(poId, 'dispatched');
  });
  // Last in the file: it moves the shared clock a day on.
  it('rotates a supplier’s API key and webhook secret without downtime: both work during the grace period, the old ones not after retirement or expiry', async () => {
    const supplierId = uniqueName('rotate');
    const first = await api.registerSupplier(apiSupplier(supplierId, { code: 'ROT', connector: 'webhook', webhookUrl: endpoint.url(`/po/${supplierId}`) }));
    const stock = { type: 'stock', mode: 'snapshot', asOf: clock.now().toISOString(), items: [{ sku: 'ROT-1', quantity: 5 }] };
    const reads = async (apiKey: string) => (await api.asSupplier(apiKey, 'GET', '/purchase-orders')).status;
    const signs = async (secret: string) => (await api.webhook(supplierId, secret, { ...stock, asOf: clock.now().toISOString() }, { timestamp: seconds(clock.now()) })).status;
    const rotate = async () => {
      const reply = await api.admin('POST', `/suppliers/${supplierId}/credentials`);
      expect(reply.status).toBe(200);
      return reply.body as { apiKey: string; webhookSecret: string; previousValidUntil: string | null };
    };
    expect(await reads(first.apiKey)).toBe(200);

    const second = await rotate();
    expect(second.apiKey).not.toBe(first.apiKey);
    expect(second.previousValidUntil).toBe(new Date(clock.now().getTime() + 24 * 3_600_000).toISOString());
    // The grace period: the old key and secret still work beside the new ones.
    expect(await reads(first.apiKey)).toBe(200);
    expect(await reads(second.apiKey)).toBe(200);
    expect(await signs(first.webhookSecret!)).toBe(200);
    expect(await signs(second.webhookSecret)).toBe(200);
    expect((await api.admin('GET', `/suppliers/${supplierId}`)).body).toMatchObject({ apiKeyPrefix: second.apiKey.slice(0, 10), previousApiKey: { apiKeyPrefix: first.apiKey.slice(0, 10), validUntil: second.previousValidUntil } });
    // What we send is signed with the new secret only.
    const { poId } = await requestPo(supplierId, [{ lineId: 'l1', sku: 'ROT-1', quantity: 1, unitCost: 900 }]);
    const delivery = await waitFor(() => endpoint.received.find((r) => r.path === `/po/${supplierId}` && r.headers['x-oms-delivery-id'] === `${poId}:created`), { what: 'the PO webhook after rotation' });
    const signedWith = (secret: string) => `sha256=${createHmac('sha256', secret).update(`${String(delivery.headers['x-oms-timestamp'])}.${delivery.raw}`).digest('hex')}`;
    expect(delivery.headers['x-oms-signature']).toBe(signedWith(second.webhookSecret));
    expect(delivery.headers['x-oms-signature']).not.toBe(signedWith(first.webhookSecret!));

    // Retired early: only the new credentials work; retiring again changes nothing.
    expect((await api.admin('POST', `/suppliers/${supplierId}/credentials/retire-previous`)).body).toEqual({ supplierId, retired: true });
    expect(await reads(first.apiKey)).toBe(401);
    expect(await signs(first.webhookSecret!)).toBe(401);
    expect(await reads(second.apiKey)).toBe(200);
    expect(await signs(second.webhookSecret)).toBe(200);
    expect((await api.admin('POST', `/suppliers/${supplierId}/credentials/retire-previous`)).body).toEqual({ supplierId, retired: false });
    expect((await api.admin('GET', `/suppliers/${supplierId}`)).body).toMatchObject({ previousApiKey: null });

    // Rotated again and left to expire: the replaced key works until its grace period ends, not after.
    const third = await rotate();
    clock.advance(24 * 3_600_000 - 1000);
    expect(await reads(second.apiKey)).toBe(200);
    expect(await signs(second.webhookSecret)).toBe(200);
    clock.advance(1000);
    expect(await reads(second.apiKey)).toBe(401);
    expect(await signs(second.webhookSecret)).toBe(401);
    expect(await reads(third.apiKey)).toBe(200);
    expect(await signs(third.webhookSecret)).toBe(200);
    expect(await reads(first.apiKey)).toBe(401);

    // Recorded on the supplier's stream, so every gateway replica (and a restart) agrees.
    const events = await gateway.store.readStream(`supplier-${supplierId}`);
    expect(events.map((e) => e.type)).toEqual(['SupplierRegistered', 'SupplierCredentialsIssued', 'SupplierCredentialsIssued', 'SupplierPreviousCredentialsRetired', 'SupplierCredentialsIssued']);
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(second.apiKey);
  });
});
