import type { Decider } from '@oms/event-store';
import type { ChargebackRule, CostedUnits, InvoiceIssue, LedgerEvent, ShippingCharge } from './ledger-events';
import { netRevenue, refundUnits, type ChargedLine } from './refund-allocation';

type Counts = Readonly<Record<string, number>>;
type LineQuantity = { readonly lineId: string; readonly quantity: number };

interface PoAccount {
  readonly supplierId: string;
  readonly currency: string;
  readonly poNumber: string;
  readonly shipBy: string;
  readonly lines: Readonly<Record<string, { readonly quantity: number; readonly unitCost: number }>>;
  readonly shipped: Counts;
  readonly released: Counts;
  readonly invoiced: Counts;
  readonly invoices: Readonly<Record<string, true>>;
  /** Units that came back from customers, by line. */
  readonly returned: Counts;
  /** Releases applied, by the id of what caused them. */
  readonly releases: Readonly<Record<string, true>>;
  readonly acknowledged: boolean;
}

export interface LedgerState {
  readonly charge:
    | { readonly currency: string; readonly taxesIncluded: boolean; readonly lines: Readonly<Record<string, ChargedLine & { sku: string }>>; readonly shipping: ShippingCharge; readonly total: number }
    | undefined;
  readonly cancelled: Counts;
  readonly returned: Counts;
  /** Units whose revenue has been recognised (shipped), per line. */
  readonly recognised: Counts;
  readonly refunds: Readonly<Record<string, true>>;
  readonly refunded: number;
  readonly shippingRefunded: boolean;
  readonly nodeCosts: Readonly<Record<string, Counts>>;
  readonly pos: Readonly<Record<string, PoAccount>>;
  readonly shipments: Readonly<Record<string, { readonly nodeId: string; readonly poId?: string; readonly lines: readonly LineQuantity[]; readonly margined: boolean }>>;
  readonly chargebacks: Readonly<Record<string, true>>;
  readonly orderMargin: number;
}

export type LedgerCommand =
  | {
      readonly type: 'RecognizeCharge';
      readonly data: { readonly currency: string; readonly taxesIncluded: boolean; readonly lines: readonly (ChargedLine & { sku: string })[]; readonly shipping: ShippingCharge; readonly now: Date };
    }
  | { readonly type: 'RefundCancellation'; readonly data: { readonly cancellationId: string; readonly lines: readonly LineQuantity[]; readonly reason: string; readonly now: Date } }
  | {
      readonly type: 'RefundReturn';
      readonly data: {
        readonly returnId: string;
        readonly lines: readonly LineQuantity[];
        /** `none`: refunded without return — the item's cost is not recovered. */
        readonly destination: 'supplier' | 'retailer' | 'none';
        readonly nodeId?: string;
        readonly reason: string;
        readonly now: Date;
      };
    }
  | { readonly type: 'RecordNodeCosts'; readonly data: { readonly groupId: string; readonly nodeId: string; readonly nodeKind: 'warehouse' | 'supplier'; readonly lines: readonly { lineId: string; unitCost: number }[] } }
  | {
      readonly type: 'CommitPurchaseOrder';
      readonly data: {
        readonly poId: string;
        readonly supplierId: string;
        readonly poNumber: string;
        readonly currency: string;
        readonly lines: readonly { lineId: string; quantity: number; unitCost: number }[];
        readonly shipBy: string;
        readonly now: Date;
      };
    }
  | { readonly type: 'RecordAcknowledgement'; readonly data: { readonly poId: string; readonly accepted: readonly LineQuantity[]; readonly at: string } }
  | { readonly type: 'RecordShipment'; readonly data: { readonly shipmentId: string; readonly nodeId: string; readonly poId?: string; readonly lines: readonly LineQuantity[]; readonly shippedAt: string; readonly now: Date } }
  | { readonly type: 'ReleasePurchaseOrder'; readonly data: { readonly sourceId: string; readonly poId: string; readonly lines: readonly LineQuantity[]; readonly reason: string; readonly now: Date } }
  | {
      readonly type: 'MatchInvoice';
      readonly data: {
        readonly poId: string;
        readonly invoiceNumber: string;
        readonly lines: readonly { lineId: string; quantity: number; unitCost: number }[];
        readonly total: number;
        /** Largest difference of unit cost accepted, minor units per unit. */
        readonly unitCostTolerance: number;
        readonly now: Date;
      };
    }
  | {
      readonly type: 'RaiseChargeback';
      readonly data: { readonly chargebackId: string; readonly poId: string; readonly rule: ChargebackRule; readonly amount: number; readonly reason: string; readonly now: Date };
    };

