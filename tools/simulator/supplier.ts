import { ups1zCheckDigit } from '../../apps/supplier-gateway/src/app/tracking/check-digits';
import { call, type SimulatorLinks } from './links';
import { between, chance } from './random';
import { habitsOf, type SimSupplier, type SupplierBehaviour } from './world';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A purchase order as the supplier API shows it (`GET /supplier-api/purchase-orders`). */
export interface SupplierPo {
  readonly poId: string;
  readonly poNumber: string;
  readonly status: string;
  readonly createdAt: string;
  readonly lines: readonly { readonly lineId: string; readonly sku: string; readonly quantity: number; readonly unitCost: number; readonly open: number }[];
  readonly pendingCancellation: { readonly requestId: string } | null;
}

export type SupplierAction =
  | { readonly kind: 'acknowledge'; readonly lines: readonly { lineId: string; accepted?: number; rejected?: number; reason?: string }[] }
  | { readonly kind: 'answer-cancellation'; readonly accepted: boolean }
  | { readonly kind: 'ship'; readonly shipmentId: string; readonly trackingNumber: string; readonly invalidTracking: boolean; readonly lines: readonly { lineId: string; quantity: number }[] }
  | { readonly kind: 'cancel-rest'; readonly lines: readonly { lineId: string; quantity: number }[] };

/**
 * What a supplier with these habits does about one PO now: a pure function of the PO as the
 * gateway shows it, the time and the run's seed, so a restarted supplier picks up where it was.
 */
export function nextAction(po: SupplierPo, behaviour: SupplierBehaviour, now: Date, seed: string, code: string): SupplierAction | undefined {
  if (po.pendingCancellation) return { kind: 'answer-cancellation', accepted: behaviour.acceptsCancellation };
  if (behaviour.ackAfterMinutes === undefined) return undefined;
  const ackAt = Date.parse(po.createdAt) + behaviour.ackAfterMinutes * MINUTE;
  if (po.status === 'created' || po.status === 'dispatched') {
    if (now.getTime() < ackAt) return undefined;
    return {
      kind: 'acknowledge',
      lines: po.lines.map((l) =>
        chance(behaviour.rejectShare, seed, 'reject', po.poId, l.lineId) ? { lineId: l.lineId, rejected: l.quantity, reason: 'out of stock at the supplier' } : { lineId: l.lineId, accepted: l.quantity },
      ),
    };
  }
  if (po.status !== 'acknowledged' && po.status !== 'partially_shipped') return undefined;
  const open = po.lines.filter((l) => l.open > 0).map((l) => ({ lineId: l.lineId, quantity: l.open }));
  if (open.length === 0) return undefined;
  const partial = chance(behaviour.partialShare, seed, 'partial', po.poId);
  const first = po.status === 'acknowledged';
  if (now.getTime() < ackAt + behaviour.shipAfterHours * HOUR * (first ? 1 : 1.5)) return undefined;
  if (!first && partial) return { kind: 'cancel-rest', lines: open };
  const units = open.reduce((sum, l) => sum + l.quantity, 0);
  const lines = first && partial && units > 1 ? firstPart(open) : open;
  const sequence = first ? 1 : 2;
  const invalid = chance(behaviour.invalidTrackingShare, seed, 'tracking', po.poId, String(sequence));
  return { kind: 'ship', shipmentId: `${po.poNumber}-S${sequence}`, trackingNumber: upsTracking(code, po.poId, sequence, seed, invalid), invalidTracking: invalid, lines };
}

/** Roughly half the units: whole lines first, then part of one. */
function firstPart(open: readonly { lineId: string; quantity: number }[]): { lineId: string; quantity: number }[] {
  const total = open.reduce((sum, l) => sum + l.quantity, 0);
  let left = Math.floor(total / 2);
  const part: { lineId: string; quantity: number }[] = [];
  for (const line of open) {
    if (left === 0) break;
    const take = Math.min(left, line.quantity);
    part.push({ lineId: line.lineId, quantity: take });
    left -= take;
  }
  return part;
}

/** A UPS "1Z" number with a correct check digit, or (a label misprint) a wrong one. */
export function upsTracking(code: string, poId: string, sequence: number, seed: string, invalid: boolean): string {
  const shipper = code.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(6, 'X').slice(0, 6);
  const body = `${shipper}03${String(between(0, 9_999_999, seed, 'parcel', poId, String(sequence))).padStart(7, '0')}`;
  const digit = ups1zCheckDigit(body);
  return `1Z${body}${invalid ? (digit + 1) % 10 : digit}`;
}

/**
 * A drop-ship supplier on the gateway's supplier API: registered by the admin API, it sends its
 * stock feed, reads its open POs and answers them as its behaviour says (acknowledge, reject,
 * ship in one or two parcels, cancel the rest, answer cancellation requests, invoice).
 */
export class SimulatedSupplier {
  private apiKey: string | undefined;
  private lastStockFeed = 0;
  private readonly invoices: { poId: string; body: Record<string, unknown> }[] = [];
  readonly counts = { acknowledged: 0, rejectedLines: 0, shipments: 0, invalidTracking: 0, cancelled: 0, refusedByGateway: 0, invoices: 0 };

  constructor(
    readonly spec: SimSupplier,
    private readonly links: SimulatorLinks,
    private readonly seed: string,
    private readonly returnAddress: Record<string, string>,
  ) {}

  get behaviour(): SupplierBehaviour {
    return habitsOf(this.spec);
  }

