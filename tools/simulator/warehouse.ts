import { FULFILMENT_FACTS, FULFILMENT_REQUESTS, TOPICS } from '@oms/contracts';
import { listen, message, stableId, type SimulatorLinks } from './links';
import { chance } from './random';
import { Schedule, type Scheduled } from './schedule';
import { upsTracking } from './supplier';
import type { SimWarehouse } from './world';

const HOUR = 3_600_000;

interface Line {
  readonly lineId: string;
  readonly quantity: number;
}

export interface WarehouseTask {
  readonly kind: 'ship' | 'short';
  readonly orderId: string;
  readonly nodeId: string;
  readonly groupId: string;
  readonly lines: readonly Line[];
}

/**
 * The retailer's warehouse system: takes fulfilment requests from `wms.fulfilment-requests.v1`,
 * ships them after its handling time (or reports a shortage now and then), gives back units it
 * has not shipped when asked to cancel, and answers on `wms.shipments.v1`.
 */
export class SimulatedWarehouse {
  readonly tasks: Schedule<WarehouseTask>;
  readonly counts = { requests: 0, shipments: 0, shortages: 0, cancelled: 0 };

  constructor(
    private readonly warehouses: readonly SimWarehouse[],
    private readonly links: SimulatorLinks,
    private readonly seed: string,
    saved: readonly Scheduled<WarehouseTask>[] = [],
  ) {
    this.tasks = new Schedule(saved);
  }

  async start(groupId: string): Promise<void> {
    const runtime = await this.links.messaging(groupId, [TOPICS.wmsFulfilmentRequests], [TOPICS.wmsShipments]);
    await listen(runtime, { [TOPICS.wmsFulfilmentRequests.name]: (m) => this.onRequest(m.type, m.payload) });
    this.close = () => runtime.close();
  }

  close: () => Promise<void> = async () => undefined;

  async onRequest(type: string, payload: Record<string, unknown>): Promise<void> {
    const nodeId = String(payload['nodeId']);
    const warehouse = this.warehouses.find((w) => w.nodeId === nodeId);
    if (!warehouse) return;
    const now = this.links.clock.now();
    const orderId = String(payload['orderId']);
    if (type === FULFILMENT_REQUESTS.fulfilmentRequested) {
      const groupId = String(payload['groupId']);
      const lines = (payload['lines'] as Line[]).map((l) => ({ lineId: l.lineId, quantity: l.quantity }));
      this.counts.requests++;
      const short = chance(warehouse.shortageShare, this.seed, 'shortage', groupId);
      this.tasks.add(`${groupId}`, new Date(now.getTime() + (short ? 0.5 : warehouse.shipAfterHours) * HOUR), { kind: short ? 'short' : 'ship', orderId, nodeId, groupId, lines });
      return;
    }
    if (type === FULFILMENT_REQUESTS.fulfilmentCancellationRequested) await this.cancel(payload, now);
  }

  /** Units not yet shipped come back; whatever has left the building ships as it is. */
  private async cancel(payload: Record<string, unknown>, now: Date): Promise<void> {
    const requestId = String(payload['requestId']);
    const wanted = new Map((payload['lines'] as Line[]).map((l) => [l.lineId, l.quantity]));
    for (const groupId of (payload['groupIds'] ?? []) as string[]) {
      const task = this.tasks.toJSON().find((t) => t.key === groupId && t.item.kind === 'ship');
      if (!task) continue;
      const given: Line[] = [];
      const kept: Line[] = [];
      for (const line of task.item.lines) {
        const take = Math.min(wanted.get(line.lineId) ?? 0, line.quantity);
        if (take > 0) given.push({ lineId: line.lineId, quantity: take });
        if (line.quantity - take > 0) kept.push({ lineId: line.lineId, quantity: line.quantity - take });
        wanted.set(line.lineId, (wanted.get(line.lineId) ?? 0) - take);
      }
      if (given.length === 0) continue;
      this.tasks.remove(groupId);
      if (kept.length > 0) this.tasks.add(groupId, new Date(task.at), { ...task.item, lines: kept });
      await this.links.publisher.publish([
        message(TOPICS.wmsShipments.name, task.item.orderId, FULFILMENT_REQUESTS.fulfilmentCancelled, {
          orderId: task.item.orderId,
          nodeId: task.item.nodeId,
          groupId,
          reportId: `${requestId}:${groupId}`,
          lines: given,
          reason: 'cancelled by the customer before picking',
          at: now.toISOString(),
        }, now, stableId('wms-cancel', requestId, groupId)),
      ]);
      this.counts.cancelled++;
    }
  }

  async tick(now: Date): Promise<void> {
    for (const { key, item } of this.tasks.due(now)) {
      const at = now.toISOString();
      const reply =
        item.kind === 'short'
          ? message(TOPICS.wmsShipments.name, item.orderId, FULFILMENT_REQUESTS.fulfilmentShortageReported, {
              orderId: item.orderId,
              nodeId: item.nodeId,
              groupId: item.groupId,
              reportId: `short:${item.groupId}`,
              lines: item.lines,
              reason: 'bin empty at picking',
              at,
            }, now, stableId('wms-short', item.groupId))
          : message(TOPICS.wmsShipments.name, item.orderId, FULFILMENT_FACTS.shipmentDispatched, {
              orderId: item.orderId,
              nodeId: item.nodeId,
              // Group ids begin with the order id, so a prefix of one would name every group of an order alike.
              shipmentId: `${item.nodeId}-${stableId('wms-shipment', item.groupId).replace(/-/g, '').slice(0, 12)}`,
              carrier: 'UPS',
              trackingNumber: upsTracking('WHRENO', item.groupId, 1, this.seed, false),
              lines: item.lines,
              shippedAt: at,
            }, now, stableId('wms-ship', item.groupId));
      await this.links.publisher.publish([reply]);
      this.tasks.remove(key);
      if (item.kind === 'short') this.counts.shortages++;
      else this.counts.shipments++;
    }
  }
}
