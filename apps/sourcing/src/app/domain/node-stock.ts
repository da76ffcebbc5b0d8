import type { Decider } from '@oms/event-store';

/**
 * A node's stock as its feeds report it and the units sourcing has promised to orders, in one
 * `nodestock-<nodeId>` stream: a reservation is decided on the stream's own revision, so two orders
 * racing for the last unit cannot both get it — the second append meets a new revision, reloads,
 * and is refused.
 */
export type NodeStockEvent =
  | { readonly type: 'StockLevelsRecorded'; readonly data: { readonly mode: 'snapshot' | 'delta'; readonly items: readonly SkuQuantity[]; readonly asOf: string } }
  | { readonly type: 'ReservationSet'; readonly data: { readonly orderId: string; readonly items: readonly SkuQuantity[]; readonly reason: string } };

export interface SkuQuantity {
  readonly sku: string;
  readonly quantity: number;
}

export type NodeStockCommand =
  | { readonly type: 'RecordStockLevels'; readonly data: { readonly mode: 'snapshot' | 'delta'; readonly items: readonly SkuQuantity[]; readonly asOf: string } }
  /** Sets what the order holds at this node (absolute, so a retry is the same command). */
  | { readonly type: 'SetReservation'; readonly data: { readonly orderId: string; readonly items: readonly SkuQuantity[]; readonly safetyBuffer: number; readonly reason: string } };

export interface NodeStockState {
  readonly levels: Readonly<Record<string, { readonly quantity: number; readonly asOf: string }>>;
  /** sku → order → units */
  readonly reserved: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export class ReservationRefusedError extends Error {
  override readonly name = 'ReservationRefusedError';
  constructor(readonly shortages: readonly { readonly sku: string; readonly requested: number; readonly available: number }[]) {
    super(`Not enough stock: ${shortages.map((s) => `${s.sku} ${s.requested} requested, ${s.available} available`).join('; ')}`);
  }
}

/** What an order may still take of a sku here: the feed's level less the buffer and other orders' holds. */
export function availableFor(state: NodeStockState, sku: string, orderId: string, safetyBuffer: number): number {
  const level = state.levels[sku]?.quantity ?? 0;
  const others = Object.entries(state.reserved[sku] ?? {}).reduce((n, [order, units]) => (order === orderId ? n : n + units), 0);
  return Math.max(0, level - safetyBuffer - others);
}

export const nodeStockDecider: Decider<NodeStockCommand, NodeStockState, NodeStockEvent> = {
  initialState: () => ({ levels: {}, reserved: {} }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordStockLevels': {
        const fresh = command.data.items.filter((i) => !state.levels[i.sku] || Date.parse(command.data.asOf) > Date.parse(state.levels[i.sku]!.asOf));
        const zeroed = command.data.mode === 'snapshot' ? Object.keys(state.levels).filter((sku) => !command.data.items.some((i) => i.sku === sku)) : [];
        return fresh.length === 0 && zeroed.length === 0 ? [] : [{ type: 'StockLevelsRecorded', data: command.data }];
      }
      case 'SetReservation': {
        const { orderId, items, safetyBuffer, reason } = command.data;
        const shortages = items
          .map((i) => ({ sku: i.sku, requested: i.quantity, available: availableFor(state, i.sku, orderId, safetyBuffer) }))
          .filter((s) => s.requested > s.available);
        if (shortages.length > 0) throw new ReservationRefusedError(shortages);
        const held = Object.entries(state.reserved).flatMap(([sku, byOrder]) => (byOrder[orderId] ? [{ sku, quantity: byOrder[orderId]! }] : []));
        const same =
          held.length === items.filter((i) => i.quantity > 0).length && items.every((i) => i.quantity === 0 || state.reserved[i.sku]?.[orderId] === i.quantity);
        return same ? [] : [{ type: 'ReservationSet', data: { orderId, items: items.filter((i) => i.quantity > 0), reason } }];
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
        const levels = { ...state.levels };
        for (const i of event.data.items) {
          if (!levels[i.sku] || Date.parse(event.data.asOf) > Date.parse(levels[i.sku]!.asOf)) levels[i.sku] = { quantity: i.quantity, asOf: event.data.asOf };
        }
        if (event.data.mode === 'snapshot') {
          for (const sku of Object.keys(levels)) {
            if (!event.data.items.some((i) => i.sku === sku) && Date.parse(event.data.asOf) > Date.parse(levels[sku]!.asOf)) levels[sku] = { quantity: 0, asOf: event.data.asOf };
          }
        }
        return { ...state, levels };
      }
      case 'ReservationSet': {
        const reserved: Record<string, Record<string, number>> = {};
        for (const [sku, byOrder] of Object.entries(state.reserved)) {
          const rest = Object.fromEntries(Object.entries(byOrder).filter(([order]) => order !== event.data.orderId));
          if (Object.keys(rest).length > 0) reserved[sku] = rest;
        }
        for (const i of event.data.items) reserved[i.sku] = { ...(reserved[i.sku] ?? {}), [event.data.orderId]: i.quantity };
        return { ...state, reserved };
      }
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};
