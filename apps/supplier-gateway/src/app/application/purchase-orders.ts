import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JsonObject } from '@oms/event-store';
import { CLOCK, SERVICE_ENV, type Clock } from '@oms/platform';
import { v5 as uuidv5 } from 'uuid';
import { purchaseOrderDecider, PurchaseOrderError, type OpenPo, type PurchaseOrderCommand } from '../domain/purchase-order';
import type { AcknowledgedLine, LineUnits, PoAddress, PurchaseOrderEvent, Received } from '../domain/purchase-order-events';
import type { GatewayEnv } from '../gateway.env';
import { validateTracking } from '../tracking';
import { brandingRef } from './branding';
import { PurchaseOrderIndex, poStream } from './purchase-order-index';
import { SupplierDirectory } from './supplier-directory';

const PO_NAMESPACE = '8a3c9d3e-61f4-4f0b-b1f3-2b8e5f7a9c10';
const HOUR = 3_600_000;

/** A PO's id follows from the plan group it fulfils: a redelivered request is the same PO. */
export const poIdFor = (groupId: string) => uuidv5(groupId, PO_NAMESPACE);

export interface SupplierGroupRequest {
  readonly orderId: string;
  readonly orderNumber?: string;
  readonly groupId: string;
  readonly supplierId: string;
  readonly planVersion: number;
  readonly currency: string;
  readonly lines: readonly { readonly lineId: string; readonly sku: string; readonly name?: string; readonly quantity: number; readonly unitCost: number }[];
  readonly shipTo: PoAddress;
  readonly deliverBy: string;
}

/** What a supplier sends about a PO: each carries the message it came in. */
type SupplierCommand = Extract<PurchaseOrderCommand, { type: 'Acknowledge' | 'RecordShipment' | 'RecordInvoice' | 'AnswerCancellation' | 'SupplierCancel' }>;

/** The PO after a supplier's message; `refused` when it was refused without a refusal of ours being appended. */
export type SupplierAnswer = OpenPo & { readonly events: readonly PurchaseOrderEvent[]; readonly refused?: string };

export class NotYourPurchaseOrderError extends Error {
  override readonly name = 'NotYourPurchaseOrderError';
}

/**
 * The purchase-order use cases. Every change is decided by the PO aggregate on its stream's
 * revision: a deadline and a late supplier answer racing on one PO end in exactly one outcome.
 */
