import type { Decider } from '@oms/event-store';

/**
 * A node's stock as its feeds report it and the units sourcing has promised to orders, in one
 * `nodestock-<nodeId>` stream: a reservation is decided on the stream's own revision, so two orders
 * racing for the last unit cannot both get it — the second append meets a new revision, reloads,
 * and is refused.
 *
 * A shipment turns the order's hold into units "in transit" until a feed produced after the
 * shipment arrives: until then the feed still counts those units, and they must not be offered
 * again.
 */
export type NodeStockEvent =
  | { readonly type: 'StockLevelsRecorded'; readonly data: { readonly mode: 'snapshot' | 'delta'; readonly items: readonly SkuQuantity[]; readonly asOf: string } }
  | { readonly type: 'ReservationSet'; readonly data: { readonly orderId: string; readonly items: readonly SkuQuantity[]; readonly reason: string } }
  | {
      readonly type: 'ReservationConsumed';
      readonly data: { readonly orderId: string; readonly shipmentId: string; readonly items: readonly SkuQuantity[]; readonly shippedAt: string };
    };

export interface SkuQuantity {
  readonly sku: string;
  readonly quantity: number;
}

export type NodeStockCommand =
  | { readonly type: 'RecordStockLevels'; readonly data: { readonly mode: 'snapshot' | 'delta'; readonly items: readonly SkuQuantity[]; readonly asOf: string } }
  /** Sets what the order holds at this node (absolute, so a retry is the same command). */
  | { readonly type: 'SetReservation'; readonly data: { readonly orderId: string; readonly items: readonly SkuQuantity[]; readonly safetyBuffer: number; readonly reason: string } }
  /** Units of the order left the node: its hold ends, the units count as gone until a newer feed. */
  | { readonly type: 'ConsumeReservation'; readonly data: { readonly orderId: string; readonly shipmentId: string; readonly items: readonly SkuQuantity[]; readonly shippedAt: string } };

export interface NodeStockState {
  readonly levels: Readonly<Record<string, { readonly quantity: number; readonly asOf: string }>>;
  /** sku → order → units */
  readonly reserved: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** sku → shipments not yet reflected by a feed */
  readonly inTransit: Readonly<Record<string, readonly { readonly shipmentId: string; readonly quantity: number; readonly shippedAt: string }[]>>;
  readonly shipments: Readonly<Record<string, true>>;
}

export class ReservationRefusedError extends Error {
  override readonly name = 'ReservationRefusedError';
  constructor(readonly shortages: readonly { readonly sku: string; readonly requested: number; readonly available: number }[]) {
    super(`Not enough stock: ${shortages.map((s) => `${s.sku} ${s.requested} requested, ${s.available} available`).join('; ')}`);
  }
}

/** The feed's level less other orders' holds and shipped units the feed does not know of yet. */
export function unheldStock(state: NodeStockState, sku: string, orderId: string): number {
  const level = state.levels[sku]?.quantity ?? 0;
  const others = Object.entries(state.reserved[sku] ?? {}).reduce((n, [order, units]) => (order === orderId ? n : n + units), 0);
  const gone = (state.inTransit[sku] ?? []).reduce((n, s) => n + s.quantity, 0);
  return Math.max(0, level - others - gone);
}

/** What an order may still take of a sku here: unheld stock less the node's safety buffer. */
export function availableFor(state: NodeStockState, sku: string, orderId: string, safetyBuffer: number): number {
  return Math.max(0, unheldStock(state, sku, orderId) - safetyBuffer);
}

const later = (a: string, b: string) => Date.parse(a) > Date.parse(b);

