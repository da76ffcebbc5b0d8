import { publishSupplierNode } from '../../../sourcing/src/app/testing/publish-supplier-node';
import { randomUUID } from 'node:crypto';
import { FULFILMENT_REQUESTS, ORDER_EVENTS, TOPICS } from '@oms/contracts';
import { loadAggregate } from '@oms/event-store';
import { commitGroupAtEnd, createKafka, DLQ_HEADER, ensureTopics, KafkaPublisher, type OutgoingMessage } from '@oms/messaging';
import { TopicReader, type SeenMessage } from '@oms/messaging/testing';
import { startService, type RunningService, type ServiceDescriptor, type ServiceEnv } from '@oms/platform';
import { ERASED_PLACEHOLDER, PersonalData, PostgresKeyVault, subjectOf } from '@oms/privacy';
import { databaseUrl, dropSchema, kafkaBrokers, uniqueName, waitFor } from '@oms/testing';
import { Client } from 'pg';
import { sourcingService } from '../../../sourcing/src/app/sourcing.service';
import { poIdFor } from '../../../supplier-gateway/src/app/application/purchase-orders';
import { flattened, readPdf } from '../../../supplier-gateway/src/app/blind-dropship/testing/read-pdf';
import type { GatewayEnv } from '../../../supplier-gateway/src/app/gateway.env';
import { supplierGatewayService } from '../../../supplier-gateway/src/app/supplier-gateway.service';
import { GatewayClient, gatewayEnv } from '../../../supplier-gateway/src/app/testing/gateway-client';
import { program } from '../../../../tools/cli/dropship';
import { ORDER_CATEGORY } from './application/order-application';
import { orderIdFor } from './application/order-identity';
import { orderDecider } from './domain/order-decider';
import { viewOrder } from './domain/order-view';
import type { OrderIntakeEnv } from './order-intake.env';
import { orderIntakeService } from './order-intake.service';

/**
 * Crypto-shredding across the services, on Kafka and PostgreSQL: an order's personal data travels
 * sealed from order intake through sourcing to the supplier gateway (and into a dead letter); the
 * supplier reads it in clear; the customer is erased; then nothing anywhere — stored events of every
 * service, dead letters, read models, the supplier's documents — holds it in clear or can open it,
 * while the order still replays with its status and money.
 */
const prefix = `${uniqueName('shred').replace(/[^a-z0-9_]/g, '_')}_`;
const schemaOf = (service: string) => `${prefix}${service.replace(/-/g, '_')}`;
// The run's own key vault: a concurrent run on the shared database keeps its keys apart.
const vaultSchema = `${prefix}privacy`;
const channel = `web-${prefix.replace(/_/g, '-')}`.slice(0, 90);
const PRIVACY_TOKEN = 'privacy-token-for-shredding-tests';
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'shredding-test' });
const publisher = new KafkaPublisher(kafka, { producerName: 'shredding-test' });
const reader = new TopicReader(kafka);
const running: { intake?: RunningService<OrderIntakeEnv>; sourcing?: RunningService; gateway?: RunningService<GatewayEnv> } = {};
const gatewayApi = new GatewayClient(() => running.gateway!.url);

