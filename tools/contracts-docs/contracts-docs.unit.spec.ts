import { Parser } from '@asyncapi/parser';
import { Controller, Get, Post, Body, type Type } from '@nestjs/common';
import { validate as validateOpenApi } from '@readme/openapi-parser';
import {
  CATALOG_EVENTS,
  FULFILMENT_REQUESTS,
  ORDER_EVENTS,
  OrderPlacedV1,
  PUBLIC_MESSAGES,
  RETURN_PART_RECEIVED,
  ReturnRequestV1,
  StockReportedV1,
  TOPICS,
  validatePayload,
  type TopicKey,
} from '@oms/contracts';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseDocument, visit } from 'yaml';
import type { RecordedEvent } from '@oms/event-store';
import type { LedgerEvent } from '../../apps/finance-reconciler/src/app/domain/ledger-events';
import type { SupplierAccountEvent } from '../../apps/finance-reconciler/src/app/domain/supplier-account';
import { SETTLEMENT_EVENTS } from '../../apps/finance-reconciler/src/app/messaging/settlement-messages';
import type { OrderEvent } from '../../apps/order-intake/src/app/domain/order-events';
import type { PerformanceEvent } from '../../apps/supplier-performance/src/app/domain/performance';
import { RETURN_PART_RECEIVED as RETURNS_ROUTER_RECEIPT } from '../../apps/returns-router/src/app/messaging/returns-inputs.handler';
import { FLAG_EVENTS } from '../../apps/supplier-performance/src/app/messaging/scorecard-messages';
import { ALL_SERVICES } from '../embedded/services';
import { publicTopics } from './asyncapi';
import { readBodyCallsIn, routeTableProblems, staleFiles } from './checks';
import { DESCRIBED_PAYLOADS } from './described-payloads';
import { ASYNCAPI_FILE, buildDocuments, OPENAPI_FILE, platformRoutes, renderApiDocs, ROOT, serviceRoutes, toYaml } from './generate';
import { routesOf } from './nest-routes';

const { asyncapi, openapi } = buildDocuments();
const rendered = renderApiDocs();
const committed = (file: string) => (existsSync(join(ROOT, file)) ? readFileSync(join(ROOT, file), 'utf8') : undefined);

describe('docs/api is generated from the contracts and the controllers', () => {
  it('the committed files are what the generator makes now', () => {
    const stale = staleFiles(rendered, committed);
    if (stale.length > 0) throw new Error(`docs/api is out of date; run \`npm run docs:api\` and commit the result.\n${stale.join('\n')}`);
    expect(Object.keys(rendered).sort()).toEqual([ASYNCAPI_FILE, OPENAPI_FILE]);
  });

  it('notices a generated file that was edited or is missing', () => {
    expect(staleFiles(rendered, (file) => rendered[file]!.replace('asyncapi: 3.0.0', 'asyncapi: 3.0.1'))).toEqual([expect.stringContaining(`${ASYNCAPI_FILE} differs at line 2`)]);
    expect(staleFiles(rendered, () => undefined)).toHaveLength(2);
  });

  it('renders the same text twice (no anchors, stable order)', () => {
    expect(renderApiDocs()).toEqual(rendered);
    for (const text of Object.values(rendered)) {
      let aliases = 0;
      visit(parseDocument(text), { Alias: () => void aliases++ });
      expect(aliases).toBe(0);
    }
    expect(parse(rendered[OPENAPI_FILE]!)).toEqual(JSON.parse(JSON.stringify(openapi)));
  });
});

