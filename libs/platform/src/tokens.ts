/** Injection tokens for what the platform provides to every service module. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
export const SERVICE_RUNTIME = Symbol('SERVICE_RUNTIME');
