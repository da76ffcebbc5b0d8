/**
 * Foundation benchmark: the event store (PostgreSQL, embedded PGlite, and the peer emmett-postgresql
 * side by side) and Kafka (raw kafkajs against the same traffic through libs/messaging).
 *
 *   npm run bench                       # everything, 5 s per shape
 *   npm run bench -- --seconds 2        # quicker
 *   npm run bench -- --only store       # or: --only kafka
 *
 * Real infrastructure only: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and
 * KAFKA_BROKERS (default 127.0.0.1:9092; started with deploy/kafka-local when unset and nothing
 * answers). Everything it creates (a schema, a database for the peer, a temp folder, topics and
 * consumer groups) is fresh per run and removed at the end. The peer lives in bench/peer-emmett
 * (`npm --prefix bench/peer-emmett ci`); without it the peer columns are skipped.
 *
 * Prints figures, asserts nothing. Writes bench/results/foundation.{json,md} (latest run only).
 */
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, Partitioners, type Consumer } from 'kafkajs';
import { Client } from 'pg';
import {
  atRevision,
  NO_STREAM,
  openEmbeddedEventStore,
  openPostgresEventStore,
  START,
  type EventStore,
  type EventToAppend,
  type JsonObject,
  type Position,
} from '@oms/event-store';
import {
  createKafka,
  ensureTopics,
  KafkaPublisher,
  KafkaTransport,
  RethrowRpcExceptionsFilter,
  type OutgoingMessage,
} from '@oms/messaging';
import { databaseUrl, dropSchema, uniqueName } from '@oms/testing';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

const ROOT = join(__dirname, '..');
const RESULTS_DIR = join(__dirname, 'results');
const PEER_DIR = join(__dirname, 'peer-emmett');

// ---------------------------------------------------------------------------------------------
// Flags

interface Flags {
  readonly seconds: number;
  /** Messages per Kafka phase (each path produces and consumes this many). */
  readonly messages: number;
  readonly only: 'store' | 'kafka' | undefined;
}

