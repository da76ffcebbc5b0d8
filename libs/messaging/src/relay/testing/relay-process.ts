/**
 * A relay in its own process, for the crash test: with RELAY_FAULT=kill-after-publish it SIGKILLs
 * itself right after Kafka acknowledged its first batch and before the checkpoint is stored.
 */
import { openPostgresEventStore } from '@oms/event-store';
import { createKafka } from '../../kafka/kafka-connection';
import { KafkaPublisher } from '../../kafka/kafka-publisher';
import type { MessagePublisher } from '../../publisher';
import { StoreRelay } from '../store-relay';

async function main(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const store = await openPostgresEventStore({ connectionString: env('DATABASE_URL'), schema: env('RELAY_SCHEMA') });
  const kafka = createKafka({ brokers: env('KAFKA_BROKERS').split(','), clientId: 'relay-process' });
  const kafkaPublisher = new KafkaPublisher(kafka, { producerName: 'relay-process' });
  await kafkaPublisher.connect();
  const publisher: MessagePublisher =
    process.env['RELAY_FAULT'] === 'kill-after-publish'
      ? {
          async publish(messages) {
            await kafkaPublisher.publish(messages);
            process.kill(process.pid, 'SIGKILL');
          },
        }
      : kafkaPublisher;
  const topic = env('RELAY_TOPIC');
  const relay = new StoreRelay({
    name: env('RELAY_NAME'),
    store,
    publisher,
    categories: [env('RELAY_CATEGORY')],
    batchSize: 10,
    toMessages: (event) => [
      {
        topic,
        key: event.streamName,
        eventId: event.id,
        type: event.type,
        schemaVersion: 1,
        occurredAt: event.recordedAt.toISOString(),
        payload: event.data,
      },
    ],
  });
  await relay.start();
  await relay.caughtUp();
  process.stdout.write(`caught-up ${relay.status().published}\n`);
  await relay.stop();
  await kafkaPublisher.close();
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
