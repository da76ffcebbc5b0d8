export * from './context';
export * from './tracing';
export { JsonLogger } from './logger';
export { ServiceMetrics } from './metrics';
