import type { CancellationState, OrderStatus } from './order-events';
import type { OpenOrder } from './order-state';
import type { LineQuantity, ShipmentDetails } from './order-types';

export type LineStatus =
  | 'accepted'
  | 'planned'
  | 'sent_to_supplier'
  | 'acknowledged'
  | 'partially_shipped'
  | 'shipped'
  | 'delivered'
  | 'cancelled'
  | 'returned'
  | 'refunded';

export interface LineView {
  readonly lineId: string;
  readonly sku: string;
  readonly name?: string;
  readonly ordered: number;
  readonly unitPrice: number;
  readonly total: number;
  readonly planned: readonly { readonly nodeId: string; readonly nodeKind: 'warehouse' | 'supplier'; readonly quantity: number }[];
  readonly unfulfillable: number;
  readonly sentToSupplier: number;
  readonly acknowledged: number;
  readonly rejected: number;
  readonly backordered: number;
  readonly shipped: number;
  readonly delivered: number;
  readonly cancelled: number;
  readonly returned: number;
  readonly refunded: number;
  readonly status: LineStatus;
}

export interface ShipmentView extends ShipmentDetails {
  readonly shipmentId: string;
  readonly shippedAt: string;
  readonly deliveredAt?: string;
}

export interface PurchaseOrderView {
  readonly poId: string;
  readonly supplierId: string;
  readonly state: 'dispatched' | 'acknowledged' | 'cancelled' | 'timed_out';
}

export interface OrderView {
  readonly orderId: string;
  readonly channel: string;
  readonly externalOrderId: string;
  readonly orderNumber?: string;
  readonly currency: string;
  readonly placedAt: string;
  readonly status: OrderStatus;
  readonly cancellation: CancellationState;
  readonly shipTo: OpenOrder['shipTo'];
  readonly lines: readonly LineView[];
  readonly shipments: readonly ShipmentView[];
  readonly purchaseOrders: readonly PurchaseOrderView[];
  readonly totals: OpenOrder['accepted']['totals'];
  readonly refunded: number;
  readonly cancelledValue: number;
  readonly discrepancies: OpenOrder['accepted']['discrepancies'];
}

const byLine = (entries: Iterable<LineQuantity>): Map<string, number> => {
  const totals = new Map<string, number>();
  for (const { lineId, quantity } of entries) totals.set(lineId, (totals.get(lineId) ?? 0) + quantity);
  return totals;
};
const sortedKeys = <T>(record: Readonly<Record<string, T>>) => Object.keys(record).sort();

/**
 * The one coherent view of an order across a warehouse and several suppliers: a pure function of
 * the recorded facts, so any delivery order of the same facts gives the same view.
 */
