import { multiSupplierOrder } from './multi-supplier';
import { replayTheTimeOut, supplierTimesOut } from './supplier-time-out';
import { E2eSystem, SERVICES } from './system';

const system = new E2eSystem();

beforeAll(() => system.start(), 240_000);
afterAll(() => system.stop(), 120_000);

describe('end to end: six services as processes on Kafka and PostgreSQL, with the simulated world', () => {
  it('1. a warehouse + two-supplier order ships three times, completes, and settles', () => multiSupplierOrder(system), 180_000);

  it('2. a supplier that never confirms times out, the line is re-sourced and shipped; the CLI replays it', async () => {
    const { orderId, timedOutPoId } = await supplierTimesOut(system);
    await replayTheTimeOut(system, orderId, timedOutPoId);
  }, 180_000);
});

describe('observing the six processes', () => {
  const COMMON = ['oms_messages_handled_total', 'oms_message_handler_duration_seconds', 'oms_dead_letters_total', 'oms_consumer_lag_messages', 'oms_relay_published_total', 'oms_relay_lag_events', 'process_resident_memory_bytes'];

  it('every service serves its Prometheus series on /metrics; the gateway its POs by state and deadlines', async () => {
    for (const service of SERVICES) {
      const response = await fetch(`${system.url(service)}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await response.text();
      const series = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
      expect({ service, missing: COMMON.filter((name) => !series.has(name)) }).toEqual({ service, missing: [] });
      // Traffic went through every service in the scenarios above: lag and handling are measured.
      expect(text).toMatch(new RegExp(`^oms_messages_handled_total\\{[^}]*outcome="handled"[^}]*\\} [1-9]`, 'm'));
      expect(text).toMatch(/^oms_consumer_lag_messages\{[^}]*topic="[^"]+"[^}]*\} \d+/m);
    }
    const gateway = await (await fetch(`${system.url('supplier-gateway')}/metrics`)).text();
    expect(gateway).toMatch(/^oms_purchase_orders\{[^}]*state="closed"[^}]*\} [1-9]/m);
    expect(gateway).toMatch(/^oms_purchase_orders\{[^}]*state="timed_out"[^}]*\} [1-9]/m);
    expect(gateway).toMatch(/^oms_deadlines_fired_total\{[^}]*deadline="confirm"[^}]*\} [1-9]/m);
    expect(gateway).toMatch(/^oms_deadlines_pending\{[^}]*deadline="ship"[^}]*\} \d+/m);
  });
});
