import { createHmac, randomUUID } from 'node:crypto';
import { ORDER_EVENTS, TOPICS } from '@oms/contracts';
import { commitGroupAtEnd, createKafka, DLQ_HEADER, KafkaPublisher, ensureTopics, type OutgoingMessage } from '@oms/messaging';
import { startService, type RunningService } from '@oms/platform';
import { databaseUrl, dropSchema, kafkaBrokers, uniqueName, waitFor } from '@oms/testing';
import type { Consumer } from 'kafkajs';
import { orderIdFor } from './application/order-identity';
import { orderIntakeService } from './order-intake.service';
import { shopifyFixtureBytes } from './shopify/testing/shopify-fixtures';

const run = uniqueName('intake');
const schema = run.replace(/[^a-z0-9_]/g, '_');
const channel = `test-${run}`;
const secret = `shh-${run}`;
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'intake-test' });
const publisher = new KafkaPublisher(kafka, { producerName: 'storefront' });

interface Seen {
  readonly key: string | undefined;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly headers: Record<string, string>;
}
const published: Seen[] = [];
const deadLetters: Seen[] = [];
const readers: Consumer[] = [];
let service: RunningService;

async function follow(topic: string, into: Seen[]): Promise<void> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 200 });
  readers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
      let payload: Record<string, unknown> = {};
      try {
        payload = JSON.parse(message.value?.toString() ?? 'null') ?? {};
      } catch {
        payload = { raw: message.value?.toString() };
      }
      into.push({ key: message.key?.toString(), type: headers['event-type'] ?? '', payload, headers });
    },
  });
  await joined;
}