describe('AsyncAPI document', () => {
  const text = rendered[ASYNCAPI_FILE]!;

  it('is a valid AsyncAPI 3.0 document (@asyncapi/parser, offline)', async () => {
    const { document, diagnostics } = await new Parser().parse(text);
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(document?.channels().all().map((c) => c.address()).sort()).toEqual(publicTopics().map(([, t]) => t.name).sort());
  });

  it('the parser does catch a broken document', async () => {
    const broken = toYaml({ ...asyncapi, channels: { ...(asyncapi['channels'] as object), commerceOrders: { address: 'commerce.orders.v1', messages: { X: { payload: { $ref: '#/components/schemas/Missing' } } } } } });
    const { diagnostics } = await new Parser().parse(broken);
    expect(diagnostics.filter((d) => d.severity === 0).length).toBeGreaterThan(0);
  });

  it('has a channel for every public topic and none for internal ones, with key and partitions', () => {
    const channels = asyncapi['channels'] as Record<string, { address: string; description: string; bindings: { kafka: { partitions: number } } }>;
    expect(Object.keys(channels).sort()).toEqual(publicTopics().map(([key]) => key).sort());
    for (const [key, topic] of publicTopics()) {
      expect(channels[key]!.address).toBe(topic.name);
      expect(channels[key]!.bindings.kafka.partitions).toBe(topic.partitions);
      expect(channels[key]!.description).toContain(`Key: ${topic.key}`);
    }
    const internal = Object.values(TOPICS).filter((t) => t.visibility === 'internal').map((t) => t.name);
    expect(internal.length).toBeGreaterThan(0);
    for (const name of internal) expect(text).not.toContain(`address: ${name}`);
  });

  it('the message map covers exactly the public topics, every one with messages', () => {
    expect(Object.keys(PUBLIC_MESSAGES).sort()).toEqual(publicTopics().map(([key]) => key).sort());
    for (const [key] of publicTopics()) expect(PUBLIC_MESSAGES[key]!.length).toBeGreaterThan(0);
  });

  it('names the types the services publish and consume, as their own constants do', () => {
    const types = (key: TopicKey) => PUBLIC_MESSAGES[key]!.map((m) => m.type).sort();
    expect(types('omsOrders')).toEqual(Object.values(ORDER_EVENTS).sort());
    expect(types('financeSettlements')).toEqual(Object.values(SETTLEMENT_EVENTS).sort());
    expect(types('supplierScorecards')).toEqual([CATALOG_EVENTS.supplierScorecardUpdated, ...Object.values(FLAG_EVENTS)].sort());
    expect(types('wmsFulfilmentRequests')).toEqual([FULFILMENT_REQUESTS.fulfilmentRequested, FULFILMENT_REQUESTS.fulfilmentCancellationRequested].sort());
    expect(types('wmsShipments')).toEqual(expect.arrayContaining([FULFILMENT_REQUESTS.fulfilmentShortageReported, FULFILMENT_REQUESTS.fulfilmentCancelled, RETURN_PART_RECEIVED]));
    expect(RETURN_PART_RECEIVED).toBe(RETURNS_ROUTER_RECEIPT);
  });

  it('agrees with the services on who writes and who reads each public topic', () => {
    for (const [key, topic] of publicTopics()) {
      const messages = PUBLIC_MESSAGES[key]!;
      const published = ALL_SERVICES.some((s) => s.publishes.some((t) => t.name === topic.name));
      const consumed = ALL_SERVICES.some((s) => s.consumes.some((t) => t.name === topic.name));
      expect({ topic: topic.name, published }).toEqual({ topic: topic.name, published: messages.some((m) => m.from !== 'outside') });
      if (messages.some((m) => m.from !== 'oms')) expect({ topic: topic.name, consumed }).toEqual({ topic: topic.name, consumed: true });
    }
  });

  it('hand-describes exactly the payloads without a complete class, each marked as such', () => {
    const keys = publicTopics().flatMap(([key]) => PUBLIC_MESSAGES[key]!.map((m) => `${key}/${m.type}`));
    expect(Object.keys(DESCRIBED_PAYLOADS).filter((k) => !keys.includes(k))).toEqual([]);
    for (const [key] of publicTopics()) for (const m of PUBLIC_MESSAGES[key]!) if (!m.schema) expect(DESCRIBED_PAYLOADS[`${key}/${m.type}`]?.whole).toBeDefined();
    const schemas = (asyncapi['components'] as { schemas: Record<string, Record<string, unknown>> }).schemas;
    for (const [name, schema] of Object.entries(schemas)) expect({ name, source: schema['x-schema-source'] }).toEqual({ name, source: expect.stringMatching(/^(class-validator class|hand-described|generated from)/) });
    expect(String(schemas['OrderRejectedV1']!['x-schema-source'])).toMatch(/^hand-described/);
    expect(String(schemas['OrderPlacedV1']!['x-schema-source'])).toMatch(/^class-validator class OrderPlacedV1/);
  });

  it('carries the envelope as headers: required when the OMS publishes, optional when it consumes', () => {
    const schemas = (asyncapi['components'] as { schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }> }).schemas;
    expect(Object.keys(schemas['EnvelopeHeaders']!.properties).sort()).toEqual(
      ['event-id', 'event-type', 'schema-version', 'occurred-at', 'correlation-id', 'causation-id', 'producer', 'content-type'].sort(),
    );
    expect(schemas['EnvelopeHeaders']!.required).not.toContain('causation-id');
    expect(schemas['InboundEnvelopeHeaders']!.required).toBeUndefined();
    const omsOrders = (asyncapi['channels'] as Record<string, { messages: Record<string, { headers: { $ref: string } }> }>)['omsOrders']!;
    expect(omsOrders.messages['OrderAccepted']!.headers.$ref).toBe('#/components/schemas/EnvelopeHeaders');
  });
});

