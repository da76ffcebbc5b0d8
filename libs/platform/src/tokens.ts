/** Injection tokens for what the platform provides to every service module. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
export const SERVICE_RUNTIME = Symbol('SERVICE_RUNTIME');
/** The service's validated environment (its own Env class when the descriptor names one). */
export const SERVICE_ENV = Symbol('SERVICE_ENV');
/** The service's Prometheus series (`ServiceMetrics` from @oms/telemetry): services add their own. */
export const SERVICE_METRICS = Symbol('SERVICE_METRICS');