/**
 * The order's charge or a PO is not known yet (they come on other topics, in no set order):
 * retry, they will be.
 */
export class NotYetKnownError extends Error {
  override readonly name = 'NotYetKnownError';
}

export class LedgerError extends Error {
  override readonly name = 'LedgerError';
}

const plus = (c: Counts, lineId: string, q: number): Counts => ({ ...c, [lineId]: (c[lineId] ?? 0) + q });
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function costOf(state: LedgerState, nodeId: string, poId: string | undefined, lineId: string): number {
  const po = poId ? state.pos[poId] : undefined;
  return po?.lines[lineId]?.unitCost ?? state.nodeCosts[nodeId]?.[lineId] ?? 0;
}

/** Revenue and cost of units as they ship; units in the order's own unit sequence. */
function marginOfShipment(state: LedgerState, shipmentId: string, now: Date): LedgerEvent[] {
  const charge = state.charge;
  const shipment = state.shipments[shipmentId];
  if (!charge || !shipment || shipment.margined) return [];
  let recognised = state.recognised;
  const lines = shipment.lines.flatMap((l) => {
    const line = charge.lines[l.lineId];
    if (!line) return [];
    // Shipped units are counted from the last unit down, as returns are (cancellations take the
    // first units up): a unit shipped and returned reverses exactly the revenue it recognised.
    const already = recognised[l.lineId] ?? 0;
    const quantity = Math.min(l.quantity, line.quantity - already);
    if (quantity <= 0) return [];
    const from = line.quantity - already - quantity;
    recognised = plus(recognised, l.lineId, quantity);
    const revenue = netRevenue(refundUnits(line, charge.taxesIncluded, from, quantity));
    const cost = costOf(state, shipment.nodeId, shipment.poId, l.lineId) * quantity;
    return [{ lineId: l.lineId, quantity, revenue, cost, margin: revenue - cost }];
  });
  const margin = sum(lines.map((l) => l.margin));
  return [
    {
      type: 'MarginRecognised',
      data: { sourceId: shipmentId, cause: 'shipment', nodeId: shipment.nodeId, lines, margin, currency: charge.currency, orderMargin: state.orderMargin + margin, recognisedAt: now.toISOString() },
    },
  ];
}

