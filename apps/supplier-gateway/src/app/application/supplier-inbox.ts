import { Inject, Injectable } from '@nestjs/common';
import { ANY_REVISION, deterministicEventId, streamName, type EventStore, type JsonObject } from '@oms/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '@oms/platform';
import { parseInterchange, read810, read846, read855, read856, X12ParseError } from '../connectors/edi';
import type { OpenPo } from '../domain/purchase-order';
import type { AcknowledgedLine, LineUnits, Received } from '../domain/purchase-order-events';
import { SUPPLIER_FEED_CATEGORY } from '../messaging/gateway-messages';
import { PurchaseOrderIndex } from './purchase-order-index';
import { identified, NotYourPurchaseOrderError, PurchaseOrderApplication, type SupplierAnswer } from './purchase-orders';
import type { RegisteredSupplier } from './supplier-directory';

/** How a supplier names a PO line: our line id, the PO line number, or a sku (ours or theirs). */
export interface LineRef {
  readonly lineId?: string;
  readonly lineNumber?: number | string;
  readonly sku?: string;
}

export type InboxOutcome =
  | { readonly kind: 'applied'; readonly status: string; readonly events: readonly string[] }
  | { readonly kind: 'duplicate'; readonly status: string }
  | { readonly kind: 'refused'; readonly status: string; readonly reason: string };

export class UnreadableSupplierMessageError extends Error {
  override readonly name = 'UnreadableSupplierMessageError';
}

/** A line reference no PO line matches: kept visible so the PO's refusal names it. */
const unknownLine = (ref: LineRef) => `unknown:${ref.lineId ?? ref.lineNumber ?? ref.sku ?? '?'}`;

export function resolveLine(po: OpenPo['po'], ref: LineRef): string {
  const line =
    (ref.lineId !== undefined && po.lines.find((l) => l.lineId === ref.lineId)) ||
    (ref.lineNumber !== undefined && po.lines.find((l) => String(l.lineNumber) === String(ref.lineNumber).replace(/^0+(?=\d)/, ''))) ||
    (ref.sku !== undefined && po.lines.find((l) => l.sku === ref.sku || l.supplierSku === ref.sku));
  return line ? line.lineId : unknownLine(ref);
}

function outcomeOf(result: SupplierAnswer): InboxOutcome {
  const refused = result.events.find((e) => e.type === 'SupplierMessageRefused');
  if (refused && refused.type === 'SupplierMessageRefused') return { kind: 'refused', status: result.status, reason: refused.data.reason };
  if (result.refused !== undefined) return { kind: 'refused', status: result.status, reason: result.refused };
  if (result.events.length === 0) return { kind: 'duplicate', status: result.status };
  return { kind: 'applied', status: result.status, events: result.events.map((e) => e.type) };
}

/**
 * Everything a supplier sends us, whatever the channel (REST, signed webhook, EDI), becomes the
 * same PO commands. The supplier is the one the credential proved: a PO of another supplier does
 * not exist for it. The raw message rides along into the event it produces.
 */
