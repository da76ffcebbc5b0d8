import { randomUUID } from 'node:crypto';
import { CATALOG_EVENTS, FULFILMENT_FACTS, ORDER_EVENTS, TOPICS } from '@oms/contracts';
import { commitGroupAtEnd, createKafka, ensureTopics, KafkaPublisher, type OutgoingMessage } from '@oms/messaging';
import { TopicReader, type SeenMessage } from '@oms/messaging/testing';
import { startService, type RunningService } from '@oms/platform';
import { databaseUrl, dropSchema, kafkaBrokers, orderAcceptedPayload, uniqueName, waitFor } from '@oms/testing';
import { sourcingService } from '../../../sourcing/src/app/sourcing.service';
import { SCORECARD_CATEGORY, Scorecards } from './application/scorecards';
import { performanceDecider } from './domain/performance';
import type { SupplierFact } from './domain/supplier-facts';
import { NO_STREAM, type JsonObject } from '@oms/event-store';
import { runDecider } from '@oms/event-store/testing';
import { DEFAULT_FLAGS } from './domain/flags';
import { FLAG_EVENTS } from './messaging/scorecard-messages';
import type { PerformanceEnv } from './performance.env';
import { supplierPerformanceService } from './supplier-performance.service';
import { PerformanceClient, performanceEnv, RecordedFacts, type ScorecardEntry } from './testing/performance-client';
import { newPo, poFacts, type PoOutcome, type PoRef } from './testing/po-facts';

const run = uniqueName('performance');
const schemas = { performance: `${run}_performance`, sourcing: `${run}_sourcing` };
const groups = { performance: `${run}-supplier-performance`, sourcing: `${run}-sourcing` };
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'performance-test' });
const publisher = new KafkaPublisher(kafka, { producerName: 'supplier-gateway-stand-in' });
const reader = new TopicReader(kafka);
const MIN_SAMPLE = 5;

const SCORECARDS = TOPICS.supplierScorecards.name;
const ALLOCATIONS = TOPICS.sourcingAllocations.name;
const PERFORMANCE_TOPICS = supplierPerformanceService.consumes.map((t) => t.name);
const SOURCING_TOPICS = sourcingService.consumes.map((t) => t.name);

let performance: RunningService<PerformanceEnv>;
let sourcing: RunningService;
const api = new PerformanceClient(() => performance.url);
const facts = new RecordedFacts(() => performance.store);

