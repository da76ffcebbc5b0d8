import type { Decider } from '@oms/event-store';

/**
 * What of an order can still be returned (`returnorder-<orderId>`): the lines as sold, what each
 * node shipped and when, and what returns have already claimed. A return claims its units here,
 * on this stream's revision, so two returns of the same unit cannot both be accepted.
 */
export interface SoldLine {
  readonly lineId: string;
  readonly sku: string;
  readonly quantity: number;
  /** What the customer paid for the whole line (minor units): its value for routing rules. */
  readonly total: number;
}

export interface ClaimedUnits {
  readonly lineId: string;
  readonly nodeId: string;
  readonly quantity: number;
}

export interface ClaimError {
  readonly lineId: string;
  readonly reason: 'unknown_line' | 'not_shipped' | 'already_returned' | 'window_closed' | 'invalid_quantity';
  readonly message: string;
}

export type ReturnableOrderEvent =
  | { readonly type: 'OrderSold'; readonly data: { readonly currency: string; readonly lines: readonly SoldLine[] } }
  | {
      readonly type: 'ShipmentNoted';
      readonly data: { readonly shipmentId: string; readonly nodeId: string; readonly lines: readonly { readonly lineId: string; readonly quantity: number }[]; readonly shippedAt: string };
    }
  | { readonly type: 'ShipmentDeliveryNoted'; readonly data: { readonly shipmentId: string; readonly deliveredAt: string } }
  | { readonly type: 'ReturnClaimed'; readonly data: { readonly returnId: string; readonly units: readonly ClaimedUnits[]; readonly claimedAt: string } }
  | { readonly type: 'ReturnClaimRefused'; readonly data: { readonly returnId: string; readonly errors: readonly ClaimError[]; readonly refusedAt: string } };

export type ReturnableOrderCommand =
  | { readonly type: 'NoteSale'; readonly data: { readonly currency: string; readonly lines: readonly SoldLine[] } }
  | { readonly type: 'NoteShipment'; readonly data: Extract<ReturnableOrderEvent, { type: 'ShipmentNoted' }>['data'] }
  | { readonly type: 'NoteDelivery'; readonly data: { readonly shipmentId: string; readonly deliveredAt: string } }
  | {
      readonly type: 'ClaimReturn';
      readonly data: {
        readonly returnId: string;
        readonly lines: readonly { readonly lineId: string; readonly quantity: number }[];
        /** Days after delivery (or shipment, when delivery is unknown) a node takes returns. */
        readonly windowDays: (nodeId: string) => number;
        readonly now: Date;
      };
    };

interface Shipment {
  readonly nodeId: string;
  readonly lines: Readonly<Record<string, number>>;
  readonly shippedAt: string;
  readonly deliveredAt?: string;
}

export interface ReturnableOrder {
  readonly currency: string | undefined;
  readonly lines: Readonly<Record<string, SoldLine>>;
  readonly shipments: Readonly<Record<string, Shipment>>;
  /** line → node → units claimed by returns */
  readonly claimed: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Every return decided here, claimed or refused: a return id is decided once. */
  readonly decided: Readonly<Record<string, { readonly units: readonly ClaimedUnits[] } | { readonly errors: readonly ClaimError[] }>>;
}

const DAY = 86_400_000;

/** Per line and node: units shipped, and the latest moment the customer had them. */
function shippedByNode(state: ReturnableOrder, lineId: string): Map<string, { units: number; since: number }> {
  const byNode = new Map<string, { units: number; since: number }>();
  for (const s of Object.values(state.shipments)) {
    const units = s.lines[lineId] ?? 0;
    if (units <= 0) continue;
    const since = Date.parse(s.deliveredAt ?? s.shippedAt);
    const current = byNode.get(s.nodeId);
    byNode.set(s.nodeId, { units: (current?.units ?? 0) + units, since: Math.max(current?.since ?? 0, since) });
  }
  return byNode;
}

