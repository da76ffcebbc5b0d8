import { orderIdFor } from '@oms/contracts';
import { ScaledClock } from '@oms/platform';
import { waitFor } from '@oms/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inProcessLinks } from '../simulator/link-factories';
import { Simulation, type SimulatorState } from '../simulator/simulation';
import { SIMULATED_CHANNEL } from '../simulator/storefront';
import { worldFor } from '../simulator/world';
import { startEmbeddedSystem, type EmbeddedSystem } from './embedded-system';

// The embedded run stopped and started again on its data folder: every order the storefront placed
// before the stop is in the store afterwards, whatever it was doing at the time, and the storefront
// carries on numbering where it stopped (no order placed twice, none skipped).
const dataDir = mkdtempSync(join(tmpdir(), 'oms-resume-'));
const seed = 'resume';
const env = {
  GATEWAY_ADMIN_TOKEN: 'resume-test-admin-token',
  GATEWAY_SECRETS_KEY: 'c3'.repeat(32),
  BRAND_RETURN_ADDRESS: JSON.stringify({ name: 'Returns', line1: '9 Dock Rd', city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' }),
};

async function start(saved: SimulatorState | undefined): Promise<{ system: EmbeddedSystem; simulation: Simulation }> {
  const clock = new ScaledClock({ anchor: new Date(), startAt: saved ? new Date(saved.simulatedTime) : new Date(), speed: 720 });
  const system = await startEmbeddedSystem({ dataDir, portBase: 0, clock, env, logLevel: 'error' });
  const url = (name: string) => system.services.find((s) => s.name === name)!.url;
  const simulation = await Simulation.start({
    world: worldFor('mixed'),
    scenario: 'mixed',
    seed,
    ratePerMinute: 240,
    ...(saved ? { saved } : {}),
    links: inProcessLinks(system.broker, { gatewayUrl: url('supplier-gateway'), returnsUrl: url('returns-router'), gatewayAdminToken: env.GATEWAY_ADMIN_TOKEN, clock, log: () => undefined }),
  });
  return { system, simulation };
}

const orderUrl = (system: EmbeddedSystem, n: number) => `${system.services.find((s) => s.name === 'order-intake')!.url}/orders/${orderIdFor(SIMULATED_CHANNEL, `${seed}-${String(n).padStart(6, '0')}`)}`;

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the embedded run with its simulation, stopped and started again on the same data folder', () => {
  it('loses no order and places none twice', async () => {
    const first = await start(undefined);
    await waitFor(() => first.simulation.storefront.placedTotal >= 12 && first.simulation.summary.counts.shipmentsToCustomers > 0, { what: 'orders placed and something shipped', timeoutMs: 120_000 });
    // Order intake stops first; the storefront goes on placing orders that only the broker holds
    // when everything stops: they must still be there after the restart.
    await first.system.services.find((s) => s.name === 'order-intake')!.close();
    const placedBefore = first.simulation.storefront.placedTotal;
    await waitFor(() => first.simulation.storefront.placedTotal >= placedBefore + 5, { what: 'orders placed while order intake is down', timeoutMs: 60_000 });
    const saved = await first.simulation.stop();
    await first.system.close();
    expect(saved.placed).toBeGreaterThanOrEqual(12);

    const second = await start(saved);
    try {
      for (let n = 1; n <= saved.placed; n++) {
        await waitFor(async () => (await fetch(orderUrl(second.system, n))).status === 200, { what: `order ${n} of the first session accepted`, timeoutMs: 60_000 });
      }
      await waitFor(() => second.simulation.storefront.placedTotal > saved.placed + 3, { what: 'the storefront placing orders again', timeoutMs: 60_000 });
      const placed = second.simulation.storefront.placedTotal;
      await waitFor(async () => (await fetch(orderUrl(second.system, placed))).status === 200, { what: 'the newest order accepted', timeoutMs: 60_000 });
      // The summary is rebuilt from the journal at start: it counts both sessions' orders once each.
      await waitFor(() => second.simulation.summary.orders.size >= placed, { what: 'the summary counting every order', timeoutMs: 60_000 });
      expect(second.simulation.summary.orders.size).toBe(second.simulation.summary.counts.ordersAccepted);
      expect((await fetch(orderUrl(second.system, placed + 1000))).status).toBe(404);
    } finally {
      await second.simulation.stop();
      await second.system.close();
    }
  }, 300_000);
});