export const ledgerDecider: Decider<LedgerCommand, LedgerState, LedgerEvent> = {
  initialState: () => ({
    charge: undefined,
    cancelled: {},
    returned: {},
    recognised: {},
    refunds: {},
    refunded: 0,
    shippingRefunded: false,
    nodeCosts: {},
    pos: {},
    shipments: {},
    chargebacks: {},
    orderMargin: 0,
  }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RecognizeCharge': {
        if (state.charge) return [];
        const { now, ...charge } = command.data;
        const total = sum(charge.lines.map((l) => l.total)) + charge.shipping.total;
        const charged: LedgerEvent = { type: 'CustomerChargeRecognised', data: { ...charge, total, chargedAt: now.toISOString() } };
        // Shipments that arrived before the charge get their margin now.
        let after = ledgerDecider.evolve(state, charged);
        const events: LedgerEvent[] = [charged];
        for (const shipmentId of Object.keys(state.shipments)) {
          const margin = marginOfShipment(after, shipmentId, now);
          events.push(...margin);
          after = margin.reduce(ledgerDecider.evolve, after);
        }
        return events;
      }
      case 'RefundCancellation':
        return refundCancellation(state, command.data);
      case 'RefundReturn':
        return refundReturn(state, command.data);
      case 'RecordNodeCosts': {
        const known = state.nodeCosts[command.data.nodeId];
        const fresh = command.data.lines.filter((l) => known?.[l.lineId] !== l.unitCost);
        return fresh.length === 0 ? [] : [{ type: 'NodeCostsRecorded', data: command.data }];
      }
      case 'CommitPurchaseOrder': {
        if (state.pos[command.data.poId]) return [];
        const { now, ...po } = command.data;
        const lines = po.lines.map((l) => ({ ...l, amount: l.unitCost * l.quantity }));
        return [{ type: 'PurchaseOrderCommitted', data: { ...po, lines, amount: sum(lines.map((l) => l.amount)), committedAt: now.toISOString() } }];
      }
      case 'RecordAcknowledgement': {
        const { poId, accepted, at } = command.data;
        const po = state.pos[poId];
        if (!po || po.acknowledged) return [];
        const recorded: LedgerEvent = { type: 'PurchaseOrderAcknowledgementRecorded', data: command.data };
        // Units the supplier declined (rejected, or backordered past the ship-by) will never ship
        // from this PO: their commitment is released, as a time-out's or a cancellation's is.
        // A line the acknowledgement does not mention stays committed (the gateway takes it as accepted).
        const declined = accepted.flatMap((l) => {
          const ordered = po.lines[l.lineId]?.quantity ?? 0;
          return l.quantity < ordered ? [{ lineId: l.lineId, quantity: ordered - l.quantity }] : [];
        });
        const after = ledgerDecider.evolve(state, recorded);
        return [recorded, ...releaseUnits(after, { sourceId: `acknowledgement:${poId}`, poId, lines: declined, reason: 'declined at acknowledgement', now: new Date(at) })];
      }
      case 'RecordShipment':
        return recordShipment(state, command.data);
      case 'ReleasePurchaseOrder':
        return releaseUnits(state, command.data);
      case 'MatchInvoice':
        return matchInvoice(state, command.data);
      case 'RaiseChargeback': {
        const { chargebackId, poId, rule, amount, reason, now } = command.data;
        if (state.chargebacks[chargebackId] || amount <= 0) return [];
        const po = mustKnowPo(state, poId);
        return [{ type: 'ChargebackRaised', data: { chargebackId, poId, supplierId: po.supplierId, rule, amount, currency: po.currency, reason, raisedAt: now.toISOString() } }];
      }
      default: {
        const never: never = command;
        return never;
      }
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'CustomerChargeRecognised': {
        const { currency, taxesIncluded, shipping, total } = event.data;
        return { ...state, charge: { currency, taxesIncluded, shipping, total, lines: Object.fromEntries(event.data.lines.map((l) => [l.lineId, l])) } };
      }
      case 'RefundIssued': {
        const key = event.data.cause === 'cancellation' ? 'cancelled' : 'returned';
        const counts = event.data.lines.reduce((c, l) => plus(c, l.lineId, l.quantity), state[key]);
        return {
          ...state,
          [key]: counts,
          refunds: { ...state.refunds, [event.data.refundId]: true },
          refunded: state.refunded + event.data.amount,
          shippingRefunded: state.shippingRefunded || event.data.shipping !== undefined,
        };
      }
      case 'NodeCostsRecorded': {
        const costs = { ...(state.nodeCosts[event.data.nodeId] ?? {}) };
        for (const l of event.data.lines) costs[l.lineId] = l.unitCost;
        return { ...state, nodeCosts: { ...state.nodeCosts, [event.data.nodeId]: costs } };
      }
      case 'PurchaseOrderCommitted': {
        const { poId, supplierId, poNumber, shipBy, currency } = event.data;
        const lines = Object.fromEntries(event.data.lines.map((l) => [l.lineId, { quantity: l.quantity, unitCost: l.unitCost }]));
        const po: PoAccount = { supplierId, currency, poNumber, shipBy, lines, shipped: {}, released: {}, invoiced: {}, invoices: {}, returned: {}, releases: {}, acknowledged: false };
        return { ...state, pos: { ...state.pos, [poId]: po }, nodeCosts: { ...state.nodeCosts, [supplierId]: { ...(state.nodeCosts[supplierId] ?? {}), ...Object.fromEntries(event.data.lines.map((l) => [l.lineId, l.unitCost])) } } };
      }
      case 'PurchaseOrderAcknowledgementRecorded':
        return updatePo(state, event.data.poId, (po) => ({ ...po, acknowledged: true }));
      case 'ShipmentRecorded': {
        const { shipmentId, nodeId, poId, lines } = event.data;
        const next = { ...state, shipments: { ...state.shipments, [shipmentId]: { nodeId, ...(poId ? { poId } : {}), lines, margined: false } } };
        return poId && state.pos[poId] ? updatePo(next, poId, (po) => ({ ...po, shipped: lines.reduce((c, l) => plus(c, l.lineId, l.quantity), po.shipped) })) : next;
      }
      case 'SupplierPayableAccrued':
        return state;
      case 'SupplierPayableReleased':
        return updatePo(state, event.data.poId, (po) => ({
          ...po,
          released: event.data.lines.reduce((c, l) => plus(c, l.lineId, l.quantity), po.released),
          releases: { ...po.releases, [event.data.sourceId]: true },
        }));
      case 'MarginRecognised': {
        const shipment = event.data.cause === 'shipment' ? state.shipments[event.data.sourceId] : undefined;
        let pos = state.pos;
        for (const src of event.data.sources ?? []) {
          const po = src.poId ? pos[src.poId] : undefined;
          if (po && src.poId) pos = { ...pos, [src.poId]: { ...po, returned: plus(po.returned, src.lineId, src.quantity) } };
        }
        return {
          ...state,
          pos,
          orderMargin: event.data.orderMargin,
          recognised: event.data.cause === 'shipment' ? event.data.lines.reduce((c, l) => plus(c, l.lineId, l.quantity), state.recognised) : state.recognised,
          shipments: shipment ? { ...state.shipments, [event.data.sourceId]: { ...shipment, margined: true } } : state.shipments,
        };
      }
      case 'SupplierInvoiceMatched':
      case 'SupplierInvoiceDisputed': {
        // A disputed invoice bills nothing until it is sent again, corrected.
        const invoiced = event.type === 'SupplierInvoiceMatched' ? event.data.lines : undefined;
        return updatePo(state, event.data.poId, (po) => ({
          ...po,
          invoices: { ...po.invoices, [event.data.invoiceNumber]: true },
          invoiced: invoiced ? invoiced.reduce((c, l) => plus(c, l.lineId, l.quantity), po.invoiced) : po.invoiced,
        }));
      }
      case 'ChargebackRaised':
        return { ...state, chargebacks: { ...state.chargebacks, [event.data.chargebackId]: true } };
      case 'SupplierCreditExpected':
      case 'ReturnedToStock':
        return state;
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};

