import { Logger, Module, type DynamicModule, type INestApplication, type LogLevel, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { declaredTypes, TOPICS, type TopicDefinition } from '@oms/contracts';
import {
  EmbeddedDatabase,
  openEmbeddedEventStore,
  openKurrentDbEventStore,
  openPostgresEventStore,
  NO_UPCASTERS,
  upcastingStore,
  type EventStore,
} from '@oms/event-store';
import {
  InProcessBroker,
  RethrowRpcExceptionsFilter,
  StoreRelay,
  createInProcessMessaging,
  createKafkaMessaging,
  type MessagingRuntime,
  type TopicSpec,
} from '@oms/messaging';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { installTracing, inSpan, JsonLogger, ServiceMetrics } from '@oms/telemetry';
import { ScaledClock, systemClock, type Clock } from './clock';
import { loadEnv } from './config/load-env';
import { ServiceEnv } from './config/service-env';
import { DIAGNOSTICS_CATEGORY, DiagnosticsModule, diagnosticMessages } from './diagnostics/diagnostics';
import { HealthController } from './health/health.controller';
import { MetricsController } from './observability/metrics.controller';
import { tracedStore } from './observability/traced-store';
import type { ServiceDescriptor } from './service-descriptor';
import { CLOCK, EVENT_STORE, SERVICE_ENV, SERVICE_METRICS, SERVICE_RUNTIME } from './tokens';
import type { NestExpressApplication } from '@nestjs/platform-express';

export interface StartServiceOptions {
  /** Defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Shared infrastructure of the embedded run: one PGlite database and one in-process broker. */
  readonly embedded?: { readonly database: EmbeddedDatabase; readonly broker: InProcessBroker };
  readonly clock?: Clock;
  readonly logger?: LoggerService | false;
}

export interface RunningService<Env extends ServiceEnv = ServiceEnv> {
  readonly name: string;
  readonly env: Env;
  readonly app: INestApplication;
  readonly store: EventStore;
  readonly messaging: MessagingRuntime;
  readonly relay: StoreRelay;
  /** Base URL of the HTTP API (health, commands). */
  readonly url: string;
  close(): Promise<void>;
}

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Starts one service: validated configuration → event store → topics → NestJS app (HTTP + message
 * transport) → relay. The same path for a service process, an integration test and the embedded run.
 */
export async function startService<Env extends ServiceEnv>(
  descriptor: ServiceDescriptor<Env>,
  options: StartServiceOptions = {},
): Promise<RunningService<Env>> {
  const env = loadEnv((descriptor.env ?? ServiceEnv) as new () => Env, options.env ?? process.env);
  const log = new Logger(descriptor.name);
  const clock = options.clock ?? (env.CLOCK_SPEED === 1 ? systemClock : new ScaledClock({ anchor: new Date(env.CLOCK_ANCHOR!), speed: env.CLOCK_SPEED }));
  if (!options.clock && env.CLOCK_SPEED !== 1) log.warn(`clock runs ${env.CLOCK_SPEED}× faster than the wall clock from ${env.CLOCK_ANCHOR} (simulation)`);
  const cleanup: (() => Promise<unknown>)[] = [];
  // One tracer provider per process: in the embedded run the six services share it.
  installTracing({ serviceName: options.embedded ? 'dropship-oms' : descriptor.name, ...(env.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT } : {}) });
  const metrics = new ServiceMetrics(descriptor.name);
  try {
    // Old event versions are upcast on every read; appends carry the version written.
    const store = upcastingStore(tracedStore(await openStore(descriptor.name, env, options.embedded?.database)), descriptor.upcasters ?? NO_UPCASTERS);
    cleanup.push(() => store.close());

    const messaging = openMessaging(descriptor.name, env, options.embedded?.broker, log);
    cleanup.push(() => messaging.close());
    messaging.strategy.observe(descriptor.name, {
      delivered: (topic, type, outcome, seconds) => {
        metrics.handled.inc({ topic, type, outcome });
        metrics.handlerDuration.observe({ topic }, seconds);
        if (outcome === 'dead-lettered') metrics.deadLettered.inc({ topic });
      },
      lag: (topic, partition, messages) => metrics.consumerLag.set({ topic, partition: String(partition) }, messages),
    });
    for (const topic of [...descriptor.consumes, TOPICS.diagnostics]) {
      const types = declaredTypes(topic.name);
      if (types) messaging.strategy.declareTypes(topic.name, types);
    }
    const spec = (t: TopicDefinition): TopicSpec => ({
      name: t.name,
      partitions: env.KAFKA_PARTITIONS ?? t.partitions,
      replicationFactor: env.KAFKA_REPLICATION_FACTOR,
      configs: { 'min.insync.replicas': String(env.KAFKA_MIN_INSYNC_REPLICAS) },
    });
    await messaging.ensureTopics(
      [...descriptor.publishes, TOPICS.diagnosticReplies].map(spec),
      [...descriptor.consumes, TOPICS.diagnostics].map(spec),
    );

    const relay = new StoreRelay({
      name: `${descriptor.name}.relay`,
      store,
      publisher: messaging.publisher,
      categories: [...descriptor.categories, DIAGNOSTICS_CATEGORY],
      toMessages: (event) => [...descriptor.toMessages(event), ...diagnosticMessages(event)],
      log: (level, message) => (level === 'error' ? log.error(message) : level === 'warn' ? log.warn(message) : log.log(message)),
      onPublished: (messages) => metrics.relayPublished.inc(messages),
    });
    const relayed = [...descriptor.categories, DIAGNOSTICS_CATEGORY];
    metrics.gauge('oms_relay_lag_events', "Stored events of the service's own categories the relay has not published yet (counted up to 10,000)", [], async (set) => {
      set({}, (await store.readAll({ after: relay.status().position, categories: relayed, maxCount: 10_000 }).catch(() => [])).length);
    });

    const app = await NestFactory.create<NestExpressApplication>(
      rootModule(descriptor, store, clock, env, metrics, { serviceName: descriptor.name, messaging, relay }),
      {
        logger: options.logger ?? (env.LOG_FORMAT === 'json' ? new JsonLogger(descriptor.name, env.LOG_LEVEL) : LEVELS.slice(0, LEVELS.indexOf(env.LOG_LEVEL) + 1)),
        abortOnError: false,
        rawBody: descriptor.http?.rawBody ?? false,
      },
    );
    app.useBodyParser('json', { limit: descriptor.http?.bodyLimit ?? '1mb' });
    if (descriptor.http?.textTypes) app.useBodyParser('text', { type: [...descriptor.http.textTypes], limit: descriptor.http.bodyLimit ?? '1mb' });
    cleanup.unshift(() => app.close());
    app.useGlobalFilters(new RethrowRpcExceptionsFilter(app.getHttpAdapter()));
    // A span per HTTP request, continuing the caller's trace (`traceparent`) when it sends one.
    app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
      const carrier = Object.fromEntries(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
      void inSpan(descriptor.name, `HTTP ${req.method ?? ''}`, 'server', carrier, {}, { 'http.request.method': req.method ?? '', 'url.path': (req.url ?? '').split('?')[0]! }, () =>
        new Promise<void>((resolve) => {
          res.once('finish', resolve);
          res.once('close', resolve);
          next();
        }),
      );
    });
    app.connectMicroservice({ strategy: messaging.strategy }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await relay.start();
    cleanup.unshift(() => relay.stop());
    await app.listen(env.HTTP_PORT ?? descriptor.defaultHttpPort, env.HTTP_HOST);
    const address = app.getHttpServer().address() as { port: number } | string;
    const port = typeof address === 'string' ? address : address.port;
    const url = `http://${env.HTTP_HOST === '0.0.0.0' ? '127.0.0.1' : env.HTTP_HOST}:${port}`;
    log.log(`ready on ${url} (store: ${store.name}, transport: ${messaging.kind})`);

    let closing: Promise<void> | undefined;
    return {
      name: descriptor.name,
      env,
      app,
      store,
      messaging,
      relay,
      url,
      close: () => (closing ??= runAll(cleanup)),
    };
  } catch (error) {
    await runAll(cleanup);
    throw error;
  }
}

