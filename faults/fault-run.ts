import { FULFILMENT_FACTS, orderIdFor, TOPICS } from '@oms/contracts';
import { createKafka, deadLetterTopic } from '@oms/messaging';
import { TopicReader } from '@oms/messaging/testing';
import { kafkaBrokers, waitFor } from '@oms/testing';
import { E2eSystem, SERVICES } from '../e2e/scenarios/system';
import { orderFor, orderPlaced, SIMULATED_CHANNEL } from '../tools/simulator/storefront';
import { worldFor, type World } from '../tools/simulator/world';

/**
 * Orders per run (the issue asks 2,000). Each test prints the number it used. The default is what
 * a shared 2-core machine gets through: every SIGKILL costs the consumer's session timeout (6 s
 * here) before the restarted process has its partitions back, whatever the number of orders.
 */
export const FAULTS_ORDERS = Number(process.env['FAULTS_ORDERS'] ?? 60);

/**
 * The mixed world — rejections re-sourced, a silent supplier timing out, partial shipments with the
 * rest cancelled and refunded, warehouse shortages — with every habit quick enough for a ×360 clock,
 * stock that does not run out, and no customer cancellations or returns (so an order's outcome is
 * decided by the system alone).
 */
export const FAULT_WORLD: World = (() => {
  const mixed = worldFor('mixed');
  return {
    ...mixed,
    suppliers: mixed.suppliers.map((s) => ({
      ...s,
      stock: 1_000_000,
      habits: s.behaviour === 'silent' ? {} : { ackAfterMinutes: 5, shipAfterHours: 0.5, staleStockHours: 0 },
    })),
    warehouses: mixed.warehouses.map((w) => ({ ...w, stock: 1_000_000, shipAfterHours: 0.5 })),
    cancelShare: 0,
    returnShare: 0,
    deliveryAfterHours: 1,
  };
})();

/**
 * Keeps the world stable for the length of a run at ×360 (a simulated day passes in four minutes):
 * stock feeds stay fresh and no supplier is flagged or suspended mid-run, so what happens to an
 * order follows from the faults injected and the suppliers' habits, not from the run's duration.
 */
export const FAULT_ENV: Readonly<Record<string, string>> = {
  SOURCING_WAREHOUSE_FRESHNESS_HOURS: '8760',
  SOURCING_SUPPLIER_FRESHNESS_HOURS: '8760',
  PERFORMANCE_MIN_SAMPLE: '10000',
  // A SIGKILLed consumer keeps its partitions until its session times out: the broker's shortest.
  KAFKA_SESSION_TIMEOUT_MS: '6000',
};

/** Every input topic a service consumes from the outside world. */
export const INPUT_TOPICS = [TOPICS.commerceOrders, TOPICS.commerceReturns, TOPICS.catalogOffers, TOPICS.inventoryStock, TOPICS.wmsShipments, TOPICS.carrierTracking].map((t) => t.name);

export interface OrderLineView {
  readonly lineId: string;
  readonly ordered: number;
  readonly shipped: number;
  readonly cancelled: number;
}
export interface OrderViewBody {
  readonly orderId: string;
  readonly status: string;
  readonly lines: readonly OrderLineView[];
  readonly purchaseOrders: readonly { poId: string }[];
  readonly totals: { total: number };
  readonly refunded: number;
  readonly cancelledValue: number;
}

/** Places orders 1…n of the storefront's mix for this run; returns their OMS ids. */
export async function placeOrders(system: E2eSystem, n: number, from = 1): Promise<string[]> {
  const ids: string[] = [];
  for (let k = from; k < from + n; k += 50) {
    const batch = Array.from({ length: Math.min(50, from + n - k) }, (_, i) => orderFor(system.world, system.run, k + i, system.clock.now()).order);
    await system.publish(...batch.map((order) => orderPlaced(order, system.clock.now())));
    for (const order of batch) ids.push(orderIdFor(SIMULATED_CHANNEL, order.externalOrderId));
  }
  return ids;
}