// What must not survive the erasure anywhere, in any case.
const CUSTOMER = { email: 'zq@example.com', firstName: 'Zebulon', lastName: 'Quixote', phone: '+1 502 555 0177' };
const SHIP_TO = { name: 'Zebulon Quixote', company: 'Quixote Windmills', line1: '77 Marigold Lane', line2: 'Tilting Suite 9', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US', phone: '+1 502 555 0177' };
const NEEDLES = ['Zebulon', 'Quixote', 'Marigold', 'zq@example.com', 'Tilting Suite', '555 0177'];
const leaks = (text: string) => NEEDLES.filter((n) => text.toLowerCase().includes(n.toLowerCase()));

const DATA_TOPICS = [TOPICS.omsOrders.name, TOPICS.sourcingAllocations.name, TOPICS.supplierPurchaseOrders.name];
const consumedTopics = [...new Set([orderIntakeService, sourcingService, supplierGatewayService].flatMap((d) => d.consumes.map((t) => t.name)))];
const DLQ_TOPICS = consumedTopics.map((t) => `${t}.dlq`);
const asText = (m: SeenMessage) => `${m.key ?? ''} ${JSON.stringify(m.headers)} ${JSON.stringify(m.payload)}`;

const message = (topic: string, key: string, type: string, payload: object): OutgoingMessage => ({
  topic,
  key,
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  payload,
});

const call = async (url: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
};

async function cli(...args: string[]): Promise<string> {
  const lines: string[] = [];
  await program((text) => lines.push(text))
    .exitOverride()
    .parseAsync(['node', 'dropship', ...args, '--store', 'postgres', '--database-url', databaseUrl(), '--schema-prefix', prefix]);
  return lines.join('\n');
}

/** Every row of every table of this run's schemas, as text: events, checkpoints, projections, keys. */
async function storedText(): Promise<Map<string, string>> {
  const client = new Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema LIKE $1 AND table_type = 'BASE TABLE'`,
      [`${prefix}%`],
    );
    const out = new Map<string, string>();
    for (const { table_schema, table_name } of tables) {
      const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${table_schema}.${table_name} t`);
      out.set(`${table_schema}.${table_name}`, rows.map((r) => r.row).join('\n'));
    }
    return out;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await ensureTopics(kafka, [...new Set([...consumedTopics, ...DLQ_TOPICS, ...DATA_TOPICS])].map((name) => ({ name, partitions: 3, replicationFactor: 1 })));
  const common = {
    KAFKA_BROKERS: kafkaBrokers().join(','),
    DATABASE_URL: databaseUrl(),
    KAFKA_PARTITIONS: '3',
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    CONSUMER_BACKOFF_MS: '20',
    PRIVACY_VAULT_SCHEMA: vaultSchema,
  };
  const start = async <Env extends ServiceEnv>(descriptor: ServiceDescriptor<Env>, env: Record<string, string>): Promise<RunningService<Env>> => {
    const group = `${prefix}${descriptor.name}`;
    await commitGroupAtEnd(kafka, group, descriptor.consumes.map((t) => t.name));
    return startService(descriptor, { env: { ...env, KAFKA_GROUP_ID: group, EVENT_STORE_SCHEMA: schemaOf(descriptor.name) }, logger: false });
  };
  await Promise.all([
    start(orderIntakeService, { ...common, PRIVACY_ADMIN_TOKEN: PRIVACY_TOKEN }).then((s) => (running.intake = s)),
    start(sourcingService, common).then((s) => (running.sourcing = s)),
    start(supplierGatewayService, { ...gatewayEnv({ brokers: kafkaBrokers(), databaseUrl: databaseUrl(), schema: schemaOf('supplier-gateway'), groupId: 'unused' }), ...common }).then((s) => (running.gateway = s)),
    publisher.connect(),
    reader.follow([...DATA_TOPICS, ...DLQ_TOPICS]),
  ]);
}, 180_000);

afterAll(async () => {
  await reader.close();
  await publisher.close();
  for (const service of [running.gateway, running.sourcing, running.intake]) await service?.close();
  await Promise.all(['order-intake', 'sourcing', 'supplier-gateway', 'privacy'].map((s) => dropSchema(schemaOf(s))));
});