function claim(state: ReturnableOrder, request: Extract<ReturnableOrderCommand, { type: 'ClaimReturn' }>['data']): ReturnableOrderEvent {
  const at = request.now.toISOString();
  const errors: ClaimError[] = [];
  const units: ClaimedUnits[] = [];
  const requested = new Map<string, number>();
  for (const l of request.lines) requested.set(l.lineId, (requested.get(l.lineId) ?? 0) + l.quantity);
  for (const [lineId, quantity] of requested) {
    if (!state.lines[lineId]) {
      errors.push({ lineId, reason: 'unknown_line', message: `Line ${lineId} is not on this order` });
      continue;
    }
    if (!Number.isInteger(quantity) || quantity <= 0) {
      errors.push({ lineId, reason: 'invalid_quantity', message: `Line ${lineId}: ${quantity} is not a positive whole quantity` });
      continue;
    }
    const byNode = shippedByNode(state, lineId);
    const shipped = [...byNode.values()].reduce((n, s) => n + s.units, 0);
    const claimed = Object.values(state.claimed[lineId] ?? {}).reduce((n, u) => n + u, 0);
    if (shipped === 0) {
      errors.push({ lineId, reason: 'not_shipped', message: `Line ${lineId} has not shipped: cancel it instead` });
      continue;
    }
    if (quantity > shipped - claimed) {
      errors.push({
        lineId,
        reason: shipped - claimed <= 0 ? 'already_returned' : 'invalid_quantity',
        message: `Line ${lineId}: ${quantity} requested, ${shipped} shipped and ${claimed} already returned`,
      });
      continue;
    }
    // Take units from the nodes in id order, each within its own return window.
    let left = quantity;
    const taken: ClaimedUnits[] = [];
    const closed: string[] = [];
    for (const [nodeId, shippedHere] of [...byNode].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (left <= 0) break;
      const free = shippedHere.units - (state.claimed[lineId]?.[nodeId] ?? 0);
      if (free <= 0) continue;
      const deadline = shippedHere.since + request.windowDays(nodeId) * DAY;
      if (request.now.getTime() > deadline) {
        closed.push(`${nodeId} until ${new Date(deadline).toISOString().slice(0, 10)}`);
        continue;
      }
      const take = Math.min(left, free);
      taken.push({ lineId, nodeId, quantity: take });
      left -= take;
    }
    if (left > 0) {
      errors.push({ lineId, reason: 'window_closed', message: `Line ${lineId}: the return window has closed (${closed.join(', ')})` });
      continue;
    }
    units.push(...taken);
  }
  return errors.length > 0
    ? { type: 'ReturnClaimRefused', data: { returnId: request.returnId, errors, refusedAt: at } }
    : { type: 'ReturnClaimed', data: { returnId: request.returnId, units, claimedAt: at } };
}

export const returnableOrderDecider: Decider<ReturnableOrderCommand, ReturnableOrder, ReturnableOrderEvent> = {
  initialState: () => ({ currency: undefined, lines: {}, shipments: {}, claimed: {}, decided: {} }),
  decide: (command, state) => {
    switch (command.type) {
      case 'NoteSale':
        return state.currency ? [] : [{ type: 'OrderSold', data: command.data }];
      case 'NoteShipment':
        return state.shipments[command.data.shipmentId] ? [] : [{ type: 'ShipmentNoted', data: command.data }];
      case 'NoteDelivery': {
        const shipment = state.shipments[command.data.shipmentId];
        return !shipment || shipment.deliveredAt ? [] : [{ type: 'ShipmentDeliveryNoted', data: command.data }];
      }
      case 'ClaimReturn':
        return state.decided[command.data.returnId] ? [] : [claim(state, command.data)];
      default: {
        const never: never = command;
        return never;
      }
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'OrderSold':
        return { ...state, currency: event.data.currency, lines: Object.fromEntries(event.data.lines.map((l) => [l.lineId, l])) };
      case 'ShipmentNoted': {
        const { shipmentId, nodeId, shippedAt } = event.data;
        const lines = event.data.lines.reduce<Record<string, number>>((c, l) => ({ ...c, [l.lineId]: (c[l.lineId] ?? 0) + l.quantity }), {});
        return { ...state, shipments: { ...state.shipments, [shipmentId]: { nodeId, lines, shippedAt } } };
      }
      case 'ShipmentDeliveryNoted': {
        const shipment = state.shipments[event.data.shipmentId];
        return shipment ? { ...state, shipments: { ...state.shipments, [event.data.shipmentId]: { ...shipment, deliveredAt: event.data.deliveredAt } } } : state;
      }
      case 'ReturnClaimed': {
        const claimed: Record<string, Record<string, number>> = Object.fromEntries(Object.entries(state.claimed).map(([k, v]) => [k, { ...v }]));
        for (const u of event.data.units) claimed[u.lineId] = { ...(claimed[u.lineId] ?? {}), [u.nodeId]: (claimed[u.lineId]?.[u.nodeId] ?? 0) + u.quantity };
        return { ...state, claimed, decided: { ...state.decided, [event.data.returnId]: { units: event.data.units } } };
      }
      case 'ReturnClaimRefused':
        return { ...state, decided: { ...state.decided, [event.data.returnId]: { errors: event.data.errors } } };
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};
