import { COMMERCE_ORDER_CANCELLATION_REQUESTED, COMMERCE_ORDER_PLACED, COMMERCE_RETURN_REQUESTED, ORDER_EVENTS, TOPICS, type OrderPlacedV1 } from '@oms/contracts';
import { listen, message, stableId, type Handler, type SimulatorLinks } from './links';
import { between, chance, pick, unitInterval } from './random';
import { Schedule, type Scheduled } from './schedule';
import { sellersOf, type Product, type World } from './world';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const SIMULATED_CHANNEL = 'sim-storefront';

export type OrderKind = 'single-supplier' | 'multi-supplier' | 'warehouse-and-supplier';

export type CustomerAction =
  | { readonly kind: 'cancel'; readonly externalOrderId: string; readonly lineId: string }
  | { readonly kind: 'return'; readonly orderId: string; readonly shipmentId: string; readonly lineId: string; readonly reason: string };

const SHIP_TO = [
  { name: 'Ann Smith', line1: '1 Main St', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' },
  { name: 'Luis Ortega', line1: '48 Alder Ave', city: 'Portland', region: 'OR', postalCode: '97205', country: 'US' },
  { name: 'Mei Chen', line1: '300 Pine St', line2: 'Apt 4B', city: 'Seattle', region: 'WA', postalCode: '98101', country: 'US' },
  { name: 'Grace Okafor', line1: '12 Bay Rd', city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' },
];
const RETURN_REASONS = ['changed_mind', 'changed_mind', 'defective', 'not_as_described', 'damaged_in_transit'] as const;

/**
 * Order `n` of a run: its kind from the world's mix, its lines from the catalog so the kind holds
 * (a single-supplier order has skus only suppliers sell, and so on), amounts in minor units.
 */
export function orderFor(world: World, seed: string, n: number, placedAt: Date): { kind: OrderKind; order: OrderPlacedV1 } {
  const supplierOnly = world.products.filter((p) => sellersOf(world, p.sku).every((node) => world.suppliers.some((s) => s.supplierId === node)));
  const warehouseSkus = world.products.filter((p) => world.warehouses.some((w) => w.offers.some((o) => o.sku === p.sku)));
  const roll = unitInterval(seed, 'mix', String(n));
  const kind: OrderKind = roll < world.mix.singleSupplier ? 'single-supplier' : roll < world.mix.singleSupplier + world.mix.multiSupplier ? 'multi-supplier' : 'warehouse-and-supplier';
  const first = pick(supplierOnly, seed, 'sku1', String(n));
  const products: Product[] = [first];
  if (kind === 'multi-supplier') {
    const firstSellers = sellersOf(world, first.sku);
    const others = supplierOnly.filter((p) => !sellersOf(world, p.sku).some((node) => firstSellers.includes(node)));
    if (others.length > 0) products.push(pick(others, seed, 'sku2', String(n)));
  }
  if (kind === 'warehouse-and-supplier' && warehouseSkus.length > 0) products.unshift(pick(warehouseSkus, seed, 'wsku', String(n)));
  const externalOrderId = `${seed}-${String(n).padStart(6, '0')}`;
  const items = products.map((product) => ({ sku: product.sku, quantity: between(1, 2, seed, 'qty', String(n), product.sku) }));
  return { kind, order: orderWith(world, externalOrderId, items, placedAt, { orderNumber: `#${String(n).padStart(5, '0')}`, shipTo: pick(SHIP_TO, seed, 'ship-to', String(n)), email: `customer${n % 500}@example.com` }) };
}

/** An order for these skus at the world's prices, its tax on each line and its shipping charge. */
export function orderWith(
  world: World,
  externalOrderId: string,
  items: readonly { readonly sku: string; readonly quantity: number }[],
  placedAt: Date,
  extra: { orderNumber?: string; shipTo?: (typeof SHIP_TO)[number]; email?: string } = {},
): OrderPlacedV1 {
  const lines = items.map(({ sku, quantity }, index) => {
    const product = world.products.find((p) => p.sku === sku);
    if (!product) throw new Error(`No product ${sku} in this world`);
    return { lineId: `${index + 1}`, sku, name: product.name, quantity, unitPrice: product.price, taxes: [{ name: 'Sales tax', amount: Math.round((product.price * quantity * world.taxBasisPoints) / 10_000) }] };
  });
  return {
    type: COMMERCE_ORDER_PLACED,
    channel: SIMULATED_CHANNEL,
    externalOrderId,
    ...(extra.orderNumber ? { orderNumber: extra.orderNumber } : {}),
    placedAt: placedAt.toISOString(),
    currency: world.currency,
    customer: { email: extra.email ?? 'customer@example.com' },
    shipTo: extra.shipTo ?? SHIP_TO[0]!,
    lines,
    shipping: { amount: world.shippingCharge, method: 'Standard' },
  } as OrderPlacedV1;
}

/**
 * A storefront placing a steady mix of orders on `commerce.orders.v1`, and customers who sometimes
 * cancel a line after the order is accepted or return a unit after it shipped.
 */
export class SimulatedStorefront {
  readonly actions: Schedule<CustomerAction>;
  readonly counts = { placed: 0, cancellationsRequested: 0, returnsRequested: 0, byKind: { 'single-supplier': 0, 'multi-supplier': 0, 'warehouse-and-supplier': 0 } as Record<OrderKind, number> };

  constructor(
    private readonly world: World,
    private readonly links: SimulatorLinks,
    private readonly seed: string,
    /** Orders placed by earlier sessions of this run: numbering carries on from there. */
    public placedBefore: number,
    saved: readonly Scheduled<CustomerAction>[] = [],
    /** Ids of the orders this run placed and saw accepted (kept with the simulator's state). */
    readonly orders: Set<string> = new Set(),
  ) {
    this.actions = new Schedule(saved);
  }

  get placedTotal(): number {
    return this.placedBefore + this.counts.placed;
  }

  async start(groupId: string): Promise<void> {
    const runtime = await this.links.messaging(groupId, [TOPICS.omsOrders], [TOPICS.commerceOrders, TOPICS.commerceReturns]);
    await listen(runtime, { [TOPICS.omsOrders.name]: this.onOrderEvent });
    this.close = () => runtime.close();
  }

  close: () => Promise<void> = async () => undefined;

  /** What the storefront learns on `oms.orders.v1` decides what its customers do next. */
  readonly onOrderEvent: Handler = ({ type, payload }) => {
    // Only this run's orders: another run (or a real storefront) may share the topic.
    if (type === ORDER_EVENTS.accepted && payload['channel'] === SIMULATED_CHANNEL && String(payload['externalOrderId']).startsWith(`${this.seed}-`)) {
      const orderId = String(payload['orderId']);
      this.orders.add(orderId);
      const lines = payload['lines'] as { lineId: string }[];
      if (lines.length > 0 && chance(this.world.cancelShare, this.seed, 'cancel', orderId)) {
        const at = new Date(Date.parse(String(payload['acceptedAt'])) + this.world.cancelAfterMinutes * MINUTE);
        this.actions.add(`cancel:${orderId}`, at, { kind: 'cancel', externalOrderId: String(payload['externalOrderId']), lineId: pick(lines, this.seed, 'cancel-line', orderId).lineId });
      }
    }
    if (type === ORDER_EVENTS.shipmentAdded) {
      const orderId = String(payload['orderId']);
      const shipmentId = String(payload['shipmentId']);
      const lines = (payload['lines'] ?? []) as { lineId: string }[];
      if (!this.orders.has(orderId) || lines.length === 0 || !chance(this.world.returnShare, this.seed, 'return', shipmentId)) return;
      const at = new Date(Date.parse(String(payload['shippedAt'])) + this.world.returnAfterHours * HOUR);
      this.actions.add(`return:${shipmentId}`, at, { kind: 'return', orderId, shipmentId, lineId: pick(lines, this.seed, 'return-line', shipmentId).lineId, reason: pick(RETURN_REASONS, this.seed, 'reason', shipmentId) });
    }
  };

  /** Places the orders due by now at `ratePerMinute` (wall clock) and does the customers' acts. */
  async tick(now: Date, ordersDue: number): Promise<void> {
    const batch = [];
    while (this.placedTotal + batch.length < ordersDue && batch.length < 100) {
      const n = this.placedTotal + batch.length + 1;
      const { kind, order } = orderFor(this.world, this.seed, n, now);
      this.counts.byKind[kind]++;
      batch.push(orderPlaced(order, now));
    }
    if (batch.length > 0) {
      await this.links.publisher.publish(batch);
      this.counts.placed += batch.length;
    }
    for (const { key, item } of this.actions.due(now)) {
      await this.links.publisher.publish([this.customerMessage(item, now)]);
      this.actions.remove(key);
      if (item.kind === 'cancel') this.counts.cancellationsRequested++;
      else this.counts.returnsRequested++;
    }
  }

  private customerMessage(action: CustomerAction, now: Date) {
    if (action.kind === 'cancel') return cancellationRequested(action.externalOrderId, `cancel-${action.externalOrderId}`, [{ lineId: action.lineId, quantity: 1 }], now);
    return returnRequested(action.orderId, `ret-${action.shipmentId}`, [{ lineId: action.lineId, quantity: 1, reason: action.reason }], now);
  }
}

/** A customer's cancellation of some units, as the storefront sends it on `commerce.orders.v1`. */
export function cancellationRequested(externalOrderId: string, requestId: string, lines: readonly { lineId: string; quantity: number }[], now: Date) {
  return message(
    TOPICS.commerceOrders.name,
    externalOrderId,
    COMMERCE_ORDER_CANCELLATION_REQUESTED,
    { type: COMMERCE_ORDER_CANCELLATION_REQUESTED, channel: SIMULATED_CHANNEL, externalOrderId, requestId, lines, reason: 'customer changed their mind', requestedAt: now.toISOString() },
    now,
    stableId('cancel', requestId),
  );
}

/** A customer's return request, as the storefront sends it on `commerce.returns.v1`. */
export function returnRequested(orderId: string, externalReturnId: string, lines: readonly { lineId: string; quantity: number; reason: string }[], now: Date) {
  return message(
    TOPICS.commerceReturns.name,
    orderId,
    COMMERCE_RETURN_REQUESTED,
    { type: COMMERCE_RETURN_REQUESTED, orderId, externalReturnId, lines, requestedAt: now.toISOString() },
    now,
    stableId('return', externalReturnId),
  );
}

/** An order as the storefront places it on `commerce.orders.v1`. */
export function orderPlaced(order: OrderPlacedV1, now: Date) {
  return message(TOPICS.commerceOrders.name, order.externalOrderId, COMMERCE_ORDER_PLACED, order, now, stableId('order', order.externalOrderId));
}
