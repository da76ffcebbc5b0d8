import { createKafka, deadLetterTopic } from '@oms/messaging';
import { kafkaBrokers, waitFor } from '@oms/testing';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from '../e2e/scenarios/system';
import { allReady, describeMissing, FAULT_ENV, FAULT_WORLD, faultSystem, placeOrders, printFigures, settle } from './fault-run';
import type { Doors } from './fuzz/bad-requests';
import { byRoute, sendAll } from './fuzz/http-fuzz';
import { consumedTopics } from './fuzz/consumers';
import { DeadLetterLedger, endsOf, groupPast, sendRecords } from './fuzz/kafka-fuzz';
import { KAFKA_SHARE, planFuzz } from './fuzz/plan';
import { judgeRecords, rejectionIds, rejectionsOf } from './fuzz/verdicts';

/** Reproduce a run with its printed seed: `FUZZ_SEED=<seed> npm run test:faults -- faults/fuzzed-inputs`. */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_211);
const INPUTS = Number(process.env['FUZZ_INPUTS'] ?? 10_000);
/** Requests in flight at once: a 2-core machine shared with the six services. */
const CONCURRENCY = 8;
const GOOD_ORDERS = 6;
const REPORT = join(__dirname, '../tmp/fuzzed-inputs.json');

const secrets = { privacy: randomBytes(12).toString('hex'), shopify: randomBytes(16).toString('hex') };
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'faults-fuzz' });
const producer = kafka.producer({ allowAutoTopicCreation: false });
const admin = kafka.admin();
let ledger: DeadLetterLedger | undefined;
let doors: Doors;

const { system, deadLetters } = faultSystem(
  { world: FAULT_WORLD, env: { ...FAULT_ENV, PRIVACY_ADMIN_TOKEN: secrets.privacy, SHOPIFY_WEBHOOK_SECRETS: secrets.shopify } },
  {
    before: async () => {
      await Promise.all([producer.connect(), admin.connect()]);
      ledger = new DeadLetterLedger(kafka, system.run);
      await ledger.start([...consumedTopics().keys()].map((t) => system.topic(deadLetterTopic(t))));
      doors = await openDoors();
    },
    after: async () => {
      await ledger?.close();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    },
  },
);

