import { orderDecider, OrderDomainError, type OrderCommand, type OrderErrorCode, type OrderFact } from '../order-decider';
import type { OrderEvent } from '../order-events';
import type { OpenOrder, OrderState } from '../order-state';
import type { Address, LineQuantity, PlacedOrderInput } from '../order-types';

/**
 * Test inputs for the order domain: a placed order, commands and a given/when/then harness over
 * `orderDecider`. Every builder returns a fresh value, so tests may not share mutable data.
 */

export const ORDER_ID = '8f14e45f-ceea-467f-a0e6-0b3c1a2d4e5f';
export const NOW = new Date('2026-03-02T09:00:00.000Z');
/** A time `minutes` after `NOW`, as a Date (command clocks) or an ISO string (fact times). */
export const at = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);
export const iso = (minutes: number): string => at(minutes).toISOString();

export const address = (overrides: Partial<Address> = {}): Address => ({
  name: 'Jane Doe',
  line1: '1 Market Street',
  city: 'Lyon',
  postalCode: '69002',
  country: 'FR',
  ...overrides,
});

/**
 * Four lines, no taxes, EUR:
 * - L1 2 × 2500 = 5000 (the warehouse's)
 * - L2 1 × 4000 = 4000 (supplier S1)
 * - L3 2 × 1250 = 2500 (supplier S1)
 * - L4 3 × 400 − 200 line discount = 1000 (supplier S2): 334 + 333 + 333 per unit
 * Shipping 595; total 12 500 + 595 = 13 095.
 */