@Injectable()
export class SupplierInbox {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly index: PurchaseOrderIndex,
    private readonly purchaseOrders: PurchaseOrderApplication,
  ) {}

  /** A PO the supplier names by id or by its number. */
  async poIdOf(supplier: RegisteredSupplier, ref: { poId?: string; poNumber?: string }): Promise<string> {
    const poId = ref.poId ?? (ref.poNumber ? this.index.idByNumber(supplier.supplierId, ref.poNumber) : undefined);
    if (!poId) throw new NotYourPurchaseOrderError(`No purchase order ${ref.poId ?? ref.poNumber ?? ''}`);
    await this.purchaseOrders.forSupplier(supplier.supplierId, poId);
    return poId;
  }

  async acknowledge(
    supplier: RegisteredSupplier,
    poId: string,
    lines: readonly (LineRef & { accepted?: number; rejected?: number; backordered?: number; backorderDate?: string; reason?: string })[],
    received: Received,
  ): Promise<InboxOutcome> {
    const po = await this.purchaseOrders.forSupplier(supplier.supplierId, poId);
    const acknowledged: AcknowledgedLine[] = lines.map((l) => ({
      lineId: resolveLine(po.po, l),
      accepted: l.accepted ?? 0,
      rejected: l.rejected ?? 0,
      backordered: l.backordered ?? 0,
      ...(l.backorderDate ? { backorderDate: l.backorderDate } : {}),
      ...(l.reason ? { reason: l.reason } : {}),
    }));
    return outcomeOf(await this.purchaseOrders.acknowledge(supplier.supplierId, poId, acknowledged, received));
  }

  async ship(
    supplier: RegisteredSupplier,
    poId: string,
    shipment: { shipmentId: string; carrier: string; trackingNumber: string; trackingUrl?: string; shippedAt: string; lines: readonly (LineRef & { quantity: number })[] },
    received: Received,
  ): Promise<InboxOutcome> {
    const po = await this.purchaseOrders.forSupplier(supplier.supplierId, poId);
    const lines = mergeLines(shipment.lines.map((l) => ({ lineId: resolveLine(po.po, l), quantity: l.quantity })));
    const { lines: _refs, ...rest } = shipment;
    return outcomeOf(await this.purchaseOrders.ship(supplier.supplierId, poId, { ...rest, lines }, received));
  }

  async invoice(
    supplier: RegisteredSupplier,
    poId: string,
    invoice: { invoiceNumber: string; invoicedAt: string; total: number; lines: readonly (LineRef & { quantity: number; unitCost: number })[] },
    received: Received,
  ): Promise<InboxOutcome> {
    const po = await this.purchaseOrders.forSupplier(supplier.supplierId, poId);
    const lines = invoice.lines.map((l) => ({ lineId: resolveLine(po.po, l), quantity: l.quantity, unitCost: l.unitCost }));
    return outcomeOf(await this.purchaseOrders.invoice(supplier.supplierId, poId, { ...invoice, lines }, received));
  }

  async answerCancellation(supplier: RegisteredSupplier, poId: string, answer: { accepted: boolean; reason?: string }, received: Received): Promise<InboxOutcome> {
    return outcomeOf(await this.purchaseOrders.answerCancellation(supplier.supplierId, poId, answer, received));
  }

  async cancel(supplier: RegisteredSupplier, poId: string, cancel: { lines?: readonly (LineRef & { quantity: number })[]; reason?: string }, received: Received): Promise<InboxOutcome> {
    const po = await this.purchaseOrders.forSupplier(supplier.supplierId, poId);
    const lines = cancel.lines?.map((l) => ({ lineId: resolveLine(po.po, l), quantity: l.quantity }));
    return outcomeOf(await this.purchaseOrders.supplierCancel(supplier.supplierId, poId, { ...(lines ? { lines } : {}), ...(cancel.reason ? { reason: cancel.reason } : {}) }, received));
  }

  /** A stock feed, stored once per message and published (normalised) to `inventory.stock.v1`. */
  async stock(supplier: RegisteredSupplier, feed: { mode: 'snapshot' | 'delta'; asOf: string; items: readonly { sku: string; quantity: number }[] }, received: Received): Promise<InboxOutcome> {
    const stream = streamName(SUPPLIER_FEED_CATEGORY, supplier.supplierId);
    const quantities = new Map<string, number>();
    for (const i of feed.items) quantities.set(i.sku, i.quantity);
    const data = { nodeId: supplier.supplierId, mode: feed.mode, asOf: feed.asOf, items: [...quantities].map(([sku, quantity]) => ({ sku, quantity })), received };
    const result = await this.store.append(
      stream,
      [{ id: deterministicEventId(stream, `${received.channel}:${received.body}`, 0), type: 'SupplierStockReceived', data: data as unknown as JsonObject, metadata: {} }],
      // Feeds are facts in their own right, ordered by their own time downstream.
      ANY_REVISION,
    );
    return result.idempotent ? { kind: 'duplicate', status: 'recorded' } : { kind: 'applied', status: 'recorded', events: ['SupplierStockReceived'] };
  }

  /**
   * An EDI interchange: each transaction set becomes what it says (855, 856, 810, 846). The sender
   * in ISA06 must be the authenticated supplier's interchange id.
   */
  async edi(supplier: RegisteredSupplier, text: string, receivedAt: Date): Promise<{ set: string; control: string; outcome: InboxOutcome }[]> {
    let interchange;
    try {
      interchange = parseInterchange(text);
    } catch (error) {
      if (error instanceof X12ParseError) throw new UnreadableSupplierMessageError(error.message);
      throw error;
    }
    const edi = supplier.settings.edi;
    if (!edi || edi.supplierId.trim() !== interchange.header.senderId.trim()) {
      throw new NotYourPurchaseOrderError(`Interchange sender ${interchange.header.senderQualifier}/${interchange.header.senderId.trim()} is not this supplier`);
    }
    const received = (body: string): Received => ({ channel: 'edi', receivedAt: receivedAt.toISOString(), supplierId: supplier.supplierId, contentType: 'application/edi-x12', body });
    const results: { set: string; control: string; outcome: InboxOutcome }[] = [];
    for (const set of interchange.transactionSets) {
      const raw = text; // the whole interchange: what a dispute needs to show
      const outcome = await this.ediSet(supplier, set, received(raw), `${set.type}:${set.controlNumber}`).catch((error: unknown) => {
        if (error instanceof X12ParseError) return { kind: 'refused', status: 'unread', reason: error.message } as const;
        if (error instanceof NotYourPurchaseOrderError) return { kind: 'refused', status: 'unknown', reason: error.message } as const;
        throw error;
      });
      results.push({ set: set.type, control: set.controlNumber, outcome });
    }
    return results;
  }

  /** One document of an interchange: `part` names it, so each document (and each shipment of an 856) is a message of its own. */
  private async ediSet(supplier: RegisteredSupplier, set: Parameters<typeof read855>[0], received: Received, part: string): Promise<InboxOutcome> {
    switch (set.type) {
      case '855': {
        const ack = read855(set);
        const poId = await this.poIdOf(supplier, { poNumber: ack.poNumber });
        return this.acknowledge(
          supplier,
          poId,
          ack.lines.map((l) => ({
            lineNumber: l.lineNumber,
            ...(l.sku ? { sku: l.sku } : {}),
            // Held lines are not an answer yet: counted as accepted (the supplier keeps them).
            accepted: l.accepted + l.held,
            rejected: l.rejected,
            backordered: l.backordered,
            ...(l.backorderDate ? { backorderDate: l.backorderDate } : {}),
            ...(l.rejectionReason ?? l.rejectionCode ? { reason: l.rejectionReason ?? l.rejectionCode! } : {}),
          })),
          identified(received, part),
        );
      }
      case '856': {
        let last: InboxOutcome = { kind: 'duplicate', status: 'none' };
        for (const [index, shipment] of read856(set).entries()) {
          const poNumber = shipment.poNumbers[0];
          const poId = await this.poIdOf(supplier, { ...(poNumber ? { poNumber } : {}) });
          const tracking = shipment.trackingNumbers[0]?.value ?? shipment.items.flatMap((i) => i.trackingNumbers)[0]?.value ?? '';
          last = await this.ship(
            supplier,
            poId,
            {
              shipmentId: shipment.shipmentId,
              carrier: shipment.carrier?.scac ?? shipment.carrier?.routing ?? 'unknown',
              trackingNumber: tracking,
              shippedAt: shipment.shipDate ? new Date(`${shipment.shipDate}T00:00:00Z`).toISOString() : this.clock.now().toISOString(),
              lines: shipment.items.map((i) => ({ ...(i.lineNumber ? { lineNumber: i.lineNumber } : {}), ...((i.sku ?? i.supplierSku) ? { sku: (i.sku ?? i.supplierSku)! } : {}), quantity: i.quantity })),
            },
            identified(received, `${part}:${index}`),
          );
        }
        return last;
      }
      case '810': {
        const invoice = read810(set);
        const poId = await this.poIdOf(supplier, { ...(invoice.poNumber ? { poNumber: invoice.poNumber } : {}) });
        return this.invoice(
          supplier,
          poId,
          {
            invoiceNumber: invoice.invoiceNumber,
            invoicedAt: new Date(`${invoice.invoiceDate}T00:00:00Z`).toISOString(),
            total: invoice.totalMinor,
            lines: invoice.lines.map((l) => ({ ...(l.lineNumber ? { lineNumber: l.lineNumber } : {}), ...((l.sku ?? l.supplierSku) ? { sku: (l.sku ?? l.supplierSku)! } : {}), quantity: l.quantity, unitCost: l.unitPriceMinor })),
          },
          identified(received, part),
        );
      }
      case '846': {
        const advice = read846(set);
        return this.stock(
          supplier,
          {
            mode: 'delta',
            asOf: advice.reportDate ? new Date(`${advice.reportDate}T00:00:00Z`).toISOString() : received.receivedAt,
            items: advice.items.flatMap((i) => (i.sku ?? i.supplierSku) && i.available !== undefined ? [{ sku: (i.sku ?? i.supplierSku)!, quantity: i.available }] : []),
          },
          received,
        );
      }
      default:
        return { kind: 'refused', status: 'unread', reason: `Transaction set ${set.type} is not one the gateway reads (855, 856, 810, 846)` };
    }
  }
}

function mergeLines(lines: readonly LineUnits[]): LineUnits[] {
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.lineId, (merged.get(l.lineId) ?? 0) + l.quantity);
  return [...merged].map(([lineId, quantity]) => ({ lineId, quantity }));
}
