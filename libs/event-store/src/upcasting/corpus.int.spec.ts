import { databaseUrl, dropSchema, uniqueName } from '@oms/testing';
import { join } from 'node:path';
import { AGGREGATES, stateAt } from '../../../../tools/cli/state';
import { ALL_SERVICES } from '../../../../tools/embedded/services';
import { EmbeddedDatabase } from '../embedded/embedded-event-store';
import type { EventStore, Position, RecordedEvent } from '../port';
import { openPostgresEventStore } from '../postgres/postgres-event-store';
import { categoryOf } from '../stream-name';
import { loadCorpus, storedVersion, writeCorpus, type CorpusEvent } from '../testing/corpus';
import { combineUpcasters, NO_UPCASTERS, type UpcasterRegistry } from './upcasters';
import { upcastingStore } from './upcasting-store';

/*
 * The corpus of stored events (fixtures/events/<service>/*.json) replayed as CI replays history:
 * written as stored into a real PostgreSQL store and into the embedded one, read back through each
 * service's upcasting store, every aggregate folded with its service's own decider (the SRE
 * tools' map of categories, tools/cli/state.ts). Nothing may throw, every event must come back at
 * the version its service writes today, and the states are the ones worked out by hand below.
 */

const corpus = loadCorpus(join(__dirname, '../../../../fixtures/events'));
const services = new Map(ALL_SERVICES.map((s) => [s.name, s]));
const upcastersOf = (service: string): UpcasterRegistry => services.get(service)?.upcasters ?? NO_UPCASTERS;
const eventsOf = (service: string): CorpusEvent[] => corpus.filter((c) => c.service === service).flatMap((c) => c.file.events);
const corpusServices = [...new Set(corpus.map((c) => c.service))];

async function readEverything(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let after: Position | undefined;
  for (;;) {
    const page = await store.readAll({ maxCount: 500, ...(after ? { after } : {}) });
    all.push(...page);
    if (page.length < 500) return all;
    after = page[page.length - 1]!.position;
  }
}

const ORDER = '8f14e45f-ceea-467f-a0e6-0b3c1a2d4e5f';
const PO = (n: number) => `po-7c0d6f0e-3b7a-5d1e-9c55-3a6b2c1d0e0${n}`;