function parseFlags(argv: readonly string[]): Flags {
  let seconds = 5;
  let messages: number | undefined;
  let only: Flags['only'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (name === '--seconds') {
      seconds = Number(value());
      if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--seconds wants a positive number');
    } else if (name === '--messages') {
      messages = Number(value());
      if (!Number.isSafeInteger(messages) || messages < 1_000) throw new Error('--messages wants an integer ≥ 1000');
    } else if (name === '--only') {
      const v = value();
      if (v !== 'store' && v !== 'kafka') throw new Error('--only wants "store" or "kafka"');
      only = v;
    } else if (name === '--help' || name === '-h') {
      console.log(
        'Usage: npm run bench -- [--seconds N (per store shape, default 5)] [--messages N (per Kafka phase, default 20000 × seconds)] [--only store|kafka]',
      );
      process.exit(0);
    } else {
      throw new Error(`Unknown argument "${arg}" (try --help)`);
    }
  }
  // Sized so the slowest Kafka phase (consuming through the transport) takes a few seconds.
  messages ??= 20_000 * seconds;
  return { seconds, messages: Math.ceil(messages / BATCH) * BATCH, only };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const now = () => performance.now();

function fmtRate(perSecond: number | undefined): string {
  if (perSecond === undefined || !Number.isFinite(perSecond)) return '–';
  if (perSecond >= 100_000) return `${(perSecond / 1000).toFixed(0)}k`;
  if (perSecond >= 10_000) return `${(perSecond / 1000).toFixed(1)}k`;
  if (perSecond >= 1_000) return `${(perSecond / 1000).toFixed(2)}k`;
  return perSecond.toFixed(0);
}

const fmtRatio = (ratio: number | undefined) => (ratio === undefined || !Number.isFinite(ratio) ? '–' : `${ratio.toFixed(2)}×`);
const fmtMs = (ms: number | undefined) => (ms === undefined ? '–' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A Markdown table, readable as plain text too: the first `textColumns` left-aligned, figures right-aligned. */
function table(headers: readonly string[], rows: readonly (readonly string[])[], textColumns = 1): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i < textColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i < textColumns ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

function packageVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

const maskUrl = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/** Cleanups run last-registered first, at the end or on Ctrl-C. */
const cleanups: { what: string; run: () => Promise<void> }[] = [];
function onCleanup(what: string, run: () => Promise<void>): void {
  cleanups.push({ what, run });
}
async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const { what, run } = cleanups.pop()!;
    try {
      await run();
    } catch (error) {
      console.warn(`cleanup "${what}" failed: ${(error as Error).message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Event payloads: ~200 bytes of JSON each

const PAYLOAD_BYTES = 200;
const basePayload = (n: number): JsonObject => ({
  orderId: randomUUID(),
  line: n,
  sku: 'SKU-004217',
  quantity: 2,
  unitPriceMinor: 1999,
  currency: 'EUR',
  supplierId: 'supplier-0042',
  note: '',
});
const PAD = 'x'.repeat(Math.max(0, PAYLOAD_BYTES - JSON.stringify(basePayload(1000)).length));
const payload = (n: number): JsonObject => ({ ...basePayload(n), note: PAD });

// ---------------------------------------------------------------------------------------------
// Event store

interface Shape {
  readonly id: string;
  readonly label: string;
  readonly writers: number;
  readonly eventsPerAppend: number;
}

const SHAPES: readonly Shape[] = [
  { id: '1x1', label: '1 writer × 1 event/append', writers: 1, eventsPerAppend: 1 },
  { id: '8x1', label: '8 writers × 1 event/append', writers: 8, eventsPerAppend: 1 },
  { id: '8x10', label: '8 writers × 10 events/append', writers: 8, eventsPerAppend: 10 },
  { id: '1x100', label: '1 writer × 100 events/append', writers: 1, eventsPerAppend: 100 },
];
/** The shapes DESIGN.md compares against the peer. */
const PEER_SHAPES = new Set(['1x1', '8x1', '8x10']);

/** One append with an explicit expectation; returns the expectation for the next one. */
type Expectation = { readonly kind: 'new' } | { readonly kind: 'at'; readonly revision: number };

interface Appender {
  readonly name: string;
  append(stream: string, count: number, expected: Expectation): Promise<Expectation>;
}

interface AppendFigure {
  readonly adapter: string;
  readonly shape: string;
  readonly label: string;
  readonly writers: number;
  readonly eventsPerAppend: number;
  readonly seconds: number;
  readonly appends: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly appendsPerSecond: number;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
}

function ourAppender(name: string, store: EventStore): Appender {
  return {
    name,
    async append(stream, count, expected) {
      const events: EventToAppend[] = [];
      for (let i = 0; i < count; i++) events.push({ id: randomUUID(), type: 'OrderLineAdded', data: payload(i) });
      const result = await store.append(stream, events, expected.kind === 'new' ? NO_STREAM : atRevision(expected.revision));
      return { kind: 'at', revision: result.nextExpectedRevision };
    },
  };
}

async function measureAppends(appender: Appender, shape: Shape, seconds: number, streamPrefix = 'bench'): Promise<AppendFigure> {
  const latencies: number[] = [];
  let appends = 0;
  let events = 0;
  const start = now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: shape.writers }, async (_, writer) => {
      const stream = `${streamPrefix}-${shape.id}w${writer}`;
      let expected: Expectation = { kind: 'new' };
      while (now() < deadline) {
        const t0 = now();
        expected = await appender.append(stream, shape.eventsPerAppend, expected);
        latencies.push(now() - t0);
        appends++;
        events += shape.eventsPerAppend;
      }
    }),
  );
  const elapsed = (now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    adapter: appender.name,
    shape: shape.id,
    label: shape.label,
    writers: shape.writers,
    eventsPerAppend: shape.eventsPerAppend,
    seconds: elapsed,
    appends,
    events,
    eventsPerSecond: events / elapsed,
    appendsPerSecond: appends / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

interface ReadFigure {
  readonly adapter: string;
  readonly kind: 'readAll' | 'readStream';
  readonly what: string;
  readonly events: number;
  readonly reads: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly msPerRead: number;
  /** readAll: false when the time bound stopped it before the end of the store. */
  readonly complete: boolean;
}

/** readAll in position order, pages of 1000, over everything written (bounded by time). */
async function measureReadAll(adapter: string, store: EventStore, maxSeconds: number): Promise<ReadFigure> {
  let after: Position = START;
  let events = 0;
  let reads = 0;
  let complete = false;
  const start = now();
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    reads++;
    events += page.length;
    if (page.length < 1000) {
      complete = true;
      break;
    }
    after = page[page.length - 1]!.position;
    if (now() - start > maxSeconds * 1000) break;
  }
  const seconds = (now() - start) / 1000;
  return {
    adapter,
    kind: 'readAll',
    what: 'readAll, pages of 1000, position order',
    events,
    reads,
    seconds,
    eventsPerSecond: events / seconds,
    msPerRead: (seconds * 1000) / reads,
    complete,
  };
}

/** Reads one 1000-event stream again and again for `seconds` (at least 3 times). */
async function measureReadStream(adapter: string, read: () => Promise<number>, seconds: number): Promise<ReadFigure> {
  await read(); // warm
  let events = 0;
  let reads = 0;
  const start = now();
  while (reads < 3 || now() - start < seconds * 1000) {
    const n = await read();
    if (n !== 1000) throw new Error(`${adapter}: read ${n} events of the 1000-event stream`);
    events += n;
    reads++;
  }
  const elapsed = (now() - start) / 1000;
  return {
    adapter,
    kind: 'readStream',
    what: 'readStream of a 1000-event stream',
    events,
    reads,
    seconds: elapsed,
    eventsPerSecond: events / elapsed,
    msPerRead: (elapsed * 1000) / reads,
    complete: true,
  };
}

async function writeThousandStream(appender: Appender, stream: string): Promise<void> {
  let expected: Expectation = { kind: 'new' };
  for (let i = 0; i < 10; i++) expected = await appender.append(stream, 100, expected);
}

/** Opens all pool connections and warms the JIT before the first measured shape. */
async function warmUp(appender: Appender, seconds: number): Promise<void> {
  await measureAppends(appender, { id: 'warm', label: 'warm-up', writers: 8, eventsPerAppend: 1 }, seconds, 'warmup');
}

// --- the peer: emmett-postgresql 0.42, loaded from bench/peer-emmett ------------------------------

interface EmmettEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}
interface EmmettStore {
  appendToStream(
    stream: string,
    events: EmmettEvent[],
    options?: { expectedStreamVersion?: bigint | string },
  ): Promise<{ nextExpectedStreamVersion: bigint }>;
  readStream(stream: string): Promise<{ events: unknown[]; currentStreamVersion: bigint }>;
  readonly schema: { migrate(): Promise<unknown> };
  close(): Promise<void>;
}
interface EmmettPeer {
  readonly version: string;
  readonly streamDoesNotExist: string;
  /** The store on a pool of its own (10 connections, as ours), ended by `close`. */
  open(connectionString: string): { store: EmmettStore; close(): Promise<void> };
}

interface PeerPool {
  on(event: 'error', listener: (error: Error) => void): unknown;
  end(): Promise<void>;
}

function loadPeer(): EmmettPeer | string {
  const manifest = join(PEER_DIR, 'package.json');
  const installed = join(PEER_DIR, 'node_modules', '@event-driven-io', 'emmett-postgresql');
  if (!existsSync(installed)) return 'not installed: run `npm --prefix bench/peer-emmett ci` first';
  const requirePeer = createRequire(manifest);
  const postgres = requirePeer('@event-driven-io/emmett-postgresql') as {
    getPostgreSQLEventStore(connectionString: string, options: { connectionOptions: { pool: PeerPool } }): EmmettStore;
  };
  const core = requirePeer('@event-driven-io/emmett') as { STREAM_DOES_NOT_EXIST: string };
  // Its own `pg` (the peer's copy). Given a pool, emmett leaves it to us to end: its own pool cache
  // does not always end on close(), which leaves connections behind.
  const { Pool } = requirePeer('pg') as { Pool: new (config: { connectionString: string; max: number }) => PeerPool };
  return {
    version: packageVersion(installed) ?? '?',
    streamDoesNotExist: core.STREAM_DOES_NOT_EXIST,
    open: (connectionString) => {
      const pool = new Pool({ connectionString, max: 10 });
      pool.on('error', () => undefined);
      const store = postgres.getPostgreSQLEventStore(connectionString, { connectionOptions: { pool } });
      return {
        store,
        close: async () => {
          await store.close();
          await pool.end();
        },
      };
    },
  };
}

function peerAppender(peer: EmmettPeer, store: EmmettStore): Appender {
  return {
    name: 'emmett-postgresql',
    async append(stream, count, expected) {
      const events: EmmettEvent[] = [];
      for (let i = 0; i < count; i++) events.push({ type: 'OrderLineAdded', data: payload(i) });
      const result = await store.appendToStream(stream, events, {
        // Emmett stream versions count events (1-based): after n events the version is n.
        expectedStreamVersion: expected.kind === 'new' ? peer.streamDoesNotExist : BigInt(expected.revision),
      });
      return { kind: 'at', revision: Number(result.nextExpectedStreamVersion) };
    },
  };
}

interface StoreResults {
  readonly postgresVersion: string;
  readonly pgliteVersion: string | undefined;
  readonly peerVersion: string | undefined;
  readonly peerSkipped: string | undefined;
  readonly appends: AppendFigure[];
  readonly reads: ReadFigure[];
}

async function storeBench(seconds: number): Promise<StoreResults> {
  const url = databaseUrl();
  const admin = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${maskUrl(url)}: ${(error as Error).message}`);
  }
  onCleanup('admin connection', () => admin.end());
  const postgresVersion = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  const appends: AppendFigure[] = [];
  const reads: ReadFigure[] = [];
  const warmSeconds = Math.min(1, seconds / 5);
  const log = (f: AppendFigure) =>
    console.log(
      `  ${f.adapter.padEnd(18)} ${f.label.padEnd(30)} ${fmtRate(f.eventsPerSecond).padStart(7)} events/s  ` +
        `${fmtRate(f.appendsPerSecond).padStart(7)} appends/s  p50 ${fmtMs(f.p50Ms)} ms  p99 ${fmtMs(f.p99Ms)} ms`,
    );
  const logRead = (r: ReadFigure) =>
    console.log(
      `  ${r.adapter.padEnd(18)} ${r.what.padEnd(40)} ${fmtRate(r.eventsPerSecond).padStart(7)} events/s  ` +
        `(${r.events} events, ${fmtMs(r.msPerRead)} ms/read${r.complete ? '' : ', stopped by the time bound'})`,
    );

  // --- our adapter on PostgreSQL, in a fresh schema
  const schema = uniqueName('bench_store');
  console.log(`\nEvent store — PostgreSQL ${postgresVersion} at ${maskUrl(url)}, schema ${schema}`);
  onCleanup(`drop schema ${schema}`, () => dropSchema(schema));
  const postgres = await openPostgresEventStore({ connectionString: url, schema, poolSize: 10 });
  onCleanup('close postgres store', () => postgres.close());
  const ourPg = ourAppender('postgres', postgres);
  await warmUp(ourPg, warmSeconds);
  for (const shape of SHAPES) {
    const figure = await measureAppends(ourPg, shape, seconds);
    appends.push(figure);
    log(figure);
  }
  await writeThousandStream(ourPg, 'read-thousand');
  reads.push(await measureReadAll('postgres', postgres, seconds * 2));
  logRead(reads[reads.length - 1]!);
  reads.push(
    await measureReadStream('postgres', async () => (await postgres.readStream('read-thousand')).length, seconds / 2),
  );
  logRead(reads[reads.length - 1]!);

  // --- the peer, in a database of its own (it only knows the public schema)
  const loaded = loadPeer();
  let peerVersion: string | undefined;
  let peerSkipped: string | undefined;
  if (typeof loaded === 'string') {
    peerSkipped = loaded;
    console.log(`\nPeer emmett-postgresql skipped: ${loaded}`);
  } else {
    peerVersion = loaded.version;
    const database = uniqueName('bench_emmett');
    await admin.query(`CREATE DATABASE ${database}`);
    onCleanup(`drop database ${database}`, async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    });
    const peerUrl = new URL(url);
    peerUrl.pathname = `/${database}`;
    console.log(`\nPeer emmett-postgresql ${loaded.version} — same server, database ${database}`);
    const { store: peerStore, close: closePeer } = loaded.open(peerUrl.toString());
    onCleanup('close emmett store', closePeer);
    await peerStore.schema.migrate();
    const peer = peerAppender(loaded, peerStore);
    await warmUp(peer, warmSeconds);
    for (const shape of SHAPES.filter((s) => PEER_SHAPES.has(s.id))) {
      const figure = await measureAppends(peer, shape, seconds);
      appends.push(figure);
      log(figure);
    }
    await writeThousandStream(peer, 'read-thousand');
    reads.push(
      await measureReadStream('emmett-postgresql', async () => (await peerStore.readStream('read-thousand')).events.length, seconds / 2),
    );
    logRead(reads[reads.length - 1]!);
  }

  // --- our adapter embedded (PGlite), persisted to a temp folder as the local run does
  const dataDir = mkdtempSync(join(tmpdir(), 'oms-bench-pglite-'));
  onCleanup(`remove ${dataDir}`, async () => rmSync(dataDir, { recursive: true, force: true }));
  console.log(`\nEvent store — embedded PGlite ${packageVersion(join(ROOT, 'node_modules/@electric-sql/pglite')) ?? ''} in ${dataDir}`);
  const embedded = await openEmbeddedEventStore({ dataDir });
  onCleanup('close embedded store', () => embedded.close());
  const ourEmbedded = ourAppender('embedded', embedded);
  await warmUp(ourEmbedded, warmSeconds);
  for (const shape of SHAPES) {
    const figure = await measureAppends(ourEmbedded, shape, seconds);
    appends.push(figure);
    log(figure);
  }
  await writeThousandStream(ourEmbedded, 'read-thousand');
  reads.push(await measureReadAll('embedded', embedded, seconds * 2));
  logRead(reads[reads.length - 1]!);
  reads.push(
    await measureReadStream('embedded', async () => (await embedded.readStream('read-thousand')).length, seconds / 2),
  );
  logRead(reads[reads.length - 1]!);

  return {
    postgresVersion,
    pgliteVersion: packageVersion(join(ROOT, 'node_modules/@electric-sql/pglite')),
    peerVersion,
    peerSkipped,
    appends,
    reads,
  };
}

