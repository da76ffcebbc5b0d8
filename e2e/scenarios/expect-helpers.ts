import type { E2eSystem } from './system';

export interface OrderBody {
  readonly status: string;
  readonly cancellation: string;
  readonly lines: readonly { lineId: string; sku: string; ordered: number; shipped: number; delivered: number; cancelled: number; returned: number; refunded: number; status: string }[];
  readonly shipments: readonly { shipmentId: string; nodeId: string; trackingNumber: string; deliveredAt?: string }[];
  readonly purchaseOrders: readonly { poId: string; supplierId: string; state: string }[];
  readonly refunded: number;
  readonly totals: { total: number };
}

export interface PoBody {
  readonly status: string;
  readonly purchaseOrder: { readonly supplierId?: string; readonly lines: readonly { lineId: string; quantity: number; unitCost: number }[] };
  readonly history: readonly { revision: number; type: string; recordedAt: string; data: Record<string, unknown> }[];
}

export interface AllocationBody {
  readonly version: number;
  readonly groups: readonly { groupId: string; nodeId: string; lines: readonly { lineId: string; quantity: number }[] }[];
  readonly history: readonly { type: string; data: Record<string, unknown> }[];
}

export const order = (system: E2eSystem, orderId: string, done: (o: OrderBody) => boolean, what: string) => system.until<OrderBody>('order-intake', `/orders/${orderId}`, done, what);
export const purchaseOrder = (system: E2eSystem, poId: string, done: (po: PoBody) => boolean, what: string) => system.until<PoBody>('supplier-gateway', `/admin/purchase-orders/${poId}`, done, what);
export const allocation = (system: E2eSystem, orderId: string, done: (a: AllocationBody) => boolean, what: string) => system.until<AllocationBody>('sourcing', `/allocations/${orderId}`, done, what);

/** Amounts of one kind of settlement event about an order, by supplier where it names one. */
export const amounts = (system: E2eSystem, orderId: string, type: string, field = 'amount') =>
  system.settlements(orderId, type).map((p) => ({ ...(p['supplierId'] ? { supplierId: p['supplierId'] } : {}), [field]: p[field] }));
