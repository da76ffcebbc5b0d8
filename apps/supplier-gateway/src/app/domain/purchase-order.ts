import type { Decider } from '@oms/event-store';
import type { AcknowledgedLine, LineUnits, PoStatus, PurchaseOrderEvent, Received } from './purchase-order-events';

type EventData<T extends PurchaseOrderEvent['type']> = Extract<PurchaseOrderEvent, { type: T }>['data'];
type Created = EventData<'PurchaseOrderCreated'>;
type Counts = Readonly<Record<string, number>>;

export interface OpenPo {
  readonly status: PoStatus;
  readonly po: Created;
  readonly acknowledged: Readonly<Record<string, AcknowledgedLine>> | undefined;
  readonly shipped: Counts;
  readonly invoiced: Counts;
  readonly cancelled: Counts;
  readonly shipments: Readonly<Record<string, true>>;
  readonly invoices: Readonly<Record<string, true>>;
  readonly cancelRequests: Readonly<Record<string, true>>;
  readonly pendingCancellation: { readonly requestId: string; readonly lines: readonly LineUnits[] } | undefined;
  /** Which deadline ended the PO, if one did. */
  readonly timedOut?: { readonly deadline: 'confirm' | 'ship'; readonly due: string };
  /** Notifications sent, by the key of what prompted them (the prompting event's id). */
  readonly notified: Readonly<Record<string, true>>;
  /** Supplier messages that took effect, by message id: a copy of one changes nothing. */
  readonly applied: Readonly<Record<string, true>>;
}

export type PoState = { readonly status: 'none' } | OpenPo;

export type PurchaseOrderCommand =
  | { readonly type: 'CreatePurchaseOrder'; readonly data: Omit<Created, 'createdAt'> & { readonly now: Date } }
  | { readonly type: 'MarkDispatched'; readonly data: { readonly via: Created['connector']; readonly document?: string; readonly now: Date } }
  | { readonly type: 'Acknowledge'; readonly data: { readonly lines: readonly AcknowledgedLine[]; readonly received: Received; readonly now: Date } }
  /** The shipment as the supplier reported it; the PO adds its ship-by. */
  | { readonly type: 'RecordShipment'; readonly data: Omit<EventData<'PurchaseOrderShipped'>, 'shipBy'> & { readonly now: Date } }
  /** The invoice as the supplier sent it; the PO adds its currency. */
  | { readonly type: 'RecordInvoice'; readonly data: Omit<EventData<'PurchaseOrderInvoiced'>, 'currency'> & { readonly now: Date } }
  | { readonly type: 'RequestCancellation'; readonly data: { readonly requestId: string; readonly lines: readonly LineUnits[]; readonly reason?: string; readonly now: Date } }
  | { readonly type: 'AnswerCancellation'; readonly data: { readonly accepted: boolean; readonly reason?: string; readonly received: Received; readonly now: Date } }
  | { readonly type: 'SupplierCancel'; readonly data: { readonly lines?: readonly LineUnits[]; readonly reason?: string; readonly received: Received; readonly now: Date } }
  | { readonly type: 'ExpireDeadlines'; readonly data: { readonly now: Date } }
  | {
      readonly type: 'RecordNotification';
      readonly data: { readonly key: string; readonly about: Extract<PurchaseOrderEvent, { type: 'SupplierNotified' }>['data']['about']; readonly via: Created['connector']; readonly document?: string; readonly now: Date };
    };

/** Commands that come from the supplier: outside these states they are refused, and the refusal recorded. */
const SUPPLIER_MAY: Readonly<Record<'Acknowledge' | 'RecordShipment' | 'RecordInvoice' | 'AnswerCancellation' | 'SupplierCancel', readonly PoStatus[]>> = {
  Acknowledge: ['created', 'dispatched'],
  // Shipping without acknowledging first is common: the shipment accepts what it carries.
  RecordShipment: ['created', 'dispatched', 'acknowledged', 'partially_shipped'],
  RecordInvoice: ['partially_shipped', 'shipped', 'invoiced'],
  AnswerCancellation: ['acknowledged', 'partially_shipped'],
  SupplierCancel: ['created', 'dispatched', 'acknowledged', 'partially_shipped'],
};

const TERMINAL: readonly PoStatus[] = ['closed', 'cancelled', 'timed_out'];

