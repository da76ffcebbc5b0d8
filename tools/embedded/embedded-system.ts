import { DIAGNOSTIC_PING_REQUESTED, TOPICS } from '@oms/contracts';
import { EmbeddedDatabase } from '@oms/event-store';
import { InProcessBroker, InProcessPublisher } from '@oms/messaging';
import { startService, type Clock, type RunningService } from '@oms/platform';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ALL_SERVICES } from './services';

export interface EmbeddedSystemOptions {
  /** Folder for the embedded store and the broker's journal; undefined keeps everything in memory. */
  readonly dataDir: string | undefined;
  /** First HTTP port; the services take the next five. 0 picks free ports. */
  readonly portBase: number;
  readonly logLevel?: 'error' | 'warn' | 'log';
  /** More settings for every service (tokens, a sped-up clock's anchor, policies). */
  readonly env?: Readonly<Record<string, string>>;
  /** The services' clock (a simulation's sped-up one); the wall clock by default. */
  readonly clock?: Clock;
}

export interface EmbeddedSystem {
  readonly services: readonly RunningService[];
  readonly broker: InProcessBroker;
  /** Sends a diagnostic ping and resolves with the services that answered it. */
  ping(timeoutMs?: number): Promise<string[]>;
  close(): Promise<void>;
}

/** All six services in one process, on the in-process transport and one embedded database. */
export async function startEmbeddedSystem(options: EmbeddedSystemOptions): Promise<EmbeddedSystem> {
  const database = await EmbeddedDatabase.open(options.dataDir);
  let broker: InProcessBroker;
  try {
    // PGlite uses the data folder itself as its PostgreSQL data directory; PostgreSQL names nothing
    // there `broker`, so the journal gets its own subfolder beside the database's files.
    broker = InProcessBroker.open(options.dataDir ? join(options.dataDir, 'broker') : undefined);
  } catch (error) {
    await database.close();
    throw error;
  }
  const services: RunningService[] = [];
  try {
    for (const descriptor of ALL_SERVICES) {
      services.push(
        await startService(descriptor, {
          embedded: { database, broker },
          env: {
            MESSAGING_TRANSPORT: 'in-process',
            EVENT_STORE: 'embedded',
            HTTP_HOST: '127.0.0.1',
            HTTP_PORT: String(options.portBase === 0 ? 0 : options.portBase + (descriptor.defaultHttpPort - 3001)),
            LOG_LEVEL: options.logLevel ?? 'warn',
            LOG_FORMAT: 'text',
            // One key vault for the six services: an erasure by order intake holds for the gateway too.
            ...(options.dataDir ? { PRIVACY_VAULT: 'embedded', PRIVACY_VAULT_DIR: join(options.dataDir, 'privacy') } : { PRIVACY_VAULT: 'memory' }),
            ...options.env,
          },
          ...(options.clock ? { clock: options.clock } : {}),
        }),
      );
    }
  } catch (error) {
    for (const service of services.reverse()) await service.close();
    broker.close();
    await database.close();
    throw error;
  }
  const publisher = new InProcessPublisher(broker, 'embedded-runner');

  return {
    services,
    broker,
    async ping(timeoutMs = 15_000) {
      const pingId = randomUUID();
      await publisher.publish([
        {
          topic: TOPICS.diagnostics.name,
          key: pingId,
          eventId: randomUUID(),
          type: DIAGNOSTIC_PING_REQUESTED,
          schemaVersion: 1,
          occurredAt: new Date().toISOString(),
          correlationId: pingId,
          payload: { pingId, requestedAt: new Date().toISOString() },
        },
      ]);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const answered = broker
          .records(TOPICS.diagnosticReplies.name)
          .map((r) => JSON.parse(r.value!.toString()) as { pingId: string; service: string })
          .filter((reply) => reply.pingId === pingId)
          .map((reply) => reply.service);
        if (answered.length >= services.length || Date.now() > deadline) return [...new Set(answered)];
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      for (const service of [...services].reverse()) await service.close();
      broker.close();
      await database.close();
    },
  };
}