export function viewOrder(order: OpenOrder): OrderView {
  const shipmentIds = sortedKeys(order.shipments);
  const pos = sortedKeys(order.purchaseOrders).map((poId) => {
    const po = order.purchaseOrders[poId]!;
    return { poId, ...po, cancelledUnits: byLine(po.steps.cancelled?.lines ?? []), ended: poEnded(poId, po, order) };
  });
  const activePos = pos.filter((po) => !po.ended);
  // A PO the customer cancelled one line of still holds the others: only its cancelled units leave.
  const lessCancelled = (po: (typeof pos)[number], lineId: string, quantity: number) => ({ lineId, quantity: Math.max(0, quantity - (po.cancelledUnits.get(lineId) ?? 0)) });
  const sent = byLine(activePos.flatMap((po) => (po.steps.dispatched?.lines ?? []).map((l) => lessCancelled(po, l.lineId, l.quantity))));
  const acks = activePos.flatMap((po) => (po.steps.acknowledged?.lines ?? []).map((l) => ({ po, line: l })));
  const acknowledged = byLine(acks.map(({ po, line }) => lessCancelled(po, line.lineId, line.accepted ?? line.quantity)));
  const rejected = byLine(pos.flatMap((po) => po.steps.acknowledged?.lines ?? []).map((l) => ({ lineId: l.lineId, quantity: l.rejected ?? 0 })));
  const backordered = byLine(acks.map(({ line }) => ({ lineId: line.lineId, quantity: line.backordered ?? 0 })));
  const shipped = byLine(shipmentIds.flatMap((id) => order.shipments[id]!.lines));
  const delivered = byLine(shipmentIds.filter((id) => order.deliveries[id]).flatMap((id) => order.shipments[id]!.lines));
  const cancelled = byLine(Object.values(order.cancellations).flatMap((c) => c.lines));
  const returned = byLine(Object.values(order.returns).flat());
  const refundedByLine = new Map<string, number>();
  for (const refund of Object.values(order.refunds)) {
    for (const line of refund.lines) refundedByLine.set(line.lineId, (refundedByLine.get(line.lineId) ?? 0) + line.amount);
  }
  const unfulfillable = byLine(order.plan?.unfulfillable ?? []);

  const lines: LineView[] = order.accepted.lines.map((line) => {
    const q = line.quantity;
    // Not capped by each other: facts that contradict (units shipped that sourcing declared
    // cancelled) stay visible as shipped + cancelled > ordered instead of depending on arrival order.
    const c = Math.min(cancelled.get(line.lineId) ?? 0, q);
    const s = Math.min(shipped.get(line.lineId) ?? 0, q);
    const d = Math.min(delivered.get(line.lineId) ?? 0, s);
    const r = Math.min(returned.get(line.lineId) ?? 0, s);
    const planned = (order.plan?.groups ?? []).flatMap((g) =>
      g.lines.filter((l) => l.lineId === line.lineId && l.quantity > 0).map((l) => ({ nodeId: g.nodeId, nodeKind: g.nodeKind, quantity: l.quantity })),
    );
    const view = {
      lineId: line.lineId,
      sku: line.sku,
      ...(line.name !== undefined ? { name: line.name } : {}),
      ordered: q,
      unitPrice: line.unitPrice,
      total: line.total,
      planned,
      unfulfillable: unfulfillable.get(line.lineId) ?? 0,
      sentToSupplier: sent.get(line.lineId) ?? 0,
      acknowledged: acknowledged.get(line.lineId) ?? 0,
      rejected: rejected.get(line.lineId) ?? 0,
      backordered: backordered.get(line.lineId) ?? 0,
      shipped: s,
      delivered: d,
      cancelled: c,
      returned: r,
      refunded: refundedByLine.get(line.lineId) ?? 0,
    };
    return { ...view, status: lineStatus(view) };
  });

  const open = lines.reduce((n, l) => n + l.ordered - l.cancelled, 0);
  const shippedTotal = lines.reduce((n, l) => n + Math.min(l.shipped, l.ordered - l.cancelled), 0);
  const deliveredTotal = lines.reduce((n, l) => n + Math.min(l.delivered, l.ordered - l.cancelled), 0);
  const cancelledUnits = lines.reduce((n, l) => n + l.cancelled, 0);
  const status: OrderStatus =
    open === 0
      ? 'cancelled'
      : deliveredTotal >= open
        ? 'completed'
        : shippedTotal >= open
          ? 'shipped'
          : shippedTotal > 0
            ? 'partially_shipped'
            : lines.some((l) => l.planned.length > 0 || l.sentToSupplier > 0 || l.unfulfillable > 0)
              ? 'processing'
              : 'accepted';
  const cancellation: CancellationState = cancelledUnits === 0 ? 'none' : open === 0 ? 'full' : 'partial';

  const a = order.accepted;
  return {
    orderId: a.orderId,
    channel: a.channel,
    externalOrderId: a.externalOrderId,
    ...(a.orderNumber !== undefined ? { orderNumber: a.orderNumber } : {}),
    currency: a.currency,
    placedAt: a.placedAt,
    status,
    cancellation,
    shipTo: order.shipTo,
    lines,
    shipments: shipmentIds.map((shipmentId) => {
      const s = order.shipments[shipmentId]!;
      const deliveredAt = order.deliveries[shipmentId];
      return { shipmentId, ...s, ...(deliveredAt ? { deliveredAt } : {}) };
    }),
    purchaseOrders: pos.map((po) => ({
      poId: po.poId,
      supplierId: po.supplierId,
      state: po.steps.timed_out ? 'timed_out' : po.ended ? 'cancelled' : po.steps.acknowledged ? 'acknowledged' : 'dispatched',
    })),
    totals: a.totals,
    refunded: Object.values(order.refunds).reduce((n, r) => n + r.amount, 0),
    cancelledValue: Object.values(order.cancellations).reduce((n, c) => n + c.refund, 0),
    discrepancies: a.discrepancies,
  };
}

/**
 * Whether a PO holds no more units for the order: timed out, or cancelled for every unit the
 * supplier committed to (accepted, or sent while unanswered) and did not ship. A cancellation of
 * part of a PO (the customer's, of one line) leaves the rest with the supplier.
 */
function poEnded(poId: string, po: OpenOrder['purchaseOrders'][string], order: OpenOrder): boolean {
  if (po.steps.timed_out) return true;
  if (!po.steps.cancelled) return false;
  const cancelled = byLine(po.steps.cancelled.lines);
  const shipped = byLine(Object.values(order.shipments).filter((s) => s.poId === poId).flatMap((s) => s.lines));
  const committed = po.steps.acknowledged
    ? po.steps.acknowledged.lines.map((l) => ({ lineId: l.lineId, quantity: l.accepted ?? l.quantity }))
    : (po.steps.dispatched?.lines ?? []);
  return committed.every((l) => (cancelled.get(l.lineId) ?? 0) + (shipped.get(l.lineId) ?? 0) >= l.quantity);
}

function lineStatus(l: Omit<LineView, 'status'>): LineStatus {
  if (l.cancelled >= l.ordered) return 'cancelled';
  if (l.returned > 0 && l.returned >= l.shipped) return l.refunded > 0 ? 'refunded' : 'returned';
  if (l.shipped + l.cancelled >= l.ordered) return l.delivered >= l.shipped ? 'delivered' : 'shipped';
  if (l.shipped > 0) return 'partially_shipped';
  if (l.acknowledged > 0) return 'acknowledged';
  if (l.sentToSupplier > 0) return 'sent_to_supplier';
  if (l.planned.length > 0) return 'planned';
  return 'accepted';
}
