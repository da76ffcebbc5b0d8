import { FULFILMENT_FACTS, TOPICS } from '@oms/contracts';
import { worldFor, type World } from '../tools/simulator/world';
import { allReady, describeMissing, FAULT_ENV, FAULTS_ORDERS, faultSystem, placeOrders, printFigures, settle, views } from './fault-run';

/**
 * A world whose final state is known in advance: every supplier fast and answering at once, the
 * cheapest vase supplier rejecting every line (so each vase is re-sourced and still ships), no
 * shortages, cancellations or returns. Expected: every unit shipped, nothing refunded, one charge
 * per order for its total, margin recognised once per unit.
 */
const KNOWN_WORLD: World = (() => {
  const happy = worldFor('happy');
  return {
    ...happy,
    suppliers: happy.suppliers.map((s) => ({
      ...s,
      stock: 1_000_000,
      habits: { ackAfterMinutes: 5, shipAfterHours: 0.5, staleStockHours: 0, ...(s.supplierId === 'cobalt-glass' ? { rejectShare: 1 } : {}) },
      behaviour: s.supplierId === 'cobalt-glass' ? ('rejects' as const) : s.behaviour,
    })),
    warehouses: happy.warehouses.map((w) => ({ ...w, stock: 1_000_000, shipAfterHours: 0.5, shortageShare: 0 })),
    cancelShare: 0,
    returnShare: 0,
    deliveryAfterHours: 1,
  };
})();

const ORDERS = Math.max(20, Math.round(FAULTS_ORDERS / 3));
const realFetch = globalThis.fetch;
const { system, deadLetters } = faultSystem({ world: KNOWN_WORLD, env: { ...FAULT_ENV } }, { after: async () => void (globalThis.fetch = realFetch) });

describe('fault injection: every input delivered more than once', () => {
  it('gives the same final state as a single delivery: order views and settlements as expected', async () => {
    const started = Date.now();
    // Kafka: every message of the storefront, warehouse and carrier three times (same event id
    // twice, then a new event id with identical content).
    system.deliverEveryInputThrice();
    // HTTP: every supplier call (acknowledgements, shipments, invoices, stock) made twice.
    let httpDuplicates = 0;
    const gateway = system.url('supplier-gateway');
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const first = await realFetch(input, init);
      if (url.startsWith(`${gateway}/supplier-api/`) && (init?.method ?? 'GET') !== 'GET') {
        httpDuplicates++;
        await realFetch(input, init).then((r) => r.arrayBuffer()).catch(() => undefined);
      }
      return first;
    };
    const orderIds = await placeOrders(system, ORDERS);
    const { figures, missing } = await settle(system, orderIds, deadLetters, started);
    globalThis.fetch = realFetch;

    const final = await views(system, orderIds);
    const ids = new Set(orderIds);
    // Settlements, each event once by its id (the relay may publish one twice: at-least-once).
    const settlements = new Map<string, { type: string; key: string; payload: Record<string, unknown> }>();
    for (const m of system.reader.seen) {
      if (m.topic === TOPICS.financeSettlements.name && m.key && ids.has(m.key)) settlements.set(m.headers['event-id'] ?? '', { type: m.type, key: m.key, payload: m.payload });
    }
    const of = (orderId: string, type: string) => [...settlements.values()].filter((s) => s.key === orderId && s.type === type);
    const differences: string[] = [];
    for (const orderId of orderIds) {
      const view = final.get(orderId);
      if (!view) {
        differences.push(`${orderId}: no order`);
        continue;
      }
      const ordered = view.lines.reduce((n, l) => n + l.ordered, 0);
      const shipped = view.lines.reduce((n, l) => n + l.shipped, 0);
      const charges = of(orderId, 'CustomerChargeRecognised');
      const marginUnits = of(orderId, 'MarginRecognised')
        .filter((s) => s.payload['cause'] === 'shipment')
        .reduce((n, s) => n + (s.payload['lines'] as { quantity: number }[]).reduce((k, l) => k + l.quantity, 0), 0);
      const actual = { shipped, cancelled: view.lines.reduce((n, l) => n + l.cancelled, 0), refunded: view.refunded, charges: charges.length, charged: charges[0]?.payload['total'], refunds: of(orderId, FULFILMENT_FACTS.refundIssued).length, marginUnits };
      const expected = { shipped: ordered, cancelled: 0, refunded: 0, charges: 1, charged: view.totals.total, refunds: 0, marginUnits: ordered };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) differences.push(`${orderId}: ${JSON.stringify(actual)} ≠ expected ${JSON.stringify(expected)}`);
    }
    const sum = (type: string, field: string) => [...settlements.values()].filter((s) => s.type === type).reduce((n, s) => n + Number(s.payload[field] ?? 0), 0);
    const expectedCharged = [...final.values()].reduce((n, v) => n + v.totals.total, 0);
    printFigures(`Every input delivered 3× on Kafka, supplier HTTP calls 2× (${ORDERS} orders), FAULTS_ORDERS=${FAULTS_ORDERS}`, {
      orders: figures.orders,
      accepted: figures.accepted,
      withOutcome: figures.withOutcome,
      withoutOutcome: figures.withoutOutcome,
      'orders differing from the expected state': differences.length,
      'charged (settlements) / expected': `${sum('CustomerChargeRecognised', 'total')} / ${expectedCharged}`,
      'refunded (settlements) / expected': `${sum(FULFILMENT_FACTS.refundIssued, 'amount')} / 0`,
      purchaseOrders: figures.purchaseOrders,
      duplicatePurchaseOrders: figures.duplicatePurchaseOrders,
      duplicateRefunds: figures.duplicateRefunds,
      'supplier HTTP calls repeated': httpDuplicates,
      deadLettersOfTheseOrders: figures.deadLettersOfTheseOrders,
      seconds: figures.seconds,
    });
    expect(await describeMissing(system, missing)).toEqual([]);
    expect(differences.slice(0, 5)).toEqual([]);
    expect(sum('CustomerChargeRecognised', 'total')).toBe(expectedCharged);
    expect(figures).toMatchObject({ withoutOutcome: 0, duplicatePurchaseOrders: 0, ordersWithMorePosThanGroups: 0, duplicateRefunds: 0 });
    expect(await allReady(system)).toBe(true);
  }, 600_000);
});
