import { waitFor } from '@oms/testing';
import { SERVICES } from '../e2e/scenarios/system';
import { allReady, describeMissing, expectNothingLost, FAULT_ENV, FAULT_WORLD, FAULTS_ORDERS, faultSystem, placeOrders, printFigures, settle } from './fault-run';

const ROUNDS = 3;
const { system, deadLetters } = faultSystem({ world: FAULT_WORLD, env: { ...FAULT_ENV } });

describe('fault injection: SIGKILL every service in turn during an order run', () => {
  it(`kills each of the six services ${ROUNDS} times while orders flow: every order has an outcome, no duplicate PO or refund`, async () => {
    const started = Date.now();
    const kills = SERVICES.length * ROUNDS;
    const perChunk = Math.ceil(FAULTS_ORDERS / kills);
    const orderIds: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A SIGKILLed consumer holds its partitions until its session times out, so a restart takes
      // tens of seconds: the services of a round are killed one after the other while the earlier
      // ones are still coming back, and the round ends when all six are ready again.
      const restarts: Promise<void>[] = [];
      for (const service of SERVICES) {
        const chunk = Math.min(perChunk, FAULTS_ORDERS - orderIds.length);
        if (chunk > 0) orderIds.push(...(await placeOrders(system, chunk, orderIds.length + 1)));
        const seenBefore = system.reader.seen.length;
        // Kill while that chunk is somewhere in the pipeline…
        await waitFor(() => system.reader.seen.length > seenBefore, { what: 'the chunk moving', timeoutMs: 60_000, intervalMs: 50 }).catch(() => undefined);
        await system.kill(service, 'SIGKILL');
        // …and bring it back as it was deployed: same environment, schema and consumer group.
        restarts.push(system.restart(service));
      }
      await Promise.all(restarts);
    }
    const { figures, missing } = await settle(system, orderIds, deadLetters, started);
    printFigures(`SIGKILL × ${kills} (each service ${ROUNDS} times), FAULTS_ORDERS=${FAULTS_ORDERS}`, { ...figures, kills });
    expect(await describeMissing(system, missing)).toEqual([]);
    expectNothingLost(figures, FAULTS_ORDERS);
    expect(await allReady(system)).toBe(true);
  }, 900_000);
});