/** The commitment of PO units that will not ship, at the PO unit cost, capped at what is neither shipped nor released; once per source. */
function releaseUnits(state: LedgerState, request: { sourceId: string; poId: string; lines: readonly LineQuantity[]; reason: string; now: Date }): LedgerEvent[] {
  const { sourceId, poId, reason, now } = request;
  const po = mustKnowPo(state, poId);
  if (po.releases[sourceId]) return [];
  const lines: CostedUnits[] = request.lines.flatMap((l) => {
    const line = po.lines[l.lineId];
    if (!line) return [];
    const quantity = Math.min(l.quantity, line.quantity - (po.shipped[l.lineId] ?? 0) - (po.released[l.lineId] ?? 0));
    return quantity > 0 ? [{ lineId: l.lineId, quantity, unitCost: line.unitCost, amount: quantity * line.unitCost }] : [];
  });
  if (lines.length === 0) return [];
  return [
    {
      type: 'SupplierPayableReleased',
      data: { poId, supplierId: po.supplierId, sourceId, reason, lines, amount: sum(lines.map((l) => l.amount)), currency: po.currency, releasedAt: now.toISOString() },
    },
  ];
}

function updatePo(state: LedgerState, poId: string, change: (po: PoAccount) => PoAccount): LedgerState {
  const po = state.pos[poId];
  return po ? { ...state, pos: { ...state.pos, [poId]: change(po) } } : state;
}

