import type { TopicDefinition } from '@oms/contracts';
import { commitGroupAtEnd, createInProcessMessaging, createKafka, createKafkaMessaging, InProcessPublisher, KafkaPublisher, physicalTopic, type InProcessBroker, type TopicSpec } from '@oms/messaging';
import type { Clock } from '@oms/platform';
import type { SimulatorLinks } from './links';

export interface ServiceDoors {
  readonly gatewayUrl: string;
  readonly returnsUrl: string;
  readonly gatewayAdminToken: string;
  readonly clock: Clock;
  readonly log: (line: string) => void;
}

const spec = (partitions?: number) => (t: TopicDefinition): TopicSpec => ({ name: t.name, partitions: partitions ?? t.partitions, replicationFactor: 1 });

/** The embedded run: the simulator sits on the same in-process broker as the six services. */
export function inProcessLinks(broker: InProcessBroker, doors: ServiceDoors): SimulatorLinks {
  return {
    ...doors,
    publisher: new InProcessPublisher(broker, 'simulator'),
    async messaging(groupId, consumes, publishes = []) {
      const runtime = createInProcessMessaging({ broker, groupId, producerName: 'simulator' });
      await runtime.ensureTopics(publishes.map(spec()), consumes.map(spec()));
      return runtime;
    },
  };
}

/**
 * A real deployment: the simulator is one more Kafka client. New consumer groups start at the end
 * of their topics, so a simulator never acts on another run's traffic; a restarted one resumes.
 */
export async function kafkaLinks(
  brokers: readonly string[],
  doors: ServiceDoors,
  options: { partitions?: number; topicPrefix?: string } = {},
): Promise<SimulatorLinks & { close(): Promise<void> }> {
  const prefix = options.topicPrefix ? { topicPrefix: options.topicPrefix } : {};
  const connection = { brokers: [...brokers], clientId: 'simulator', ...prefix };
  const kafka = createKafka(connection);
  const publisher = new KafkaPublisher(kafka, { producerName: 'simulator', ...prefix });
  await publisher.connect();
  return {
    ...doors,
    publisher,
    async messaging(groupId, consumes, publishes = []) {
      const runtime = createKafkaMessaging({ connection, groupId, producerName: 'simulator' });
      await runtime.ensureTopics(publishes.map(spec(options.partitions)), consumes.map(spec(options.partitions)));
      await commitGroupAtEnd(kafka, groupId, consumes.map((t) => physicalTopic(options.topicPrefix, t.name)), { onlyIfNew: true });
      return runtime;
    },
    close: () => publisher.close(),
  };
}
