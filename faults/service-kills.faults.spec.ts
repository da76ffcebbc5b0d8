import { waitFor } from '@oms/testing';
import { SERVICES } from '../e2e/scenarios/system';
import { allReady, describeMissing, expectNothingLost, FAULT_ENV, FAULT_WORLD, faultSystem, placeOrders, printFigures, settle } from './fault-run';

const ROUNDS = 3;
/** The 2,000-order run (FAULTS_KILL_ORDERS to change it; FAULTS_ORDERS sizes the other fault tests). */
const ORDERS = Number(process.env['FAULTS_KILL_ORDERS'] ?? 2000);
// ×120: a one-hour confirm-by passes in 30 s of wall-clock time, so the suppliers' answers still
// beat their deadlines while 2,000 orders queue up behind the kills (at ×360 most POs timed out).
const { system, deadLetters } = faultSystem({ world: FAULT_WORLD, env: { ...FAULT_ENV }, speed: 120 });

describe('fault injection: SIGKILL every service in turn during an order run', () => {
  it(`kills each of the six services ${ROUNDS} times while orders flow: every order has an outcome, no duplicate PO or refund`, async () => {
    const started = Date.now();
    const kills = SERVICES.length * ROUNDS;
    const perChunk = Math.ceil(ORDERS / kills);
    const orderIds: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A SIGKILLed consumer holds its partitions until its session times out, so a restart takes
      // tens of seconds: the services of a round are killed one after the other while the earlier
      // ones are still coming back, and the round ends when all six are ready again.
      const restarts: Promise<void>[] = [];
      for (const service of SERVICES) {
        const chunk = Math.min(perChunk, ORDERS - orderIds.length);
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
    const { figures, missing } = await settle(system, orderIds, deadLetters, started, 900_000);
    printFigures(`SIGKILL × ${kills} (each service ${ROUNDS} times) during a ${ORDERS}-order run, FAULTS_KILL_ORDERS=${ORDERS}`, { ...figures, kills });
    expect(await describeMissing(system, missing)).toEqual([]);
    expectNothingLost(figures, ORDERS);
    expect(await allReady(system)).toBe(true);
  }, 1_500_000);
});
