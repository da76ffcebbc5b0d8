import { handleCommand, type Decider, type DomainEvent, type EventStore } from '@oms/event-store';
import { ManualClock, startService, type RunningService, type ServiceDescriptor, type ServiceEnv } from '@oms/platform';
import { databaseUrl, dropSchema, kafkaBrokers, serviceTestEnv, uniqueName, waitFor } from '@oms/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { ledgerDecider, type LedgerCommand } from '../../apps/finance-reconciler/src/app/domain/ledger';
import { chargedLine, commitPo, invoice, q, recognizeCharge, ship, shippingCharge } from '../../apps/finance-reconciler/src/app/domain/testing/ledger-fixtures';
import { financeReconcilerService } from '../../apps/finance-reconciler/src/app/finance-reconciler.service';
import { FINANCE_TOKEN, financeEnv } from '../../apps/finance-reconciler/src/app/testing/finance-client';
import { orderDecider, type OrderCommand, type OrderFact } from '../../apps/order-intake/src/app/domain/order-decider';
import { placedOrder } from '../../apps/order-intake/src/app/domain/testing/order-fixtures';
import { orderIntakeService } from '../../apps/order-intake/src/app/order-intake.service';
import { purchaseOrderDecider, type PurchaseOrderCommand } from '../../apps/supplier-gateway/src/app/domain/purchase-order';
import { supplierGatewayService } from '../../apps/supplier-gateway/src/app/supplier-gateway.service';
import { ADMIN_TOKEN, gatewayEnv } from '../../apps/supplier-gateway/src/app/testing/gateway-client';
import { policiesFrom } from '../../apps/supplier-performance/src/app/application/scorecards';
import { performanceDecider, type PerformanceState } from '../../apps/supplier-performance/src/app/domain/performance';
import type { SupplierFact } from '../../apps/supplier-performance/src/app/domain/supplier-facts';
import { acknowledged, hoursAfter, poCreated, shipment, timedOut } from '../../apps/supplier-performance/src/app/domain/testing/supplier-fact-builders';
import type { PerformanceEnv } from '../../apps/supplier-performance/src/app/performance.env';
import { supplierPerformanceService } from '../../apps/supplier-performance/src/app/supplier-performance.service';
import { performanceEnv } from '../../apps/supplier-performance/src/app/testing/performance-client';
import { program } from './dropship';
import { DifferencesFound, type RebuildReport } from './rebuild';

// Four services running on PostgreSQL, each in its own schema as the CLI expects them
// (`<prefix><service>`); their histories are written through the services' own deciders, so the
// running services follow them as they would follow their message handlers' appends. Each runs on
// its own in-process transport: on the shared broker they would also consume one another's (and
// any concurrent run's) messages, and what each projection holds would depend on timing.
const prefix = `${uniqueName('rebuild').replace(/[^a-z0-9_]/g, '_')}_`;
const schema = (service: string) => `${prefix}${service.replace(/-/g, '_')}`;
const clock = new ManualClock(new Date());
const NOW = clock.now();
const running = new Map<string, RunningService>();
const serviceOf = (name: string) => running.get(name)!;
const DAY = 24 * 3_600_000;

async function start<Env extends ServiceEnv>(descriptor: ServiceDescriptor<Env>, env: Record<string, string>): Promise<void> {
  running.set(descriptor.name, (await startService(descriptor, { env: { ...env, MESSAGING_TRANSPORT: 'in-process' }, clock, logger: false })) as unknown as RunningService);
}

/** Runs the CLI in-process: stdout, progress (stderr, not a terminal) and the exit code it would give. */
async function run(...args: string[]): Promise<{ code: 0 | 1; output: string; progress: string; report?: RebuildReport }> {
  const lines: string[] = [];
  let progress = '';
  const argv = ['node', 'dropship', ...args, '--store', 'postgres', '--database-url', databaseUrl(), ...(args.includes('--schema-prefix') ? [] : ['--schema-prefix', prefix])];
  try {
    await program((text) => lines.push(text), { write: (text: string) => (progress += text), isTTY: false }).exitOverride().parseAsync(argv);
    return { code: 0, output: lines.join('\n'), progress };
  } catch (error) {
    if (!(error instanceof DifferencesFound)) throw error;
    return { code: 1, output: lines.join('\n'), progress, report: error.report };
  }
}
const json = async (...args: string[]) => {
  const result = await run(...args, '--json');
  return { ...result, report: JSON.parse(result.output) as RebuildReport };
};

