export * from './port';
export * from './errors';
export * from './position';
export * from './stream-name';
export { SqlEventStore, type SqlExecutor, type SqlEventStoreOptions } from './sql/sql-event-store';
export { openPostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { openEmbeddedEventStore, type EmbeddedEventStoreOptions } from './embedded/embedded-event-store';
export * from './decider';
export * from './command-handler';
