export * from './envelope';
export * from './errors';
export * from './publisher';
export * from './delivery';
export { MessageContext } from './message-context';
export { EnvelopeServer } from './envelope-server';
export { createKafka, logicalTopic, physicalTopic, type KafkaConnectionOptions } from './kafka/kafka-connection';
export { KafkaPublisher, type KafkaPublisherOptions } from './kafka/kafka-publisher';
export { KafkaTransport, type KafkaTransportOptions, type TransportStatus } from './kafka/kafka-transport';
export { ensureTopics, describeCluster, commitGroupAtEnd, type TopicSpec, type EnsureTopicsResult } from './kafka/kafka-topics';
export { InProcessBroker, InProcessPublisher } from './in-process/in-process-broker';
export {
  BrokerJournal,
  BrokerJournalCorruptError,
  type BrokerJournalOptions,
  type JournalContents,
  type CommittedOffset,
} from './in-process/broker-journal';
export { InProcessTransport, type InProcessTransportOptions } from './in-process/in-process-transport';
export { StoreRelay, type StoreRelayOptions, type RelayStatus } from './relay/store-relay';
export { RethrowRpcExceptionsFilter } from './rethrow-exceptions.filter';
export * from './runtime';
export { outgoingFrom } from './relay/outgoing';
