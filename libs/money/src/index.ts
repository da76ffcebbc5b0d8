export * from './errors';
export * from './currency';
export * from './money';
export * from './decimal';
export * from './allocate';