@Injectable()
export class PurchaseOrderApplication {
  private readonly log = new Logger('PurchaseOrders');

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_ENV) private readonly env: GatewayEnv,
    private readonly index: PurchaseOrderIndex,
    private readonly suppliers: SupplierDirectory,
  ) {}

  /**
   * A drop-ship group becomes a PO with the supplier's current service levels. An unknown or
   * suspended supplier still gets its PO recorded — cancelled at once, so sourcing plans the
   * lines elsewhere instead of waiting for a deadline.
   */
  async createFromGroup(request: SupplierGroupRequest, causationId: string): Promise<string> {
    const poId = poIdFor(request.groupId);
    const supplier = this.suppliers.get(request.supplierId) ?? (await this.suppliers.load(request.supplierId));
    const now = this.clock.now();
    const settings = supplier?.settings;
    const code = (settings?.code ?? request.supplierId).replace(/[^A-Za-z0-9]/g, '').slice(0, 6).toUpperCase() || 'SUP';
    const orderRef = (request.orderNumber ?? request.orderId.slice(0, 8)).replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
    const poNumber = `${orderRef}-${code}${request.planVersion > 1 ? `-${request.planVersion}` : ''}`;
    const created = await this.execute(
      poId,
      {
        type: 'CreatePurchaseOrder',
        data: {
          poId,
          poNumber,
          orderId: request.orderId,
          ...(request.orderNumber !== undefined ? { orderNumber: request.orderNumber } : {}),
          groupId: request.groupId,
          supplierId: request.supplierId,
          currency: request.currency,
          lines: request.lines.map((l, i) => ({ lineNumber: i + 1, lineId: l.lineId, sku: l.sku, quantity: l.quantity, unitCost: l.unitCost, ...(l.name ? { name: l.name } : {}) })),
          shipTo: request.shipTo,
          brandingRef: brandingRef(this.env),
          connector: settings?.connector ?? 'api',
          timeoutPolicy: settings?.timeoutPolicy ?? 'resource',
          confirmBy: new Date(now.getTime() + (settings?.confirmWithinHours ?? 24) * HOUR).toISOString(),
          shipBy: new Date(now.getTime() + (settings?.shipWithinHours ?? 72) * HOUR).toISOString(),
          deliverBy: request.deliverBy,
          enforceShipBy: settings?.enforceShipBy ?? false,
          now,
        },
      },
      causationId,
    );
    this.index.remember(created.po);
    if (!supplier || supplier.settings.status === 'suspended') {
      const reason = supplier ? 'supplier suspended' : 'supplier not registered';
      this.log.warn(`PO ${poNumber} for ${request.supplierId}: ${reason}; cancelled for re-sourcing`);
      await this.execute(poId, { type: 'RequestCancellation', data: { requestId: `unavailable:${poId}`, lines: [], reason, now } }, `${causationId}:unavailable`);
    }
    return poId;
  }

  async markDispatched(poId: string, via: OpenPo['po']['connector'], document?: string): Promise<void> {
    await this.execute(poId, { type: 'MarkDispatched', data: { via, ...(document ? { document } : {}), now: this.clock.now() } });
  }

  async recordNotification(poId: string, key: string, about: Extract<PurchaseOrderEvent, { type: 'SupplierNotified' }>['data']['about'], via: OpenPo['po']['connector'], document?: string) {
    await this.execute(poId, { type: 'RecordNotification', data: { key, about, via, ...(document ? { document } : {}), now: this.clock.now() } });
  }

  /** A supplier's own PO, or NotYourPurchaseOrderError: another supplier's PO does not exist for it. */
  async forSupplier(supplierId: string, poId: string): Promise<OpenPo> {
    const po = await this.index.find(poId);
    if (!po || po.po.supplierId !== supplierId) throw new NotYourPurchaseOrderError(`No purchase order ${poId}`);
    return po;
  }

  async acknowledge(supplierId: string, poId: string, lines: readonly AcknowledgedLine[], received: Received): Promise<SupplierAnswer> {
    await this.forSupplier(supplierId, poId);
    return this.answer(poId, { type: 'Acknowledge', data: { lines, received: identified(received), now: this.clock.now() } });
  }

  async ship(
    supplierId: string,
    poId: string,
    shipment: { shipmentId: string; carrier: string; trackingNumber: string; trackingUrl?: string; lines: readonly LineUnits[]; shippedAt: string },
    received: Received,
  ): Promise<SupplierAnswer> {
    await this.forSupplier(supplierId, poId);
    const check = validateTracking(shipment.carrier, shipment.trackingNumber);
    const tracking = check.valid ? { valid: true, carrier: check.carrier } : { valid: false, carrier: shipment.carrier, reason: check.reason };
    return this.answer(poId, { type: 'RecordShipment', data: { ...shipment, tracking, received: identified(received), now: this.clock.now() } });
  }

  async invoice(
    supplierId: string,
    poId: string,
    invoice: { invoiceNumber: string; lines: readonly (LineUnits & { unitCost: number })[]; total: number; invoicedAt: string },
    received: Received,
  ): Promise<SupplierAnswer> {
    await this.forSupplier(supplierId, poId);
    return this.answer(poId, { type: 'RecordInvoice', data: { ...invoice, received: identified(received), now: this.clock.now() } });
  }

  async answerCancellation(supplierId: string, poId: string, answer: { accepted: boolean; reason?: string }, received: Received): Promise<SupplierAnswer> {
    await this.forSupplier(supplierId, poId);
    return this.answer(poId, { type: 'AnswerCancellation', data: { ...answer, received: identified(received), now: this.clock.now() } });
  }

  async supplierCancel(supplierId: string, poId: string, cancel: { lines?: readonly LineUnits[]; reason?: string }, received: Received): Promise<SupplierAnswer> {
    await this.forSupplier(supplierId, poId);
    return this.answer(poId, { type: 'SupplierCancel', data: { ...cancel, received: identified(received), now: this.clock.now() } });
  }

  /** The customer cancelled: ask the supplier for these units, newest PO of the node first. */
  async requestCancellation(request: { requestId: string; groupIds: readonly string[]; lines: readonly LineUnits[]; reason?: string }, causationId: string): Promise<void> {
    const left = new Map(request.lines.map((l) => [l.lineId, l.quantity]));
    for (const groupId of request.groupIds) {
      const poId = poIdFor(groupId);
      const po = await this.index.get(poId);
      if (!po) continue;
      const lines = po.po.lines
        .map((l) => ({ lineId: l.lineId, quantity: Math.min(left.get(l.lineId) ?? 0, l.quantity) }))
        .filter((l) => l.quantity > 0);
      if (lines.length === 0) continue;
      for (const l of lines) left.set(l.lineId, (left.get(l.lineId) ?? 0) - l.quantity);
      await this.execute(
        poId,
        { type: 'RequestCancellation', data: { requestId: request.requestId, lines, ...(request.reason ? { reason: request.reason } : {}), now: this.clock.now() } },
        `${causationId}:${poId}`,
      );
    }
  }

  /** Fires every deadline due now; each PO decides on its own revision, so a late answer and this race safely. */
  async expireDue(): Promise<number> {
    const now = this.clock.now();
    let fired = 0;
    for (const poId of this.index.due(now)) {
      const result = await this.execute(poId, { type: 'ExpireDeadlines', data: { now } }, `deadline:${poId}:${now.toISOString()}`).catch((error: unknown) => {
        this.log.error(`deadline of PO ${poId}: ${(error as Error).message}`);
        return undefined;
      });
      if (result && result.events.length > 0) fired++;
    }
    return fired;
  }

  /**
   * A supplier's message, decided on the PO. When nothing was appended, the PO as it now stands
   * tells why: it already applied this message (a copy: already known), or another replica just
   * recorded the very refusal we decided, on the same revision, so the store took our append as
   * that one — then the message is refused again, not reported as known.
   */
  private async answer(poId: string, command: SupplierCommand): Promise<SupplierAnswer> {
    const result = await this.execute(poId, command, command.data.received.messageId);
    if (result.events.length > 0) return result;
    const again = purchaseOrderDecider.decide(command, result).find((e) => e.type === 'SupplierMessageRefused');
    return again?.type === 'SupplierMessageRefused' ? { ...result, refused: again.data.reason } : result;
  }

  private async execute(poId: string, command: PurchaseOrderCommand, causationId?: string): Promise<OpenPo & { events: readonly PurchaseOrderEvent[] }> {
    // Every PO event carries who and what it is about, so the relay maps each on its own.
    const known = command.type === 'CreatePurchaseOrder' ? command.data : (await this.index.find(poId))?.po;
    const metadata: JsonObject = known ? { orderId: known.orderId, supplierId: known.supplierId, poNumber: known.poNumber } : {};
    const { state, newEvents } = await this.index.cache.execute(poStream(poId), command, {
      ...(causationId ? { causationId } : {}),
      ...(known ? { correlationId: known.orderId } : {}),
      metadata,
    });
    if (state.status === 'none') throw new PurchaseOrderError(`No purchase order ${poId}`);
    return { ...state, events: newEvents };
  }
}

/**
 * A received message with its identity: the same body through the same channel from the same
 * supplier is the same message; `part` tells apart the documents of one EDI interchange.
 */
export function identified(received: Received, part?: string): Received & { readonly messageId: string } {
  if (received.messageId !== undefined && part === undefined) return { ...received, messageId: received.messageId };
  const key = `${received.channel}\u0000${received.supplierId}\u0000${received.body}${part === undefined ? '' : `\u0000${part}`}`;
  return { ...received, messageId: uuidv5(key, PO_NAMESPACE) };
}