describe('payload schemas say what class-validator checks', () => {
  const schemas = (asyncapi['components'] as { schemas: Record<string, unknown> }).schemas;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ components: { schemas } }, 'asyncapi');
  const bySchema = (name: string) => ajv.compile({ $ref: `asyncapi#/components/schemas/${name}` });

  const order = {
    channel: 'web-eu',
    externalOrderId: 'A-1001',
    placedAt: '2026-11-25T10:00:00Z',
    currency: 'EUR',
    customer: { email: 'ada@example.com' },
    shipTo: { name: 'Ada', line1: '1 Main St', city: 'Dublin', country: 'IE' },
    lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 2, unitPrice: 1250, taxes: [{ name: 'VAT', rate: '0.23', amount: 575 }] }],
    shipping: { amount: 500 },
  };
  const cases: [string, new () => object, unknown, boolean][] = [
    ['a valid order', OrderPlacedV1, order, true],
    ['a fractional quantity', OrderPlacedV1, { ...order, lines: [{ ...order.lines[0], quantity: 1.5 }] }, false],
    ['a zero quantity', OrderPlacedV1, { ...order, lines: [{ ...order.lines[0], quantity: 0 }] }, false],
    ['no lines', OrderPlacedV1, { ...order, lines: [] }, false],
    ['no country', OrderPlacedV1, { ...order, shipTo: { name: 'Ada', line1: '1 Main St', city: 'Dublin' } }, false],
    ['a bad line id', OrderPlacedV1, { ...order, lines: [{ ...order.lines[0], lineId: 'l 1' }] }, false],
    ['a price as text', OrderPlacedV1, { ...order, lines: [{ ...order.lines[0], unitPrice: '12.50' }] }, false],
    ['a date that is no date', OrderPlacedV1, { ...order, placedAt: 'yesterday' }, false],
    ['a return naming the order by platform ids', ReturnRequestV1, { channel: 'web-eu', externalOrderId: 'A-1001', externalReturnId: 'R-1', lines: [{ lineId: 'l1', quantity: 1, reason: 'defective' }], requestedAt: '2026-11-26T10:00:00Z' }, true],
    ['a return naming no order', ReturnRequestV1, { externalReturnId: 'R-1', lines: [{ lineId: 'l1', quantity: 1, reason: 'defective' }], requestedAt: '2026-11-26T10:00:00Z' }, false],
    ['a return for an unknown reason', ReturnRequestV1, { channel: 'web-eu', externalOrderId: 'A-1001', externalReturnId: 'R-1', lines: [{ lineId: 'l1', quantity: 1, reason: 'bored' }], requestedAt: '2026-11-26T10:00:00Z' }, false],
    ['a stock snapshot', StockReportedV1, { nodeId: 'wh-1', mode: 'snapshot', items: [{ sku: 'SKU-1', quantity: 3 }], asOf: '2026-11-25T10:00:00Z' }, true],
    ['a negative stock', StockReportedV1, { nodeId: 'wh-1', mode: 'delta', items: [{ sku: 'SKU-1', quantity: -1 }], asOf: '2026-11-25T10:00:00Z' }, false],
  ];

  it.each(cases)('%s: the JSON Schema and the class agree', (_name, schema, payload, valid) => {
    expect({ classValidator: validatePayload(schema, payload).ok, jsonSchema: bySchema(schema.name)(payload) }).toEqual({ classValidator: valid, jsonSchema: valid });
  });
});