/** What each aggregate of the corpus folds to, worked out from the files by hand. */
const EXPECTED: Readonly<Record<string, object>> = {
  // supplier-gateway: the v1 suppliers get the defaults they always ran with.
  'supplier-old-pine': {
    status: 'registered',
    supplierId: 'old-pine',
    settings: { name: 'Old Pine Furniture', code: 'PINE', connector: 'api', confirmWithinHours: 48, shipWithinHours: 120, enforceShipBy: false, timeoutPolicy: 'resource', status: 'active' },
    credentials: { apiKeyPrefix: 'oms_pine', webhookSecretCipher: '' },
  },
  // The PATCH that stored one field: the settings are what that event holds, defaults added.
  'supplier-birch-and-co': { status: 'registered', supplierId: 'birch-and-co', settings: { confirmWithinHours: 24, enforceShipBy: false, timeoutPolicy: 'resource', status: 'active' } },
  'supplier-acme-tools': {
    status: 'registered',
    settings: { name: 'Acme Tools', code: 'ACME', connector: 'webhook', enforceShipBy: true, timeoutPolicy: 'resource', status: 'suspended', chargebacks: { lateShipment: 1500, invalidTracking: 500 } },
    credentials: { apiKeyPrefix: 'oms_k2' },
  },
  [PO(1)]: { status: 'closed', shipped: { L2: 2 }, invoiced: { L2: 2 }, cancelled: { L3: 1 }, shipments: { 'SH-ACME-1': true }, invoices: { 'INV-ACME-1': true }, cancelRequests: { 'cancel-1': true }, notified: { 'cancel-1-event': true } },
  [PO(2)]: { status: 'timed_out', cancelled: { L4: 3 }, shipped: {}, timedOut: { deadline: 'confirm', due: '2026-03-03T09:00:00.000Z' }, po: { timeoutPolicy: 'cancel' } },
  [PO(3)]: { status: 'acknowledged', cancelled: { L1: 1 }, shipped: {}, pendingCancellation: undefined, cancelRequests: { 'cancel-3': true } },
  // order-intake: L4 334 + 333 + 333, its first unit cancelled.
  [`order-${ORDER}`]: {
    status: 'open',
    shipTo: { line1: '12 Rue de la République', postalCode: '69001' },
    plan: { version: 1 },
    purchaseOrders: { 'PO-S1': { supplierId: 'S1', steps: { dispatched: {}, acknowledged: {} } } },
    deliveries: { 'SH-W': '2026-03-02T19:00:00.000Z', 'SH-S1': '2026-03-02T20:40:00.000Z', 'SH-S2': '2026-03-02T22:20:00.000Z' },
    cancellations: { 'CX-1': { lines: [{ lineId: 'L4', quantity: 1 }], refund: 334 } },
    returns: { 'RT-1': [{ lineId: 'L1', quantity: 1 }] },
    refunds: { 'RF-1': { amount: 2500 } },
    requests: { 'cancel:cancel-1': true, 'address:address-1': true },
    announced: { status: 'completed', cancellation: 'partial', completed: true },
  },
  'order-3a7e2c1b-9d4f-5e6a-8b7c-0d1e2f3a4b5c': { status: 'rejected', orderId: '3a7e2c1b-9d4f-5e6a-8b7c-0d1e2f3a4b5c' },
  // sourcing: S1's first group gave back L2 (rejected) and L3 (cancelled), so only W1's and S2's remain.
  [`allocation-${ORDER}`]: {
    status: 'open',
    version: 2,
    shipTo: { line1: '12 Rue de la République' },
    groups: { [`${ORDER}:1:W1`]: { nodeId: 'W1', lines: [{ lineId: 'L1', quantity: 2 }] }, [`${ORDER}:2:S2`]: { nodeId: 'S2', lines: [{ lineId: 'L2', quantity: 1 }] } },
    shipped: { W1: { L1: 2 } },
    unfulfillable: { L3: 1 },
    cancelled: { L3: 2 },
    pendingCancel: { S1: { L3: 0 } },
    excluded: [{ nodeId: 'S1', lineId: 'L2' }],
    seen: { 'po-rejected-1': true, 'SH-W1': true, 'po-cancelled-1': true },
  },
  'nodestock-W1': {
    levels: { 'SKU-1': { quantity: 10 }, 'SKU-9': { quantity: 4 } },
    reserved: {},
    inTransit: { 'SKU-1': [{ shipmentId: 'SH-W1', quantity: 2 }] },
    shipments: { 'SH-W1': true },
  },
  // finance: charged 5000 + (3 × 4000 − 600 + 1000) + 595; refunded 4134 (first L2 unit) + 2500 + 4133 (last L2 unit);
  // margin 3000 (W1) + 2600 (S1: 7600 − 5000) − 1500 (L1 back to stock) − 1300 (L2 back to S1).
  [`ledger-${ORDER}`]: {
    charge: { currency: 'EUR', total: 17_995 },
    cancelled: { L2: 1 },
    returned: { L1: 1, L2: 1 },
    recognised: { L1: 2, L2: 2 },
    refunded: 10_767,
    shippingRefunded: false,
    pos: { 'PO-1': { supplierId: 'S1', shipped: { L2: 2 }, released: { L2: 1 }, invoiced: { L2: 2 }, returned: { L2: 1 }, acknowledged: true, invoices: { 'INV-1': true, 'INV-2': true } } },
    chargebacks: { 'late_shipment:PO-1:SH-S1': true },
    orderMargin: 2800,
  },
  'supplieraccount-S1': {
    terms: { chargebacks: { lateShipment: 1500, invalidTracking: 500 } },
    totals: { EUR: { payable_released: 2500, payable_accrued: 5000, invoice_matched: 5000, invoice_disputed: 2600, chargeback: 1500, credit_expected: 2500, payment: 3500 } },
  },
  // supplier-performance: the time-out raised the flag, the re-evaluation added two reasons.
  'scorecard-S1': {
    flags: { reasons: ['timeoutRate above 0.2', 'onTimeShipment below 0.8', 'fillRate below 0.85'], suspended: false },
    scorecard: { flagged: true, suspended: false, at: '2026-03-31T00:00:00.000Z' },
  },
  // returns-router
  'returnorder-order-1': {
    currency: 'EUR',
    shipments: { 'SH-S1': { nodeId: 'S1', lines: { L1: 3, L2: 1 }, deliveredAt: '2024-02-23T10:00:00.000Z' }, 'SH-W1': { nodeId: 'W1', lines: { L3: 4 } } },
    claimed: { L1: { S1: 2 }, L3: { W1: 1 } },
    decided: { 'ret-1': { units: [{ lineId: 'L1', nodeId: 'S1', quantity: 2 }, { lineId: 'L3', nodeId: 'W1', quantity: 1 }] }, 'ret-2': { errors: [{ lineId: 'L2' }] } },
  },
  'return-ret-1': {
    status: 'routed',
    parts: { 'ret-1:1': { destination: 'supplier', received: true, exception: true }, 'ret-1:2': { destination: 'returnless', received: false, exception: false } },
    receipts: { 'ret-1:1|S1-RCPT-77': true },
  },
  'return-ret-2': { status: 'rejected', returnId: 'ret-2', orderId: 'order-1' },
};