// ---------------------------------------------------------------------------------------------
// Kafka

interface KafkaPhase {
  readonly path: 'raw kafkajs' | 'libs/messaging';
  /** `consume-no-commit` is an attribution run: the same transport with its periodic commit switched off. */
  readonly phase: 'produce' | 'consume' | 'consume-no-commit';
  readonly messages: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  /** consume: from start (connect, group join) to the first message. */
  readonly startupSeconds?: number;
  readonly complete: boolean;
  readonly how: string;
}

interface KafkaResults {
  readonly brokers: string[];
  readonly startedBroker: boolean;
  readonly kafkajsVersion: string | undefined;
  readonly phases: KafkaPhase[];
}

const BATCH = 100;
const PARTITIONS = 3;

function portAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function kafkaBrokersForBench(): Promise<{ brokers: string[]; started: boolean }> {
  if (process.env.KAFKA_BROKERS) {
    return { brokers: process.env.KAFKA_BROKERS.split(',').map((b) => b.trim()), started: false };
  }
  if (await portAnswers('127.0.0.1', 9092)) return { brokers: ['127.0.0.1:9092'], started: false };
  console.log('Nothing answers on 127.0.0.1:9092: starting deploy/kafka-local');
  execFileSync('bash', [join(ROOT, 'deploy/kafka-local/kafka-local.sh'), 'start'], { stdio: 'inherit' });
  return { brokers: ['127.0.0.1:9092'], started: true };
}