export class PurchaseOrderError extends Error {
  override readonly name = 'PurchaseOrderError';
}

const sum = (counts: Counts) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Units of a line the supplier still has to ship: ordered (or accepted) less shipped and cancelled. */
export function openUnits(state: OpenPo, lineId: string): number {
  const line = state.po.lines.find((l) => l.lineId === lineId);
  if (!line) return 0;
  const ack = state.acknowledged?.[lineId];
  const committed = ack ? ack.accepted : line.quantity;
  return Math.max(0, committed - (state.shipped[lineId] ?? 0) - (state.cancelled[lineId] ?? 0));
}

export function openLines(state: OpenPo): LineUnits[] {
  return state.po.lines.map((l) => ({ lineId: l.lineId, quantity: openUnits(state, l.lineId) })).filter((l) => l.quantity > 0);
}

/** The next moment a deadline of this PO fires, if any is still armed. */
export function nextDeadline(state: PoState): { deadline: 'confirm' | 'ship'; due: string } | undefined {
  if (state.status === 'none') return undefined;
  if (state.status === 'created' || state.status === 'dispatched') return { deadline: 'confirm', due: state.po.confirmBy };
  if (state.po.enforceShipBy && (state.status === 'acknowledged' || state.status === 'partially_shipped') && openLines(state).length > 0) {
    return { deadline: 'ship', due: state.po.shipBy };
  }
  return undefined;
}

function capToOpen(state: OpenPo, lines: readonly LineUnits[] | undefined): LineUnits[] {
  const requested = lines ?? openLines(state);
  const taken = new Map<string, number>();
  for (const l of requested) taken.set(l.lineId, Math.min((taken.get(l.lineId) ?? 0) + l.quantity, openUnits(state, l.lineId)));
  return [...taken].filter(([, q]) => q > 0).map(([lineId, quantity]) => ({ lineId, quantity }));
}

export const purchaseOrderDecider: Decider<PurchaseOrderCommand, PoState, PurchaseOrderEvent> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    if (command.type === 'CreatePurchaseOrder') {
      if (state.status !== 'none') return [];
      const { now, ...po } = command.data;
      if (po.lines.length === 0) throw new PurchaseOrderError('A purchase order needs at least one line');
      return [{ type: 'PurchaseOrderCreated', data: { ...po, createdAt: now.toISOString() } }];
    }
    if (state.status === 'none') throw new PurchaseOrderError('No such purchase order');
    const events = decideOnOpen(command, state);
    return withClosing(state, events, command.data.now);
  },
  evolve: (state, event) => {
    if (event.type === 'PurchaseOrderCreated') {
      return {
        status: 'created',
        po: event.data,
        acknowledged: undefined,
        shipped: {},
        invoiced: {},
        cancelled: {},
        shipments: {},
        invoices: {},
        cancelRequests: {},
        pendingCancellation: undefined,
        notified: {},
        applied: {},
      };
    }
    if (state.status === 'none') throw new PurchaseOrderError('No such purchase order');
    return evolveOpen(state, event);
  },
};

function refuse(state: OpenPo, command: string, reason: string, now: Date, received?: Received): PurchaseOrderEvent[] {
  return [{ type: 'SupplierMessageRefused', data: { command, status: state.status, reason, refusedAt: now.toISOString(), ...(received ? { received } : {}) } }];
}