const ADAPTERS: readonly { readonly name: string; readonly open: (service: string) => Promise<{ store: EventStore; drop: () => Promise<void> }> }[] = [
  {
    name: 'PostgreSQL',
    open: async (service) => {
      const schema = uniqueName(`corpus_${service.replace(/-/g, '_')}`);
      const store = await openPostgresEventStore({ connectionString: databaseUrl(), schema, poolSize: 2 });
      return { store, drop: () => dropSchema(schema) };
    },
  },
  {
    name: 'embedded (PGlite)',
    open: (() => {
      let database: Promise<EmbeddedDatabase> | undefined;
      return async (service: string) => {
        database ??= EmbeddedDatabase.open();
        const db = await database;
        return { store: await db.openStore({ schema: service.replace(/-/g, '_') }), drop: async () => undefined };
      };
    })(),
  },
];

it('has a corpus for every service, and one upcaster registry over all of them for a shared store', () => {
  expect(corpusServices.sort()).toEqual([...services.keys()].sort());
  expect(() => combineUpcasters(...ALL_SERVICES.map((s) => s.upcasters ?? NO_UPCASTERS))).not.toThrow();
  // Every aggregate of the corpus has a hand-worked state, and every state names a stream of the corpus.
  const aggregates = new Set(corpus.flatMap((c) => c.file.events.map((e) => e.stream)).filter((s) => AGGREGATES[categoryOf(s)]));
  expect([...aggregates].sort()).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(ADAPTERS)('the corpus of stored events on the $name store', (adapter) => {
  const stores = new Map<string, { raw: EventStore; read: EventStore; drop: () => Promise<void> }>();

  beforeAll(async () => {
    for (const service of corpusServices) {
      const { store, drop } = await adapter.open(service);
      await writeCorpus(store, eventsOf(service));
      stores.set(service, { raw: store, read: upcastingStore(store, upcastersOf(service)), drop });
    }
  });

  afterAll(async () => {
    for (const { raw, drop } of stores.values()) {
      await raw.close();
      await drop();
    }
  });

  it.each(corpusServices)('%s: every event comes back, at the version its service writes today', async (service) => {
    const registry = upcastersOf(service);
    const { raw, read } = stores.get(service)!;
    const stored = await readEverything(raw);
    const upcast = await readEverything(read);
    expect(upcast.map((e) => e.id)).toEqual(eventsOf(service).map((e) => e.id));
    expect(stored.map((e) => e.metadata)).toEqual(eventsOf(service).map((e) => e.metadata));
    expect(upcast.filter((e) => storedVersion(e) !== registry.currentVersion(e.type)).map((e) => `${e.type} v${storedVersion(e)}`)).toEqual([]);
    // Events already current come back exactly as stored.
    const current = stored.filter((e) => storedVersion(e) === registry.currentVersion(e.type));
    expect(upcast.filter((e) => current.some((c) => c.id === e.id)).map((e) => e.data)).toEqual(current.map((e) => e.data));
  });

  it.each(Object.keys(EXPECTED))('%s folds with its service decider to the state worked out by hand', async (stream) => {
    const { service, decider } = AGGREGATES[categoryOf(stream)]!;
    const events = await stores.get(service)!.read.readStream(stream);
    expect(events.length).toBeGreaterThan(0);
    expect(stateAt(events, decider).state).toMatchObject(EXPECTED[stream]!);
  });

  it('maps every event to its integration messages as the relay does, without a throw', async () => {
    for (const service of corpusServices) {
      const events = await readEverything(stores.get(service)!.read);
      for (const e of events) expect(() => services.get(service)!.toMessages(e)).not.toThrow();
    }
  });

  it('publishes the v1 suppliers with the status they always had', async () => {
    const events = await stores.get('supplier-gateway')!.read.readStream('supplier-old-pine');
    const [profile] = services.get('supplier-gateway')!.toMessages(events[0]!);
    expect(profile!.payload).toMatchObject({ supplierId: 'old-pine', status: 'active', timeoutPolicy: 'resource', enforceShipBy: false });
  });
});
