import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CheckpointConflictError, startCheckpointedProcessor, type CheckpointedProcessor, type EventStore, type RecordedEvent } from '@oms/event-store';
import { CLOCK, EVENT_STORE, SERVICE_ENV, type Clock } from '@oms/platform';
import { PersonalData } from '@oms/privacy';
import type { OpenPo } from '../domain/purchase-order';
import type { LineUnits, PurchaseOrderEvent } from '../domain/purchase-order-events';
import type { GatewayEnv } from '../gateway.env';
import { brandingFrom, type Branding } from './branding';
import { cancellation860, packingSlip, purchaseOrder850, purchaseOrderJson, sealedDocument, withShipToOpened } from './outbound-documents';
import { PO_CATEGORY, PurchaseOrderIndex } from './purchase-order-index';
import { PurchaseOrderApplication } from './purchase-orders';
import { decryptSecret } from './secrets';
import { SupplierDirectory, type RegisteredSupplier } from './supplier-directory';
import { deliverWebhook } from './webhook-client';

type Notification = Extract<PurchaseOrderEvent, { type: 'SupplierNotified' }>['data']['about'];

/**
 * Talks to suppliers: sends each new PO the way its supplier takes them (made available to the
 * supplier API, pushed as signed webhook JSON with the packing slip, or rendered as an EDI 850),
 * and tells the supplier of every cancellation, time-out and refused late answer. Follows the PO
 * streams from a durable checkpoint; every step is decided on the PO first, so a repeat after a
 * crash sends nothing twice that the PO already records. Also fires due deadlines.
 */
