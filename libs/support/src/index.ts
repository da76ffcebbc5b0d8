export * from './with-timeout';
export * from './keyed-mutex';