/** Counts consumed messages; timestamps are taken in the consumer's callback, not by polling. */
class ConsumeCounter {
  count = 0;
  firstAt: number | undefined;
  doneAt: number | undefined;
  readonly done: Promise<void>;
  private resolve!: () => void;

  constructor(readonly expected: number) {
    this.done = new Promise<void>((resolve) => (this.resolve = resolve));
  }

  add(n: number): void {
    if (n <= 0) return;
    this.firstAt ??= now();
    this.count += n;
    if (this.count >= this.expected && this.doneAt === undefined) {
      this.doneAt = now();
      this.resolve();
    }
  }
}

/** Starts a consumer and waits until all messages arrived; the rate counts from the first message. */
async function consumeAll(
  counter: ConsumeCounter,
  timeoutMs: number,
  start: () => Promise<void>,
): Promise<{ startupSeconds: number; seconds: number; messages: number; complete: boolean }> {
  const t0 = now();
  await start();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([counter.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
  const end = counter.doneAt ?? now();
  const first = counter.firstAt ?? end;
  return {
    startupSeconds: (first - t0) / 1000,
    seconds: (end - first) / 1000,
    messages: counter.count,
    complete: counter.doneAt !== undefined,
  };
}

function countingModule(topic: string, onMessage: () => void): new () => object {
  @Controller()
  class CountingHandler {
    @EventPattern(topic)
    async handle(): Promise<void> {
      onMessage();
    }
  }
  @Module({ controllers: [CountingHandler] })
  class CountingModule {}
  return CountingModule;
}

async function kafkaBench(messages: number): Promise<KafkaResults> {
  const { brokers, started } = await kafkaBrokersForBench();
  if (started) {
    onCleanup('stop deploy/kafka-local (started by this run)', async () => {
      execFileSync('bash', [join(ROOT, 'deploy/kafka-local/kafka-local.sh'), 'stop'], { stdio: 'inherit' });
    });
  }
  console.log(
    `\nKafka at ${brokers.join(',')} — ${messages} messages per phase, topics of ${PARTITIONS} partitions, RF 1, batches of ${BATCH}, acks -1`,
  );
  const phases: KafkaPhase[] = [];
  const log = (p: KafkaPhase) =>
    console.log(
      `  ${p.path.padEnd(15)} ${p.phase.padEnd(17)} ${fmtRate(p.messagesPerSecond).padStart(7)} msgs/s  ` +
        `(${p.messages} messages in ${p.seconds.toFixed(2)} s${p.startupSeconds === undefined ? '' : `, first message after ${p.startupSeconds.toFixed(2)} s`}` +
        `${p.complete ? '' : ', INCOMPLETE'})`,
    );

  const rawTopic = uniqueName('bench.raw');
  const messagingTopic = uniqueName('bench.messaging');
  const rawGroup = uniqueName('bench-raw');
  const messagingGroup = uniqueName('bench-messaging');
  const messagingNoCommitGroup = uniqueName('bench-messaging-nocommit');
  const kafka = new Kafka({ clientId: 'oms-bench-raw', brokers, logLevel: logLevel.WARN });
  const connection = { brokers, clientId: 'oms-bench-messaging' };

  await ensureTopics(createKafka(connection), [
    { name: rawTopic, partitions: PARTITIONS, replicationFactor: 1 },
    { name: messagingTopic, partitions: PARTITIONS, replicationFactor: 1 },
  ]);
  onCleanup('delete topics and groups', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.deleteGroups([rawGroup, messagingGroup, messagingNoCommitGroup]).catch(() => undefined);
      const existing = new Set(await admin.listTopics());
      const topics = [rawTopic, messagingTopic, `${messagingTopic}.dlq`].filter((t) => existing.has(t));
      if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    } finally {
      await admin.disconnect();
    }
  });

  const keys = Array.from({ length: 64 }, (_, i) => `order-${i}`);

  // --- produce, raw: `messages` in batches, one batch in flight
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  onCleanup('raw producer', () => producer.disconnect());
  const rawBatch = (offset: number) =>
    Array.from({ length: BATCH }, (_, i) => ({ key: keys[(offset + i) % keys.length]!, value: JSON.stringify(payload(offset + i)) }));
  await producer.send({ topic: rawTopic, acks: -1, messages: rawBatch(0) }); // warm: metadata, connections
  let rawProduced = BATCH;
  {
    const start = now();
    let sent = 0;
    while (sent < messages) {
      await producer.send({ topic: rawTopic, acks: -1, messages: rawBatch(rawProduced) });
      rawProduced += BATCH;
      sent += BATCH;
    }
    const elapsed = (now() - start) / 1000;
    phases.push({
      path: 'raw kafkajs',
      phase: 'produce',
      messages: sent,
      seconds: elapsed,
      messagesPerSecond: sent / elapsed,
      complete: true,
      how: `producer.send of ${BATCH} messages, one batch in flight, acks -1`,
    });
    log(phases[phases.length - 1]!);
  }

  // --- produce through KafkaPublisher: the same number of messages
  const publisher = new KafkaPublisher(createKafka(connection), { producerName: 'bench' });
  await publisher.connect();
  onCleanup('messaging publisher', () => publisher.close());
  const messagingBatch = (offset: number): OutgoingMessage[] =>
    Array.from({ length: BATCH }, (_, i) => ({
      topic: messagingTopic,
      key: keys[(offset + i) % keys.length]!,
      eventId: randomUUID(),
      type: 'OrderLineAdded',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: keys[(offset + i) % keys.length]!,
      payload: payload(offset + i),
    }));
  await publisher.publish(messagingBatch(0)); // warm
  let messagingProduced = BATCH;
  {
    const start = now();
    let sent = 0;
    while (messagingProduced < rawProduced) {
      await publisher.publish(messagingBatch(messagingProduced));
      messagingProduced += BATCH;
      sent += BATCH;
    }
    const elapsed = (now() - start) / 1000;
    phases.push({
      path: 'libs/messaging',
      phase: 'produce',
      messages: sent,
      seconds: elapsed,
      messagesPerSecond: sent / elapsed,
      complete: true,
      how: `KafkaPublisher.publish of ${BATCH} OutgoingMessages (envelope headers), one batch in flight`,
    });
    log(phases[phases.length - 1]!);
  }
  const consumeTimeoutMs = Math.max(60_000, messages / 2);

  // --- consume, raw: a fresh group from the beginning, eachBatch, until all arrived
  {
    const counter = new ConsumeCounter(rawProduced);
    let consumer: Consumer | undefined;
    const result = await consumeAll(
      counter,
      consumeTimeoutMs,
      async () => {
        consumer = kafka.consumer({ groupId: rawGroup, allowAutoTopicCreation: false });
        await consumer.connect();
        await consumer.subscribe({ topics: [rawTopic], fromBeginning: true });
        await consumer.run({
          eachBatch: async ({ batch }) => {
            counter.add(batch.messages.length);
          },
        });
      },
    );
    await consumer?.disconnect();
    phases.push({
      path: 'raw kafkajs',
      phase: 'consume',
      messages: result.messages,
      seconds: result.seconds,
      messagesPerSecond: result.messages / result.seconds,
      startupSeconds: result.startupSeconds,
      complete: result.complete,
      how: 'consumer.run eachBatch (auto-resolve, auto-commit), fresh group from beginning; rate from the first message',
    });
    log(phases[phases.length - 1]!);
  }

  // --- consume through a NestJS microservice on KafkaTransport with an @EventPattern handler; then
  // once more in a fresh group with its commit-every-100 switched off, to show what that costs.
  for (const variant of [
    { phase: 'consume' as const, groupId: messagingGroup, commitEvery: undefined },
    { phase: 'consume-no-commit' as const, groupId: messagingNoCommitGroup, commitEvery: Number.MAX_SAFE_INTEGER },
  ]) {
    const counter = new ConsumeCounter(messagingProduced);
    const app = await NestFactory.createMicroservice(countingModule(messagingTopic, () => counter.add(1)), {
      strategy: new KafkaTransport({ connection, groupId: variant.groupId, commitEvery: variant.commitEvery }),
      logger: false,
    });
    app.useGlobalFilters(new RethrowRpcExceptionsFilter());
    const result = await consumeAll(counter, consumeTimeoutMs, () => app.listen());
    await app.close();
    phases.push({
      path: 'libs/messaging',
      phase: variant.phase,
      messages: result.messages,
      seconds: result.seconds,
      messagesPerSecond: result.messages / result.seconds,
      startupSeconds: result.startupSeconds,
      complete: result.complete,
      how:
        variant.commitEvery === undefined
          ? 'NestJS microservice, KafkaTransport as the services run it (decode, envelope, awaited @EventPattern handler, offsets committed every 1000 messages or 1 s, and at the end of each batch), fresh group; rate from the first message'
          : 'the same with commitEvery = ∞ (commits only at the end of each fetched batch): an attribution run, not a configuration to ship',
    });
    log(phases[phases.length - 1]!);
  }

  return {
    brokers,
    startedBroker: started,
    kafkajsVersion: packageVersion(join(ROOT, 'node_modules/kafkajs')),
    phases,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

interface Report {
  readonly date: string;
  readonly command: string;
  readonly node: string;
  readonly platform: string;
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly secondsPerShape: number;
  readonly messagesPerKafkaPhase: number;
  readonly payloadBytes: number;
  readonly durationSeconds: number;
  readonly store?: StoreResults;
  readonly kafka?: KafkaResults;
}

function storeMarkdown(store: StoreResults): string {
  const find = (adapter: string, shape: string) => store.appends.find((f) => f.adapter === adapter && f.shape === shape);
  const appendRows = SHAPES.map((shape) => {
    const ours = find('postgres', shape.id);
    const peer = find('emmett-postgresql', shape.id);
    const embedded = find('embedded', shape.id);
    return [
      shape.label,
      fmtRate(ours?.eventsPerSecond),
      ours ? `${fmtMs(ours.p50Ms)} / ${fmtMs(ours.p99Ms)}` : '–',
      fmtRate(peer?.eventsPerSecond),
      peer ? `${fmtMs(peer.p50Ms)} / ${fmtMs(peer.p99Ms)}` : '–',
      fmtRatio(ours && peer ? ours.eventsPerSecond / peer.eventsPerSecond : undefined),
      fmtRate(embedded?.eventsPerSecond),
      embedded ? `${fmtMs(embedded.p50Ms)} / ${fmtMs(embedded.p99Ms)}` : '–',
    ];
  });
  const readRows = store.reads.map((r) => [
    r.adapter,
    r.what,
    fmtRate(r.eventsPerSecond),
    String(r.events) + (r.complete ? '' : ' (time-bounded)'),
    fmtMs(r.msPerRead),
  ]);
  const peerName = store.peerVersion ? `emmett-postgresql ${store.peerVersion}` : 'emmett-postgresql';
  return [
    `### Event store appends (events/s; latency per append p50 / p99 in ms)`,
    '',
    `PostgreSQL ${store.postgresVersion}; embedded = PGlite ${store.pgliteVersion ?? '?'} in a temp folder (one connection: "8 writers" are 8 concurrent async writers). ` +
      `Every append carries an explicit expectation (no stream, then the exact revision). Peer: ${store.peerSkipped ? `skipped — ${store.peerSkipped}` : `${peerName}, same server, its own database`}.`,
    '',
    table(
      ['Shape', 'ours PostgreSQL', 'p50 / p99', peerName, 'p50 / p99', 'ours / peer', 'ours embedded', 'p50 / p99'],
      appendRows,
    ),
    '',
    `### Event store reads`,
    '',
    table(['Adapter', 'Read', 'events/s', 'events', 'ms per read'], readRows, 2),
  ].join('\n');
}

function kafkaMarkdown(kafka: KafkaResults): string {
  const find = (path: KafkaPhase['path'], phase: KafkaPhase['phase']) => kafka.phases.find((p) => p.path === path && p.phase === phase);
  const startup = (p: KafkaPhase | undefined) => (p?.startupSeconds === undefined ? '' : ` (first after ${p.startupSeconds.toFixed(1)} s)`);
  const cell = (p: KafkaPhase | undefined) => (p ? fmtRate(p.messagesPerSecond) + startup(p) + (p.complete ? '' : ' INCOMPLETE') : '–');
  const rows = (['produce', 'consume', 'consume-no-commit'] as const).map((phase) => {
    const raw = find('raw kafkajs', phase === 'consume-no-commit' ? 'consume' : phase);
    const ours = find('libs/messaging', phase);
    return [
      phase === 'consume-no-commit' ? 'consume, transport commit off (attribution)' : phase,
      `${ours ? ours.messages : '–'}`,
      phase === 'consume-no-commit' ? '(as above)' : cell(raw),
      cell(ours),
      fmtRatio(raw && ours ? ours.messagesPerSecond / raw.messagesPerSecond : undefined),
    ];
  });
  return [
    `### Kafka (msgs/s)`,
    '',
    `Brokers ${kafka.brokers.join(',')}${kafka.startedBroker ? ' (started by this run)' : ''}; kafkajs ${kafka.kafkajsVersion ?? '?'}; one topic of ${PARTITIONS} partitions, RF 1, per path; ` +
      `~${PAYLOAD_BYTES}-byte JSON values, 64 keys, batches of ${BATCH}, acks -1, one batch in flight. Consume rates count from the first message ` +
      `(the group join before it is shown apart).`,
    '',
    table(['Phase', 'messages', 'raw kafkajs', 'libs/messaging', 'messaging / raw'], rows),
    '',
    ...kafka.phases.map((p) => `- ${p.path} ${p.phase}: ${p.how}.`),
  ].join('\n');
}

function markdown(report: Report): string {
  return [
    `# Foundation benchmark`,
    '',
    `Latest run only — ${report.date}. Node ${report.node} on ${report.platform}, ${report.cores} cores (${report.cpuModel}), ` +
      `${report.memoryGiB.toFixed(1)} GiB; ${report.secondsPerShape} s per store shape, ${report.messagesPerKafkaPhase} messages per Kafka phase; whole run ${report.durationSeconds.toFixed(0)} s.`,
    '',
    'Reproduce (from the repository root; PostgreSQL at DATABASE_URL and Kafka at KAFKA_BROKERS, or their defaults):',
    '',
    '```sh',
    report.command,
    '```',
    '',
    ...(report.store ? [storeMarkdown(report.store), ''] : []),
    ...(report.kafka ? [kafkaMarkdown(report.kafka), ''] : []),
  ].join('\n');
}

function writeAtomically(path: string, content: string): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flags = parseFlags(args);
  const started = now();
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    console.warn('\nInterrupted: cleaning up what this run created…');
    void runCleanups().finally(() => process.exit(130));
  });

  const env = [
    process.env.DATABASE_URL ? `DATABASE_URL=${maskUrl(process.env.DATABASE_URL)}` : undefined,
    process.env.KAFKA_BROKERS ? `KAFKA_BROKERS=${process.env.KAFKA_BROKERS}` : undefined,
  ].filter(Boolean);
  const command = [
    'npm --prefix bench/peer-emmett ci   # once: the peer emmett-postgresql 0.42',
    `${env.length > 0 ? `${env.join(' ')} ` : ''}npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`,
  ].join('\n');
  console.log(
    `Foundation benchmark: ${flags.seconds} s per store shape, ${flags.messages} messages per Kafka phase` +
      `${flags.only ? `, only ${flags.only}` : ''}; node ${process.version}, ${cpus().length} cores`,
  );

  let store: StoreResults | undefined;
  let kafka: KafkaResults | undefined;
  try {
    if (flags.only !== 'kafka') store = await storeBench(flags.seconds);
    await runCleanups();
    if (flags.only !== 'store') kafka = await kafkaBench(flags.messages);
  } finally {
    if (!interrupted) await runCleanups();
  }

  const report: Report = {
    date: new Date().toISOString(),
    command,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: totalmem() / 2 ** 30,
    secondsPerShape: flags.seconds,
    messagesPerKafkaPhase: flags.messages,
    payloadBytes: PAYLOAD_BYTES,
    durationSeconds: (now() - started) / 1000,
    ...(store ? { store } : {}),
    ...(kafka ? { kafka } : {}),
  };
  const md = markdown(report);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeAtomically(join(RESULTS_DIR, 'foundation.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeAtomically(join(RESULTS_DIR, 'foundation.md'), md);
  console.log(`\n${md}`);
  console.log(`Written: bench/results/foundation.json, bench/results/foundation.md`);

  // Everything is closed, so the process ends on its own; if a handle leaked, say which and stop.
  setTimeout(() => {
    console.warn('Still running 15 s after the end; open handles:', process.getActiveResourcesInfo());
    process.exit(1);
  }, 15_000).unref();
}

main().catch(async (error: unknown) => {
  console.error(error);
  await runCleanups();
  process.exitCode = 1;
});