/**
 * An order has its outcome when it was accepted and every unit of every line is either shipped or
 * cancelled (`shipped + cancelled == ordered` in `GET /orders/:id`), and finance has refunded exactly
 * what the order side announced for the cancelled units (the RefundIssued amounts on
 * finance.settlements.v1, one per refund id, add up to the view's `cancelledValue`).
 */
export function hasOutcome(view: OrderViewBody | undefined, refunds: number): boolean {
  if (!view) return false;
  return view.lines.every((l) => l.shipped + l.cancelled === l.ordered && l.shipped <= l.ordered) && refunds === view.cancelledValue && view.refunded === view.cancelledValue;
}

export interface Figures {
  orders: number;
  accepted: number;
  withOutcome: number;
  fullyShipped: number;
  partlyOrFullyCancelled: number;
  withoutOutcome: number;
  purchaseOrders: number;
  duplicatePurchaseOrders: number;
  ordersWithMorePosThanGroups: number;
  refunds: number;
  duplicateRefunds: number;
  overRefunded: number;
  deadLettersOfTheseOrders: number;
  /** What happened to the POs of these orders, by event type on supplier.purchase-orders.v1 (each event once). */
  purchaseOrderEvents: string;
  seconds: number;
}

/** Reads the order views of these orders (in parallel, a few at a time). */
export async function views(system: E2eSystem, orderIds: readonly string[]): Promise<Map<string, OrderViewBody>> {
  const out = new Map<string, OrderViewBody>();
  for (let i = 0; i < orderIds.length; i += 20) {
    await Promise.all(
      orderIds.slice(i, i + 20).map(async (id) => {
        const reply = await system.get<OrderViewBody>('order-intake', `/orders/${id}`).catch(() => undefined);
        if (reply?.status === 200) out.set(id, reply.body);
      }),
    );
  }
  return out;
}

/** Distinct refunds (by refund id) per order, from the settlements seen. */
export function refundsByOrder(system: E2eSystem, orderIds: ReadonlySet<string>): { sums: Map<string, number>; count: number; duplicates: number } {
  const byId = new Map<string, { orderId: string; amount: number }>();
  let duplicates = 0;
  const eventIds = new Set<string>();
  for (const m of system.reader.seen) {
    if (m.topic !== TOPICS.financeSettlements.name || m.type !== FULFILMENT_FACTS.refundIssued || !m.key || !orderIds.has(m.key)) continue;
    // The relay may publish an event twice after a crash (at-least-once): same event id, same refund.
    const eventId = m.headers['event-id'] ?? '';
    if (eventIds.has(eventId)) continue;
    eventIds.add(eventId);
    const refundId = String(m.payload['refundId']);
    if (byId.has(refundId)) duplicates++;
    else byId.set(refundId, { orderId: m.key, amount: Number(m.payload['amount']) });
  }
  const sums = new Map<string, number>();
  for (const { orderId, amount } of byId.values()) sums.set(orderId, (sums.get(orderId) ?? 0) + amount);
  return { sums, count: byId.size, duplicates };
}

/** Waits until every order has its outcome (or the time runs out), then measures the run. */
export async function settle(system: E2eSystem, orderIds: readonly string[], deadLetters: DeadLetterCounter, startedAt: number, timeoutMs = 420_000): Promise<{ figures: Figures; missing: string[] }> {
  const ids = new Set(orderIds);
  let last = new Map<string, OrderViewBody>();
  const pending = () => {
    const { sums } = refundsByOrder(system, ids);
    return orderIds.filter((id) => !hasOutcome(last.get(id), sums.get(id) ?? 0));
  };
  let waiting = [...orderIds];
  await waitFor(
    async () => {
      const fresh = await views(system, waiting);
      last = new Map([...last, ...fresh]);
      waiting = pending();
      return waiting.length === 0;
    },
    { what: `${orderIds.length} orders with an outcome`, timeoutMs, intervalMs: 2000 },
  ).catch(() => undefined);
  const seconds = Math.round((Date.now() - startedAt) / 100) / 10;
  return { figures: measure(system, orderIds, last, deadLetters, seconds), missing: pending() };
}