function command<C, S, E extends DomainEvent>(store: EventStore, stream: string, decider: Decider<C, S, E>, c: C) {
  return handleCommand(store, stream, decider, c, { causationId: randomUUID() });
}

// ─── histories ──────────────────────────────────────────────────────────────────────────────────

/** Six POs each over the last three weeks: one supplier on time, one that ships late, one that lets POs time out. */
function supplierFacts(behaviour: 'on_time' | 'late' | 'times_out'): SupplierFact[] {
  const facts = Array.from({ length: 6 }, (_, i) => {
    const poId = randomUUID();
    const created = new Date(NOW.getTime() - (20 - 3 * i) * DAY).toISOString();
    const facts: SupplierFact[] = [poCreated(poId, created, { lines: { L1: 4 } })];
    if (behaviour === 'times_out' && i % 3 !== 0) return [...facts, timedOut(poId, hoursAfter(created, 24))];
    facts.push(acknowledged(poId, hoursAfter(created, 2), { accepted: 4 }));
    return [...facts, shipment(poId, randomUUID(), hoursAfter(created, behaviour === 'late' ? 100 : 30), 4)];
  }).flat();
  // As they happened: a late shipment comes after the next PO was created.
  return facts.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

const SUPPLIERS = { 'S-ON-TIME': supplierFacts('on_time'), 'S-LATE': supplierFacts('late'), 'S-TIMES-OUT': supplierFacts('times_out') };
const scorecardsRecorded = new Map<string, PerformanceState>();

async function writeScorecards(): Promise<void> {
  const performance = serviceOf('supplier-performance');
  const policies = policiesFrom(performance.env as PerformanceEnv);
  for (const [supplierId, facts] of Object.entries(SUPPLIERS)) {
    for (const fact of facts) {
      const { state } = await command(performance.store, `scorecard-${supplierId}`, performanceDecider, { type: 'RecordFact', data: { fact, now: NOW, policies } });
      scorecardsRecorded.set(supplierId, state);
    }
  }
}

const orderIds = { partlyShipped: randomUUID(), cancelled: randomUUID(), completed: randomUUID() };
let partlyShippedRevision = -1;

async function writeOrders(): Promise<void> {
  const { store } = serviceOf('order-intake');
  const at = (hours: number) => hoursAfter(NOW, hours);
  const plan: OrderFact = {
    kind: 'plan',
    version: 1,
    groups: [
      { groupId: 'g1', nodeId: 'WH-1', nodeKind: 'warehouse', lines: [{ lineId: 'L1', quantity: 2 }] },
      { groupId: 'g2', nodeId: 'S-ON-TIME', nodeKind: 'supplier', lines: [{ lineId: 'L2', quantity: 1 }, { lineId: 'L3', quantity: 2 }] },
      { groupId: 'g3', nodeId: 'S-LATE', nodeKind: 'supplier', lines: [{ lineId: 'L4', quantity: 3 }] },
    ],
    unfulfillable: [],
    at: at(0),
  };
  const shipmentOf = (shipmentId: string, nodeId: string, lines: { lineId: string; quantity: number }[], hours: number): OrderFact => ({
    kind: 'shipment',
    shipmentId,
    nodeId,
    carrier: 'UPS',
    trackingNumber: `1Z${shipmentId.slice(0, 8)}`,
    lines,
    at: at(hours),
  });
  const histories: Record<string, OrderFact[]> = {
    [orderIds.partlyShipped]: [
      plan,
      { kind: 'purchase_order', poId: 'po-a', supplierId: 'S-ON-TIME', step: 'dispatched', lines: [{ lineId: 'L2', quantity: 1 }, { lineId: 'L3', quantity: 2 }], at: at(1) },
      { kind: 'purchase_order', poId: 'po-a', supplierId: 'S-ON-TIME', step: 'acknowledged', lines: [{ lineId: 'L2', quantity: 1, accepted: 1 }, { lineId: 'L3', quantity: 2, accepted: 2 }], at: at(2) },
      shipmentOf('sh-a1', 'WH-1', [{ lineId: 'L1', quantity: 2 }], 20),
    ],
    [orderIds.cancelled]: [{ kind: 'cancellation', cancellationId: 'c-1', lines: ['L1', 'L2', 'L3', 'L4'].map((lineId) => ({ lineId, quantity: 3 })), reason: 'customer request', at: at(1) }],
    [orderIds.completed]: [
      plan,
      shipmentOf('sh-c1', 'WH-1', [{ lineId: 'L1', quantity: 2 }], 20),
      shipmentOf('sh-c2', 'S-ON-TIME', [{ lineId: 'L2', quantity: 1 }, { lineId: 'L3', quantity: 2 }], 30),
      shipmentOf('sh-c3', 'S-LATE', [{ lineId: 'L4', quantity: 3 }], 100),
      ...['sh-c1', 'sh-c2', 'sh-c3'].map((shipmentId): OrderFact => ({ kind: 'delivery', shipmentId, at: at(120) })),
    ],
  };
  for (const [orderId, facts] of Object.entries(histories)) {
    const placed: OrderCommand = { type: 'PlaceOrder', data: { orderId, order: placedOrder({ externalOrderId: orderId }), fingerprint: 'fp', now: NOW } };
    let result = await command(store, `order-${orderId}`, orderDecider, placed);
    for (const fact of facts) result = await command(store, `order-${orderId}`, orderDecider, { type: 'RecordFact', data: { fact, now: NOW } });
    if (orderId === orderIds.partlyShipped) partlyShippedRevision = result.nextExpectedRevision;
  }
}

const poIds = [randomUUID(), randomUUID()];

async function writePurchaseOrders(): Promise<void> {
  const { store } = serviceOf('supplier-gateway');
  for (const [i, poId] of poIds.entries()) {
    const orderId = randomUUID();
    // Suppliers the gateway has no settings for: its dispatcher leaves these POs alone.
    const supplierId = `S-UNREGISTERED-${i}`;
    const po = (c: PurchaseOrderCommand) => command(store, `po-${poId}`, purchaseOrderDecider, c);
    await po({
      type: 'CreatePurchaseOrder',
      data: {
        poId,
        poNumber: `PO-${i}`,
        orderId,
        groupId: `${orderId}:1:${supplierId}`,
        supplierId,
        currency: 'USD',
        lines: [{ lineNumber: 1, lineId: 'L1', sku: 'SKU-1', quantity: 2, unitCost: 1200 }],
        shipTo: { name: 'Ann', line1: '1 Main St', city: 'Louisville', country: 'US' },
        brandingRef: 'b',
        connector: 'api',
        timeoutPolicy: 'resource',
        confirmBy: new Date(NOW.getTime() + DAY).toISOString(),
        shipBy: new Date(NOW.getTime() + 3 * DAY).toISOString(),
        deliverBy: new Date(NOW.getTime() + 5 * DAY).toISOString(),
        enforceShipBy: false,
        now: NOW,
      },
    });
    await po({ type: 'MarkDispatched', data: { via: 'api', now: NOW } });
    if (i === 1) {
      const received = { channel: 'api' as const, receivedAt: NOW.toISOString(), supplierId, contentType: 'application/json', body: '{"accepted":2}' };
      await po({ type: 'Acknowledge', data: { lines: [{ lineId: 'L1', accepted: 2, rejected: 0, backordered: 0 }], received, now: NOW } });
    }
  }
}

async function writeLedgers(): Promise<void> {
  const { store } = serviceOf('finance-reconciler');
  for (const [i, orderId] of [randomUUID(), randomUUID()].entries()) {
    const poId = `po-${i}`;
    const lines = [{ lineId: 'L1', quantity: 2, unitCost: 1200 }];
    const commands: LedgerCommand[] = [
      recognizeCharge([chargedLine('L1', 2, 2500, { tax: 400 })], shippingCharge(500)),
      commitPo(poId, 'S-ON-TIME', lines),
      ship(`sh-${i}`, 'S-ON-TIME', [q('L1', 2)], poId),
      invoice(poId, `INV-${i}`, lines),
    ];
    for (const c of commands) await command(store, `ledger-${orderId}`, ledgerDecider, c);
  }
  // The service posts the supplier's account from the ledgers; the report reads both.
  await waitFor(async () => (await store.readStream('supplieraccount-S-ON-TIME')).length >= 4 || undefined, { what: 'the supplier account posted from both ledgers' });
}

// ─── a live side that differs ───────────────────────────────────────────────────────────────────

/** The real service behind a proxy that changes its answers. */
async function alteredLive(upstream: string, alter: (body: Record<string, unknown>) => unknown): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    void fetch(`${upstream}${request.url}`)
      .then(async (answer) => response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(alter((await answer.json()) as Record<string, unknown>))))
      .catch(() => response.writeHead(502).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

// ─── the run ────────────────────────────────────────────────────────────────────────────────────

beforeAll(async () => {
  const common = (service: string) => ({ brokers: kafkaBrokers(), databaseUrl: databaseUrl(), schema: schema(service), groupId: `${prefix}${service}` });
  await Promise.all([
    start(supplierPerformanceService, performanceEnv(common('supplier-performance'))),
    start(orderIntakeService, serviceTestEnv(common('order-intake'))),
    start(supplierGatewayService, gatewayEnv(common('supplier-gateway'))),
    start(financeReconcilerService, financeEnv(common('finance-reconciler'))),
  ]);
  await Promise.all([writeScorecards(), writeOrders(), writePurchaseOrders(), writeLedgers()]);
  // The scorecard service follows its store: wait until it shows every supplier's last scorecard.
  await waitFor(
    async () => {
      const { scorecards } = (await (await fetch(`${serviceOf('supplier-performance').url}/scorecards`)).json()) as { scorecards: { supplierId: string; scorecard: { at: string } | null }[] };
      return [...scorecardsRecorded].every(([supplierId, state]) => scorecards.find((s) => s.supplierId === supplierId)?.scorecard?.at === state.scorecard?.at) || undefined;
    },
    { what: 'every scorecard in the live projection' },
  );
}, 120_000);

afterAll(async () => {
  await Promise.all([...running.values()].map((s) => s.close()));
  for (const service of ['order-intake', 'sourcing', 'supplier-gateway', 'finance-reconciler', 'supplier-performance', 'returns-router']) await dropSchema(schema(service));
});

describe('dropship rebuild on PostgreSQL', () => {
  it('scorecards: rebuilt from the store, equal to what the running service serves, with the events counted for the progress', async () => {
    const { code, report, progress } = await json('rebuild', 'scorecards', '--live-url', serviceOf('supplier-performance').url);
    const events = await serviceOf('supplier-performance').store.readAll({ categories: ['scorecard'], maxCount: 10_000 });
    expect(code).toBe(0);
    expect(report).toMatchObject({ projection: 'scorecards', items: 3, equal: 3, differ: 0, onlyInRebuilt: 0, onlyInLive: 0, differing: [], events: events.length });
    // Not a terminal: plain lines, the last one with the total PostgreSQL counted.
    expect(progress.trim().split('\n').pop()).toMatch(new RegExp(`^rebuild scorecards: ${events.length}/${events.length} events 100%`));
    // The history is not trivial: a supplier ended flagged.
    expect([...scorecardsRecorded.values()].some((s) => s.flags.reasons.length > 0)).toBe(true);
  });

  it('scorecards: against the store, the flags decided equal the flags on the last scorecard recorded', async () => {
    const { code, output } = await run('rebuild', 'scorecards');
    expect(code).toBe(0);
    expect(output).toMatch(/compared with the flags on each supplier's last recorded scorecard/);
    expect(output).toMatch(/scorecards: 3 items: 3 equal, 0 differ, 0 only in rebuilt, 0 only in live$/);
  });

  it('scorecards: a live copy that differs is reported per supplier and path, and the CLI exits 1', async () => {
    const live = await alteredLive(serviceOf('supplier-performance').url, (body) => {
      const cards = body['scorecards'] as { supplierId: string; scorecard: Record<string, unknown>; flags: { reasons: string[] } }[];
      const late = cards.find((c) => c.supplierId === 'S-LATE')!;
      late.scorecard['score'] = 0.99;
      late.flags.reasons = [];
      return { scorecards: cards.filter((c) => c.supplierId !== 'S-ON-TIME') };
    });
    try {
      const { code, report, output } = await run('rebuild', 'scorecards', '--live-url', live.url);
      expect(code).toBe(1);
      expect(report).toMatchObject({ items: 3, equal: 1, differ: 1, onlyInRebuilt: 1, onlyInLive: 0 });
      const late = report!.differing.find((d) => d.id === 'S-LATE')!;
      expect(late.differences).toEqual(
        expect.arrayContaining([
          { path: 'scorecard.score', kind: 'changed', rebuilt: scorecardsRecorded.get('S-LATE')!.scorecard!.score, live: 0.99 },
          expect.objectContaining({ path: 'flags.reasons[0]', kind: 'only-in-rebuilt' }),
        ]),
      );
      expect(output).toMatch(/^differ {11}S-LATE$/m);
      expect(output).toMatch(/^ {4}scorecard\.score: rebuilt [\d.]+, live 0\.99$/m);
      expect(output).toMatch(/^only in rebuilt {2}S-ON-TIME$/m);

      // The process itself: the report on stdout, progress on stderr, exit code 1.
      const child = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const argv = ['-r', './tools/register.js', 'tools/cli/dropship.ts', 'rebuild', 'scorecards', '--live-url', live.url, '--store', 'postgres', '--database-url', databaseUrl(), '--schema-prefix', prefix];
        const proc = execFile(process.execPath, argv, { cwd: join(__dirname, '..', '..') }, (_error, stdout, stderr) => resolve({ code: proc.exitCode, stdout, stderr }));
      });
      expect(child).toMatchObject({ code: 1, stdout: expect.stringMatching(/scorecards: 3 items: 1 equal, 1 differ, 1 only in rebuilt, 0 only in live/), stderr: expect.stringMatching(/^rebuild scorecards: \d+\/\d+ events 100%/) });
    } finally {
      await live.close();
    }
  });

  it('orders: every order view rebuilt equals the service, and the status it announced', async () => {
    const overHttp = await json('rebuild', 'orders', '--live-url', serviceOf('order-intake').url);
    expect(overHttp.report).toMatchObject({ items: 3, equal: 3, differing: [] });
    const inStore = await json('rebuild', 'orders');
    expect(inStore.report).toMatchObject({ items: 3, equal: 3, differing: [] });
  });

  it('orders: a shipment recorded without its announcement shows as a status that was never announced', async () => {
    // Appended past the decider, as a writer that forgot the roll-up would: the announced status stays behind.
    const shipped = { shipmentId: 'sh-a2', nodeId: 'S-ON-TIME', carrier: 'UPS', trackingNumber: '1ZLATE', lines: [{ lineId: 'L2', quantity: 1 }, { lineId: 'L3', quantity: 2 }, { lineId: 'L4', quantity: 3 }], shippedAt: NOW.toISOString() };
    await serviceOf('order-intake').store.append(`order-${orderIds.partlyShipped}`, [{ id: randomUUID(), type: 'ShipmentRecorded', data: shipped }], { kind: 'exact', revision: partlyShippedRevision });

    const inStore = await run('rebuild', 'orders');
    expect(inStore.code).toBe(1);
    expect(inStore.report!.differing).toEqual([
      { id: orderIds.partlyShipped, verdict: 'differ', differences: [{ path: 'status', kind: 'changed', rebuilt: 'shipped', live: 'partially_shipped' }] },
    ]);
    expect(inStore.output).toContain(`differ           ${orderIds.partlyShipped}\n    status: rebuilt "shipped", live "partially_shipped"`);
    // The service computes its view from the same stream on each read: over HTTP the two agree.
    expect((await json('rebuild', 'orders', '--live-url', serviceOf('order-intake').url)).report).toMatchObject({ items: 3, equal: 3 });
  });

  it('purchase-orders: the index rebuilt equals the gateway, asked with its admin token', async () => {
    const { report } = await json('rebuild', 'purchase-orders', '--live-url', serviceOf('supplier-gateway').url, '--token', ADMIN_TOKEN);
    expect(report).toMatchObject({ items: 2, equal: 2, differing: [] });
    await expect(run('rebuild', 'purchase-orders', '--live-url', serviceOf('supplier-gateway').url)).rejects.toThrow(/answered 401 \(give the token with --token/);
    await expect(run('rebuild', 'purchase-orders')).rejects.toThrow(/supplier-gateway keeps no purchase-orders of its own in its store: give --live-url/);
  });

  it('refuses a store that is not there, and leaves no empty schema behind', async () => {
    await expect(run('rebuild', 'orders', '--schema-prefix', `${prefix}typo_`)).rejects.toThrow(`No order-intake store in that database (schema ${prefix}typo_order_intake): check --schema-prefix`);
    const client = new Client({ connectionString: databaseUrl() });
    await client.connect();
    try {
      expect((await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [`${prefix}typo_order_intake`])).rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('reconciliation: the report rebuilt from ledgers and supplier accounts equals the one finance reads', async () => {
    const { report } = await json('rebuild', 'reconciliation', '--live-url', serviceOf('finance-reconciler').url, '--token', FINANCE_TOKEN);
    // Two orders, one supplier, one currency's trial balance, and whether it balances.
    expect(report).toMatchObject({ items: 5, equal: 5, differing: [] });
  });
});