  /** Registers the supplier, or (it exists: a resumed run) issues it a fresh API key. */
  async register(): Promise<void> {
    const { spec, links } = this;
    const settings = {
      supplierId: spec.supplierId,
      name: spec.name,
      code: spec.code,
      connector: 'api',
      confirmWithinHours: spec.confirmWithinHours,
      shipWithinHours: spec.shipWithinHours,
      timeoutPolicy: 'resource',
      returnAddress: this.returnAddress,
      returnPolicy: { windowDays: 30, acceptsReturns: spec.acceptsReturns },
      chargebacks: { lateShipment: 500, invalidTracking: 250, cancelledAfterAcceptance: 750 },
    };
    const registered = await call('POST', `${links.gatewayUrl}/admin/suppliers`, { token: links.gatewayAdminToken, body: settings });
    if (registered.status === 201) {
      this.apiKey = String(registered.body['apiKey']);
      return;
    }
    if (registered.status !== 409) throw new Error(`Registering supplier ${spec.supplierId}: ${registered.status} ${JSON.stringify(registered.body)}`);
    const rotated = await call('POST', `${links.gatewayUrl}/admin/suppliers/${spec.supplierId}/credentials`, { token: links.gatewayAdminToken });
    if (rotated.status !== 200) throw new Error(`New credentials for supplier ${spec.supplierId}: ${rotated.status} ${JSON.stringify(rotated.body)}`);
    this.apiKey = String(rotated.body['apiKey']);
  }

  async tick(now: Date): Promise<void> {
    if (!this.apiKey) await this.register();
    await this.feedStock(now);
    await this.sendInvoices();
    const reply = await this.api('GET', '/purchase-orders?status=open');
    if (reply.status !== 200) return;
    for (const po of (reply.body['purchaseOrders'] ?? []) as SupplierPo[]) {
      const action = nextAction(po, this.behaviour, now, this.seed, this.spec.code);
      if (action) await this.perform(po, action, now);
    }
  }

  private async feedStock(now: Date): Promise<void> {
    if (now.getTime() - this.lastStockFeed < 2 * HOUR) return;
    const asOf = new Date(now.getTime() - this.behaviour.staleStockHours * HOUR);
    const reply = await this.api('POST', '/stock', { mode: 'snapshot', asOf: asOf.toISOString(), items: this.spec.offers.map((o) => ({ sku: o.sku, quantity: this.spec.stock })) });
    if (reply.status === 200) this.lastStockFeed = now.getTime();
  }

  private async perform(po: SupplierPo, action: SupplierAction, now: Date): Promise<void> {
    switch (action.kind) {
      case 'acknowledge': {
        if (await this.send(po, '/acknowledgement', { lines: action.lines })) {
          this.counts.acknowledged++;
          this.counts.rejectedLines += action.lines.filter((l) => l.rejected).length;
        }
        return;
      }
      case 'answer-cancellation':
        await this.send(po, '/cancellation-answer', { accepted: action.accepted, ...(action.accepted ? {} : { reason: 'already packed' }) });
        return;
      case 'cancel-rest':
        if (await this.send(po, '/cancellation', { lines: action.lines, reason: 'the rest is out of stock' })) this.counts.cancelled++;
        return;
      case 'ship': {
        const shipment = { shipmentId: action.shipmentId, carrier: 'UPS', trackingNumber: action.trackingNumber, shippedAt: now.toISOString(), lines: action.lines };
        if (!(await this.send(po, '/shipments', shipment))) return;
        this.counts.shipments++;
        if (action.invalidTracking) this.counts.invalidTracking++;
        const costed = action.lines.map((l) => ({ ...l, unitCost: po.lines.find((p) => p.lineId === l.lineId)?.unitCost ?? 0 }));
        this.invoices.push({
          poId: po.poId,
          body: { invoiceNumber: `INV-${action.shipmentId}`, invoicedAt: now.toISOString(), total: costed.reduce((sum, l) => sum + l.quantity * l.unitCost, 0), lines: costed },
        });
        await this.sendInvoices();
        return;
      }
      default: {
        const never: never = action;
        throw new Error(`Unknown action ${JSON.stringify(never)}`);
      }
    }
  }

  /** Invoices wait here until the gateway has taken them. */
  private async sendInvoices(): Promise<void> {
    while (this.invoices.length > 0) {
      const next = this.invoices[0]!;
      const reply = await this.api('POST', `/purchase-orders/${next.poId}/invoices`, next.body);
      if (reply.status === 0 || reply.status >= 500) return;
      if (reply.status === 200) this.counts.invoices++;
      else this.refused(`invoice ${String(next.body['invoiceNumber'])}`, reply);
      this.invoices.shift();
    }
  }

  private async send(po: SupplierPo, path: string, body: unknown): Promise<boolean> {
    const reply = await this.api('POST', `/purchase-orders/${po.poId}${path}`, body);
    if (reply.status === 200 && reply.body['accepted'] !== false) return true;
    this.refused(`${path.slice(1)} of ${po.poNumber}`, reply);
    return false;
  }

  private refused(what: string, reply: { status: number; body: Record<string, unknown> }): void {
    this.counts.refusedByGateway++;
    this.links.log(`${this.spec.supplierId}: ${what} → ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
  }

  private api(method: 'GET' | 'POST', path: string, body?: unknown) {
    return call(method, `${this.links.gatewayUrl}/supplier-api${path}`, { token: this.apiKey!, ...(body !== undefined ? { body } : {}) });
  }
}
