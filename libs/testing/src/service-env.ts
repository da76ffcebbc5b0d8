/**
 * A service's configuration for a test or a benchmark on the shared broker and database: its own
 * schema and consumer group, a free port, quick retries. Services add their own settings.
 */
export function serviceTestEnv(options: { brokers: readonly string[]; databaseUrl: string; schema: string; groupId: string; partitions?: number }): Record<string, string> {
  return {
    KAFKA_BROKERS: options.brokers.join(','),
    DATABASE_URL: options.databaseUrl,
    EVENT_STORE_SCHEMA: options.schema,
    KAFKA_GROUP_ID: options.groupId,
    ...(options.partitions ? { KAFKA_PARTITIONS: String(options.partitions) } : {}),
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    CONSUMER_BACKOFF_MS: '20',
  };
}