export const nodeStockDecider: Decider<NodeStockCommand, NodeStockState, NodeStockEvent> = {
  initialState: () => ({ levels: {}, reserved: {}, inTransit: {}, shipments: {} }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordStockLevels': {
        const { items, mode, asOf } = command.data;
        const listed = new Set(items.map((i) => i.sku));
        const fresh = items.some((i) => !state.levels[i.sku] || later(asOf, state.levels[i.sku]!.asOf));
        const zeroes = mode === 'snapshot' && Object.entries(state.levels).some(([sku, level]) => !listed.has(sku) && later(asOf, level.asOf));
        return fresh || zeroes ? [{ type: 'StockLevelsRecorded', data: command.data }] : [];
      }
      case 'SetReservation': {
        const { orderId, items, safetyBuffer, reason } = command.data;
        const held = (sku: string) => state.reserved[sku]?.[orderId] ?? 0;
        // Keeping or lowering a hold is always allowed: the units were granted when stock allowed it.
        const shortages = items
          .filter((i) => i.quantity > held(i.sku))
          .map((i) => ({ sku: i.sku, requested: i.quantity, available: availableFor(state, i.sku, orderId, safetyBuffer) }))
          .filter((s) => s.requested > s.available);
        if (shortages.length > 0) throw new ReservationRefusedError(shortages);
        const wanted = items.filter((i) => i.quantity > 0);
        const current = Object.entries(state.reserved).filter(([, byOrder]) => byOrder[orderId] !== undefined);
        const same = current.length === wanted.length && wanted.every((i) => held(i.sku) === i.quantity);
        return same ? [] : [{ type: 'ReservationSet', data: { orderId, items: wanted, reason } }];
      }
      case 'ConsumeReservation': {
        const items = command.data.items.filter((i) => i.quantity > 0);
        return state.shipments[command.data.shipmentId] || items.length === 0 ? [] : [{ type: 'ReservationConsumed', data: { ...command.data, items } }];
      }
      default: {
        const never: never = command;
        return never;
      }
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'StockLevelsRecorded': {
        const { items, mode, asOf } = event.data;
        const levels = { ...state.levels };
        for (const i of items) if (!levels[i.sku] || later(asOf, levels[i.sku]!.asOf)) levels[i.sku] = { quantity: i.quantity, asOf };
        if (mode === 'snapshot') {
          const listed = new Set(items.map((i) => i.sku));
          for (const [sku, level] of Object.entries(levels)) if (!listed.has(sku) && later(asOf, level.asOf)) levels[sku] = { quantity: 0, asOf };
        }
        // Shipments the new figures already reflect stop counting.
        const inTransit: Record<string, NodeStockState['inTransit'][string]> = {};
        for (const [sku, shipped] of Object.entries(state.inTransit)) {
          const left = shipped.filter((s) => !levels[sku] || later(s.shippedAt, levels[sku]!.asOf));
          if (left.length > 0) inTransit[sku] = left;
        }
        return { ...state, levels, inTransit };
      }
      case 'ReservationSet': {
        const reserved: Record<string, Record<string, number>> = {};
        for (const [sku, byOrder] of Object.entries(state.reserved)) {
          if (byOrder[event.data.orderId] === undefined) {
            reserved[sku] = byOrder as Record<string, number>;
            continue;
          }
          const { [event.data.orderId]: _dropped, ...rest } = byOrder;
          if (Object.keys(rest).length > 0) reserved[sku] = rest;
        }
        for (const i of event.data.items) reserved[i.sku] = { ...(reserved[i.sku] ?? {}), [event.data.orderId]: i.quantity };
        return { ...state, reserved };
      }
      case 'ReservationConsumed': {
        const { orderId, shipmentId, items, shippedAt } = event.data;
        const reserved = { ...state.reserved };
        const inTransit = { ...state.inTransit };
        for (const i of items) {
          const { [orderId]: held = 0, ...others } = reserved[i.sku] ?? {};
          const left = held - i.quantity;
          const byOrder = left > 0 ? { ...others, [orderId]: left } : others;
          if (Object.keys(byOrder).length > 0) reserved[i.sku] = byOrder;
          else delete reserved[i.sku];
          const level = state.levels[i.sku];
          if (!level || later(shippedAt, level.asOf)) inTransit[i.sku] = [...(inTransit[i.sku] ?? []), { shipmentId, quantity: i.quantity, shippedAt }];
        }
        return { ...state, reserved, inTransit, shipments: { ...state.shipments, [shipmentId]: true } };
      }
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};
