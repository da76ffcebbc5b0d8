import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { checkCompose, environmentOf } from './compose';
import { formatFinding } from './findings';
import { readRepoFacts, type RepoFacts } from './repo-facts';

const root = resolve(__dirname, '../..');
type Compose = { services: Record<string, Record<string, unknown> & { environment?: Record<string, unknown> }> };

describe('docker-compose.yml check', () => {
  let facts: RepoFacts;
  let real: Compose;
  beforeAll(() => {
    facts = readRepoFacts(root);
    real = parseDocument(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }).toJS() as Compose;
  });
  const problems = (change: (doc: Compose) => void): string[] => {
    const doc = structuredClone(real);
    change(doc);
    return checkCompose(doc, facts).map(formatFinding);
  };

  it('accepts the real file: six service containers from the one image, the topic job, the infrastructure', () => {
    expect(problems(() => undefined)).toEqual([]);
    const containers = Object.values(real.services).filter((s) => environmentOf(s).has('SERVICE'));
    expect(containers.map((s) => environmentOf(s).get('SERVICE')).sort()).toEqual([...facts.services.keys()].sort());
    expect(new Set(containers.map((s) => s['image']))).toEqual(new Set(['dropship-oms:local']));
  });

  it('rejects a key the Compose Specification does not have', () => {
    expect(
      problems((doc) => {
        doc.services['kafka']!['helthcheck'] = doc.services['kafka']!['healthcheck'];
      }),
    ).toEqual(['docker-compose.yml services.kafka: must NOT have additional properties "helthcheck"']);
  });

  it('rejects a wrongly typed value', () => {
    expect(
      problems((doc) => {
        doc.services['postgres']!['ports'] = '5432:5432';
      }),
    ).toContain('docker-compose.yml services.postgres.ports: must be array');
  });

  it('rejects a container with neither image nor build', () => {
    expect(
      problems((doc) => {
        delete doc.services['postgres']!['image'];
      }),
    ).toEqual(['docker-compose.yml services.postgres: neither image nor build']);
    expect(
      problems((doc) => {
        delete doc.services['sourcing']!['image'];
      }),
    ).toEqual(['docker-compose.yml services.sourcing: a service container needs both build (the Dockerfile) and image (its tag)']);
  });

  it('rejects a variable the service does not read, even one another service reads', () => {
    expect(
      problems((doc) => {
        doc.services['sourcing']!.environment!['SOURCING_SPLIT_PENALTI'] = '300';
        doc.services['finance-reconciler']!.environment!['GATEWAY_ADMIN_TOKEN'] = 'x'.repeat(20);
      }),
    ).toEqual([
      'docker-compose.yml services.sourcing: sets SOURCING_SPLIT_PENALTI, which sourcing does not read',
      'docker-compose.yml services.finance-reconciler: sets GATEWAY_ADMIN_TOKEN, which finance-reconciler does not read',
    ]);
  });

  it('rejects a service container that is not one of apps/, and a service of apps/ that runs nowhere', () => {
    expect(
      problems((doc) => {
        doc.services['sourcing']!.environment!['SERVICE'] = 'sourcerer';
      }),
    ).toEqual([
      "docker-compose.yml services.sourcing: SERVICE is 'sourcerer', not a service in apps/",
      'docker-compose.yml services: no service container runs apps/sourcing',
    ]);
  });

  it('rejects Kafka or PostgreSQL through the container loopback, and a start before the topics exist', () => {
    expect(
      problems((doc) => {
        doc.services['returns-router']!.environment!['KAFKA_BROKERS'] = '127.0.0.1:9092';
        doc.services['returns-router']!['depends_on'] = { kafka: { condition: 'service_healthy' } };
      }),
    ).toEqual([
      "docker-compose.yml services.returns-router: KAFKA_BROKERS points at the container's own loopback: use the service name (e.g. kafka:19092)",
      'docker-compose.yml services.returns-router: does not wait for kafka-topics to complete (service_completed_successfully)',
    ]);
  });

  it('rejects waiting on the health of a container without a healthcheck, or on a container that does not exist', () => {
    expect(
      problems((doc) => {
        delete doc.services['postgres']!['healthcheck'];
        doc.services['kafka']!['depends_on'] = ['zookeeper'];
      }),
    ).toEqual(expect.arrayContaining([
      'docker-compose.yml services.kafka: depends on zookeeper, which is not a service here',
      'docker-compose.yml services.order-intake: waits for postgres to be healthy, but postgres has no healthcheck',
    ]));
  });

  it('rejects a topic job that lists a topic not in libs/contracts, the wrong partitions, or misses one', () => {
    const changed = (edit: (lines: string[]) => string[]) =>
      problems((doc) => {
        const env = doc.services['kafka-topics']!.environment!;
        env['TOPICS'] = edit(String(env['TOPICS']).trim().split('\n')).join('\n');
      });
    expect(changed((lines) => [...lines, 'oms.order.v1 12'])).toEqual([
      'docker-compose.yml services.kafka-topics: oms.order.v1 is not a topic of libs/contracts (nor the dead-letter topic of a consumed one)',
    ]);
    expect(changed((lines) => lines.map((l) => (l === 'oms.orders.v1 12' ? 'oms.orders.v1 6' : l)))).toEqual([
      'docker-compose.yml services.kafka-topics: oms.orders.v1 with 6 partitions; libs/contracts says 12',
    ]);
    expect(changed((lines) => lines.filter((l) => !l.startsWith('returns.returns.v1.dlq ')))).toEqual([
      'docker-compose.yml services.kafka-topics: returns.returns.v1.dlq is missing',
    ]);
    // Nobody consumes the diagnostic replies: no dead-letter topic for them.
    expect(changed((lines) => [...lines, 'oms.diagnostic-replies.v1.dlq 3'])).toEqual([
      'docker-compose.yml services.kafka-topics: oms.diagnostic-replies.v1.dlq is not a topic of libs/contracts (nor the dead-letter topic of a consumed one)',
    ]);
  });
});
