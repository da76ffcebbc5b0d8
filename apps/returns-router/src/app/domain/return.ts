import type { Decider } from '@oms/event-store';
import type { Condition, ReturnEvent } from './return-events';
import type { ClaimError } from './returnable-order';
import { SUPPLIER_FAULTS } from './routing';

type RoutedData = Extract<ReturnEvent, { type: 'ReturnRouted' }>['data'];
type Part = RoutedData['parts'][number];

export { SUPPLIER_FAULTS } from './routing';

export type ReturnCommand =
  | { readonly type: 'Route'; readonly data: Omit<RoutedData, 'routedAt'> & { readonly now: Date } }
  | { readonly type: 'Reject'; readonly data: { readonly returnId: string; readonly orderId: string; readonly errors: readonly ClaimError[]; readonly now: Date } }
  | {
      readonly type: 'RecordReceipt';
      readonly data: { readonly partId: string; readonly receiptId: string; readonly lines: readonly { readonly lineId: string; readonly quantity: number; readonly condition: Condition }[]; readonly now: Date };
    }
  | { readonly type: 'ExpireParts'; readonly data: { readonly now: Date } };

export type ReturnState =
  | { readonly status: 'none' }
  | { readonly status: 'rejected'; readonly returnId: string; readonly orderId: string }
  | {
      readonly status: 'routed';
      readonly returnId: string;
      readonly orderId: string;
      readonly parts: Readonly<Record<string, Part & { readonly received: boolean; readonly exception: boolean }>>;
      readonly receipts: Readonly<Record<string, true>>;
    };

export class ReturnError extends Error {
  override readonly name = 'ReturnError';
}

const destinationOf = (part: Part): 'supplier' | 'retailer' | 'none' => (part.destination === 'supplier' ? 'supplier' : part.destination === 'warehouse' ? 'retailer' : 'none');
/** The part's reason: a supplier fault if any line has one (routing keeps those apart), else the first given. */
const reasonOf = (part: Part) =>
  part.lines.map((l) => l.reason).find((r) => SUPPLIER_FAULTS.includes(r)) ?? part.lines.map((l) => l.reason).find((r) => r !== 'unspecified') ?? 'unspecified';

function approve(orderId: string, part: Part, lines: readonly { lineId: string; quantity: number }[], at: string): ReturnEvent {
  const reason = reasonOf(part);
  return {
    type: 'RefundApproved',
    data: { orderId, partId: part.partId, destination: destinationOf(part), nodeId: part.shippedBy, lines, attributableToSupplier: SUPPLIER_FAULTS.includes(reason), reason, approvedAt: at },
  };
}

export const returnDecider: Decider<ReturnCommand, ReturnState, ReturnEvent> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'Route': {
        if (state.status !== 'none') return [];
        const { now, ...routed } = command.data;
        const at = now.toISOString();
        // A return without return is refunded as soon as it is decided.
        const returnless = routed.parts.filter((p) => p.destination === 'returnless').map((p) => approve(routed.orderId, p, p.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })), at));
        return [{ type: 'ReturnRouted', data: { ...routed, routedAt: at } }, ...returnless];
      }
      case 'Reject':
        return state.status === 'none' ? [{ type: 'ReturnRejected', data: { returnId: command.data.returnId, orderId: command.data.orderId, errors: command.data.errors, rejectedAt: command.data.now.toISOString() } }] : [];
      case 'RecordReceipt': {
        if (state.status !== 'routed') throw new ReturnError('No routed return to receive against');
        const { partId, receiptId, now } = command.data;
        // A receipt id is the receiving node's: unique per part, not across a return's parts.
        if (state.receipts[`${partId}|${receiptId}`]) return [];
        const part = state.parts[partId];
        if (!part) throw new ReturnError(`Return ${state.returnId} has no part ${partId}`);
        if (part.destination === 'returnless') throw new ReturnError(`Part ${partId} is refunded without return: nothing to receive`);
        if (part.received) throw new ReturnError(`Part ${partId} was already received`);
        // Never more than the part holds of a line, whatever the receipt says.
        const left = new Map(part.lines.map((l) => [l.lineId, l.quantity]));
        const lines = command.data.lines.flatMap((l) => {
          const quantity = Math.min(l.quantity, left.get(l.lineId) ?? 0);
          if (quantity <= 0) return [];
          left.set(l.lineId, (left.get(l.lineId) ?? 0) - quantity);
          return [{ lineId: l.lineId, quantity, condition: l.condition }];
        });
        const at = now.toISOString();
        const acceptable = new Map<string, number>();
        for (const l of lines) if (l.condition === 'acceptable') acceptable.set(l.lineId, (acceptable.get(l.lineId) ?? 0) + l.quantity);
        const events: ReturnEvent[] = [{ type: 'ReturnPartReceived', data: { orderId: state.orderId, partId, receiptId, lines, receivedAt: at } }];
        if (acceptable.size > 0) events.push(approve(state.orderId, part, [...acceptable].map(([lineId, quantity]) => ({ lineId, quantity })), at));
        const short = [...left].filter(([, q]) => q > 0);
        if (short.length > 0 || lines.some((l) => l.condition !== 'acceptable')) {
          events.push({ type: 'ReturnException', data: { orderId: state.orderId, partId, reason: `received short or not in acceptable condition: review before any further refund`, raisedAt: at } });
        }
        return events;
      }
      case 'ExpireParts': {
        if (state.status !== 'routed') return [];
        const at = command.data.now.toISOString();
        return Object.values(state.parts)
          .filter((p) => p.destination !== 'returnless' && !p.received && !p.exception && p.receiveBy !== undefined && Date.parse(p.receiveBy) <= command.data.now.getTime())
          .map((p) => ({ type: 'ReturnException', data: { orderId: state.orderId, partId: p.partId, reason: `nothing received from ${p.nodeId} by ${p.receiveBy}`, raisedAt: at } }) as const);
      }
      default: {
        const never: never = command;
        return never;
      }
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'ReturnRouted':
        return {
          status: 'routed',
          returnId: event.data.returnId,
          orderId: event.data.orderId,
          parts: Object.fromEntries(event.data.parts.map((p) => [p.partId, { ...p, received: false, exception: false }])),
          receipts: {},
        };
      case 'ReturnRejected':
        return { status: 'rejected', returnId: event.data.returnId, orderId: event.data.orderId };
      case 'ReturnPartReceived': {
        if (state.status !== 'routed') return state;
        const part = state.parts[event.data.partId];
        return part ? { ...state, parts: { ...state.parts, [event.data.partId]: { ...part, received: true } }, receipts: { ...state.receipts, [`${event.data.partId}|${event.data.receiptId}`]: true } } : state;
      }
      case 'ReturnException': {
        if (state.status !== 'routed') return state;
        const part = state.parts[event.data.partId];
        return part ? { ...state, parts: { ...state.parts, [event.data.partId]: { ...part, exception: true } } } : state;
      }
      case 'RefundApproved':
        return state;
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};
