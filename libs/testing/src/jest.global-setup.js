// Starts (or finds) the real infrastructure the integration tests need, once per run:
//  - Kafka: KAFKA_BROKERS when set; otherwise a Docker engine through testcontainers when one
//    answers; otherwise the repo's own broker from Maven Central (deploy/kafka-local).
//  - PostgreSQL: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test (must be running).
//  - KurrentDB: only when EVENTSTORE_URL is set; its suite reports itself skipped otherwise.
const { execFileSync, spawnSync } = require('node:child_process');
const path = require('node:path');
const { Client } = require('pg');

const root = path.resolve(__dirname, '../../..');

function dockerEngineAnswers() {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5000, encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim().length > 0;
}

async function ensureKafka() {
  if (process.env.KAFKA_BROKERS) return `given KAFKA_BROKERS=${process.env.KAFKA_BROKERS}`;
  if (dockerEngineAnswers()) {
    const { KafkaContainer } = require('@testcontainers/kafka');
    const container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
    globalThis.__OMS_KAFKA_CONTAINER__ = container;
    process.env.KAFKA_BROKERS = `${container.getHost()}:${container.getMappedPort(9093)}`;
    return `testcontainers at ${process.env.KAFKA_BROKERS}`;
  }
  execFileSync('bash', [path.join(root, 'deploy/kafka-local/kafka-local.sh'), 'start'], { stdio: 'inherit' });
  process.env.KAFKA_BROKERS = `127.0.0.1:${process.env.KAFKA_LOCAL_PORT || 9092}`;
  return `deploy/kafka-local at ${process.env.KAFKA_BROKERS}`;
}

async function ensurePostgres() {
  process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';
  const client = new Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version');
    return `PostgreSQL ${rows[0].server_version}`;
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${process.env.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}: ${error.message}. Start it (see README) or set DATABASE_URL.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

module.exports = async function globalSetup() {
  const [kafka, postgres] = await Promise.all([ensureKafka(), ensurePostgres()]);
  const kurrent = process.env.EVENTSTORE_URL
    ? `KurrentDB suite runs against ${process.env.EVENTSTORE_URL}`
    : 'KurrentDB suite SKIPPED: EVENTSTORE_URL is not set (docker compose up eventstore provides one)';
  process.stdout.write(`\n[integration] Kafka: ${kafka}\n[integration] ${postgres}\n[integration] ${kurrent}\n`);
};
