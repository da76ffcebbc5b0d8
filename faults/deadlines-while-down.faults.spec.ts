import { FULFILMENT_FACTS, TOPICS } from '@oms/contracts';
import { waitFor } from '@oms/testing';
import { allReady, describeMissing, FAULT_ENV, FAULTS_ORDERS, faultSystem, printFigures, settle } from './fault-run';

/** Orders for the lantern of the end-to-end world: its cheaper seller never answers, so its POs time out. */
const ORDERS = Math.max(10, Math.round(FAULTS_ORDERS / 10));
const SILENT = 's2-silent';

const { system, deadLetters } = faultSystem({ env: { ...FAULT_ENV } });

/** The PO's confirm-by; failing that, its creation plus the supplier's confirmation window. */
function confirmByOf(payload: Record<string, unknown>): number {
  const given = Date.parse(String(payload['confirmBy']));
  if (Number.isFinite(given)) return given;
  const hours = system.world.suppliers.find((s) => s.supplierId === SILENT)!.confirmWithinHours;
  return Date.parse(String(payload['at'])) + hours * 3_600_000;
}

describe('fault injection: deadlines passing while the supplier gateway is down', () => {
  it('fires each missed confirm-by exactly once after the restart, and the orders still get their outcome', async () => {
    const started = Date.now();
    const orderIds: string[] = [];
    for (let n = 1; n <= ORDERS; n++) orderIds.push((await system.placeOrder(`lamp-${n}`, [{ sku: 'E2E-L1', quantity: 1 }])).orderId);
    const ids = new Set(orderIds);
    const created = () => system.reader.seen.filter((m) => m.topic === TOPICS.supplierPurchaseOrders.name && m.type === FULFILMENT_FACTS.purchaseOrderDispatched && m.key && ids.has(m.key) && m.payload['supplierId'] === SILENT);
    await waitFor(() => new Set(created().map((m) => m.key)).size === ORDERS, { what: `a PO to ${SILENT} for each of ${ORDERS} orders`, timeoutMs: 120_000 });
    const silentPos = new Map(
      system.reader.seen
        .filter((m) => m.topic === TOPICS.supplierPurchaseOrders.name && m.type === FULFILMENT_FACTS.purchaseOrderCreated && m.key && ids.has(m.key) && m.payload['supplierId'] === SILENT)
        .map((m) => [String(m.payload['poId']), confirmByOf(m.payload)]),
    );
    const timedOut = (poId: string) => new Set(system.reader.seen.filter((m) => m.topic === TOPICS.supplierPurchaseOrders.name && m.type === FULFILMENT_FACTS.purchaseOrderTimedOut && m.payload['poId'] === poId).map((m) => m.headers['event-id'])).size;
    const firedBeforeKill = [...silentPos.keys()].filter((po) => timedOut(po) > 0).length;

    await system.kill('supplier-gateway', 'SIGKILL');
    const latest = Math.max(...silentPos.values());
    if (!Number.isFinite(latest)) throw new Error(`no confirm-by for the POs to ${SILENT}: ${JSON.stringify([...silentPos])}`);
    // Simulated time, not a sleep: every confirm-by of these POs has passed while the gateway is down.
    await waitFor(() => system.clock.now().getTime() > latest, { what: `every confirm-by passed (latest ${new Date(latest).toISOString()}, simulated now ${system.clock.now().toISOString()})`, timeoutMs: 300_000, intervalMs: 100 });
    const firedWhileDown = [...silentPos.keys()].filter((po) => timedOut(po) > 0).length - firedBeforeKill;
    await system.restart('supplier-gateway');

    const { figures, missing } = await settle(system, orderIds, deadLetters, started);
    // Each PO's own history in the gateway, as well as what it published.
    const counts = await Promise.all(
      [...silentPos.keys()].map(async (poId) => {
        const po = await system.get<{ history?: { type: string }[] }>('supplier-gateway', `/admin/purchase-orders/${poId}`);
        return { poId, published: timedOut(poId), stored: (po.body.history ?? []).filter((e) => e.type === FULFILMENT_FACTS.purchaseOrderTimedOut).length };
      }),
    );
    printFigures(`Confirm-by deadlines passing while the gateway is down (${ORDERS} orders), FAULTS_ORDERS=${FAULTS_ORDERS}`, {
      orders: figures.orders,
      'POs to the silent supplier': silentPos.size,
      'timed out before the kill': firedBeforeKill,
      'timed out while down': firedWhileDown,
      'POs with exactly one PurchaseOrderTimedOut (published)': counts.filter((c) => c.published === 1).length,
      'POs with exactly one PurchaseOrderTimedOut (stored)': counts.filter((c) => c.stored === 1).length,
      withOutcome: figures.withOutcome,
      withoutOutcome: figures.withoutOutcome,
      duplicatePurchaseOrders: figures.duplicatePurchaseOrders,
      duplicateRefunds: figures.duplicateRefunds,
      seconds: figures.seconds,
    });
    expect(firedWhileDown).toBe(0);
    expect(counts.filter((c) => c.published !== 1 || c.stored !== 1)).toEqual([]);
    expect(await describeMissing(system, missing)).toEqual([]);
    expect(figures).toMatchObject({ withoutOutcome: 0, duplicatePurchaseOrders: 0, ordersWithMorePosThanGroups: 0, duplicateRefunds: 0 });
    expect(await allReady(system)).toBe(true);
  }, 600_000);
});
