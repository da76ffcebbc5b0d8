import { CATALOG_EVENTS, FULFILMENT_FACTS, FULFILMENT_REQUESTS, ORDER_EVENTS, SETTLEMENT_INVOICE_EVENTS, TOPICS } from '@oms/contracts';

/** Topics the live summary reads: what a storefront, finance and an operator would watch. */
export const SUMMARY_TOPICS = [
  TOPICS.omsOrders,
  TOPICS.supplierPurchaseOrders,
  TOPICS.sourcingAllocations,
  TOPICS.wmsShipments,
  TOPICS.returns,
  TOPICS.financeSettlements,
  TOPICS.supplierScorecards,
] as const;

type PoState = 'awaiting acknowledgement' | 'acknowledged' | 'shipped' | 'cancelled' | 'timed out' | 'rejected';

export interface SupplierLine {
  readonly supplierId: string;
  readonly score?: number;
  readonly reliability?: number;
  readonly flagged: boolean;
  readonly suspended: boolean;
}

/**
 * The whole system at a glance, folded from the public and internal topics (so it shows the same
 * thing whether the services run embedded or as separate processes). Each event counts once.
 */
export class SimulationSummary {
  private readonly seen = new Set<string>();
  readonly orders = new Map<string, string>();
  readonly pos = new Map<string, PoState>();
  readonly counts = {
    ordersAccepted: 0,
    ordersRejected: 0,
    shipmentsToCustomers: 0,
    linesCancelled: 0,
    cancellationRequests: 0,
    plans: 0,
    reSources: 0,
    unfulfillableLines: 0,
    timeOuts: 0,
    rejectedPoLines: 0,
    supplierCancellations: 0,
    refusedSupplierMessages: 0,
    invalidTracking: 0,
    warehouseShortages: 0,
    returnsRouted: 0,
    returnsRejected: 0,
    returnExceptions: 0,
    returnParts: { supplier: 0, warehouse: 0, returnless: 0 } as Record<string, number>,
    refundsApproved: 0,
    invoicesMatched: 0,
    invoicesDisputed: 0,
  };
  readonly money = { charged: 0, refunded: 0, refunds: 0, payables: 0, released: 0, chargebacks: 0, creditsExpected: 0, margin: 0 };
  readonly suppliers = new Map<string, SupplierLine>();
  currency = 'USD';

  /** Folds one message; a redelivered one (same event id) changes nothing. */
  apply(topic: string, type: string, payload: Record<string, unknown>, eventId: string): void {
    if (this.seen.has(eventId)) return;
    this.seen.add(eventId);
    const c = this.counts;
    const amount = (field = 'amount') => (typeof payload[field] === 'number' ? (payload[field] as number) : 0);
    switch (topic) {
      case TOPICS.omsOrders.name:
        if (type === ORDER_EVENTS.accepted) {
          c.ordersAccepted++;
          this.orders.set(String(payload['orderId']), this.orders.get(String(payload['orderId'])) ?? 'accepted');
          if (typeof payload['currency'] === 'string') this.currency = payload['currency'];
        } else if (type === ORDER_EVENTS.rejected) c.ordersRejected++;
        else if (type === ORDER_EVENTS.statusChanged) this.orders.set(String(payload['orderId']), String(payload['status']));
        else if (type === ORDER_EVENTS.shipmentAdded) c.shipmentsToCustomers++;
        else if (type === ORDER_EVENTS.linesCancelled) c.linesCancelled += ((payload['lines'] ?? []) as unknown[]).length;
        else if (type === ORDER_EVENTS.cancellationRequested) c.cancellationRequests++;
        else if (type === ORDER_EVENTS.completed) this.orders.set(String(payload['orderId']), 'completed');
        return;
      case TOPICS.supplierPurchaseOrders.name:
        this.applyPo(type, payload);
        return;
      case TOPICS.sourcingAllocations.name:
        if (type === FULFILMENT_FACTS.fulfilmentPlanned) {
          c.plans++;
          if (Number(payload['version'] ?? 1) > 1) c.reSources++;
        } else if (type === FULFILMENT_REQUESTS.linesUnfulfillable) c.unfulfillableLines += ((payload['lines'] ?? []) as unknown[]).length;
        return;
      case TOPICS.wmsShipments.name:
        if (type === FULFILMENT_REQUESTS.fulfilmentShortageReported) c.warehouseShortages++;
        return;
      case TOPICS.returns.name:
        if (type === 'ReturnRouted') {
          c.returnsRouted++;
          for (const part of (payload['parts'] ?? []) as { destination: string }[]) c.returnParts[part.destination] = (c.returnParts[part.destination] ?? 0) + 1;
        } else if (type === 'ReturnRejected') c.returnsRejected++;
        else if (type === 'ReturnException') c.returnExceptions++;
        else if (type === FULFILMENT_FACTS.refundApproved) c.refundsApproved++;
        return;
      case TOPICS.financeSettlements.name:
        if (type === 'CustomerChargeRecognised') this.money.charged += amount('total');
        else if (type === FULFILMENT_FACTS.refundIssued) {
          this.money.refunded += amount();
          this.money.refunds++;
        } else if (type === 'SupplierPayableAccrued') this.money.payables += amount();
        else if (type === 'SupplierPayableReleased') this.money.released += amount();
        else if (type === 'ChargebackRaised') this.money.chargebacks += amount();
        else if (type === 'SupplierCreditExpected') this.money.creditsExpected += amount();
        else if (type === 'MarginRecognised') this.money.margin += amount('margin');
        else if (type === SETTLEMENT_INVOICE_EVENTS.matched) c.invoicesMatched++;
        else if (type === SETTLEMENT_INVOICE_EVENTS.disputed) c.invoicesDisputed++;
        return;
      case TOPICS.supplierScorecards.name:
        if (type === CATALOG_EVENTS.supplierScorecardUpdated) {
          const supplierId = String(payload['supplierId']);
          this.suppliers.set(supplierId, {
            supplierId,
            ...(typeof payload['score'] === 'number' ? { score: payload['score'] } : {}),
            ...(typeof payload['reliability'] === 'number' ? { reliability: payload['reliability'] } : {}),
            flagged: payload['flagged'] === true,
            suspended: payload['suspended'] === true,
          });
        }
        return;
      default:
        return;
    }
  }