function mustKnowPo(state: LedgerState, poId: string): PoAccount {
  const po = state.pos[poId];
  if (!po) throw new NotYetKnownError(`Purchase order ${poId} is not known to this ledger yet`);
  return po;
}

function mustBeCharged(state: LedgerState) {
  if (!state.charge) throw new NotYetKnownError('The order has not been charged yet');
  return state.charge;
}

function refundCancellation(state: LedgerState, request: { cancellationId: string; lines: readonly LineQuantity[]; reason: string; now: Date }): LedgerEvent[] {
  const refundId = `cancellation:${request.cancellationId}`;
  if (state.refunds[refundId]) return [];
  const charge = mustBeCharged(state);
  let cancelled = state.cancelled;
  const lines = request.lines.flatMap((l) => {
    const line = charge.lines[l.lineId];
    if (!line) return [];
    const from = cancelled[l.lineId] ?? 0;
    const quantity = Math.min(l.quantity, line.quantity - from - (state.returned[l.lineId] ?? 0));
    if (quantity <= 0) return [];
    cancelled = plus(cancelled, l.lineId, quantity);
    return [refundUnits(line, charge.taxesIncluded, from, quantity)];
  });
  if (lines.length === 0) return [];
  const everything = Object.values(charge.lines).every((l) => (cancelled[l.lineId] ?? 0) >= l.quantity);
  const shipping = everything && !state.shippingRefunded && charge.shipping.total !== 0 ? charge.shipping : undefined;
  const amount = sum(lines.map((l) => l.amount)) + (shipping?.total ?? 0);
  return [
    {
      type: 'RefundIssued',
      data: {
        refundId,
        cause: 'cancellation',
        causeId: request.cancellationId,
        reason: request.reason,
        lines,
        ...(shipping ? { shipping } : {}),
        amount,
        currency: charge.currency,
        issuedAt: request.now.toISOString(),
      },
    },
  ];
}