describe('what the services publish matches the documented payloads', () => {
  const schemas = (asyncapi['components'] as { schemas: Record<string, unknown> }).schemas;
  const channels = asyncapi['channels'] as Record<string, { messages: Record<string, { payload: { $ref: string } }> }>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ components: { schemas } }, 'asyncapi');
  const orderId = '6f1c2a52-6a0e-4c1f-9b0e-5d2f3c4a1e77';
  const at = '2026-11-25T10:00:00.000Z';
  const stored = (streamName: string, event: { type: string; data: object }): RecordedEvent => ({
    id: '0b8f6a2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    type: event.type,
    data: event.data as RecordedEvent['data'],
    metadata: { correlationId: orderId, causationId: 'cause-1' },
    streamName,
    revision: 0,
    position: { commit: 1n, prepare: 1n },
    recordedAt: new Date(at),
  });
  const costed = [{ lineId: 'l1', quantity: 1, unitCost: 700, amount: 700 }];
  // Stored events typed by the services' own event unions, run through their own relays' mapping.
  const samples: [string, RecordedEvent][] = [
    ['order-intake', stored(`order-${orderId}`, { type: 'OrderStatusChanged', data: { status: 'shipped', previousStatus: 'processing', cancellation: 'none', changedAt: at } } satisfies OrderEvent)],
    ['order-intake', stored(`order-${orderId}`, { type: 'OrderCompleted', data: { completedAt: at } } satisfies OrderEvent)],
    [
      'order-intake',
      stored(`order-${orderId}`, { type: 'ShipmentRecorded', data: { shipmentId: 's1', nodeId: 'wh-1', carrier: 'UPS', trackingNumber: '1Z999AA10123456784', lines: [{ lineId: 'l1', quantity: 1 }], shippedAt: at } } satisfies OrderEvent),
    ],
    [
      'finance-reconciler',
      stored(`ledger-${orderId}`, {
        type: 'CustomerChargeRecognised',
        data: {
          currency: 'EUR',
          taxesIncluded: true,
          lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 2, unitPrice: 1250, discount: 0, tax: 468, total: 2500 }],
          shipping: { amount: 500, discount: 0, tax: 94, total: 500 },
          total: 3000,
          chargedAt: at,
        },
      } satisfies LedgerEvent),
    ],
    [
      'finance-reconciler',
      stored(`ledger-${orderId}`, {
        type: 'SupplierInvoiceDisputed',
        data: { poId: 'po-1', supplierId: 'sup-1', invoiceNumber: 'INV-1', invoiced: 900, expected: 700, issues: [{ lineId: 'l1', kind: 'unit_cost', invoiced: 900, expected: 700, amount: 200 }], currency: 'EUR', disputedAt: at },
      } satisfies LedgerEvent),
    ],
    [
      'finance-reconciler',
      stored(`ledger-${orderId}`, { type: 'SupplierPayableReleased', data: { poId: 'po-1', supplierId: 'sup-1', sourceId: 'x', reason: 'timed out', lines: costed, amount: 700, currency: 'EUR', releasedAt: at } } satisfies LedgerEvent),
    ],
    ['finance-reconciler', stored('supplieraccount-sup-1', { type: 'SupplierAccountPosted', data: { entryId: 'payment:p1', kind: 'payment', amount: 700, currency: 'EUR', at } } satisfies SupplierAccountEvent)],
    ['supplier-performance', stored('scorecard-sup-1', { type: 'SupplierFlagChanged', data: { kind: 'flagged', reasons: ['onTimeShipment below 0.8'], figures: { onTimeShipment: 0.5 }, at } } satisfies PerformanceEvent)],
  ];

  it.each(samples.map(([service, event]) => [service, event.type, event] as const))('%s publishes its stored %s as documented', (serviceName, _type, event) => {
    const service = ALL_SERVICES.find((s) => s.name === serviceName)!;
    const messages = service.toMessages(event);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    const [topicKey] = publicTopics().find(([, topic]) => topic.name === message!.topic) ?? [];
    expect({ topic: message!.topic, public: topicKey !== undefined }).toEqual({ topic: message!.topic, public: true });
    const documented = channels[topicKey!]!.messages[message!.type];
    expect({ type: message!.type, documented: documented !== undefined }).toEqual({ type: message!.type, documented: true });
    const validate = ajv.compile({ $ref: `asyncapi${documented!.payload.$ref}` });
    const payload = JSON.parse(JSON.stringify(message!.payload)) as unknown;
    expect({ type: message!.type, valid: validate(payload), errors: validate.errors ?? null }).toEqual({ type: message!.type, valid: true, errors: null });
    // And the schema is not vacuous: the same payload without its first required field fails.
    const schema = schemas[documented!.payload.$ref.split('/').pop()!] as { required?: string[]; allOf?: { required?: string[] }[] };
    const required = schema.required?.[0] ?? schema.allOf?.flatMap((part) => part.required ?? [])[0];
    expect(required).toBeDefined();
    const { [required!]: _dropped, ...without } = payload as Record<string, unknown>;
    expect(validate(without)).toBe(false);
  });
});

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (@readme/openapi-parser, offline)', async () => {
    const result = await validateOpenApi(structuredClone(openapi) as never);
    expect(result.valid ? [] : result.errors.map((e) => e.message)).toEqual([]);
    expect(openapi['openapi']).toBe('3.1.0');
  });

  it('the validator does catch a broken document', async () => {
    const broken = structuredClone(openapi) as { paths: Record<string, Record<string, { parameters?: unknown[] }>> };
    delete broken.paths['/orders/{id}']!['get']!.parameters;
    const result = await validateOpenApi(broken as never);
    expect(result.valid).toBe(false);
  });

  it('documents every route the controllers serve, and no other', () => {
    expect(routeTableProblems(serviceRoutes(), platformRoutes())).toEqual([]);
    const served = serviceRoutes().reduce((n, s) => n + s.routes.length, 0);
    expect(served).toBeGreaterThan(30);
    const paths = openapi['paths'] as Record<string, Record<string, unknown>>;
    const documented = Object.values(paths).reduce((n, item) => n + Object.keys(item).filter((k) => k !== 'servers').length, 0);
    expect(documented).toBe(served + platformRoutes().length);
  });

  it('the route check reports a route the table lacks, a stale one, an undescribed body and an unnamed DTO', () => {
    @Controller('orders')
    class ExtraController {
      @Get('export')
      export() {
        return [];
      }

      @Post('import')
      import(@Body() body: unknown) {
        return body;
      }
    }
    const services = serviceRoutes().map((s) => (s.name === 'order-intake' ? { ...s, routes: [...s.routes.filter((r) => r.path !== '/orders/:id'), ...routesOf(ExtraController)] } : s));
    expect(routeTableProblems(services, platformRoutes())).toEqual(
      expect.arrayContaining([
        'order-intake: GET /orders/export is served but not in the route table',
        'order-intake: POST /orders/import is served but not in the route table',
        'order-intake: GET /orders/:id is in the route table but no controller serves it',
      ]),
    );
    const withoutBody = serviceRoutes();
    const table = { 'finance-reconciler': { 'POST /supplier-accounts/:supplierId/payments': { summary: 'x', responses: { 200: { description: 'x' } } } } };
    const finance = withoutBody.filter((s) => s.name === 'finance-reconciler').map((s) => ({ ...s, routes: s.routes.filter((r) => r.path === '/supplier-accounts/:supplierId/payments') }));
    expect(routeTableProblems(finance, [], table, {})).toEqual([
      'finance-reconciler: POST /supplier-accounts/:supplierId/payments takes @Body() but the table describes no request body',
      'finance-reconciler: FinanceController validates a body with readBody(AccountEntryDto) that no route of the table names',
    ]);
  });

  it('reads the DTOs a controller validates from its source', () => {
    const gateway = serviceRoutes().find((s) => s.name === 'supplier-gateway')!;
    const webhooks = gateway.routes.find((r) => r.path === '/supplier-webhooks/:supplierId')!.controller as Type<unknown>;
    expect([...readBodyCallsIn(webhooks)].sort()).toEqual(['AcknowledgementDto', 'CancellationAnswerDto', 'InvoiceDto', 'ShipmentDto', 'StockFeedDto', 'SupplierCancellationDto', 'WebhookCallbackDto']);
  });

  it('takes parameters, status codes and security from the controllers', () => {
    const paths = openapi['paths'] as Record<string, Record<string, { parameters?: { name: string; in: string; schema: { format?: string } }[]; security?: unknown[]; responses: Record<string, unknown> }>>;
    expect(paths['/orders/{id}']!['get']!.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', schema: { type: 'string', format: 'uuid' } })]);
    expect(paths['/orders']!['get']!.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(['query:channel', 'query:externalOrderId']);
    expect(paths['/supplier-api/stock']!['post']!.security).toEqual([{ supplierApiKey: [] }, { supplierApiKeyHeader: [] }]);
    expect(paths['/admin/suppliers']!['post']!.security).toEqual([{ gatewayAdminToken: [] }]);
    expect(paths['/admin/rebuild']!['post']!.security).toEqual([{ performanceAdminToken: [] }]);
    expect(paths['/scorecards']!['get']!.security).toBeUndefined();
    expect(paths['/reports/reconciliation']!['get']!.security).toEqual([{ financeToken: [] }]);
    expect(paths['/webhooks/shopify/orders']!['post']!.security).toEqual([{ shopifyHmac: [] }]);
    expect(Object.keys(paths['/supplier-api/stock']!['post']!.responses)).toContain('200');
    expect((paths['/health'] as unknown as { servers: unknown[] }).servers).toHaveLength(ALL_SERVICES.length);
  });
});
