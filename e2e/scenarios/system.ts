import { orderIdFor, TOPICS } from '@oms/contracts';
import { createKafka, ensureTopics, physicalTopic, type OutgoingMessage } from '@oms/messaging';
import { TopicReader, type SeenMessage } from '@oms/messaging/testing';
import { ScaledClock } from '@oms/platform';
import { databaseUrl, dropSchema, kafkaBrokers, serviceTestEnv, uniqueName, waitFor } from '@oms/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { ALL_SERVICES } from '../../tools/embedded/services';
import { kafkaLinks } from '../../tools/simulator/link-factories';
import type { SimulatorLinks } from '../../tools/simulator/links';
import { Simulation } from '../../tools/simulator/simulation';
import { orderPlaced, orderWith, SIMULATED_CHANNEL } from '../../tools/simulator/storefront';
import { startServiceProcess, type ServiceProcess } from '../service-processes';
import type { World } from '../../tools/simulator/world';
import { E2E_WORLD } from './world';

/** One simulated hour passes in 10 s of wall-clock time. */
export const SPEED = 360;
export const SERVICES = ['order-intake', 'sourcing', 'supplier-gateway', 'finance-reconciler', 'supplier-performance', 'returns-router'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Topics a scenario reads to see what the services told the world. */
const WATCHED = [TOPICS.omsOrders, TOPICS.supplierPurchaseOrders, TOPICS.sourcingAllocations, TOPICS.financeSettlements, TOPICS.supplierScorecards, TOPICS.returns, TOPICS.wmsShipments];

/**
 * The six services as separate processes on the local Kafka broker and PostgreSQL (a schema each),
 * their clocks sped up together, and the simulated suppliers, warehouse, carrier and returns docks
 * of `E2E_WORLD` talking to them through their topics and HTTP APIs.
 */
export class E2eSystem {
  readonly run = uniqueName('scn');
  /**
   * Every topic of this run is `<run>.<topic>` on the broker (the services' KAFKA_TOPIC_PREFIX), so
   * runs sharing the broker never consume each other's orders, plans or refunds.
   */
  readonly topicPrefix = `${this.run}.`;
  readonly tokens = { gateway: randomBytes(12).toString('hex'), finance: randomBytes(12).toString('hex'), performance: randomBytes(12).toString('hex') };
  readonly anchor = new Date();
  readonly world: World;
  readonly speed: number;
  readonly clock: ScaledClock;
  /** Extra settings for every service (a benchmark's pool sizes, say). */
  private readonly extraEnv: Readonly<Record<string, string>>;
  readonly reader: TopicReader;
  private readonly kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'e2e-scenarios' });
  private processes = new Map<ServiceName, ServiceProcess>();
  private readonly replicas: ServiceProcess[] = [];
  private links: (SimulatorLinks & { close(): Promise<void> }) | undefined;
  simulation: Simulation | undefined;
  readonly notes: string[] = [];

  constructor(options: { world?: World; speed?: number; env?: Record<string, string> } = {}) {
    this.world = options.world ?? E2E_WORLD;
    this.speed = options.speed ?? SPEED;
    this.clock = new ScaledClock({ anchor: this.anchor, speed: this.speed });
    this.extraEnv = options.env ?? {};
    this.reader = new TopicReader(this.kafka, this.topicPrefix);
  }

  /** The broker's name of a contract topic in this run. */
  topic(name: string): string {
    return physicalTopic(this.topicPrefix, name);
  }

  schema(service: ServiceName): string {
    return `${this.run}_${service.replace(/-/g, '_')}`;
  }

  /** Put before each service's name to find its schema (for the dropship CLI). */
  get schemaPrefix(): string {
    return `${this.run}_`;
  }

  async start(): Promise<void> {
    // The run's own topics: its services' new groups read them from the start.
    const topics = [...new Set(ALL_SERVICES.flatMap((d) => [...d.consumes, ...d.publishes]).map((t) => t.name))];
    await ensureTopics(this.kafka, topics.map((name) => ({ name: this.topic(name), partitions: 3, replicationFactor: 1 })));
    const started = await Promise.all(SERVICES.map(async (name) => [name, await startServiceProcess(name, this.envOf(name), 120_000)] as const));
    this.processes = new Map(started);
    await this.reader.follow(WATCHED.map((t) => t.name));
    this.links = await kafkaLinks(
      kafkaBrokers(),
      { gatewayUrl: this.url('supplier-gateway'), returnsUrl: this.url('returns-router'), gatewayAdminToken: this.tokens.gateway, clock: this.clock, log: (line) => this.notes.push(line) },
      { partitions: 3, topicPrefix: this.topicPrefix },
    );
    this.simulation = await Simulation.start({ world: this.world, scenario: 'mixed', seed: this.run, ratePerMinute: 0, links: this.links, summary: false, tickMs: 200 });
    // An order placed before sourcing has heard a node's stock finds nothing to plan on: wait for
    // every node's feed (the warehouse's from the simulator, the suppliers' through the gateway).
    for (const node of [...this.world.warehouses.map((w) => ({ id: w.nodeId, offers: w.offers })), ...this.world.suppliers.map((s) => ({ id: s.supplierId, offers: s.offers }))]) {
      for (const { sku } of node.offers) {
        await this.until<{ stock?: { levels: Record<string, { quantity: number }> } }>('sourcing', `/nodes/${node.id}`, (n) => (n.stock?.levels[sku]?.quantity ?? 0) > 0, `${node.id}'s stock of ${sku} in sourcing`);
      }
    }
  }

  private envOf(name: ServiceName): Record<string, string> {
    return {
      ...serviceTestEnv({ brokers: kafkaBrokers(), databaseUrl: databaseUrl(), schema: this.schema(name), groupId: `${this.run}-${name}`, partitions: 3 }),
      KAFKA_TOPIC_PREFIX: this.topicPrefix,
      EVENT_STORE: 'postgres',
      EVENT_STORE_POOL_SIZE: '3',
      CLOCK_SPEED: String(this.speed),
      CLOCK_ANCHOR: this.anchor.toISOString(),
      // `ready on <url>` (level log) is how the harness finds each process's port.
      LOG_LEVEL: 'log',
      GATEWAY_ADMIN_TOKEN: this.tokens.gateway,
      GATEWAY_SECRETS_KEY: 'b2'.repeat(32),
      GATEWAY_DEADLINE_POLL_MS: '250',
      BRAND_NAME: 'Northwind Home',
      BRAND_RETURN_ADDRESS: JSON.stringify({ name: 'Northwind Returns', line1: '9 Dock Rd', city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' }),
      FINANCE_API_TOKEN: this.tokens.finance,
      PERFORMANCE_ADMIN_TOKEN: this.tokens.performance,
      // A scorecard judges a supplier after three finished POs (the default waits for ten).
      PERFORMANCE_MIN_SAMPLE: '3',
      RETURNS_EXPIRY_POLL_MS: '1000',
      ...this.extraEnv,
    };
  }

  /** The service's process id (a benchmark reads its CPU time and peak memory). */
  pid(service: ServiceName): number {
    const pid = this.processes.get(service)?.child.pid;
    if (pid === undefined) throw new Error(`${service} is not running`);
    return pid;
  }

  /** Whether the service's process is running (not killed, not exited). */
  alive(service: ServiceName): boolean {
    const child = this.processes.get(service)?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** Kills the service's process with this signal (SIGKILL: no shutdown hooks) and waits for it to end. */
  async kill(service: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const process = this.processes.get(service);
    if (!process) throw new Error(`${service} is not running`);
    const child = process.child;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      await exited;
    }
  }

  /**
   * Starts the service again with the same environment, schema, consumer group and port (after
   * `kill`): whoever calls its HTTP API — the simulated suppliers, the returns docks — finds it
   * where it was, as behind a load balancer.
   */
  async restart(service: ServiceName, timeoutMs = 120_000): Promise<void> {
    if (this.alive(service)) throw new Error(`${service} is still running: kill it first`);
    const port = new URL(this.url(service)).port;
    this.processes.set(service, await startServiceProcess(service, { ...this.envOf(service), HTTP_PORT: port }, timeoutMs));
  }

  /** Starts one more process of a service (same environment, schema and group): a second replica. */
  async startReplica(service: ServiceName, timeoutMs = 120_000): Promise<ServiceProcess> {
    const replica = await startServiceProcess(service, this.envOf(service), timeoutMs);
    this.replicas.push(replica);
    return replica;
  }

  url(service: ServiceName): string {
    const process = this.processes.get(service);
    if (!process) throw new Error(`${service} is not running`);
    return process.url;
  }

  /** Places an order for these skus through the storefront's topic; resolves with its OMS id. */
  async placeOrder(externalOrderId: string, items: readonly { sku: string; quantity: number }[], headers: Record<string, string> = {}): Promise<{ orderId: string; externalOrderId: string }> {
    const external = `${this.run}-${externalOrderId}`;
    await this.publish({ ...orderPlaced(orderWith(this.world, external, items, this.clock.now()), this.clock.now()), headers });
    return { orderId: orderIdFor(SIMULATED_CHANNEL, external), externalOrderId: external };
  }

  async publish(...messages: OutgoingMessage[]): Promise<void> {
    await this.links!.publisher.publish(messages);
  }

  /** A service's JSON API (with the token it wants, if any). */
  async get<T = Record<string, unknown>>(service: ServiceName, path: string): Promise<{ status: number; body: T }> {
    const token = service === 'supplier-gateway' ? this.tokens.gateway : service === 'finance-reconciler' ? this.tokens.finance : undefined;
    const response = await fetch(`${this.url(service)}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: (await response.json()) as T };
  }

  /**
   * From now on every message the simulated world (and `publish`) sends goes out three times: as
   * is, again with the same event id, and once more as a new event (new id) with identical content.
   */
  deliverEveryInputThrice(): void {
    const publisher = this.links!.publisher;
    const publish = publisher.publish.bind(publisher);
    publisher.publish = async (messages: readonly OutgoingMessage[]) => {
      await publish(messages);
      await publish(messages);
      await publish(messages.map((m) => ({ ...m, eventId: randomUUID() })));
    };
  }

  /** Waits until a service's view satisfies `done`, and returns it. */
  async until<T = Record<string, unknown>>(service: ServiceName, path: string, done: (body: T) => boolean, what: string, timeoutMs = 90_000): Promise<T> {
    let last: unknown;
    try {
      return await waitFor(
        async () => {
          const reply = await this.get<T>(service, path);
          last = reply.body;
          return reply.status === 200 && done(reply.body) ? reply.body : undefined;
        },
        { what, timeoutMs },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\nlast seen: ${JSON.stringify(last, null, 1)?.slice(0, 3000)}`);
    }
  }

  /** Messages of one topic about one order (key = order id), in arrival order. */
  about(topic: string, orderId: string, type?: string): SeenMessage[] {
    return this.reader.seen.filter((m) => m.topic === topic && m.key === orderId && (type === undefined || m.type === type));
  }

  /** Settlement events about an order, by type, in arrival order. */
  settlements(orderId: string, type?: string): Record<string, unknown>[] {
    return this.about(TOPICS.financeSettlements.name, orderId, type).map((m) => m.payload);
  }

  async stop(): Promise<void> {
    await this.simulation?.stop().catch(() => undefined);
    await this.links?.close().catch(() => undefined);
    await this.reader.close().catch(() => undefined);
    await Promise.all([...this.processes.values(), ...this.replicas].map((p) => p.stop()));
    await Promise.all(SERVICES.map((s) => dropSchema(this.schema(s))));
    await this.deleteTopics().catch(() => undefined);
  }

  /** The run's topics go with it: a shared broker would otherwise gather every run's partitions. */
  private async deleteTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const mine = (await admin.listTopics()).filter((t) => t.startsWith(this.topicPrefix));
      if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 30_000 });
    } finally {
      await admin.disconnect();
    }
  }
}