/** A supplier on the API and one on signed webhooks, registered for the fuzz, so bad bodies get past their credentials. */
async function openDoors(): Promise<Doors> {
  const register = async (body: Record<string, unknown>) => {
    const response = await fetch(`${system.url('supplier-gateway')}/admin/suppliers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.tokens.gateway}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Fuzz supplier', confirmWithinHours: 24, shipWithinHours: 48, ...body }),
    });
    if (response.status !== 201) throw new Error(`Registering ${String(body['supplierId'])}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { apiKey: string; webhookSecret?: string };
  };
  const api = await register({ supplierId: `${system.run}-fuzz-api`, code: 'FZA', connector: 'api' });
  const webhookSupplierId = `${system.run}-fuzz-hook`;
  const hook = await register({ supplierId: webhookSupplierId, code: 'FZH', connector: 'webhook', webhookUrl: 'http://127.0.0.1:9/fuzz-webhook' });
  return {
    url: (service) => system.url(service),
    tokens: { gatewayAdmin: system.tokens.gateway, finance: system.tokens.finance, performanceAdmin: system.tokens.performance, privacyAdmin: secrets.privacy },
    supplier: { apiKey: api.apiKey },
    webhookSupplier: { supplierId: webhookSupplierId, secret: hook.webhookSecret! },
    shopifySecret: secrets.shopify,
  };
}

/** A service process's output so far (E2eSystem keeps it; the report shows its end). */
function serviceOutput(service: (typeof SERVICES)[number]): string {
  const processes = (system as unknown as { processes: Map<string, { output(): string }> }).processes;
  return processes.get(service)?.output() ?? '';
}

const count = <T>(items: readonly T[], key: (t: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
};
const line = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';

describe('fault injection: fuzzed bad inputs to every HTTP route and Kafka topic', () => {
  it(`answers ${INPUTS} bad inputs with a clear error or a dead letter, and nothing crashes`, async () => {
    const started = Date.now();
    const plan = planFuzz(SEED, INPUTS, system.run);
    const pids = new Map(SERVICES.map((s) => [s, system.pid(s)]));
    console.log(`fuzzed inputs: seed ${SEED} (FUZZ_SEED=${SEED} reproduces it), ${plan.requests.length} HTTP requests to ${plan.routes.length} routes, ${plan.records.length} Kafka records to ${plan.topics.size} topics`);

    // Kafka first: the consumers work through the records while the HTTP requests go out.
    const marks = await sendRecords(producer, admin, plan.records, (t) => system.topic(t));
    const outcomes = await sendAll(plan.requests, doors, CONCURRENCY);

    // Every group of this run has handled (or dead-lettered) everything up to the last bad record…
    const behind = new Set([...plan.topics].flatMap(([topic, consumers]) => consumers.map((c) => `${c.service} ${topic}`)));
    const stuck: string[] = [];
    await waitFor(
      async () => {
        for (const entry of [...behind]) {
          const [service, topic] = entry.split(' ') as [string, string];
          if (await groupPast(admin, `${system.run}-${service}`, [system.topic(topic)], marks)) behind.delete(entry);
        }
        return behind.size === 0;
      },
      { what: 'every group past the bad records', timeoutMs: 300_000, intervalMs: 1_000 },
    ).catch(() => stuck.push(...[...behind].map((e) => `${e}: not past the bad records after 300 s`)));
    // …so every dead letter is on the broker: read up to there. And every OrderRejected comes through the relay.
    const dlqEnds = await endsOf(admin, [...plan.topics.keys()].map((t) => system.topic(deadLetterTopic(t))));
    await waitFor(() => ledger!.hasRead(dlqEnds), { what: 'the dead letters read', timeoutMs: 120_000 }).catch(() => stuck.push('dead letters not all read after 120 s'));
    const rejectable = rejectionIds(plan.records);
    await waitFor(() => rejectionsOf(system.reader.seen, rejectable).size === rejectable.size, { what: `${rejectable.size} OrderRejected events`, timeoutMs: 120_000 }).catch(() => undefined);
    const kafkaVerdict = judgeRecords(system.run, plan.records, plan.topics, ledger!.letters, rejectionsOf(system.reader.seen, rejectable), rejectable);
    const fuzzSeconds = Math.round((Date.now() - started) / 100) / 10;

    // Still up: good orders placed after the fuzz get their outcome.
    const goodStarted = Date.now();
    const orderIds = await placeOrders(system, GOOD_ORDERS);
    const { figures, missing } = await settle(system, orderIds, deadLetters, goodStarted, 300_000);
    const restarted = SERVICES.filter((s) => !system.alive(s) || system.pid(s) !== pids.get(s));
    const ready = await allReady(system);

    const problems = outcomes.filter((o) => o.problem !== undefined);
    const shopifyRejections = outcomes.filter((o) => o.request.route.auth === 'shopifyHmac' && o.status === 200).length;
    printFigures(`Fuzzed bad inputs: seed ${SEED}, ${INPUTS} inputs (${Math.round(KAFKA_SHARE * 100)}% Kafka), FUZZ_INPUTS=${INPUTS}`, {
      seed: SEED,
      'HTTP requests': `${outcomes.length} to ${plan.routes.length} routes of ${SERVICES.length} services`,
      'HTTP by status': line(count(outcomes, (o) => (o.status === undefined ? 'no answer' : `${Math.floor(o.status / 100)}xx`))),
      'HTTP bodies': line(count(plan.requests, (r) => r.body?.kind ?? 'no body')),
      'HTTP credentials': line(count(plan.requests, (r) => r.credentials)),
      'HTTP problems (5xx, hang, unclear, accepted)': problems.length,
      'Kafka records': `${plan.records.length} to ${plan.topics.size} topics, ${[...plan.topics.values()].reduce((n, c) => n + c.length, 0)} consuming groups`,
      'Kafka kinds': line(count(plan.records, (r) => r.kind)),
      ...Object.fromEntries(Object.entries(kafkaVerdict.deadLettersByTopic).map(([topic, n]) => [`dead letters ${topic}`, `${n} (${plan.records.filter((r) => r.topic === topic).length} records)`])),
      'dead-lettered after retries (transient error on bad input)': line(kafkaVerdict.retried),
      'OrderRejected events (Kafka)': `${kafkaVerdict.rejections} of ${kafkaVerdict.rejectionsExpected} with a unique event id`,
      'rejections answered 200 (Shopify webhook)': shopifyRejections,
      'unknown types dead-lettered': line(kafkaVerdict.deadLetteredUnknown),
      'unknown types skipped silently': line(kafkaVerdict.skippedUnknown),
      'records not dead-lettered or rejected': kafkaVerdict.unaccounted.length,
      'groups stuck behind the bad records': stuck.length,
      'good orders after the fuzz': `${figures.withOutcome} of ${figures.orders} with their outcome`,
      crashes: restarted.length,
      'all ready': String(ready),
      'seconds (fuzz)': fuzzSeconds,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
    printFigures('HTTP answers per route', Object.fromEntries([...byRoute(outcomes)].map(([route, row]) => [route, line(row)])));

    // Every finding in full, for the one reading a red run.
    mkdirSync(join(__dirname, '../tmp'), { recursive: true });
    writeFileSync(
      REPORT,
      JSON.stringify(
        {
          seed: SEED,
          inputs: INPUTS,
          http: problems.map((o) => ({ service: o.request.route.service, route: `${o.request.route.method} ${o.request.route.path}`, note: o.request.note, path: o.request.pathValues, query: o.request.query, body: o.request.body?.bytes.toString('utf8').slice(0, 500), status: o.status, problem: o.problem })),
          kafka: { stuck, unaccounted: kafkaVerdict.unaccounted, unexpected: kafkaVerdict.unexpected, retried: kafkaVerdict.retried, skippedUnknown: kafkaVerdict.skippedUnknown },
          // What each service logged last (its errors and dead letters).
          logs: Object.fromEntries(SERVICES.map((s) => [s, serviceOutput(s).slice(-20_000)])),
        },
        null,
        1,
      ),
    );
    console.log(`findings in full: ${REPORT}`);
    const show = (list: readonly string[]) => [...list.slice(0, 25), ...(list.length > 25 ? [`… and ${list.length - 25} more`] : [])];
    expect(show(problems.map((o) => `${o.request.route.service} ${o.request.route.method} ${o.request.route.path} [${o.request.note}]: ${o.problem}`))).toEqual([]);
    expect(stuck).toEqual([]);
    expect(show(kafkaVerdict.unaccounted)).toEqual([]);
    expect(show(kafkaVerdict.unexpected)).toEqual([]);
    expect(restarted).toEqual([]);
    expect(ready).toBe(true);
    expect(await describeMissing(system, missing)).toEqual([]);
    expect(figures.withoutOutcome).toBe(0);
  }, 600_000);
});