export const placedOrder = (overrides: Partial<PlacedOrderInput> = {}): PlacedOrderInput => ({
  channel: 'shopify',
  externalOrderId: '5800000000001',
  orderNumber: '#2042',
  placedAt: '2026-03-02T08:59:00.000Z',
  currency: 'EUR',
  customer: { id: 'c-1', email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe' },
  shipTo: address(),
  lines: [
    { lineId: 'L1', sku: 'SKU-1', name: 'Kettle', quantity: 2, unitPrice: 2500 },
    { lineId: 'L2', sku: 'SKU-2', name: 'Toaster', quantity: 1, unitPrice: 4000 },
    { lineId: 'L3', sku: 'SKU-3', quantity: 2, unitPrice: 1250 },
    { lineId: 'L4', sku: 'SKU-4', name: 'Mug', quantity: 3, unitPrice: 400, discounts: [{ amount: 200 }] },
  ],
  shipping: { method: 'standard', amount: 595 },
  totalCharged: 13_095,
  ...overrides,
});

export const LINE_TOTALS: Readonly<Record<string, number>> = { L1: 5000, L2: 4000, L3: 2500, L4: 1000 };
export const SHIPPING_TOTAL = 595;

export const placeOrder = (order: PlacedOrderInput = placedOrder(), fingerprint = 'fp-1', now: Date = NOW): OrderCommand => ({
  type: 'PlaceOrder',
  data: { orderId: ORDER_ID, order, fingerprint, now },
});

export const recordFact = (fact: OrderFact, now: Date = NOW): OrderCommand => ({ type: 'RecordFact', data: { fact, now } });

export const requestCancellation = (
  requestId: string,
  options: { lines?: readonly LineQuantity[]; reason?: string; now?: Date } = {},
): OrderCommand => ({
  type: 'RequestCancellation',
  data: {
    requestId,
    ...(options.lines !== undefined ? { lines: options.lines } : {}),
    ...(options.reason !== undefined ? { reason: options.reason } : {}),
    now: options.now ?? NOW,
  },
});

export const changeShippingAddress = (requestId: string, shipTo: Address, now: Date = NOW): OrderCommand => ({
  type: 'ChangeShippingAddress',
  data: { requestId, shipTo, now },
});

/** Fact builders: the plain facts the fulfilment readers produce. */
export const facts = {
  plan: (version: number, groups: Extract<OrderFact, { kind: 'plan' }>['groups'], unfulfillable: readonly LineQuantity[] = [], minutes = 1): OrderFact => ({
    kind: 'plan',
    version,
    groups,
    unfulfillable,
    at: iso(minutes),
  }),
  purchaseOrder: (
    poId: string,
    supplierId: string,
    step: Extract<OrderFact, { kind: 'purchase_order' }>['step'],
    lines: Extract<OrderFact, { kind: 'purchase_order' }>['lines'],
    minutes = 2,
  ): OrderFact => ({ kind: 'purchase_order', poId, supplierId, step, lines, at: iso(minutes) }),
  shipment: (shipmentId: string, nodeId: string, lines: readonly LineQuantity[], options: { poId?: string; minutes?: number } = {}): OrderFact => ({
    kind: 'shipment',
    shipmentId,
    nodeId,
    ...(options.poId !== undefined ? { poId: options.poId } : {}),
    carrier: 'colissimo',
    trackingNumber: `TRK-${shipmentId}`,
    lines,
    at: iso(options.minutes ?? 60),
  }),
  delivery: (shipmentId: string, minutes = 600): OrderFact => ({ kind: 'delivery', shipmentId, at: iso(minutes) }),
  cancellation: (cancellationId: string, lines: readonly LineQuantity[], reason = 'customer request', minutes = 30): OrderFact => ({
    kind: 'cancellation',
    cancellationId,
    lines,
    reason,
    at: iso(minutes),
  }),
  return: (returnId: string, lines: readonly LineQuantity[], minutes = 2000): OrderFact => ({ kind: 'return', returnId, lines, at: iso(minutes) }),
  refund: (refundId: string, amount: number, lines: readonly (LineQuantity & { amount: number })[], minutes = 2100): OrderFact => ({
    kind: 'refund',
    refundId,
    amount,
    currency: 'EUR',
    lines,
    at: iso(minutes),
  }),
};

/** The whole order in one warehouse group and one group per supplier. */
export const planGroups = (): Extract<OrderFact, { kind: 'plan' }>['groups'] => [
  { groupId: 'G-W', nodeId: 'W', nodeKind: 'warehouse', lines: [{ lineId: 'L1', quantity: 2 }] },
  {
    groupId: 'G-S1',
    nodeId: 'S1',
    nodeKind: 'supplier',
    lines: [
      { lineId: 'L2', quantity: 1 },
      { lineId: 'L3', quantity: 2 },
    ],
  },
  { groupId: 'G-S2', nodeId: 'S2', nodeKind: 'supplier', lines: [{ lineId: 'L4', quantity: 3 }] },
];

export const fold = (events: readonly OrderEvent[], state: OrderState = orderDecider.initialState()): OrderState =>
  events.reduce(orderDecider.evolve, state);

/** Decides each command on the state left by the previous ones; all the events recorded, in order. */
export function history(...commands: readonly OrderCommand[]): OrderEvent[] {
  const recorded: OrderEvent[] = [];
  let state = orderDecider.initialState();
  for (const command of commands) {
    const events = orderDecider.decide(command, state);
    state = fold(events, state);
    recorded.push(...events);
  }
  return recorded;
}

export function openState(events: readonly OrderEvent[]): OpenOrder {
  const state = fold(events);
  if (state.status !== 'open') throw new Error(`expected an open order, the events leave it ${state.status}`);
  return state;
}

/** Just the event of this type among `events` (fails when there is not exactly one). */
export function only<T extends OrderEvent['type']>(events: readonly OrderEvent[], type: T): Extract<OrderEvent, { type: T }> {
  const found = events.filter((e): e is Extract<OrderEvent, { type: T }> => e.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type}, got ${found.length} in ${events.map((e) => e.type).join(', ') || 'nothing'}`);
  return found[0]!;
}

/**
 * given(...past events).when(command).then(expected events | { error: code }): the past events are
 * folded with `evolve` from the initial state, the command is decided on that state.
 */
export function given(...past: readonly OrderEvent[]) {
  const state = fold(past);
  return {
    state,
    when(command: OrderCommand) {
      const decide = () => orderDecider.decide(command, state);
      return {
        /** The decided events, for assertions of their own. */
        events: (): readonly OrderEvent[] => decide(),
        then(expected: readonly OrderEvent[] | { readonly error: OrderErrorCode }): void {
          if ('error' in expected) {
            let thrown: unknown;
            try {
              decide();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(OrderDomainError);
            expect(thrown).toMatchObject({ name: 'OrderDomainError', code: expected.error });
          } else {
            expect(decide()).toEqual(expected);
          }
        },
      };
    },
  };
}