  private applyPo(type: string, payload: Record<string, unknown>): void {
    const poId = String(payload['poId'] ?? '');
    const c = this.counts;
    const set = (state: PoState) => poId && this.pos.set(poId, state);
    switch (type) {
      case FULFILMENT_FACTS.purchaseOrderCreated:
        if (!this.pos.has(poId)) set('awaiting acknowledgement');
        return;
      case FULFILMENT_FACTS.purchaseOrderAcknowledged: {
        const lines = (payload['lines'] ?? []) as { accepted?: number; rejected?: number }[];
        c.rejectedPoLines += lines.filter((l) => (l.rejected ?? 0) > 0).length;
        set(lines.some((l) => (l.accepted ?? 0) > 0) ? 'acknowledged' : 'rejected');
        return;
      }
      case FULFILMENT_FACTS.purchaseOrderTimedOut:
        c.timeOuts++;
        set('timed out');
        return;
      case FULFILMENT_FACTS.purchaseOrderCancelled:
        if (payload['by'] === 'supplier') c.supplierCancellations++;
        if (this.pos.get(poId) !== 'timed out' && this.pos.get(poId) !== 'shipped') set('cancelled');
        return;
      case FULFILMENT_FACTS.shipmentDispatched:
        if (payload['trackingValid'] === false) c.invalidTracking++;
        set('shipped');
        return;
      case FULFILMENT_FACTS.supplierMessageRefused:
        c.refusedSupplierMessages++;
        return;
      default:
        return;
    }
  }

  /** The summary as lines of text. */
  render(header: string): string[] {
    const c = this.counts;
    const m = (minor: number) => money(minor, this.currency);
    const tally = (map: Map<string, string>) => {
      const counts = new Map<string, number>();
      for (const value of map.values()) counts.set(value, (counts.get(value) ?? 0) + 1);
      return counts;
    };
    const orders = tally(this.orders);
    const pos = tally(this.pos as Map<string, string>);
    const list = (counts: Map<string, number>, order: readonly string[]) =>
      order
        .filter((k) => counts.get(k))
        .map((k) => `${k} ${counts.get(k)}`)
        .join(' · ') || '—';
    const lines = [
      header,
      '',
      `Orders     ${this.orders.size} accepted${c.ordersRejected ? `, ${c.ordersRejected} rejected` : ''}:  ${list(orders, ['accepted', 'processing', 'partially_shipped', 'shipped', 'completed', 'cancelled'])}`,
      `           ${c.shipmentsToCustomers} shipments to customers · ${c.cancellationRequests} cancellation requests · ${c.linesCancelled} line cancellations`,
      `POs        ${this.pos.size} sent:  ${list(pos, ['awaiting acknowledgement', 'acknowledged', 'shipped', 'rejected', 'cancelled', 'timed out'])}`,
      `           ${c.timeOuts} time-outs · ${c.rejectedPoLines} lines rejected · ${c.supplierCancellations} supplier cancellations · ${c.invalidTracking} invalid tracking · ${c.refusedSupplierMessages} supplier messages refused`,
      `Sourcing   ${c.plans} plans · ${c.reSources} re-sourced · ${c.unfulfillableLines} lines unfulfillable · ${c.warehouseShortages} warehouse shortages`,
      `Returns    ${c.returnsRouted} routed (to supplier ${c.returnParts['supplier'] ?? 0}, to warehouse ${c.returnParts['warehouse'] ?? 0}, returnless ${c.returnParts['returnless'] ?? 0}) · ${c.returnsRejected} refused · ${c.refundsApproved} refunds approved · ${c.returnExceptions} exceptions`,
      `Money      charged ${m(this.money.charged)} · refunded ${m(this.money.refunded)} (${this.money.refunds}) · payables ${m(this.money.payables)} · released ${m(this.money.released)} · chargebacks ${m(this.money.chargebacks)} · margin ${m(this.money.margin)}`,
      `           invoices ${c.invoicesMatched} matched, ${c.invoicesDisputed} disputed · supplier credits expected ${m(this.money.creditsExpected)}`,
      'Suppliers  ' +
        ([...this.suppliers.values()]
          .sort((a, b) => a.supplierId.localeCompare(b.supplierId))
          .map((s) => `${s.supplierId} ${s.score === undefined ? 'n/a' : s.score.toFixed(2)}${s.suspended ? ' SUSPENDED' : s.flagged ? ' FLAGGED' : ''}`)
          .join(' · ') || 'no scorecards yet (each needs a minimum of finished POs)'),
    ];
    return lines;
  }
}

/** Minor units as a plain amount with its currency code (no floats on the way). */
export function money(minor: number, currency: string): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${currency} ${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}
