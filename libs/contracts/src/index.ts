export * from './topics';
export * from './diagnostics/diagnostic-events';
