import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { withTelemetry, type TelemetryFields } from './context';

const propagator = new W3CTraceContextPropagator();
const getter = { keys: (carrier: Record<string, string>) => Object.keys(carrier), get: (carrier: Record<string, string>, key: string) => carrier[key] };
let provider: BasicTracerProvider | undefined;

export interface TracingOptions {
  /** `service.name` of the spans (the process's; in the embedded run, `dropship-oms`). */
  readonly serviceName: string;
  /** OTLP/HTTP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); without it spans are made but not exported. */
  readonly otlpEndpoint?: string;
  /** Tests: where finished spans go. */
  readonly exporter?: SpanExporter;
}

/**
 * Installs the process's tracer provider once (six services in one process share it): spans get
 * real trace and span ids even when nothing exports them, so ids still travel in messages.
 */
export function installTracing(options: TracingOptions): void {
  if (provider) return;
  const spanProcessors: SpanProcessor[] = [];
  if (options.exporter) spanProcessors.push(new SimpleSpanProcessor(options.exporter));
  if (options.otlpEndpoint) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces` })));
  provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': options.serviceName }), spanProcessors });
  trace.setGlobalTracerProvider(provider);
}

export async function shutdownTracing(): Promise<void> {
  await provider?.forceFlush().catch(() => undefined);
}

/** The W3C `traceparent` of a span. */
export function traceparentOf(span: Span): string {
  const c = span.spanContext();
  return `00-${c.traceId}-${c.spanId}-0${(c.traceFlags & 1).toString(16)}`;
}

/**
 * Runs `work` in a new span of `service`, a child of the trace context in `carrier` (message headers
 * or HTTP headers) when there is one, with the span's context in force for logs and stored events.
 */
export async function inSpan<T>(
  service: string,
  name: string,
  kind: 'consumer' | 'server' | 'internal',
  carrier: Readonly<Record<string, string>>,
  fields: Omit<TelemetryFields, 'traceparent' | 'traceId'>,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  const parent = carrier['traceparent'] ? propagator.extract(ROOT_CONTEXT, carrier, getter) : ROOT_CONTEXT;
  const span = trace.getTracer(service).startSpan(name, { kind: kind === 'consumer' ? SpanKind.CONSUMER : kind === 'server' ? SpanKind.SERVER : SpanKind.INTERNAL, attributes: { 'oms.service': service, ...attributes } }, parent);
  try {
    const result = await withTelemetry({ ...fields, traceparent: traceparentOf(span), traceId: span.spanContext().traceId }, work);
    span.setStatus({ code: SpanStatusCode.OK });
    return result;
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
    throw error;
  } finally {
    span.end();
  }
}

/** The trace id in a `traceparent`, if it is one. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent ?? '')?.[1];
}