/** Recorded facts of these suppliers, once at least `expected` have been (never more: redeliveries add none). */
async function factsRecorded(suppliers: readonly string[], expected: number, timeoutMs?: number): Promise<number> {
  try {
    return await waitFor(async () => ((await facts.refresh()).total(suppliers) >= expected ? facts.total(suppliers) : undefined), {
      what: `${expected} facts recorded for ${suppliers.length} supplier(s)`,
      intervalMs: 200,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  } catch (error) {
    // What the consumer did with the rest: still behind, or dead-lettered.
    const consumer = JSON.stringify((await performance.messaging.probe()).detail);
    throw new Error(`${(error as Error).message} (${facts.total(suppliers)} recorded; consumer ${consumer})`);
  }
}

/** Distinct facts in a list of messages: what the service must record, once each. */
const distinctFacts = (messages: readonly OutgoingMessage[]) => new Set(messages.map((m) => m.eventId)).size;

// ─── sourcing's side: the catalog it plans with, and the orders it plans ────────────────────────

const sourcingMessage = (topic: string, key: string, type: string, payload: object): OutgoingMessage => ({
  topic,
  key,
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  payload,
});

function orderAccepted(orderId: string, sku: string, quantity: number): OutgoingMessage {
  const payload = orderAcceptedPayload({ orderId, channel: `test-${run}`, lines: [{ lineId: 'l1', sku, quantity }], unitPrice: 1999 });
  return sourcingMessage(TOPICS.omsOrders.name, orderId, ORDER_EVENTS.accepted, payload);
}

interface SourcingNode {
  readonly offers: Record<string, { unitCost: number }>;
  readonly stock?: { readonly levels: Record<string, { quantity: number }> };
  readonly scorecard?: { readonly value: { flagged: boolean; suspended?: boolean; reliability?: number }; readonly asOf: string };
}

async function sourcingNode(nodeId: string): Promise<SourcingNode | undefined> {
  const response = await fetch(`${sourcing.url}/nodes/${encodeURIComponent(nodeId)}`);
  return response.ok ? ((await response.json()) as SourcingNode) : undefined;
}

/** Supplier nodes offering one sku (sku → unit cost, units on hand), once sourcing's catalog shows them. */
async function publishSuppliers(sku: string, suppliers: Record<string, { unitCost: number; stock: number }>): Promise<void> {
  const asOf = new Date().toISOString();
  await publisher.publish(
    Object.entries(suppliers).flatMap(([nodeId, { unitCost, stock }]) => [
      sourcingMessage(TOPICS.catalogOffers.name, nodeId, CATALOG_EVENTS.nodeOffersPublished, {
        nodeId,
        node: { kind: 'supplier', handlingDays: 1, transitDays: 2, shipping: { perShipment: 500, perUnit: 0 }, dropShipAllowed: true, safetyBuffer: 0 },
        currency: 'USD',
        offers: [{ sku, unitCost }],
        snapshot: true,
        asOf,
      }),
      sourcingMessage(TOPICS.inventoryStock.name, nodeId, CATALOG_EVENTS.stockReported, { nodeId, mode: 'snapshot', items: [{ sku, quantity: stock }], asOf }),
    ]),
  );
  await Promise.all(
    Object.entries(suppliers).map(([nodeId, { unitCost, stock }]) =>
      waitFor(
        async () => {
          const node = await sourcingNode(nodeId);
          return node?.offers[sku]?.unitCost === unitCost && node.stock?.levels[sku]?.quantity === stock;
        },
        { what: `catalog and stock of ${nodeId} in sourcing` },
      ),
    ),
  );
}

/** The supplier sourcing chose for an order's only line (its first plan). */
async function chosenSupplier(orderId: string): Promise<string> {
  const plan = await waitFor(() => reader.find(ALLOCATIONS, FULFILMENT_FACTS.fulfilmentPlanned, { orderId, version: 1 })[0], { what: `FulfilmentPlanned of ${orderId}` });
  const groups = plan.payload['groups'] as { nodeId: string; lines: { lineId: string; quantity: number }[] }[];
  expect(groups).toHaveLength(1);
  expect(plan.payload['unfulfillable']).toEqual([]);
  return groups[0]!.nodeId;
}

const published = (supplierId: string, type: string): SeenMessage[] => reader.find(SCORECARDS, type, { supplierId });

/**
 * The last SupplierScorecardUpdated of a supplier, once as many have arrived as its stream holds
 * scorecards (two in one millisecond share an `asOf`: only the count tells the last).
 */
async function lastScorecardPublished(supplierId: string): Promise<SeenMessage> {
  const computed = (await performance.store.readStream(`${SCORECARD_CATEGORY}-${supplierId}`)).filter((e) => e.type === 'ScorecardComputed').length;
  return waitFor(
    () => {
      const all = published(supplierId, 'SupplierScorecardUpdated');
      return all.length >= computed ? all[all.length - 1] : undefined;
    },
    { what: `${computed} SupplierScorecardUpdated of ${supplierId}` },
  );
}

/** Sourcing's copy of a supplier's scorecard, once it is the one dated `asOf` with these values. */
async function scorecardInSourcing(supplierId: string, asOf: string, value: { flagged: boolean; reliability: number }) {
  return waitFor(
    async () => {
      const card = (await sourcingNode(supplierId))?.scorecard;
      return card?.asOf === asOf && card.value.flagged === value.flagged && card.value.reliability === value.reliability ? card : undefined;
    },
    { what: `${supplierId}'s scorecard of ${asOf} in sourcing, ${JSON.stringify(value)}` },
  );
}

// ─────────────────────────────────────────────────────────────────────────────────────────────────

beforeAll(async () => {
  // A shared broker keeps earlier runs' traffic: this run's services start after it.
  await ensureTopics(kafka, [...new Set([...PERFORMANCE_TOPICS, ...SOURCING_TOPICS, SCORECARDS, ALLOCATIONS])].map((name) => ({ name, partitions: 3, replicationFactor: 1 })));
  const startPerformance = commitGroupAtEnd(kafka, groups.performance, PERFORMANCE_TOPICS).then(() =>
    startService(supplierPerformanceService, {
      env: {
        ...performanceEnv({ brokers: kafkaBrokers(), databaseUrl: databaseUrl(), schema: schemas.performance, groupId: groups.performance, partitions: 3, minSample: MIN_SAMPLE }),
        KAFKA_CONSUMER_CONCURRENCY: '3',
      },
      logger: false,
    }),
  );
  const startSourcing = commitGroupAtEnd(kafka, groups.sourcing, SOURCING_TOPICS).then(() =>
    startService(sourcingService, {
      env: {
        KAFKA_BROKERS: kafkaBrokers().join(','),
        DATABASE_URL: databaseUrl(),
        EVENT_STORE_SCHEMA: schemas.sourcing,
        KAFKA_GROUP_ID: groups.sourcing,
        KAFKA_PARTITIONS: '3',
        HTTP_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        CONSUMER_BACKOFF_MS: '20',
        SOURCING_FLAGGED: 'avoid',
      },
      logger: false,
    }),
  );
  await Promise.all([startPerformance.then((s) => (performance = s)), startSourcing.then((s) => (sourcing = s)), publisher.connect(), reader.follow([SCORECARDS, ALLOCATIONS])]);
}, 120_000);

afterAll(async () => {
  await reader.close();
  await publisher.close();
  await sourcing?.close();
  await performance?.close();
  await Promise.all([dropSchema(schemas.performance), dropSchema(schemas.sourcing)]);
});

describe('supplier performance on Kafka and PostgreSQL, with sourcing reading its scorecards', () => {
  describe('a supplier that starts timing out', () => {
    // Sourcing and the reader serve this scenario only: the bulk history below is not theirs to read.
    afterAll(async () => {
      await reader.close();
      await sourcing?.close();
    });

    it('is flagged, the flag reaches sourcing, and sourcing sends the next order to the other supplier', async () => {
      const sku = uniqueName('sku');
      const s1 = uniqueName('s1');
      const s2 = uniqueName('s2');
      await publishSuppliers(sku, { [s1]: { unitCost: 1000, stock: 10 }, [s2]: { unitCost: 1200, stock: 10 } });

      // A healthy history: every PO acknowledged within 2 h and shipped within 30 h.
      const healthy = Array.from({ length: 8 }, (_, i) => newPo(s1, 5 - i * 0.25));
      const healthyFacts = healthy.flatMap((po) => poFacts(po, 'shipped'));
      await publisher.publish(healthyFacts);
      await factsRecorded([s1], healthyFacts.length);
      const good = (await api.supplier(s1))!;
      expect(good.purchaseOrders).toBe(8);
      expect(good.flags).toEqual({ reasons: [], suspended: false });
      expect(good.scorecard).toMatchObject({ sufficient: true, flagged: false, suspended: false, reliability: 1, score: 1 });
      // Sourcing plans with the latest scorecard: S1, reliable, not flagged.
      const healthyInSourcing = await scorecardInSourcing(s1, good.scorecard!.at, { flagged: false, reliability: 1 });
      expect(healthyInSourcing.value).toEqual({ flagged: false, reliability: 1, observedShipDays: { p50: 1.25, p90: 1.25 } });

      const first = randomUUID();
      await publisher.publish([orderAccepted(first, sku, 2)]);
      expect(await chosenSupplier(first)).toBe(s1);

      // Then S1 lets four POs time out at their confirmation deadline (created 36 h ago: not due to ship yet).
      const late = Array.from({ length: 4 }, () => newPo(s1, 1.5));
      const lateFacts = late.flatMap((po) => poFacts(po, 'timed_out'));
      await publisher.publish(lateFacts);
      await factsRecorded([s1], healthyFacts.length + lateFacts.length);

      // 4 of 12 POs timed out; 16 of 24 units shipped.
      const flaggedView = (await api.supplier(s1))!;
      expect(flaggedView.purchaseOrders).toBe(12);
      expect(flaggedView.flags).toEqual({ reasons: ['timeoutRate above 0.2', 'fillRate below 0.85'], suspended: false });
      const month = flaggedView.scorecard!.windows.find((w) => w.days === 30)!;
      expect(month).toMatchObject({ purchaseOrders: 12, timeoutRate: 0.3333, fillRate: 0.6667, onTimeAcknowledgement: 0.6667, onTimeShipment: 1 });
      expect(flaggedView.scorecard).toMatchObject({ flagged: true, suspended: false, reasons: flaggedView.flags.reasons });

      // On supplier.scorecards.v1: the decision with its reasons and the figures behind them
      // (those of the moment S1 crossed), and the scorecard sourcing reads.
      const flagged = await waitFor(
        () => published(s1, FLAG_EVENTS.flagged).find((m) => (m.payload['reasons'] as string[]).includes('timeoutRate above 0.2')),
        { what: 'SupplierFlagged for S1 on its timeout rate' },
      );
      expect(flagged.key).toBe(s1);
      expect(flagged.payload).toMatchObject({ supplierId: s1, kind: 'flagged', at: expect.any(String) });
      const figures = flagged.payload['figures'] as Record<string, number>;
      expect(figures['timeoutRate']).toBeGreaterThanOrEqual(0.2);
      expect(Object.keys(figures)).toEqual(expect.arrayContaining(['timeoutRate', 'onTimeShipment', 'fillRate', 'trackingDefectRate', 'score']));
      const updated = await lastScorecardPublished(s1);
      expect(updated.key).toBe(s1);
      expect(updated.payload).toMatchObject({
        supplierId: s1,
        asOf: flaggedView.scorecard!.at,
        flagged: true,
        suspended: false,
        reasons: ['timeoutRate above 0.2', 'fillRate below 0.85'],
        sufficientData: true,
        reliability: 0.6667,
        score: month.score,
        observedShipDays: { p50: 1.25, p90: 1.25 },
      });
      expect(published(s1, FLAG_EVENTS.suspended)).toHaveLength(0);

      await scorecardInSourcing(s1, flaggedView.scorecard!.at, { flagged: true, reliability: 0.6667 });

      // S2 costs more, but S1 is avoided while another supplier covers the line.
      const second = randomUUID();
      await publisher.publish([orderAccepted(second, sku, 2)]);
      expect(await chosenSupplier(second)).toBe(s2);
    });
  });

  it('counts a PO fact once however often it arrives, with its own event id or a new one', async () => {
    const redelivered = uniqueName('redelivered');
    const control = uniqueName('control');
    // The same history for both suppliers; every PO of one supplier under one order (one key, one
    // partition), so a last PO published after the duplicates says when they have all been handled.
    const history = (supplierId: string) => {
      const orderId = randomUUID();
      const po = (daysAgo: number): PoRef => ({ ...newPo(supplierId, daysAgo), orderId });
      return { pos: [4, 3.75, 3.5, 3.25, 3, 2.75].map(po), last: po(2.5) };
    };
    const outcomes: PoOutcome[] = ['shipped', 'shipped', 'timed_out', 'shipped', 'shipped', 'shipped'];

    const c = history(control);
    const controlFacts = [...c.pos.flatMap((po, i) => poFacts(po, outcomes[i]!)), ...poFacts(c.last, 'shipped')];
    const r = history(redelivered);
    const once = r.pos.flatMap((po, i) => poFacts(po, outcomes[i]!));
    // Each fact three times: as sent, redelivered (same event id), and sent again as a new message.
    const again = (m: OutgoingMessage): OutgoingMessage => ({ ...m, eventId: randomUUID() });
    const redeliveredFacts = [...once.flatMap((m) => [m, m, again(m)]), ...poFacts(r.last, 'shipped')];
    await publisher.publish(controlFacts);
    await publisher.publish(redeliveredFacts);

    const expected = distinctFacts(controlFacts);
    expect(expected).toBe(6 * 4 - 1 + 4);
    await factsRecorded([control], expected);
    await factsRecorded([redelivered], expected);
    // The last PO's facts came after every duplicate, on the same key: all were handled, none recorded.
    expect(facts.of(redelivered)).toBe(expected);

    const [twice, single] = await Promise.all([api.supplier(redelivered), api.supplier(control)]);
    expect(twice!.purchaseOrders).toBe(7);
    expect(single!.purchaseOrders).toBe(7);
    const figures = (view: typeof twice) => view!.scorecard!.windows;
    expect(figures(twice)).toEqual(figures(single));
    expect(figures(twice).find((w) => w.days === 30)).toMatchObject({ purchaseOrders: 7, timeoutRate: 0.1429, fillRate: 0.8571, onTimeShipment: 0.8571, trackingDefectRate: 0 });
    expect(twice!.flags).toEqual(single!.flags);

    // The supplier's stream holds the same decisions as the control's: duplicates left no trace.
    const types = async (supplierId: string) => (await performance.store.readStream(`${SCORECARD_CATEGORY}-${supplierId}`)).map((e) => e.type);
    expect(await types(redelivered)).toEqual(await types(control));
  });

  // 10,000 POs (39,900 facts) took 135–155 s to project here on 2 cores (~260–300 facts/s, each
  // fact judged against the supplier's whole history): 5,000 keep this file near a minute.
  // Each supplier's facts are published together, so all partitions carry the same supplier at once.
  describe('with a history of 5,000 purchase orders from 100 suppliers', () => {
    const SUPPLIERS = 100;
    const POS_PER_SUPPLIER = 50;
    const prefix = uniqueName('bulk');
    const suppliers = Array.from({ length: SUPPLIERS }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
    // None, one or three of a supplier's 50 POs time out: at most 6 %, so each supplier ends up
    // past every live threshold's exit, whatever it crossed while its facts arrived out of order.
    const timeoutsOf = (i: number) => [0, 1, 3][i % 3]!;
    const timeouts = new Map(suppliers.map((s, i) => [s, timeoutsOf(i)]));
    let sent = 0;

    beforeAll(async () => {
      const messages: OutgoingMessage[] = [];
      suppliers.forEach((supplierId, i) => {
        for (let n = 0; n < POS_PER_SUPPLIER; n++) {
          // Created between 6 and 2 days ago, so every deadline has passed and every fact lies in the past.
          const po = newPo(supplierId, 2 + (4 * n) / POS_PER_SUPPLIER, 1 + (n % 3));
          messages.push(...poFacts(po, n < timeoutsOf(i) ? 'timed_out' : 'shipped'));
        }
      });
      sent = messages.length;
      const started = Date.now();
      for (let i = 0; i < messages.length; i += 2000) await publisher.publish(messages.slice(i, i + 2000));
      const publishedIn = (Date.now() - started) / 1000;
      await factsRecorded(suppliers, sent, 240_000);
      const projectedIn = (Date.now() - started) / 1000;
      console.log(
        `bulk history: ${SUPPLIERS * POS_PER_SUPPLIER} POs, ${sent} facts published in ${publishedIn.toFixed(1)} s, ` +
          `all projected after ${projectedIn.toFixed(1)} s (${Math.round(sent / projectedIn)} facts/s end to end)`,
      );
    }, 300_000);

    it('projects every fact once into each supplier’s scorecard', async () => {
      expect(facts.total(suppliers)).toBe(sent);
      const cards = new Map((await api.list()).map((c) => [c.supplierId, c]));
      for (const supplierId of suppliers) {
        const card = cards.get(supplierId);
        const month = card?.scorecard?.windows.find((w) => w.days === 30);
        expect({ supplierId, purchaseOrders: month?.purchaseOrders, timeoutRate: month?.timeoutRate, flags: card?.flags }).toEqual({
          supplierId,
          purchaseOrders: POS_PER_SUPPLIER,
          timeoutRate: timeouts.get(supplierId)! / POS_PER_SUPPLIER,
          flags: { reasons: [], suspended: false },
        });
      }
    });

    it('rebuilds every scorecard from the store to exactly the live projection', async () => {
      expect((await api.post('/admin/rebuild', {})).status).toBe(401);
      expect((await api.post('/admin/rebuild', {}, 'not-the-admin-token-at-all')).status).toBe(401);
      // Facts keep coming while it runs (more healthy POs for ten healthy suppliers, up to 200):
      // the rebuilt copy must still agree with the live one, revision for revision.
      const busy = suppliers.filter((s) => timeouts.get(s) === 0).slice(0, 10);
      const recordedBefore = (await facts.refresh()).total(busy);
      let rebuilding = true;
      const rebuild = api.rebuild().finally(() => (rebuilding = false));
      let during = 0;
      for (let i = 0; rebuilding && i < 200; i++) {
        const more = poFacts(newPo(busy[i % busy.length]!, 2 + (i % 30) / 10), 'shipped');
        await publisher.publish(more);
        during += more.length;
      }
      const rebuilt = await rebuild;
      await factsRecorded(busy, recordedBefore + during);
      console.log(
        `rebuild (${during} facts arriving meanwhile): ${rebuilt.events} events of ${rebuilt.suppliers} suppliers in ${rebuilt.seconds.toFixed(2)} s → ${rebuilt.eventsPerSecond} events/s ` +
          `(plain read ${rebuilt.readSeconds.toFixed(2)} s → ${rebuilt.readEventsPerSecond} events/s)`,
      );
      expect(rebuilt.differing).toEqual([]);
      expect(rebuilt.equal).toBe(true);
      expect(rebuilt.suppliers).toBeGreaterThanOrEqual(SUPPLIERS);
      expect(rebuilt.events).toBeGreaterThanOrEqual(sent);
      expect(rebuilt.eventsPerSecond).toBeGreaterThan(0);
      expect(rebuilt.readEventsPerSecond).toBeGreaterThan(0);
    });

    it('says which suppliers a stricter policy would flag, and leaves the live scorecards as they were', async () => {
      const before: readonly ScorecardEntry[] = await api.list();
      expect((await api.post('/admin/what-if', {})).status).toBe(401);
      const strict = DEFAULT_FLAGS.rules.map((rule) => (rule.metric === 'timeoutRate' ? { ...rule, enter: 0.01, exit: 0.005 } : rule));
      const verdicts = new Map((await api.whatIf({ flags: { rules: strict } })).map((v) => [v.supplierId, v]));

      const wouldBeFlagged = suppliers.filter((s) => verdicts.get(s)?.wouldBeFlagged);
      expect(wouldBeFlagged).toEqual(suppliers.filter((s) => timeouts.get(s)! > 0));
      expect(wouldBeFlagged.length).toBeGreaterThan(0);
      for (const supplierId of suppliers) expect(verdicts.get(supplierId)).toMatchObject({ supplierId, isFlagged: false, isSuspended: false, wouldBeSuspended: false });

      expect(await api.list()).toEqual(before);
    });
  });

  describe('with a history of 10,000 purchase orders written straight to the store', () => {
    // 100 suppliers × 100 POs, decided as the service decides them and appended to each
    // supplier's stream directly (Kafka is not what this measures): the live projection follows
    // the store, and a rebuild from the store must agree with it exactly.
    const SUPPLIERS = 100;
    const POS = 100;
    const prefix = uniqueName('direct');
    const HOUR = 3_600_000;
    let appended = 0;

    const historyOf = (supplierId: string, i: number): SupplierFact[] => {
      const facts: SupplierFact[] = [];
      const now = Date.now();
      for (let n = 0; n < POS; n++) {
        const created = now - (2 + (20 * n) / POS) * 24 * HOUR;
        const at = (hours: number) => new Date(created + hours * HOUR).toISOString();
        const poId = `${supplierId}-po-${n}`;
        facts.push({ kind: 'po_created', poId, at: at(0), confirmBy: at(24), shipBy: at(72), units: 2, lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 2 }] });
        facts.push({ kind: 'po_dispatched', poId, at: at(0.1) });
        if (n % 25 === i % 25) {
          facts.push({ kind: 'po_timed_out', poId, at: at(24), deadline: 'confirm' });
          continue;
        }
        facts.push({ kind: 'po_acknowledged', poId, at: at(2), accepted: 2, rejected: 0, backordered: 0 });
        facts.push({ kind: 'shipment', poId, shipmentId: `${poId}-s`, at: at(30), units: 2, lines: [{ lineId: 'l1', quantity: 2 }], trackingNumber: `T${poId}`, trackingValid: true, reportedAt: at(31) });
      }
      return facts;
    };

    beforeAll(async () => {
      const scorecards = performance.app.get(Scorecards);
      for (let i = 0; i < SUPPLIERS; i++) {
        const supplierId = `${prefix}-${String(i).padStart(3, '0')}`;
        const facts = historyOf(supplierId, i);
        const decided = runDecider(
          performanceDecider,
          facts.map((fact) => ({ type: 'RecordFact' as const, data: { fact, now: new Date(Date.parse(fact.at) + HOUR), policies: scorecards.policies } })),
        );
        await performance.store.append(
          `${SCORECARD_CATEGORY}-${supplierId}`,
          decided.events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data as unknown as JsonObject })),
          NO_STREAM,
        );
        appended += decided.events.length;
      }
      // The live projection follows the store: wait until it has every supplier's last event.
      await waitFor(() => scorecards.list().filter((s) => s.supplierId.startsWith(prefix) && Object.keys(s.state.history.pos).length === POS).length === SUPPLIERS || undefined, {
        what: 'the live projection to follow 10,000 POs',
        timeoutMs: 120_000,
      });
    }, 300_000);

    it('rebuilds them from the store to exactly the live projection', async () => {
      const rebuilt = await performance.app.get(Scorecards).rebuild();
      console.log(`rebuild of 10,000 POs (${appended} events written): ${rebuilt.events} events in ${rebuilt.seconds.toFixed(2)} s → ${rebuilt.eventsPerSecond} events/s (plain read ${rebuilt.readEventsPerSecond} events/s)`);
      expect(rebuilt.differing).toEqual([]);
      expect(rebuilt.equal).toBe(true);
      expect(rebuilt.events).toBeGreaterThanOrEqual(appended);
      const live = performance.app.get(Scorecards).list().filter((s) => s.supplierId.startsWith(prefix));
      expect(live.reduce((n, s) => n + Object.keys(s.state.history.pos).length, 0)).toBe(SUPPLIERS * POS);
    });
  });
});