describe('crypto-shredding of customer personal data', () => {
  it('keeps the customer readable only where needed, then unreadable everywhere after erasure, while the order still replays', async () => {
    // A drop-ship supplier (EDI, so an 850 is recorded too) that sourcing can choose.
    const supplierId = uniqueName('shred-s');
    const sku = uniqueName('sku');
    const { apiKey } = await gatewayApi.registerSupplier({
      supplierId,
      name: 'Windmill Supply',
      code: 'WIND',
      connector: 'edi',
      edi: { supplierId: `W${randomUUID().slice(0, 8).toUpperCase()}`, supplierQualifier: 'ZZ', ourId: 'NORTHWINDOMS', ourQualifier: 'ZZ' },
      confirmWithinHours: 24,
      shipWithinHours: 72,
    });
    await publishSupplierNode(publisher, () => running.sourcing!.url, { nodeId: supplierId, sku, unitCost: 1500, stock: 10 });

    // The storefront places the order.
    const externalOrderId = `Z-${randomUUID()}`;
    const placed = {
      channel,
      externalOrderId,
      orderNumber: '#Z-1',
      placedAt: new Date().toISOString(),
      currency: 'USD',
      customer: CUSTOMER,
      shipTo: SHIP_TO,
      billTo: SHIP_TO,
      lines: [{ lineId: 'l1', sku, name: 'Lance polish', quantity: 2, unitPrice: 2500 }],
      shipping: { amount: 495 },
    };
    const accepted = await call(`${running.intake!.url}/orders`, { method: 'POST', body: placed });
    expect(accepted.status).toBe(201);
    const orderId = orderIdFor(channel, externalOrderId);

    // Sealed from the first event on: OrderAccepted on oms.orders.v1, FulfilmentRequested to the gateway.
    const announced = await waitFor(() => reader.find(TOPICS.omsOrders.name, ORDER_EVENTS.accepted, { orderId })[0], { what: 'OrderAccepted' });
    const subjectId = subjectOf((announced.payload['shipTo'] as { name: string }).name)!;
    expect(subjectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(announced.payload['shipTo']).toMatchObject({ city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' });
    for (const value of [...Object.values(announced.payload['customer'] as object), ...['name', 'company', 'line1', 'line2', 'phone'].map((f) => (announced.payload['shipTo'] as Record<string, string>)[f])]) {
      expect(subjectOf(value)).toBe(subjectId);
    }
    const requested = await waitFor(() => reader.find(TOPICS.sourcingAllocations.name, FULFILMENT_REQUESTS.fulfilmentRequested, { orderId })[0], { what: 'FulfilmentRequested' });
    expect(requested.payload['nodeId']).toBe(supplierId);

    // One copy of the order's sealed data dead-letters: an OrderAccepted sourcing cannot read.
    await publisher.publish([message(TOPICS.omsOrders.name, orderId, ORDER_EVENTS.accepted, { ...announced.payload, lines: [] })]);
    const deadLetter = await waitFor(
      () => reader.seen.find((m) => m.topic === `${TOPICS.omsOrders.name}.dlq` && m.key === orderId && m.headers[DLQ_HEADER.consumerGroup] === `${prefix}sourcing`),
      { what: 'the dead-lettered OrderAccepted copy' },
    );
    expect(JSON.stringify(deadLetter.payload)).toContain(`pii:v1:${subjectId}:`);

    // The supplier reads the ship-to in clear — and nothing more of the customer.
    const poId = poIdFor(`${orderId}:1:${supplierId}`);
    const po = await waitFor(
      async () => {
        const reply = await gatewayApi.asSupplier(apiKey, 'GET', `/purchase-orders/${poId}`);
        return reply.status === 200 && reply.body['status'] === 'dispatched' ? reply.body : undefined;
      },
      { what: 'the PO at its supplier' },
    );
    expect(po['shipTo']).toEqual({ name: 'Zebulon Quixote', company: 'Quixote Windmills', line1: '77 Marigold Lane', line2: 'Tilting Suite 9', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US', phone: '+1 502 555 0177' });
    expect(JSON.stringify(po)).not.toContain('zq@example.com');
    const slipBefore = flattened((await readPdf((await gatewayApi.asSupplier(apiKey, 'GET', `/purchase-orders/${poId}/packing-slip.pdf`)).bytes)).text);
    expect(slipBefore).toContain('Zebulon Quixote');
    expect(slipBefore).toContain('77 Marigold Lane');
    const ediBefore = (await gatewayApi.asSupplier(apiKey, 'GET', `/purchase-orders/${poId}/edi`)).bytes.toString('utf8');
    expect(ediBefore).toContain('N1*ST*Zebulon Quixote');
    expect(ediBefore).not.toContain('zq@example.com');
    // Support's view of the PO keeps it sealed; the storefront's view of the order opens it.
    expect(leaks(JSON.stringify(await gatewayApi.purchaseOrder(poId)))).toEqual([]);
    const viewBefore = (await call(`${running.intake!.url}/orders/${orderId}`)).json();
    expect(viewBefore['shipTo']).toMatchObject({ name: 'Zebulon Quixote', line1: '77 Marigold Lane' });
    expect(JSON.stringify(viewBefore['history'])).toContain('zq@example.com');

    // Stored by all three services before the erasure, sealed.
    const before = await storedText();
    for (const service of ['order_intake', 'sourcing', 'supplier_gateway']) expect(before.get(`${prefix}${service}.events`)).toContain(`pii:v1:${subjectId}:`);
    expect([...before.entries()].flatMap(([table, text]) => leaks(text).map((n) => `${table}: ${n}`))).toEqual([]);

    // The customer asks to be forgotten; the storefront names them as it knows them.
    expect((await call(`${running.intake!.url}/privacy/customers/erase`, { method: 'POST', body: { channel, email: 'ZQ@example.com' } })).status).toBe(401);
    const erased = await call(`${running.intake!.url}/privacy/customers/erase`, { method: 'POST', token: PRIVACY_TOKEN, body: { channel, email: 'ZQ@example.com', reason: 'customer request' } });
    expect(erased.status).toBe(200);
    expect(erased.json()).toMatchObject({ subjectId, alreadyErased: false });
    expect((await call(`${running.intake!.url}/privacy/orders/${orderId}`, { token: PRIVACY_TOKEN })).json()).toEqual({ orderId, subjectId, status: 'erased' });

    // No stored row of any service, nor the vault, holds the data or a key that opens it.
    const after = await storedText();
    expect([...after.entries()].flatMap(([table, text]) => leaks(text).map((n) => `${table}: ${n}`))).toEqual([]);
    for (const service of ['order_intake', 'sourcing', 'supplier_gateway']) expect(after.get(`${prefix}${service}.events`)).toContain(`pii:v1:${subjectId}:`);
    expect(after.get(`${prefix}order_intake.events`)).toContain('CustomerDataErased');
    const vault = await PostgresKeyVault.open({ connectionString: databaseUrl(), schema: vaultSchema });
    try {
      expect(await vault.lookup(subjectId)).toMatchObject({ status: 'erased' });
      const personal = new PersonalData(vault);
      const sealedValues = [...new Set([...after.values()].flatMap((text) => text.match(new RegExp(`pii:v1:${subjectId}:[A-Za-z0-9+/]+=*`, 'g')) ?? []))];
      // Each distinct value once (sealing is deterministic): four of the customer's, five of the ship-to's less the shared phone, the 850.
      expect(sealedValues.length).toBeGreaterThanOrEqual(9);
      expect(new Set(await personal.openDeep(sealedValues))).toEqual(new Set([ERASED_PLACEHOLDER]));

      // Nothing on the topics or in the dead letters holds it in clear; the dead letter no longer opens.
      const published = reader.seen.filter((m) => DATA_TOPICS.includes(m.topic) || DLQ_TOPICS.includes(m.topic));
      expect(published.filter((m) => m.key === orderId).length).toBeGreaterThan(3);
      expect(published.flatMap((m) => leaks(asText(m)).map((n) => `${m.topic}/${m.type}: ${n}`))).toEqual([]);
      expect(await personal.openDeep(deadLetter.payload['shipTo'])).toMatchObject({ name: ERASED_PLACEHOLDER, line1: ERASED_PLACEHOLDER, city: 'Louisville' });
    } finally {
      await vault.close();
    }

    // The read models and documents show the placeholder.
    const viewAfter = await call(`${running.intake!.url}/orders/${orderId}`);
    expect(leaks(viewAfter.text)).toEqual([]);
    const view = viewAfter.json() as { status: string; totals: { total: number }; shipTo: Record<string, string>; lines: { status: string }[] };
    expect(view.shipTo).toMatchObject({ name: ERASED_PLACEHOLDER, line1: ERASED_PLACEHOLDER, city: 'Louisville', country: 'US' });
    expect(view.status).toBe(viewBefore['status']);
    expect(view.totals).toEqual(viewBefore['totals']);
    expect(view.totals.total).toBe(2 * 2500 + 495);
    const poAfter = await gatewayApi.asSupplier(apiKey, 'GET', `/purchase-orders/${poId}`);
    expect(poAfter.status).toBe(200);
    expect(leaks(poAfter.bytes.toString('utf8'))).toEqual([]);
    expect(poAfter.body['shipTo']).toMatchObject({ name: ERASED_PLACEHOLDER, line1: ERASED_PLACEHOLDER, city: 'Louisville', postalCode: '40202' });
    expect(poAfter.body['lines']).toEqual(po['lines']);
    const slipAfter = flattened((await readPdf((await gatewayApi.asSupplier(apiKey, 'GET', `/purchase-orders/${poId}/packing-slip.pdf`)).bytes)).text);
    expect(leaks(slipAfter)).toEqual([]);
    expect(slipAfter).toContain(ERASED_PLACEHOLDER);
    const ediAfter = (await gatewayApi.asSupplier(apiKey, 'GET', `/purchase-orders/${poId}/edi`)).bytes.toString('utf8');
    expect(leaks(ediAfter)).toEqual([]);
    expect(leaks(await (await fetch(`${running.sourcing!.url}/allocations/${orderId}`)).text())).toEqual([]);
    expect(leaks(JSON.stringify(await gatewayApi.purchaseOrder(poId)))).toEqual([]);

    // The order still replays: its stream folds with the decider, and the replay tool reads it.
    const { state } = await loadAggregate({ store: running.intake!.store, decider: orderDecider }, `${ORDER_CATEGORY}-${orderId}`);
    expect(state.status).toBe('open');
    if (state.status !== 'open') return;
    expect(viewOrder(state)).toMatchObject({ orderId, status: view.status, totals: view.totals, lines: [{ lineId: 'l1', ordered: 2 }] });
    const replayed = JSON.parse(await cli('state', `order-${orderId}`)) as { state: { status: string; accepted: { totals: { total: number } } } };
    expect(replayed.state.status).toBe('open');
    expect(replayed.state.accepted.totals.total).toBe(5495);
    expect(leaks(JSON.stringify(replayed))).toEqual([]);

    // Erased stays erased: the same order again is a duplicate; a new one under the same email is refused, and no new key is made.
    expect((await call(`${running.intake!.url}/orders`, { method: 'POST', body: placed })).json()).toMatchObject({ status: 'duplicate', orderId });
    const another = await call(`${running.intake!.url}/orders`, { method: 'POST', body: { ...placed, externalOrderId: `${externalOrderId}-2` } });
    expect(another.status).toBe(400);
    expect(another.json()).toMatchObject({ errors: [{ field: 'customer' }] });
    expect((await call(`${running.intake!.url}/privacy/subjects/${subjectId}/erase`, { method: 'POST', token: PRIVACY_TOKEN, body: {} })).json()).toMatchObject({ subjectId, alreadyErased: true });
    expect(leaks([...(await storedText()).values()].join('\n'))).toEqual([]);
  });
});