function refundReturn(
  state: LedgerState,
  request: { returnId: string; lines: readonly LineQuantity[]; destination: 'supplier' | 'retailer' | 'none'; nodeId?: string; reason: string; now: Date },
): LedgerEvent[] {
  const refundId = `return:${request.returnId}`;
  if (state.refunds[refundId]) return [];
  const charge = mustBeCharged(state);
  const at = request.now.toISOString();
  let returned = state.returned;
  const lines = request.lines.flatMap((l) => {
    const line = charge.lines[l.lineId];
    if (!line) return [];
    const already = returned[l.lineId] ?? 0;
    // Only shipped units come back. A return of units that could still ship is early news of a
    // shipment on another topic: wait for it rather than refund less.
    const shippable = line.quantity - already - (state.cancelled[l.lineId] ?? 0);
    const shippedBack = (state.recognised[l.lineId] ?? 0) - already;
    if (l.quantity > shippedBack && shippedBack < shippable) throw new NotYetKnownError(`Return ${request.returnId}: ${l.quantity} of line ${l.lineId} back, ${shippedBack} shipped so far`);
    const quantity = Math.min(l.quantity, shippedBack, shippable);
    if (quantity <= 0) return [];
    returned = plus(returned, l.lineId, quantity);
    return [refundUnits(line, charge.taxesIncluded, line.quantity - already - quantity, quantity)];
  });
  if (lines.length === 0) return [];
  const amount = sum(lines.map((l) => l.amount));
  const events: LedgerEvent[] = [
    { type: 'RefundIssued', data: { refundId, cause: 'return', causeId: request.returnId, reason: request.reason, lines, amount, currency: charge.currency, issuedAt: at } },
  ];
  // Where the units had shipped from: the POs of the named node (or of any supplier), newest
  // first, up to what each shipped and has not had back; the rest from a warehouse.
  const taken = new Map<string, number>();
  const sources = lines.flatMap((l) => {
    let left = l.quantity;
    const out: { poId?: string; nodeId: string; lineId: string; quantity: number; unitCost: number }[] = [];
    for (const [poId, po] of Object.entries(state.pos).reverse()) {
      if (left <= 0) break;
      if (request.nodeId !== undefined && po.supplierId !== request.nodeId) continue;
      const key = `${poId}|${l.lineId}`;
      const free = (po.shipped[l.lineId] ?? 0) - (po.returned[l.lineId] ?? 0) - (taken.get(key) ?? 0);
      const quantity = Math.min(left, free);
      if (quantity <= 0) continue;
      taken.set(key, (taken.get(key) ?? 0) + quantity);
      out.push({ poId, nodeId: po.supplierId, lineId: l.lineId, quantity, unitCost: po.lines[l.lineId]!.unitCost });
      left -= quantity;
    }
    if (left > 0) {
      const warehouse = request.nodeId ?? Object.values(state.shipments).find((sh) => !sh.poId && sh.lines.some((sl) => sl.lineId === l.lineId))?.nodeId ?? 'unknown';
      out.push({ nodeId: warehouse, lineId: l.lineId, quantity: left, unitCost: costOf(state, warehouse, undefined, l.lineId) });
    }
    return out;
  });
  // The cost comes back as a credit from the supplier or as stock in our warehouse; refunded
  // without return, it does not come back at all.
  const marginLines = lines.map((l) => {
    const revenue = -netRevenue(l);
    const cost = request.destination === 'none' ? 0 : -sum(sources.filter((src) => src.lineId === l.lineId).map((src) => src.unitCost * src.quantity));
    return { lineId: l.lineId, quantity: l.quantity, revenue, cost, margin: revenue - cost };
  });
  const margin = sum(marginLines.map((l) => l.margin));
  events.push({
    type: 'MarginRecognised',
    data: {
      sourceId: request.returnId,
      cause: 'return',
      nodeId: request.nodeId ?? sources[0]?.nodeId ?? 'unknown',
      lines: marginLines,
      sources,
      margin,
      currency: charge.currency,
      orderMargin: state.orderMargin + margin,
      recognisedAt: at,
    },
  });
  if (request.destination === 'retailer') {
    // Back on the retailer's shelf: the cost leaves cost of goods for inventory.
    const restocked: CostedUnits[] = sources.map((src) => ({ lineId: src.lineId, quantity: src.quantity, unitCost: src.unitCost, amount: src.unitCost * src.quantity }));
    const amount = sum(restocked.map((l) => l.amount));
    if (amount > 0) events.push({ type: 'ReturnedToStock', data: { returnId: request.returnId, lines: restocked, amount, currency: charge.currency, restockedAt: at } });
  }
  if (request.destination === 'supplier') {
    const byPo = new Map<string, CostedUnits[]>();
    for (const src of sources) {
      if (!src.poId) continue;
      byPo.set(src.poId, [...(byPo.get(src.poId) ?? []), { lineId: src.lineId, quantity: src.quantity, unitCost: src.unitCost, amount: src.unitCost * src.quantity }]);
    }
    for (const [poId, credited] of byPo) {
      events.push({
        type: 'SupplierCreditExpected',
        data: {
          returnId: request.returnId,
          poId,
          supplierId: state.pos[poId]!.supplierId,
          lines: credited,
          amount: sum(credited.map((l) => l.amount)),
          currency: state.pos[poId]!.currency,
          expectedAt: at,
        },
      });
    }
  }
  return events;
}