function decideOnOpen(command: Exclude<PurchaseOrderCommand, { type: 'CreatePurchaseOrder' }>, state: OpenPo): PurchaseOrderEvent[] {
  const at = command.data.now.toISOString();
  // A supplier's retry, or one message reaching two replicas: the copy of a message the PO applied
  // is already known. Deciding it again would refuse it as out of turn (the PO has moved on).
  const messageId = 'received' in command.data ? command.data.received.messageId : undefined;
  if (messageId !== undefined && state.applied[messageId]) return [];
  switch (command.type) {
    case 'MarkDispatched':
      return state.status === 'created'
        ? [
            {
              type: 'PurchaseOrderDispatched',
              data: { via: command.data.via, lines: openLines(state), ...(command.data.document ? { document: command.data.document } : {}), dispatchedAt: at },
            },
          ]
        : [];
    case 'Acknowledge': {
      const { received, now } = command.data;
      if (!SUPPLIER_MAY.Acknowledge.includes(state.status)) {
        const why = state.timedOut ? `the PO timed out at its ${state.timedOut.deadline}-by time ${state.timedOut.due}` : `the PO is ${state.status}`;
        return refuse(state, command.type, `Acknowledgement refused: ${why}`, now, received);
      }
      const lines: AcknowledgedLine[] = [];
      for (const line of state.po.lines) {
        const given = command.data.lines.filter((l) => l.lineId === line.lineId);
        const rejected = given.reduce((n, l) => n + l.rejected, 0);
        let backordered = given.reduce((n, l) => n + l.backordered, 0);
        let accepted = given.reduce((n, l) => n + l.accepted, 0);
        if (accepted + rejected + backordered > line.quantity) {
          return refuse(state, command.type, `Line ${line.lineNumber} acknowledges ${accepted + rejected + backordered} units of ${line.quantity} ordered`, now, received);
        }
        // Units the supplier did not mention are taken as accepted: re-sourcing them while the
        // supplier ships them would ship twice.
        accepted += line.quantity - accepted - rejected - backordered;
        const backorderDate = given.find((l) => l.backorderDate)?.backorderDate;
        // A backorder that still ships by the promise is a late-ish acceptance, not a failure.
        if (backordered > 0 && backorderDate && Date.parse(backorderDate) <= Date.parse(state.po.shipBy)) {
          accepted += backordered;
          backordered = 0;
        }
        const reason = given.find((l) => l.reason)?.reason;
        lines.push({ lineId: line.lineId, accepted, rejected, backordered, ...(backorderDate ? { backorderDate } : {}), ...(reason ? { reason } : {}) });
      }
      const unknown = command.data.lines.filter((l) => !state.po.lines.some((p) => p.lineId === l.lineId));
      if (unknown.length > 0) return refuse(state, command.type, `Unknown lines: ${unknown.map((l) => l.lineId).join(', ')}`, now, received);
      return [{ type: 'PurchaseOrderAcknowledged', data: { lines, acknowledgedAt: at, received } }];
    }
    case 'RecordShipment': {
      const { received, now, ...shipment } = command.data;
      if (state.shipments[shipment.shipmentId]) return [];
      if (!SUPPLIER_MAY.RecordShipment.includes(state.status)) return refuse(state, command.type, `Shipment refused: the PO is ${state.status}`, now, received);
      const lines = perLine(shipment.lines);
      for (const l of lines) {
        if (l.quantity > openUnits(state, l.lineId)) {
          return refuse(state, command.type, `Shipment ${shipment.shipmentId} ships ${l.quantity} of line ${l.lineId}, but ${openUnits(state, l.lineId)} are open`, now, received);
        }
      }
      if (lines.length === 0) return refuse(state, command.type, `Shipment ${shipment.shipmentId} ships nothing`, now, received);
      return [{ type: 'PurchaseOrderShipped', data: { ...shipment, lines, shipBy: state.po.shipBy, received } }];
    }
    case 'RecordInvoice': {
      const { received, now, ...invoice } = command.data;
      if (state.invoices[invoice.invoiceNumber]) return [];
      if (!SUPPLIER_MAY.RecordInvoice.includes(state.status)) return refuse(state, command.type, `Invoice refused: the PO is ${state.status}`, now, received);
      if (invoice.lines.length === 0 || invoice.lines.some((l) => !Number.isInteger(l.quantity) || l.quantity <= 0)) {
        return refuse(state, command.type, `Invoice ${invoice.invoiceNumber} has no positive quantities`, now, received);
      }
      for (const l of perLine(invoice.lines)) {
        const billable = (state.shipped[l.lineId] ?? 0) - (state.invoiced[l.lineId] ?? 0);
        if (l.quantity > billable) return refuse(state, command.type, `Invoice ${invoice.invoiceNumber} bills ${l.quantity} of line ${l.lineId}, ${billable} shipped and not yet billed`, now, received);
      }
      return [{ type: 'PurchaseOrderInvoiced', data: { ...invoice, currency: state.po.currency, received } }];
    }
    case 'RequestCancellation': {
      const { requestId, reason } = command.data;
      if (state.cancelRequests[requestId] || TERMINAL.includes(state.status)) return [];
      // No lines named: everything still open.
      const lines = capToOpen(state, command.data.lines.length > 0 ? command.data.lines : undefined);
      if (lines.length === 0) {
        return [{ type: 'PurchaseOrderCancellationRefused', data: { requestId, lines: command.data.lines, reason: 'nothing left to cancel: shipped or already cancelled', refusedAt: at } }];
      }
      // Not yet confirmed by the supplier: we cancel, and tell the supplier. Once confirmed, the
      // supplier decides (it may already have shipped).
      if (state.status === 'created' || state.status === 'dispatched') {
        return [{ type: 'PurchaseOrderCancelled', data: { lines, by: 'retailer', requestId, ...(reason ? { reason } : {}), cancelledAt: at } }];
      }
      if (state.pendingCancellation) return [];
      return [{ type: 'PurchaseOrderCancellationRequested', data: { requestId, lines, ...(reason ? { reason } : {}), requestedAt: at } }];
    }
    case 'AnswerCancellation': {
      const { accepted, reason, received, now } = command.data;
      const pending = state.pendingCancellation;
      if (!pending || !SUPPLIER_MAY.AnswerCancellation.includes(state.status)) return refuse(state, command.type, 'No cancellation is waiting for an answer', now, received);
      const lines = capToOpen(state, pending.lines);
      if (!accepted || lines.length === 0) {
        return [{ type: 'PurchaseOrderCancellationRefused', data: { requestId: pending.requestId, lines: pending.lines, reason: reason ?? 'refused by the supplier', refusedAt: at, received } }];
      }
      return [{ type: 'PurchaseOrderCancelled', data: { lines, by: 'retailer', requestId: pending.requestId, ...(reason ? { reason } : {}), cancelledAt: at, received } }];
    }
    case 'SupplierCancel': {
      const { received, now, reason } = command.data;
      if (!SUPPLIER_MAY.SupplierCancel.includes(state.status)) return refuse(state, command.type, `Cancellation refused: the PO is ${state.status}`, now, received);
      const lines = capToOpen(state, command.data.lines);
      if (lines.length === 0) return refuse(state, command.type, 'Nothing left to cancel', now, received);
      return [{ type: 'PurchaseOrderCancelled', data: { lines, by: 'supplier', ...(reason ? { reason } : {}), cancelledAt: at, received } }];
    }
    case 'RecordNotification': {
      const { key, about, via, document } = command.data;
      return state.notified[key] ? [] : [{ type: 'SupplierNotified', data: { key, about, via, ...(document ? { document } : {}), notifiedAt: at } }];
    }
    case 'ExpireDeadlines': {
      const next = nextDeadline(state);
      if (!next || command.data.now.getTime() < Date.parse(next.due)) return [];
      return [{ type: 'PurchaseOrderTimedOut', data: { deadline: next.deadline, due: next.due, lines: openLines(state), resolution: state.po.timeoutPolicy, timedOutAt: at } }];
    }
    default: {
      const never: never = command;
      return never;
    }
  }
}

