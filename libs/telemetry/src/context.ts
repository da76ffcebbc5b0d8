import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line and every stored event of the work in progress should carry: the trace it
 * belongs to, the order (correlation id), the message that caused it, and the PO when there is one.
 */
export interface TelemetryFields {
  /** W3C trace context of the span the work runs in: `00-<trace id>-<span id>-<flags>`. */
  readonly traceparent?: string;
  readonly traceId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly orderId?: string;
  readonly poId?: string;
}

const storage = new AsyncLocalStorage<TelemetryFields>();

/** Runs `work` with these fields added to (and overriding) the ones already in force. */
export function withTelemetry<T>(fields: TelemetryFields, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...definedOnly(fields) }, work);
}

/** The fields of the work in progress (empty outside any). */
export function telemetryFields(): TelemetryFields {
  return storage.getStore() ?? {};
}

function definedOnly(fields: TelemetryFields): TelemetryFields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => typeof value === 'string' && value !== '')) as TelemetryFields;
}