function measure(system: E2eSystem, orderIds: readonly string[], viewsById: Map<string, OrderViewBody>, deadLetters: DeadLetterCounter, seconds: number): Figures {
  const ids = new Set(orderIds);
  const refunds = refundsByOrder(system, ids);
  // POs: gateway PO ids are UUIDv5 of the plan group, so a second PO for one group is a duplicate.
  const posByGroup = new Map<string, Set<string>>();
  const posByOrder = new Map<string, Set<string>>();
  for (const m of system.reader.seen) {
    if (m.topic !== TOPICS.supplierPurchaseOrders.name || m.type !== FULFILMENT_FACTS.purchaseOrderCreated || !m.key || !ids.has(m.key)) continue;
    const group = `${m.key}/${String(m.payload['groupId'])}`;
    posByGroup.set(group, (posByGroup.get(group) ?? new Set()).add(String(m.payload['poId'])));
    posByOrder.set(m.key, (posByOrder.get(m.key) ?? new Set()).add(String(m.payload['poId'])));
  }
  // Supplier groups sourcing asked for (every plan version: a re-plan makes new groups).
  const supplierGroups = new Map<string, Set<string>>();
  for (const m of system.reader.seen) {
    if (m.topic !== TOPICS.sourcingAllocations.name || m.type !== 'FulfilmentRequested' || !m.key || !ids.has(m.key) || m.payload['nodeKind'] !== 'supplier') continue;
    supplierGroups.set(m.key, (supplierGroups.get(m.key) ?? new Set()).add(String(m.payload['groupId'])));
  }
  const poEvents = new Map<string, Set<string>>();
  for (const m of system.reader.seen) {
    if (m.topic !== TOPICS.supplierPurchaseOrders.name || !m.key || !ids.has(m.key)) continue;
    poEvents.set(m.type, (poEvents.get(m.type) ?? new Set()).add(m.headers['event-id'] ?? ''));
  }
  const outcome = orderIds.filter((id) => hasOutcome(viewsById.get(id), refunds.sums.get(id) ?? 0));
  let overRefunded = 0;
  for (const id of orderIds) {
    const view = viewsById.get(id);
    if (view && (refunds.sums.get(id) ?? 0) > view.totals.total) overRefunded++;
  }
  return {
    orders: orderIds.length,
    accepted: viewsById.size,
    withOutcome: outcome.length,
    fullyShipped: outcome.filter((id) => viewsById.get(id)!.lines.every((l) => l.cancelled === 0)).length,
    partlyOrFullyCancelled: outcome.filter((id) => viewsById.get(id)!.lines.some((l) => l.cancelled > 0)).length,
    withoutOutcome: orderIds.length - outcome.length,
    purchaseOrders: [...posByOrder.values()].reduce((n, s) => n + s.size, 0),
    duplicatePurchaseOrders: [...posByGroup.values()].reduce((n, s) => n + s.size - 1, 0),
    ordersWithMorePosThanGroups: [...posByOrder.entries()].filter(([id, pos]) => pos.size > (supplierGroups.get(id)?.size ?? 0)).length,
    refunds: refunds.count,
    duplicateRefunds: refunds.duplicates,
    overRefunded,
    deadLettersOfTheseOrders: deadLetters.count(ids),
    purchaseOrderEvents: [...poEvents].sort(([a], [b]) => a.localeCompare(b)).map(([type, events]) => `${type} ${events.size}`).join(', '),
    seconds,
  };
}

/** Dead letters of this run's consumer groups on every topic's `.dlq`, by original topic. */
export class DeadLetterCounter {
  private readonly reader: TopicReader;
  constructor(private readonly system: E2eSystem) {
    this.reader = new TopicReader(createKafka({ brokers: kafkaBrokers(), clientId: 'faults-dlq' }), system.topicPrefix);
  }

  async start(): Promise<void> {
    const topics = [...new Set(Object.values(TOPICS).map((t) => deadLetterTopic(t.name)))];
    // A dead-letter topic exists once a service that consumes its topic has started.
    const admin = createKafka({ brokers: kafkaBrokers(), clientId: 'faults-dlq-admin' }).admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    await admin.disconnect();
    await this.reader.follow(topics.filter((t) => existing.has(this.system.topic(t))));
  }

