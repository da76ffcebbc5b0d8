import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';

export interface KafkaConnectionOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS to the brokers; `true` uses the system CAs. */
  readonly ssl?: boolean;
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /**
   * Put before every topic name on the broker: several environments (or test runs) share one
   * cluster without reading each other's traffic. Handlers, envelopes and dead-letter headers keep
   * the contract's names; only the broker sees `<prefix><name>`.
   */
  readonly topicPrefix?: string;
  /** Where kafkajs's own warnings and errors go. */
  readonly log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra: Record<string, unknown>) => void;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(options: KafkaConnectionOptions): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 5_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...extra } = entry.log;
      const level = LEVELS[entry.level] ?? 'info';
      if (options.log) options.log(level, `[kafkajs ${entry.namespace}] ${message}`, extra);
      else if (entry.level <= logLevel.WARN) console.warn(`[kafkajs ${entry.namespace}] ${message}`);
    },
  };
  if (options.ssl) config.ssl = true;
  if (options.sasl) {
    config.sasl = {
      mechanism: options.sasl.mechanism,
      username: options.sasl.username,
      password: options.sasl.password,
    } as SASLOptions;
  }
  return new Kafka(config);
}

/** The broker's name for a contract topic under this prefix. */
export const physicalTopic = (prefix: string | undefined, topic: string): string => `${prefix ?? ''}${topic}`;

/** The contract's name for a broker topic under this prefix. */
export const logicalTopic = (prefix: string | undefined, topic: string): string => (prefix && topic.startsWith(prefix) ? topic.slice(prefix.length) : topic);