function recordShipment(state: LedgerState, shipment: { shipmentId: string; nodeId: string; poId?: string; lines: readonly LineQuantity[]; shippedAt: string; now: Date }): LedgerEvent[] {
  if (state.shipments[shipment.shipmentId]) return [];
  const { now, ...recorded } = shipment;
  const lines = recorded.lines.filter((l) => l.quantity > 0);
  if (lines.length === 0) return [];
  const events: LedgerEvent[] = [{ type: 'ShipmentRecorded', data: { ...recorded, lines } }];
  const po = recorded.poId ? state.pos[recorded.poId] : undefined;
  if (recorded.poId && !po) throw new NotYetKnownError(`Purchase order ${recorded.poId} is not known to this ledger yet`);
  if (po && recorded.poId) {
    const costed = lines.flatMap((l) => {
      const line = po.lines[l.lineId];
      return line ? [{ lineId: l.lineId, quantity: l.quantity, unitCost: line.unitCost, amount: l.quantity * line.unitCost }] : [];
    });
    events.push({
      type: 'SupplierPayableAccrued',
      data: {
        poId: recorded.poId,
        supplierId: po.supplierId,
        shipmentId: recorded.shipmentId,
        lines: costed,
        amount: sum(costed.map((l) => l.amount)),
        currency: po.currency,
        accruedAt: now.toISOString(),
      },
    });
  }
  const after = events.reduce(ledgerDecider.evolve, state);
  return [...events, ...marginOfShipment(after, recorded.shipmentId, now)];
}

function matchInvoice(
  state: LedgerState,
  invoice: { poId: string; invoiceNumber: string; lines: readonly { lineId: string; quantity: number; unitCost: number }[]; total: number; unitCostTolerance: number; now: Date },
): LedgerEvent[] {
  const po = mustKnowPo(state, invoice.poId);
  if (po.invoices[invoice.invoiceNumber]) return [];
  const at = invoice.now.toISOString();
  const issues: InvoiceIssue[] = [];
  const billed = new Map<string, number>();
  let expected = 0;
  for (const l of invoice.lines) {
    const line = po.lines[l.lineId];
    if (!line) {
      issues.push({ lineId: l.lineId, kind: 'unknown_line', invoiced: l.quantity * l.unitCost, expected: 0, amount: l.quantity * l.unitCost });
      continue;
    }
    const before = billed.get(l.lineId) ?? 0;
    billed.set(l.lineId, before + l.quantity);
    const billable = (po.shipped[l.lineId] ?? 0) - (po.invoiced[l.lineId] ?? 0);
    const quantity = billed.get(l.lineId)!;
    // What this entry may bill: what shipped and is unbilled, less earlier entries of this invoice.
    expected += Math.min(l.quantity, Math.max(0, billable - before)) * line.unitCost;
    if (quantity > billable) issues.push({ lineId: l.lineId, kind: 'quantity', invoiced: quantity, expected: Math.max(0, billable), amount: (quantity - Math.max(0, billable)) * l.unitCost });
    if (Math.abs(l.unitCost - line.unitCost) > invoice.unitCostTolerance) {
      issues.push({ lineId: l.lineId, kind: 'unit_cost', invoiced: l.unitCost, expected: line.unitCost, amount: (l.unitCost - line.unitCost) * l.quantity });
    }
  }
  const linesTotal = sum(invoice.lines.map((l) => l.quantity * l.unitCost));
  if (linesTotal !== invoice.total) issues.push({ lineId: '*', kind: 'total', invoiced: invoice.total, expected: linesTotal, amount: invoice.total - linesTotal });
  if (issues.length > 0) {
    return [
      {
        type: 'SupplierInvoiceDisputed',
        data: { poId: invoice.poId, supplierId: po.supplierId, invoiceNumber: invoice.invoiceNumber, invoiced: invoice.total, expected, issues, currency: po.currency, disputedAt: at },
      },
    ];
  }
  return [
    {
      type: 'SupplierInvoiceMatched',
      data: { poId: invoice.poId, supplierId: po.supplierId, invoiceNumber: invoice.invoiceNumber, lines: invoice.lines, amount: invoice.total, currency: po.currency, matchedAt: at },
    },
  ];
}