/** A PO with nothing left to ship and everything shipped billed is closed. */
function withClosing(state: OpenPo, events: PurchaseOrderEvent[], now: Date): PurchaseOrderEvent[] {
  if (events.length === 0 || events.every((e) => e.type === 'SupplierMessageRefused' || e.type === 'SupplierNotified')) return events;
  let after = events.reduce(evolveOpen, state);
  const pending = after.pendingCancellation;
  if (pending && capToOpen(after, pending.lines).length === 0) {
    // Everything the customer asked to cancel shipped before the supplier answered.
    const refused: PurchaseOrderEvent = {
      type: 'PurchaseOrderCancellationRefused',
      data: { requestId: pending.requestId, lines: pending.lines, reason: 'shipped before the supplier answered the cancellation', refusedAt: now.toISOString() },
    };
    events = [...events, refused];
    after = evolveOpen(after, refused);
  }
  if (TERMINAL.includes(after.status) || after.status === 'created' || after.status === 'dispatched') return events;
  const billed = Object.entries(after.shipped).every(([lineId, units]) => (after.invoiced[lineId] ?? 0) >= units);
  if (openLines(after).length === 0 && billed && !after.pendingCancellation) return [...events, { type: 'PurchaseOrderClosed', data: { closedAt: now.toISOString() } }];
  return events;
}

