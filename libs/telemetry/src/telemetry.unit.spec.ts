import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Writable } from 'node:stream';
import { telemetryFields, withTelemetry } from './context';
import { JsonLogger } from './logger';
import { ServiceMetrics } from './metrics';
import { inSpan, installTracing, traceIdOf } from './tracing';

const exporter = new InMemorySpanExporter();
installTracing({ serviceName: 'test', exporter });
const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('telemetry context', () => {
  it('adds fields for the work inside, leaving the outside as it was', () => {
    expect(telemetryFields()).toEqual({});
    withTelemetry({ correlationId: 'order-1' }, () => {
      withTelemetry({ poId: 'po-1', causationId: '' }, () => expect(telemetryFields()).toEqual({ correlationId: 'order-1', poId: 'po-1' }));
      expect(telemetryFields()).toEqual({ correlationId: 'order-1' });
    });
  });
});

describe('spans', () => {
  beforeEach(() => exporter.reset());

  it('continues the caller’s trace and puts the new span’s context in force for the work', async () => {
    const seen = await inSpan('sourcing', 'oms.orders.v1 process', 'consumer', { traceparent: PARENT }, { correlationId: 'order-9' }, { a: 1 }, async () => telemetryFields());
    expect(seen.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceIdOf(seen.traceparent)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(seen.traceparent).not.toContain('00f067aa0ba902b7');
    expect(seen.correlationId).toBe('order-9');
    const [span] = exporter.getFinishedSpans();
    expect(span!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span!.attributes).toMatchObject({ 'oms.service': 'sourcing', a: 1 });
  });

  it('starts a new trace when the caller sends none, and records a failure before passing it on', async () => {
    await expect(inSpan('gateway', 'HTTP POST', 'server', {}, {}, {}, async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    const [span] = exporter.getFinishedSpans();
    expect(span!.spanContext().traceId).toMatch(/^[\da-f]{32}$/);
    expect(span!.spanContext().traceId).not.toBe('0'.repeat(32));
    expect(span!.status).toMatchObject({ code: 2, message: 'refused' });
  });

  it('reads the trace id of a traceparent, and nothing from something else', () => {
    expect(traceIdOf(PARENT)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceIdOf('not-a-traceparent')).toBeUndefined();
    expect(traceIdOf(undefined)).toBeUndefined();
  });
});

describe('JSON logs', () => {
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
    return { lines, stream };
  };

  it('writes one JSON object per line with the service, the Nest context and the ids of the work in progress', () => {
    const { lines, stream } = capture();
    const logger = new JsonLogger('finance-reconciler', 'log', stream);
    withTelemetry({ traceId: 'abc', correlationId: 'order-1', causationId: 'evt-1', poId: 'po-7' }, () => logger.warn('invoice disputed', 'FinanceInputs'));
    logger.log('outside');
    logger.debug('too detailed for level log');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', service: 'finance-reconciler', context: 'FinanceInputs', msg: 'invoice disputed', traceId: 'abc', correlationId: 'order-1', causationId: 'evt-1', poId: 'po-7' }),
      expect.objectContaining({ level: 'info', msg: 'outside' }),
    ]);
    expect(lines[1]).not.toHaveProperty('correlationId');
  });

  it('keeps an error’s stack', () => {
    const { lines, stream } = capture();
    new JsonLogger('gateway', 'log', stream).error('relay stopped', 'Error: boom\n    at x', 'Relay');
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'relay stopped', context: 'Relay', stack: 'Error: boom\n    at x' });
  });
});

describe('service metrics', () => {
  it('keeps each service’s series apart and reads gauges when scraped', async () => {
    const a = new ServiceMetrics('order-intake', { defaultMetrics: false });
    const b = new ServiceMetrics('sourcing', { defaultMetrics: false });
    a.handled.inc({ topic: 'commerce.orders.v1', type: 'OrderPlaced', outcome: 'handled' });
    let pending = 3;
    a.gauge('oms_deadlines_pending', 'pending', ['deadline'], (set) => set({ deadline: 'confirm' }, pending));
    pending = 5;
    const text = await a.text();
    expect(text).toContain('oms_messages_handled_total{topic="commerce.orders.v1",type="OrderPlaced",outcome="handled",service="order-intake"} 1');
    expect(text).toContain('oms_deadlines_pending{deadline="confirm",service="order-intake"} 5');
    expect(await b.text()).not.toContain('OrderPlaced');
  });
});