  /**
   * Dead letters of this run's groups (named `<run>-<service>`), optionally only those keyed by one
   * of `keys`: the broker is shared, so this run's services also see — and dead-letter — other
   * runs' traffic on the same topics.
   */
  mine(keys?: ReadonlySet<string>) {
    return this.reader.seen.filter((m) => (m.headers['dlq-consumer-group'] ?? '').startsWith(`${this.system.run}-`) && (keys === undefined || (m.key !== undefined && keys.has(m.key))));
  }

  count(keys?: ReadonlySet<string>): number {
    return this.mine(keys).length;
  }

  byTopic(keys?: ReadonlySet<string>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const m of this.mine(keys)) out[m.headers['dlq-original-topic'] ?? '?'] = (out[m.headers['dlq-original-topic'] ?? '?'] ?? 0) + 1;
    return out;
  }

  close(): Promise<void> {
    return this.reader.close();
  }
}

/** What an order without an outcome looks like (for the failure message). */
export async function describeMissing(system: E2eSystem, missing: readonly string[]): Promise<string[]> {
  const ids = new Set(missing);
  const { sums } = refundsByOrder(system, ids);
  const found = await views(system, missing.slice(0, 5));
  return missing.slice(0, 5).map((id) => {
    const v = found.get(id);
    if (!v) return `${id}: not accepted`;
    const lines = v.lines.map((l) => `${l.lineId}: ordered ${l.ordered} shipped ${l.shipped} cancelled ${l.cancelled}`).join('; ');
    return `${id}: ${v.status}, ${lines}; POs ${v.purchaseOrders.map((p) => JSON.stringify(p)).join(',')}; cancelledValue ${v.cancelledValue}, refunded (view) ${v.refunded}, refunded (finance) ${sums.get(id) ?? 0}`;
  });
}

/**
 * Nothing lost, nothing twice: every order has its outcome, no group got a second PO, no refund was
 * issued twice or beyond the order's total, and nothing about these orders was dead-lettered (the
 * run sends no bad input, so a dead letter would be a message lost to a fault). Some orders shipped:
 * a run in which no supplier could answer proves nothing about shipments.
 */
export function expectNothingLost(figures: Figures, orders: number): void {
  expect(figures).toMatchObject({ accepted: orders, withoutOutcome: 0, duplicatePurchaseOrders: 0, ordersWithMorePosThanGroups: 0, duplicateRefunds: 0, overRefunded: 0, deadLettersOfTheseOrders: 0 });
  expect(figures.fullyShipped).toBeGreaterThan(0);
}

/** Prints a small table of figures. */
export function printFigures(title: string, rows: Record<string, number | string>): void {
  const width = Math.max(...Object.keys(rows).map((k) => k.length));
  console.log([`${title}`, ...Object.entries(rows).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n'));
}

/** Every service process is alive and answers /health/ready. */
export async function allReady(system: E2eSystem): Promise<boolean> {
  for (const service of SERVICES) {
    if (!system.alive(service)) return false;
    const reply = await fetch(`${system.url(service)}/health/ready`).catch(() => undefined);
    if (reply?.status !== 200) return false;
  }
  return true;
}

/**
 * One system and its dead-letter counter for a fault test file, started before its tests and
 * stopped after; `before` and `after` wrap the file's own set-up around them.
 */
export function faultSystem(options: ConstructorParameters<typeof E2eSystem>[0], hooks: { before?: () => Promise<void>; after?: () => Promise<void> } = {}): { system: E2eSystem; deadLetters: DeadLetterCounter } {
  const system = new E2eSystem(options);
  const deadLetters = new DeadLetterCounter(system);
  beforeAll(async () => {
    await system.start();
    await deadLetters.start();
    await hooks.before?.();
  }, 240_000);
  afterAll(async () => {
    await hooks.after?.().catch(() => undefined);
    await deadLetters.close().catch(() => undefined);
    await system.stop();
  }, 120_000);
  return { system, deadLetters };
}
