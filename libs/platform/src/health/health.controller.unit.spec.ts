import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { EventStore } from '@oms/event-store';
import type { ProbeResult, RelayStatus, StoreRelay } from '@oms/messaging';
import { EVENT_STORE, SERVICE_RUNTIME } from '../tokens';
import { HealthController, type HealthSources } from './health.controller';

/** What each fake answers; reset before every test, changed by the test to break one dependency. */
interface World {
  ping: () => Promise<void>;
  probe: () => Promise<ProbeResult>;
  relay: RelayStatus;
}

const healthyRelay: RelayStatus = {
  running: true,
  position: { commit: 42n, prepare: 7n },
  published: 12,
  lastError: undefined,
  standby: false,
};

let world: World;

const fakeStore = { name: 'fake-store', ping: () => world.ping() } as unknown as EventStore;
const runtime: HealthSources = {
  serviceName: 'health-spec',
  messaging: { kind: 'in-process', probe: () => world.probe() } as unknown as HealthSources['messaging'],
  relay: { status: () => world.relay } as unknown as StoreRelay,
};

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [
    { provide: EVENT_STORE, useValue: fakeStore },
    { provide: SERVICE_RUNTIME, useValue: runtime },
  ],
})
class HealthSpecModule {}

let app: INestApplication;
let baseUrl: string;

beforeAll(async () => {
  app = await NestFactory.create(HealthSpecModule, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  baseUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await app?.close();
});

beforeEach(() => {
  world = {
    ping: async () => undefined,
    probe: async () => ({ up: true, detail: { transport: 'in-process' } }),
    relay: healthyRelay,
  };
});

interface HealthBody {
  status: string;
  info: Record<string, Record<string, unknown>>;
  error: Record<string, Record<string, unknown>>;
  details: Record<string, Record<string, unknown>>;
}

async function get(path: string): Promise<{ status: number; body: HealthBody }> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { connection: 'close' } });
  return { status: response.status, body: (await response.json()) as HealthBody };
}

describe('HealthController', () => {
  describe('/health/live', () => {
    it('answers 200 with the service name and pid', async () => {
      const { status, body } = await get('/health/live');
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
      expect(body.info).toEqual({ process: { status: 'up', service: 'health-spec', pid: process.pid } });
      expect(body.error).toEqual({});
    });

    it('stays 200 while the store, the broker and the relay are all down', async () => {
      world.ping = async () => Promise.reject(new Error('connection refused'));
      world.probe = async () => ({ up: false, detail: { error: 'no brokers' } });
      world.relay = { ...healthyRelay, running: false, lastError: 'boom' };
      const { status, body } = await get('/health/live');
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
      expect(Object.keys(body.details)).toEqual(['process']);
    });
  });

  describe.each(['/health/ready', '/health'])('%s', (path) => {
    it('answers 200 with the details of store, broker and relay when all are up', async () => {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
      expect(body.error).toEqual({});
      expect(body.details).toEqual({
        store: { status: 'up', adapter: 'fake-store' },
        broker: { status: 'up', transport: 'in-process' },
        relay: { status: 'up', position: '42/7', published: 12, standby: false },
      });
      expect(body.info).toEqual(body.details);
    });

    it('answers 503 naming the store, with the error message, when ping rejects', async () => {
      world.ping = async () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:5432'));
      const { status, body } = await get(path);
      expect(status).toBe(503);
      expect(body.status).toBe('error');
      expect(body.error).toEqual({ store: { status: 'down', adapter: 'fake-store', error: 'ECONNREFUSED 127.0.0.1:5432' } });
      expect(Object.keys(body.info).sort()).toEqual(['broker', 'relay']);
      expect(body.details['store']).toEqual(body.error['store']);
    });

    it('answers 503 naming the broker when the probe reports down, carrying its detail through', async () => {
      world.probe = async () => ({
        up: false,
        detail: { brokers: 3, consumerRunning: false, producerConnected: true, consumerError: 'group coordinator unavailable' },
      });
      const { status, body } = await get(path);
      expect(status).toBe(503);
      expect(body.status).toBe('error');
      expect(body.error).toEqual({
        broker: {
          status: 'down',
          transport: 'in-process',
          brokers: 3,
          consumerRunning: false,
          producerConnected: true,
          consumerError: 'group coordinator unavailable',
        },
      });
      expect(Object.keys(body.info).sort()).toEqual(['relay', 'store']);
    });

    it('answers 503 naming the relay when it has a last error and is not on standby', async () => {
      world.relay = { ...healthyRelay, lastError: 'publish failed: broker not available' };
      const { status, body } = await get(path);
      expect(status).toBe(503);
      expect(body.status).toBe('error');
      expect(body.error).toEqual({
        relay: { status: 'down', position: '42/7', published: 12, standby: false, lastError: 'publish failed: broker not available' },
      });
      expect(Object.keys(body.info).sort()).toEqual(['broker', 'store']);
    });

    it('answers 503 naming the relay when it is not running', async () => {
      world.relay = { ...healthyRelay, running: false };
      const { status, body } = await get(path);
      expect(status).toBe(503);
      expect(Object.keys(body.error)).toEqual(['relay']);
    });

    it('answers 200 while the relay stands by because another instance holds the checkpoint', async () => {
      world.relay = { ...healthyRelay, standby: true, lastError: 'checkpoint order-intake.relay moved by another instance' };
      const { status, body } = await get(path);
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
      expect(body.details['relay']).toEqual({
        status: 'up',
        position: '42/7',
        published: 12,
        standby: true,
        lastError: 'checkpoint order-intake.relay moved by another instance',
      });
    });

    it('names every failing check at once', async () => {
      world.ping = async () => Promise.reject(new Error('store down'));
      world.probe = async () => ({ up: false, detail: { error: 'describeCluster timed out after 3000 ms' } });
      world.relay = { ...healthyRelay, lastError: 'stuck' };
      const { status, body } = await get(path);
      expect(status).toBe(503);
      expect(Object.keys(body.error).sort()).toEqual(['broker', 'relay', 'store']);
      expect(body.info).toEqual({});
      expect(body.error['store']).toMatchObject({ error: 'store down' });
      expect(body.error['broker']).toMatchObject({ error: 'describeCluster timed out after 3000 ms' });
    });
  });
});