@Injectable()
export class PurchaseOrderDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('PurchaseOrderDispatcher');
  private processor: CheckpointedProcessor | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> | undefined;
  private readonly brand: Branding;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_ENV) private readonly env: GatewayEnv,
    private readonly index: PurchaseOrderIndex,
    private readonly suppliers: SupplierDirectory,
    private readonly purchaseOrders: PurchaseOrderApplication,
    private readonly personal: PersonalData,
  ) {
    this.brand = brandingFrom(env);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.processor = await startCheckpointedProcessor({
      store: this.store,
      name: 'supplier-gateway.dispatcher',
      categories: [PO_CATEGORY],
      handle: (event) => this.handle(event),
      // Another replica moving the shared checkpoint is routine; the processor follows again.
      onError: (error) =>
        error instanceof CheckpointConflictError
          ? this.log.log(`another replica moved the dispatcher checkpoint; following again`)
          : this.log.error(`dispatcher stopped: ${(error as Error)?.message ?? String(error)}; following again`),
    });
    // Deadlines that passed while the gateway was down fire on the first tick after the index caught up.
    void Promise.all([this.index.ready, this.suppliers.ready]).then(() => {
      this.ticker = setInterval(() => void this.tick(), this.env.GATEWAY_DEADLINE_POLL_MS);
      void this.tick();
    });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    await this.ticking;
    await this.processor?.stop();
  }

  /** Fires what is due now (also called by tests that move a manual clock). */
  tick(): Promise<unknown> {
    this.ticking ??= this.purchaseOrders
      .expireDue()
      .catch((error: unknown) => this.log.error(`deadline tick: ${(error as Error).message}`))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async handle(event: RecordedEvent): Promise<void> {
    const poId = event.streamName.slice(PO_CATEGORY.length + 1);
    const stored = { type: event.type, data: event.data } as unknown as PurchaseOrderEvent;
    switch (stored.type) {
      case 'PurchaseOrderCreated':
        return this.dispatch(poId);
      case 'PurchaseOrderCancelled':
        return stored.data.by === 'retailer' ? this.notify(poId, event.id, 'cancellation', stored.data.lines, stored.data.reason) : undefined;
      case 'PurchaseOrderCancellationRequested':
        return this.notify(poId, event.id, 'cancellation_request', stored.data.lines, stored.data.reason);
      case 'PurchaseOrderTimedOut':
        return this.notify(poId, event.id, 'time_out', stored.data.lines, `not ${stored.data.deadline === 'confirm' ? 'acknowledged' : 'shipped'} by ${stored.data.due}`);
      case 'SupplierMessageRefused':
        // A late answer to a PO we already ended is answered with its cancellation.
        return stored.data.status === 'timed_out' || stored.data.status === 'cancelled' ? this.notify(poId, event.id, 'refused_message', 'all', stored.data.reason) : undefined;
      default:
        return undefined;
    }
  }

  private async dispatch(poId: string): Promise<void> {
    const stored = await this.index.get(poId);
    if (!stored || stored.status !== 'created') return;
    // The ship-to is opened for the supplier's documents only; what is recorded stays sealed.
    const state = await withShipToOpened(this.personal, stored);
    const supplier = this.suppliers.get(state.po.supplierId) ?? (await this.suppliers.load(state.po.supplierId));
    if (!supplier) return;
    try {
      switch (state.po.connector) {
        case 'api':
          return await this.purchaseOrders.markDispatched(poId, 'api');
        case 'edi':
          return await this.purchaseOrders.markDispatched(poId, 'edi', await sealedDocument(this.personal, stored.po, purchaseOrder850(state.po, supplier.settings, this.env, this.brand)));
        case 'webhook': {
          const slip = await packingSlip(state.po, supplier.settings.name, this.brand).catch((error: unknown) => {
            this.log.warn(`PO ${state.po.poNumber}: no packing slip (${(error as Error).message})`);
            return undefined;
          });
          const body = {
            type: 'purchase_order.created',
            purchaseOrder: purchaseOrderJson(state),
            ...(slip ? { packingSlip: { contentType: 'application/pdf', base64: slip.toString('base64') } } : {}),
          };
          if (await this.push(supplier, `${poId}:created`, body)) await this.purchaseOrders.markDispatched(poId, 'webhook');
          return;
        }
        default: {
          const never: never = state.po.connector;
          return never;
        }
      }
    } catch (error) {
      // Not dispatched: the confirm-by deadline ends the PO and sourcing plans the lines elsewhere.
      this.log.error(`PO ${state.po.poNumber} not dispatched to ${supplier.supplierId}: ${(error as Error).message}`);
    }
  }

  private async notify(poId: string, key: string, about: Notification, lines: readonly LineUnits[] | 'all', reason?: string): Promise<void> {
    const state = await this.index.get(poId);
    if (!state || state.notified[key]) return;
    const supplier = this.suppliers.get(state.po.supplierId) ?? (await this.suppliers.load(state.po.supplierId));
    if (!supplier) return;
    try {
      switch (state.po.connector) {
        case 'api':
          // API suppliers read it from the PO; recorded so a dispute shows when it was available.
          return await this.purchaseOrders.recordNotification(poId, key, about, 'api');
        case 'edi':
          return await this.purchaseOrders.recordNotification(poId, key, about, 'edi', cancellation860(state.po, supplier.settings, this.env, lines, key, this.clock.now()));
        case 'webhook': {
          const body = { type: `purchase_order.${about}`, poId, poNumber: state.po.poNumber, lines: lines === 'all' ? openOrAll(state) : lines, ...(reason ? { reason } : {}) };
          if (await this.push(supplier, key, body)) await this.purchaseOrders.recordNotification(poId, key, about, 'webhook');
          return;
        }
        default: {
          const never: never = state.po.connector;
          return never;
        }
      }
    } catch (error) {
      this.log.error(`PO ${state.po.poNumber}: could not tell ${supplier.supplierId} of ${about}: ${(error as Error).message}`);
    }
  }

  private async push(supplier: RegisteredSupplier, deliveryId: string, body: object): Promise<boolean> {
    const url = supplier.settings.webhookUrl;
    const sealed = supplier.credentials?.webhookSecretCipher;
    if (!url || !sealed || !this.env.GATEWAY_SECRETS_KEY) {
      this.log.error(`Supplier ${supplier.supplierId} takes webhooks but has no URL or secret`);
      return false;
    }
    const outcome = await deliverWebhook(
      { url, secret: decryptSecret(sealed, this.env.GATEWAY_SECRETS_KEY), deliveryId, body },
      { maxAttempts: this.env.GATEWAY_WEBHOOK_MAX_ATTEMPTS, timeoutMs: this.env.GATEWAY_WEBHOOK_TIMEOUT_MS, now: () => this.clock.now() },
    );
    if (!outcome.ok) this.log.error(`webhook ${deliveryId} to ${supplier.supplierId} failed after ${outcome.attempts} attempts: ${outcome.error}`);
    return outcome.ok;
  }
}

function openOrAll(state: OpenPo): LineUnits[] {
  return state.po.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity }));
}