/** Units per line, a line named twice counted once with both quantities; nothing non-positive. */
function perLine(lines: readonly LineUnits[]): LineUnits[] {
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.lineId, (merged.get(l.lineId) ?? 0) + l.quantity);
  return [...merged].filter(([, q]) => q > 0).map(([lineId, quantity]) => ({ lineId, quantity }));
}

const add = (counts: Counts, lines: readonly LineUnits[]): Counts => lines.reduce((c, l) => ({ ...c, [l.lineId]: (c[l.lineId] ?? 0) + l.quantity }), counts);

/** Where a PO stands once nothing is pending: by what is still open and what has shipped. */
function settle(state: OpenPo): PoStatus {
  if (openLines(state).length > 0) return sum(state.shipped) > 0 ? 'partially_shipped' : state.acknowledged ? 'acknowledged' : state.status;
  if (sum(state.shipped) === 0) return 'cancelled';
  return sum(state.invoiced) > 0 ? 'invoiced' : 'shipped';
}

function evolveOpen(state: OpenPo, event: PurchaseOrderEvent): OpenPo {
  const next = evolveStep(state, event);
  const messageId = event.type !== 'SupplierMessageRefused' && 'received' in event.data ? event.data.received?.messageId : undefined;
  return messageId === undefined ? next : { ...next, applied: { ...next.applied, [messageId]: true } };
}

function evolveStep(state: OpenPo, event: PurchaseOrderEvent): OpenPo {
  switch (event.type) {
    case 'PurchaseOrderCreated':
      return state;
    case 'PurchaseOrderDispatched':
      return { ...state, status: state.status === 'created' ? 'dispatched' : state.status };
    case 'PurchaseOrderAcknowledged': {
      const next: OpenPo = { ...state, acknowledged: Object.fromEntries(event.data.lines.map((l) => [l.lineId, l])), status: 'acknowledged' };
      // Nothing accepted: the PO ends here, cancelled by the supplier's answer.
      return openLines(next).length === 0 && sum(next.shipped) === 0 ? { ...next, status: 'cancelled' } : next;
    }
    case 'PurchaseOrderShipped': {
      const next = { ...state, shipped: add(state.shipped, event.data.lines), shipments: { ...state.shipments, [event.data.shipmentId]: true as const } };
      return { ...next, status: settle(next) };
    }
    case 'PurchaseOrderInvoiced': {
      const next = { ...state, invoiced: add(state.invoiced, event.data.lines), invoices: { ...state.invoices, [event.data.invoiceNumber]: true as const } };
      return { ...next, status: openLines(next).length > 0 ? state.status : 'invoiced' };
    }
    case 'PurchaseOrderClosed':
      return { ...state, status: 'closed' };
    case 'PurchaseOrderCancellationRequested':
      return {
        ...state,
        pendingCancellation: { requestId: event.data.requestId, lines: event.data.lines },
        cancelRequests: { ...state.cancelRequests, [event.data.requestId]: true },
      };
    case 'PurchaseOrderCancelled': {
      const next: OpenPo = {
        ...state,
        cancelled: add(state.cancelled, event.data.lines),
        pendingCancellation: state.pendingCancellation && event.data.requestId !== state.pendingCancellation.requestId ? state.pendingCancellation : undefined,
        cancelRequests: event.data.requestId ? { ...state.cancelRequests, [event.data.requestId]: true } : state.cancelRequests,
      };
      return { ...next, status: settle(next) };
    }
    case 'PurchaseOrderCancellationRefused':
      return {
        ...state,
        pendingCancellation: undefined,
        cancelRequests: event.data.requestId ? { ...state.cancelRequests, [event.data.requestId]: true } : state.cancelRequests,
      };
    case 'PurchaseOrderTimedOut': {
      // What the time-out cancels answers any cancellation still waiting for the supplier.
      const next: OpenPo = { ...state, cancelled: add(state.cancelled, event.data.lines), pendingCancellation: undefined, timedOut: { deadline: event.data.deadline, due: event.data.due } };
      return { ...next, status: sum(next.shipped) > 0 ? settle(next) : 'timed_out' };
    }
    case 'SupplierNotified':
      return { ...state, notified: { ...state.notified, [event.data.key]: true } };
    case 'SupplierMessageRefused':
      return state;
    default: {
      const never: never = event;
      return never;
    }
  }
}
