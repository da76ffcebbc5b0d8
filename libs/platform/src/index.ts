export * from './clock';
export * from './tokens';
export * from './config/load-env';
export * from './config/service-env';
export * from './service-descriptor';
export * from './start-service';
export * from './bootstrap';
export { DiagnosticsModule, DIAGNOSTICS_CATEGORY, pingDecider } from './diagnostics/diagnostics';
export { bearerTokenGuard } from './bearer-token.guard';