async function runAll(steps: readonly (() => Promise<unknown>)[]): Promise<void> {
  for (const step of steps) await step().catch(() => undefined);
}

async function openStore(service: string, env: ServiceEnv, shared: EmbeddedDatabase | undefined): Promise<EventStore> {
  const schema = env.EVENT_STORE_SCHEMA ?? service.replace(/-/g, '_');
  switch (env.EVENT_STORE) {
    case 'postgres':
      return openPostgresEventStore({ connectionString: env.DATABASE_URL!, schema, poolSize: env.EVENT_STORE_POOL_SIZE });
    case 'embedded':
      return shared ? shared.openStore({ schema }) : openEmbeddedEventStore({ dataDir: join(env.DATA_DIR, service), schema });
    case 'kurrentdb':
      return openKurrentDbEventStore({ connectionString: env.EVENTSTORE_URL! });
    default: {
      const never: never = env.EVENT_STORE;
      throw new Error(`Unknown EVENT_STORE ${String(never)}`);
    }
  }
}

function openMessaging(service: string, env: ServiceEnv, broker: InProcessBroker | undefined, log: Logger): MessagingRuntime {
  const retry = { maxAttempts: env.CONSUMER_MAX_ATTEMPTS, initialBackoffMs: env.CONSUMER_BACKOFF_MS, maxBackoffMs: 10_000 };
  const onDeadLetter = (info: { topic: string; partition: number; offset: string; error: unknown }) =>
    log.warn(`dead-lettered ${info.topic}[${info.partition}]@${info.offset}: ${(info.error as Error)?.message ?? String(info.error)}`);
  if (env.MESSAGING_TRANSPORT === 'in-process') {
    return createInProcessMessaging({
      broker: broker ?? new InProcessBroker(),
      groupId: env.KAFKA_GROUP_ID ?? service,
      producerName: service,
      retry,
      onDeadLetter,
    });
  }
  return createKafkaMessaging({
    connection: {
      brokers: env.KAFKA_BROKERS!.split(','),
      clientId: env.KAFKA_CLIENT_ID ?? service,
      ...(env.KAFKA_TOPIC_PREFIX ? { topicPrefix: env.KAFKA_TOPIC_PREFIX } : {}),
      ssl: env.KAFKA_SSL,
      ...(env.KAFKA_SASL_MECHANISM
        ? { sasl: { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME!, password: env.KAFKA_SASL_PASSWORD! } }
        : {}),
      log: (level, message) => (level === 'error' ? log.error(message) : level === 'warn' ? log.warn(message) : log.debug(message)),
    },
    groupId: env.KAFKA_GROUP_ID ?? service,
    producerName: service,
    retry,
    partitionsConsumedConcurrently: env.KAFKA_CONSUMER_CONCURRENCY,
    sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
    onDeadLetter,
  });
}

@Module({})
class ServiceRootModule {}

function rootModule(
  descriptor: ServiceDescriptor<ServiceEnv>,
  store: EventStore,
  clock: Clock,
  env: ServiceEnv,
  metrics: ServiceMetrics,
  runtime: { serviceName: string; messaging: MessagingRuntime; relay: StoreRelay },
): DynamicModule {
  return {
    module: ServiceRootModule,
    global: true,
    imports: [TerminusModule, DiagnosticsModule, descriptor.module],
    controllers: [HealthController, MetricsController],
    providers: [
      { provide: SERVICE_METRICS, useValue: metrics },
      { provide: EVENT_STORE, useValue: store },
      { provide: CLOCK, useValue: clock },
      { provide: SERVICE_RUNTIME, useValue: runtime },
      { provide: SERVICE_ENV, useValue: env },
    ],
    exports: [EVENT_STORE, CLOCK, SERVICE_RUNTIME, SERVICE_ENV, SERVICE_METRICS],
  };
}
