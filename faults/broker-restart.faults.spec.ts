import { kafkaBrokers, waitFor } from '@oms/testing';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SERVICES } from '../e2e/scenarios/system';
import { allReady, describeMissing, expectNothingLost, FAULT_ENV, FAULT_WORLD, FAULTS_ORDERS, faultSystem, placeOrders, printFigures, settle } from './fault-run';

/**
 * Stops and starts the repo's local broker (deploy/kafka-local, with the KAFKA_LOCAL_* settings of
 * this environment, as CI runs it) in the middle of an order run. Only that broker can be restarted
 * from here, so the test refuses to run against any other.
 */
const script = join(__dirname, '..', 'deploy/kafka-local/kafka-local.sh');
const localBroker = `127.0.0.1:${process.env['KAFKA_LOCAL_PORT'] ?? '9092'}`;
const broker = (command: 'stop' | 'start') => execFileSync('bash', [script, command], { stdio: 'pipe', env: process.env, timeout: 180_000 });

// Registered first, so it runs before the system starts.
beforeAll(() => {
  if (kafkaBrokers().join(',') !== localBroker) throw new Error(`KAFKA_BROKERS=${kafkaBrokers().join(',')} is not the local broker ${localBroker} that deploy/kafka-local restarts`);
});
const { system, deadLetters } = faultSystem({ world: FAULT_WORLD, env: { ...FAULT_ENV } });

describe('fault injection: the Kafka broker stops and starts mid-run', () => {
  it('the services recover by themselves: every order has an outcome, no duplicate PO or refund', async () => {
    const started = Date.now();
    const half = Math.ceil(FAULTS_ORDERS / 2);
    const orderIds = await placeOrders(system, half);
    const seenBefore = system.reader.seen.length;
    await waitFor(() => system.reader.seen.length > seenBefore + 20, { what: 'the run under way', timeoutMs: 120_000, intervalMs: 100 });
    const stoppedAt = Date.now();
    broker('stop');
    const downMs = Date.now() - stoppedAt;
    broker('start');
    const outageMs = Date.now() - stoppedAt;
    // The second half goes in once the broker is back (the producer retries while it comes up).
    orderIds.push(...(await placeOrders(system, FAULTS_ORDERS - half, half + 1)));
    const { figures, missing } = await settle(system, orderIds, deadLetters, started);
    const alive = SERVICES.filter((s) => system.alive(s)).length;
    printFigures(`Kafka broker stopped and started mid-run, FAULTS_ORDERS=${FAULTS_ORDERS}`, {
      ...figures,
      'broker stop took, s': Math.round(downMs / 100) / 10,
      'broker outage (stop + start), s': Math.round(outageMs / 100) / 10,
      'services alive afterwards': `${alive}/${SERVICES.length}`,
    });
    expect(await describeMissing(system, missing)).toEqual([]);
    expectNothingLost(figures, FAULTS_ORDERS);
    expect(await allReady(system)).toBe(true);
  }, 900_000);
});
