import type {
  CancellationState,
  OrderAccepted,
  OrderEvent,
  OrderStatus,
  PlanGroup,
  PurchaseOrderLine,
  PurchaseOrderStep,
} from './order-events';
import type { Address, LineQuantity, ShipmentDetails } from './order-types';

export interface PurchaseOrderFacts {
  readonly supplierId: string;
  /** Each step once; facts may arrive in any order, so no step overwrites another. */
  readonly steps: Readonly<Partial<Record<PurchaseOrderStep, { readonly lines: readonly PurchaseOrderLine[]; readonly reason?: string; readonly at: string }>>>;
}

export interface ShipmentFacts extends ShipmentDetails {
  readonly shippedAt: string;
}

/**
 * The order stream folded. Outside facts are kept as sets keyed by their own ids (plan version,
 * PO and step, shipment, cancellation, return, refund), never as a sequence of transitions, so the
 * same facts in any order give the same state — and a fact seen twice is seen once.
 */
export type OrderState =
  | { readonly status: 'none' }
  | { readonly status: 'rejected'; readonly orderId: string }
  | OpenOrder;

export interface OpenOrder {
  readonly status: 'open';
  readonly accepted: OrderAccepted['data'];
  readonly shipTo: Address;
  readonly plan: { readonly version: number; readonly groups: readonly PlanGroup[]; readonly unfulfillable: readonly LineQuantity[] } | undefined;
  readonly purchaseOrders: Readonly<Record<string, PurchaseOrderFacts>>;
  readonly shipments: Readonly<Record<string, ShipmentFacts>>;
  /** Deliveries by shipment id; may arrive before the shipment itself. */
  readonly deliveries: Readonly<Record<string, string>>;
  readonly cancellations: Readonly<Record<string, { readonly lines: readonly LineQuantity[]; readonly reason: string; readonly refund: number }>>;
  readonly returns: Readonly<Record<string, readonly LineQuantity[]>>;
  readonly refunds: Readonly<Record<string, { readonly amount: number; readonly lines: readonly (LineQuantity & { readonly amount: number })[] }>>;
  /** Request ids seen, as `cancel:<id>` or `address:<id>`. */
  readonly requests: Readonly<Record<string, true>>;
  /** What was last published, so a change is announced once. */
  readonly announced: { readonly status: OrderStatus; readonly cancellation: CancellationState; readonly completed: boolean };
}

export const initialOrderState = (): OrderState => ({ status: 'none' });

export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  switch (event.type) {
    case 'OrderAccepted':
      return {
        status: 'open',
        accepted: event.data,
        shipTo: event.data.shipTo,
        plan: undefined,
        purchaseOrders: {},
        shipments: {},
        deliveries: {},
        cancellations: {},
        returns: {},
        refunds: {},
        requests: {},
        announced: { status: 'accepted', cancellation: 'none', completed: false },
      };
    case 'OrderRejected':
      return state.status === 'open' ? state : { status: 'rejected', orderId: event.data.orderId };
    case 'OrderPlacementConflicted':
      return state;
    default:
      return state.status === 'open' ? evolveOpen(state, event) : state;
  }
}

function evolveOpen(order: OpenOrder, event: Exclude<OrderEvent, { type: 'OrderAccepted' | 'OrderRejected' | 'OrderPlacementConflicted' }>): OpenOrder {
  switch (event.type) {
    case 'FulfilmentPlanRecorded': {
      const { version, groups, unfulfillable } = event.data;
      return order.plan && order.plan.version >= version ? order : { ...order, plan: { version, groups, unfulfillable } };
    }
    case 'PurchaseOrderRecorded': {
      const { poId, supplierId, step, lines, reason, at } = event.data;
      const existing = order.purchaseOrders[poId] ?? { supplierId, steps: {} };
      if (existing.steps[step]) return order;
      const recorded = { lines, at, ...(reason !== undefined ? { reason } : {}) };
      return { ...order, purchaseOrders: { ...order.purchaseOrders, [poId]: { supplierId, steps: { ...existing.steps, [step]: recorded } } } };
    }
    case 'ShipmentRecorded': {
      const { shipmentId, ...facts } = event.data;
      return order.shipments[shipmentId] ? order : { ...order, shipments: { ...order.shipments, [shipmentId]: facts } };
    }
    case 'ShipmentDeliveryRecorded':
      return order.deliveries[event.data.shipmentId]
        ? order
        : { ...order, deliveries: { ...order.deliveries, [event.data.shipmentId]: event.data.deliveredAt } };
    case 'LinesCancelled': {
      const { cancellationId, lines, reason, refund } = event.data;
      return order.cancellations[cancellationId]
        ? order
        : { ...order, cancellations: { ...order.cancellations, [cancellationId]: { lines, reason, refund: refund.amount } } };
    }
    case 'ReturnRecorded':
      return order.returns[event.data.returnId] ? order : { ...order, returns: { ...order.returns, [event.data.returnId]: event.data.lines } };
    case 'RefundRecorded': {
      const { refundId, amount, lines } = event.data;
      return order.refunds[refundId] ? order : { ...order, refunds: { ...order.refunds, [refundId]: { amount, lines } } };
    }
    case 'CancellationRequested':
      return { ...order, requests: { ...order.requests, [`cancel:${event.data.requestId}`]: true } };
    case 'ShippingAddressChanged':
      return { ...order, shipTo: event.data.shipTo, requests: { ...order.requests, [`address:${event.data.requestId}`]: true } };
    case 'OrderStatusChanged':
      return { ...order, announced: { ...order.announced, status: event.data.status, cancellation: event.data.cancellation } };
    case 'OrderCompleted':
      return { ...order, announced: { ...order.announced, completed: true } };
    default: {
      const never: never = event;
      return never;
    }
  }
}