const order = (externalOrderId: string, overrides: Record<string, unknown> = {}) => ({
  type: 'OrderPlaced',
  channel,
  externalOrderId,
  placedAt: '2026-11-25T10:00:00Z',
  currency: 'USD',
  customer: { email: 'ann@example.com' },
  shipTo: { name: 'Ann Smith', line1: '1 Main St', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' },
  lines: [
    { lineId: 'l1', sku: 'SKU-1', quantity: 2, unitPrice: 1999, taxes: [{ name: 'State Tax', amount: 240 }] },
    { lineId: 'l2', sku: 'SKU-2', quantity: 1, unitPrice: 500 },
  ],
  shipping: { amount: 495 },
  ...overrides,
});

const asMessage = (payload: { externalOrderId?: unknown }, eventId = randomUUID()): OutgoingMessage => ({
  topic: TOPICS.commerceOrders.name,
  key: String(payload.externalOrderId ?? 'none'),
  eventId,
  type: 'OrderPlaced',
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  payload,
});

const acceptedFor = (orderId: string) => published.filter((m) => m.type === ORDER_EVENTS.accepted && m.payload['orderId'] === orderId);
const rejectedFor = (externalOrderId: string) => published.filter((m) => m.type === ORDER_EVENTS.rejected && m.payload['externalOrderId'] === externalOrderId);

beforeAll(async () => {
  // A shared broker keeps earlier runs' traffic: this run's service starts after it.
  await ensureTopics(kafka, orderIntakeService.consumes.map((t) => ({ name: t.name, partitions: 3, replicationFactor: 1 })));
  await commitGroupAtEnd(kafka, `${run}-order-intake`, orderIntakeService.consumes.map((t) => t.name));
  service = await startService(orderIntakeService, {
    env: {
      KAFKA_BROKERS: kafkaBrokers().join(','),
      DATABASE_URL: databaseUrl(),
      EVENT_STORE_SCHEMA: schema,
      KAFKA_GROUP_ID: `${run}-order-intake`,
      KAFKA_PARTITIONS: '3',
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      SHOPIFY_WEBHOOK_SECRETS: `old-secret,${secret}`,
      MAX_ORDER_BYTES: '4096',
      CONSUMER_BACKOFF_MS: '20',
    },
    logger: false,
  });
  await publisher.connect();
  await Promise.all([follow(TOPICS.omsOrders.name, published), follow(`${TOPICS.commerceOrders.name}.dlq`, deadLetters)]);
}, 120_000);

afterAll(async () => {
  await Promise.all(readers.map((r) => r.disconnect()));
  await publisher.close();
  await service.close();
  await dropSchema(schema);
});

describe('order intake on Kafka and PostgreSQL', () => {
  it('accepts a canonical order from commerce.orders.v1 and publishes OrderAccepted with exact totals', async () => {
    const externalOrderId = `A-${randomUUID()}`;
    await publisher.publish([asMessage(order(externalOrderId))]);
    const orderId = orderIdFor(channel, externalOrderId);
    const [accepted] = await waitFor(() => (acceptedFor(orderId).length > 0 ? acceptedFor(orderId) : undefined), { what: 'OrderAccepted' });
    expect(accepted!.key).toBe(orderId);
    expect(accepted!.payload['totals']).toEqual({ subtotal: 4498, discount: 0, shipping: 495, tax: 240, total: 5233 });
    expect(accepted!.payload).not.toHaveProperty('fingerprint');
    expect(accepted!.headers['correlation-id']).toBe(orderId);
  });

  it('turns five deliveries of one order into exactly one OrderAccepted', async () => {
    const externalOrderId = `D-${randomUUID()}`;
    const payload = order(externalOrderId);
    const sameMessage = asMessage(payload);
    // Three redeliveries of one message, and the same order sent twice more as new messages.
    await publisher.publish([sameMessage, sameMessage, sameMessage, asMessage(payload), asMessage(payload)]);
    // A marker order on the same key (so the same partition) tells when all five were handled.
    const marker = `${externalOrderId}-after`;
    await publisher.publish([{ ...asMessage(order(marker)), key: externalOrderId }]);
    await waitFor(() => acceptedFor(orderIdFor(channel, marker)).length > 0, { what: 'marker order' });
    expect(acceptedFor(orderIdFor(channel, externalOrderId))).toHaveLength(1);
    const view = await fetch(`${service.url}/orders/${orderIdFor(channel, externalOrderId)}`).then((r) => r.json() as Promise<{ history: unknown[] }>);
    expect(view.history).toHaveLength(1);
  });

  it('rejects a changed order under an id already taken, as a conflict', async () => {
    const externalOrderId = `C-${randomUUID()}`;
    await publisher.publish([asMessage(order(externalOrderId))]);
    await publisher.publish([asMessage(order(externalOrderId, { currency: 'EUR' }))]);
    const [rejection] = await waitFor(() => (rejectedFor(externalOrderId).length > 0 ? rejectedFor(externalOrderId) : undefined), { what: 'conflict rejection' });
    expect(rejection!.payload['reason']).toBe('conflict');
    expect(acceptedFor(orderIdFor(channel, externalOrderId))).toHaveLength(1);
    await waitFor(() => deadLetters.some((d) => d.key === externalOrderId), { what: 'conflict in the DLQ' });
  });

  it('rejects every kind of bad Kafka input with OrderRejected and a DLQ entry, and the next good order still flows', async () => {
    const id = () => `BAD-${randomUUID()}`;
    const cases: { name: string; externalOrderId: string; value: string; field: string; reason: string }[] = [];
    const add = (name: string, field: string, reason: string, make: (externalOrderId: string) => unknown) => {
      const externalOrderId = id();
      cases.push({ name, externalOrderId, field, reason, value: typeof make(externalOrderId) === 'string' ? (make(externalOrderId) as string) : JSON.stringify(make(externalOrderId)) });
    };
    add('malformed JSON', '$', 'invalid', (x) => `{"externalOrderId":"${x}", "lines": [`);
    add('unknown currency', 'currency', 'invalid', (x) => order(x, { currency: 'ZZZ' }));
    add('fund currency', 'currency', 'invalid', (x) => order(x, { currency: 'XAU' }));
    add('non-positive quantity', 'lines[0].quantity', 'invalid', (x) => order(x, { lines: [{ lineId: 'l1', sku: 'S', quantity: 0, unitPrice: 100 }] }));
    add('negative price', 'lines[0].unitPrice', 'invalid', (x) => order(x, { lines: [{ lineId: 'l1', sku: 'S', quantity: 1, unitPrice: -100 }] }));
    add('empty lines', 'lines', 'invalid', (x) => order(x, { lines: [] }));
    add('duplicate line ids', 'lines', 'invalid', (x) =>
      order(x, { lines: [{ lineId: 'l1', sku: 'S', quantity: 1, unitPrice: 100 }, { lineId: 'l1', sku: 'T', quantity: 1, unitPrice: 100 }] }),
    );
    add('oversize payload', '$', 'too_large', (x) => order(x, { padding: 'x'.repeat(5000) }));
    add('missing address fields', 'shipTo.line1', 'invalid', (x) => order(x, { shipTo: { name: 'Ann', city: 'Louisville', country: 'US' } }));
    add('unknown message type', 'type', 'unknown_type', (x) => ({ ...order(x), type: 'OrderTeleported' }));
    add('amounts that do not add up', 'totalCharged', 'inconsistent_amounts', (x) => order(x, { totalCharged: 1 }));

    const producer = kafka.producer();
    await producer.connect();
    // Every bad message on one key, then a good one: the partition must not be blocked.
    const key = `bad-${run}`;
    await producer.send({
      topic: TOPICS.commerceOrders.name,
      acks: -1,
      messages: cases.map((c) => ({ key, value: c.value, headers: { 'event-id': randomUUID() } })),
    });
    const good = `GOOD-${randomUUID()}`;
    await producer.send({ topic: TOPICS.commerceOrders.name, acks: -1, messages: [{ key, value: JSON.stringify(order(good)) }] });
    await producer.disconnect();

    await waitFor(() => acceptedFor(orderIdFor(channel, good)).length === 1, { what: 'the good order after the bad ones', timeoutMs: 60_000 });
    await waitFor(() => deadLetters.filter((d) => d.key === key).length >= cases.length, { what: `${cases.length} dead letters`, timeoutMs: 60_000 });
    expect(deadLetters.filter((d) => d.key === key)).toHaveLength(cases.length);
    for (const d of deadLetters.filter((d) => d.key === key)) {
      expect(d.headers[DLQ_HEADER.originalTopic]).toBe(TOPICS.commerceOrders.name);
      expect(d.headers[DLQ_HEADER.attempts]).toBe('1');
    }
    const rejections = published.filter((m) => m.type === ORDER_EVENTS.rejected);
    for (const c of cases) {
      const rejection =
        c.name === 'malformed JSON'
          ? rejections.find((r) => String(r.payload['received'] ?? '').includes(c.externalOrderId))
          : rejections.find((r) => r.payload['externalOrderId'] === c.externalOrderId);
      expect({ case: c.name, found: rejection !== undefined }).toEqual({ case: c.name, found: true });
      expect({ case: c.name, reason: rejection!.payload['reason'] }).toEqual({ case: c.name, reason: c.reason });
      const fields = (rejection!.payload['errors'] as { field: string }[]).map((e) => e.field);
      expect({ case: c.name, fields: fields.includes(c.field) }).toEqual({ case: c.name, fields: true });
    }
  });

  it('answers HTTP with 400 naming every failing field, 201 for a good order and 200 for its duplicate', async () => {
    const post = (body: unknown) =>
      fetch(`${service.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await post(order('H-bad', { currency: 'ZZZ', lines: [{ lineId: 'a', sku: '', quantity: -1, unitPrice: 1.5 }] }));
    expect(bad.status).toBe(400);
    const fields = ((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['currency', 'lines[0].sku', 'lines[0].quantity', 'lines[0].unitPrice']));
    const externalOrderId = `H-${randomUUID()}`;
    expect((await post(order(externalOrderId))).status).toBe(201);
    expect((await post(order(externalOrderId))).status).toBe(200);
    expect((await post(order(externalOrderId, { currency: 'EUR' }))).status).toBe(409);
    const tooBig = await fetch(`${service.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order('big', { pad: 'x'.repeat(300_000) })) });
    expect(tooBig.status).toBe(413);
    const notJson = await fetch(`${service.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"lines": [' });
    expect(notJson.status).toBe(400);
  });

  it('accepts the real Shopify fixture through the signed webhook, once, and refuses a bad signature', async () => {
    const body = Buffer.from(JSON.stringify((JSON.parse(shopifyFixtureBytes().toString('utf8')) as { order: unknown }).order));
    const shop = `${run.replace(/_/g, '-')}.myshopify.com`;
    const sign = (bytes: Buffer, key: string) => createHmac('sha256', key).update(bytes).digest('base64');
    const send = (hmac: string, webhookId: string) =>
      fetch(`${service.url}/webhooks/shopify/orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-hmac-sha256': hmac,
          'x-shopify-webhook-id': webhookId,
          'x-shopify-shop-domain': shop,
          'x-shopify-topic': 'orders/create',
        },
        body,
      });
    expect((await send(sign(body, 'wrong'), 'w-0')).status).toBe(401);
    const first = await send(sign(body, secret), `w-${run}`);
    expect(first.status).toBe(200);
    const answer = (await first.json()) as { orderId: string; status: string };
    expect(answer.status).toBe('accepted');
    expect(answer.orderId).toBe(orderIdFor(`shopify:${shop}`, '450789469'));
    // Shopify retries with the same webhook id; a second subscription sends another id.
    expect(((await (await send(sign(body, secret), `w-${run}`)).json()) as { status: string }).status).toBe('duplicate');
    expect(((await (await send(sign(body, secret), `w2-${run}`)).json()) as { status: string }).status).toBe('duplicate');

    const [accepted] = await waitFor(() => (acceptedFor(answer.orderId).length > 0 ? acceptedFor(answer.orderId) : undefined), { what: 'Shopify OrderAccepted' });
    expect(accepted!.payload['externalOrderId']).toBe('450789469');
    expect(accepted!.payload['orderNumber']).toBe('#1001');
    expect((accepted!.payload['totals'] as { tax: number }).tax).toBe(1194);
    // The fixture's own total (409.94) disagrees with its lines: recorded, not silently merged.
    expect(accepted!.payload['discrepancies']).toEqual([{ field: 'total', reported: 40994, computed: 60894 }]);
    const another = await waitFor(() => acceptedFor(answer.orderId));
    expect(another).toHaveLength(1);
  });

  it('rolls facts from sourcing, suppliers and warehouses into the order and announces them to the customer', async () => {
    const externalOrderId = `F-${randomUUID()}`;
    const orderId = orderIdFor(channel, externalOrderId);
    await publisher.publish([asMessage(order(externalOrderId))]);
    await waitFor(() => acceptedFor(orderId).length === 1, { what: 'accepted' });
    const fact = (topic: string, type: string, payload: object): OutgoingMessage => ({
      topic,
      key: orderId,
      eventId: randomUUID(),
      type,
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      payload: { orderId, ...payload },
    });
    const at = '2026-11-25T12:00:00.000Z';
    const shipment = fact(TOPICS.supplierPurchaseOrders.name, 'ShipmentDispatched', {
      shipmentId: 'pkg-1', nodeId: 'supplier-a', poId: 'po-1', carrier: 'UPS', trackingNumber: '1Z999', lines: [{ lineId: 'l1', quantity: 2 }], shippedAt: at,
    });
    await publisher.publish([
      fact(TOPICS.sourcingAllocations.name, 'FulfilmentPlanned', {
        version: 1,
        groups: [
          { groupId: 'g1', nodeId: 'supplier-a', nodeKind: 'supplier', lines: [{ lineId: 'l1', quantity: 2 }] },
          { groupId: 'g2', nodeId: 'wh-1', nodeKind: 'warehouse', lines: [{ lineId: 'l2', quantity: 1 }] },
        ],
        plannedAt: at,
      }),
      fact(TOPICS.supplierPurchaseOrders.name, 'PurchaseOrderDispatched', { poId: 'po-1', supplierId: 'supplier-a', lines: [{ lineId: 'l1', quantity: 2 }], at }),
      shipment,
      shipment, // redelivered
      fact(TOPICS.supplierPurchaseOrders.name, 'PurchaseOrderInvoiced', { invoiceNumber: 'ignored' }), // declared on the topic, not followed here: skipped
    ]);
    const shipmentsAdded = () => published.filter((m) => m.type === ORDER_EVENTS.shipmentAdded && m.payload['orderId'] === orderId);
    await waitFor(() => shipmentsAdded().length === 1, { what: 'ShipmentAdded' });
    expect(shipmentsAdded()[0]!.payload).toMatchObject({ carrier: 'UPS', trackingNumber: '1Z999', nodeId: 'supplier-a', lines: [{ lineId: 'l1', quantity: 2 }] });
    await waitFor(
      () => published.some((m) => m.type === ORDER_EVENTS.statusChanged && m.payload['orderId'] === orderId && m.payload['status'] === 'partially_shipped'),
      { what: 'status partially_shipped' },
    );

    // The customer cancels everything: only the unshipped line can still be cancelled.
    await publisher.publish([
      {
        ...asMessage({ externalOrderId }),
        type: 'OrderCancellationRequested',
        payload: { type: 'OrderCancellationRequested', channel, externalOrderId, requestId: 'cancel-1', requestedAt: at },
      },
    ]);
    const [requested] = await waitFor(() => {
      const found = published.filter((m) => m.type === ORDER_EVENTS.cancellationRequested && m.payload['orderId'] === orderId);
      return found.length > 0 ? found : undefined;
    }, { what: 'OrderCancellationRequested' });
    expect(requested!.payload['lines']).toEqual([{ lineId: 'l2', quantity: 1 }]);
    expect(requested!.payload['notCancellable']).toEqual([{ lineId: 'l1', quantity: 2, reason: 'already shipped' }]);

    await publisher.publish([
      fact(TOPICS.sourcingAllocations.name, 'OrderLinesCancelled', { cancellationId: 'c-1', lines: [{ lineId: 'l2', quantity: 1 }], reason: 'customer', cancelledAt: at }),
    ]);
    const cancelled = await waitFor(() => published.find((m) => m.type === ORDER_EVENTS.linesCancelled && m.payload['orderId'] === orderId), { what: 'LinesCancelled' });
    // Line 2: 500 with no tax; shipping stays with the shipped line.
    expect(cancelled.payload['refund']).toEqual({ amount: 500, currency: 'USD' });
    const view = (await (await fetch(`${service.url}/orders/${orderId}`)).json()) as { status: string; cancellation: string; lines: { lineId: string; status: string; shipped: number; cancelled: number }[]; shipments: unknown[] };
    expect(view.status).toBe('shipped');
    expect(view.cancellation).toBe('partial');
    expect(view.lines.map((l) => [l.lineId, l.status, l.shipped, l.cancelled])).toEqual([
      ['l1', 'shipped', 2, 0],
      ['l2', 'cancelled', 0, 1],
    ]);
    expect(view.shipments).toHaveLength(1);
  });
});
