import { FULFILMENT_FACTS, ORDER_EVENTS, TOPICS } from '@oms/contracts';
import { listen, message, stableId, type SimulatorLinks } from './links';
import { Schedule, type Scheduled } from './schedule';

const HOUR = 3_600_000;

export interface Parcel {
  readonly orderId: string;
  readonly shipmentId: string;
}

/**
 * The carriers' tracking feed: every shipment the customer is told about (`ShipmentAdded` on
 * `oms.orders.v1`) is delivered after the transit time, announced on `carrier.tracking.v1`.
 */
export class SimulatedCarrier {
  readonly parcels: Schedule<Parcel>;
  readonly counts = { delivered: 0 };

  constructor(
    private readonly links: SimulatorLinks,
    private readonly transitHours: number,
    saved: readonly Scheduled<Parcel>[] = [],
  ) {
    this.parcels = new Schedule(saved);
  }

  async start(groupId: string): Promise<void> {
    const runtime = await this.links.messaging(groupId, [TOPICS.omsOrders], [TOPICS.carrierTracking]);
    await listen(runtime, {
      [TOPICS.omsOrders.name]: ({ type, payload }) => {
        if (type !== ORDER_EVENTS.shipmentAdded) return;
        const shipmentId = String(payload['shipmentId']);
        this.parcels.add(shipmentId, new Date(Date.parse(String(payload['shippedAt'])) + this.transitHours * HOUR), { orderId: String(payload['orderId']), shipmentId });
      },
    });
    this.close = () => runtime.close();
  }

  close: () => Promise<void> = async () => undefined;

  async tick(now: Date): Promise<void> {
    const due = this.parcels.due(now);
    if (due.length === 0) return;
    await this.links.publisher.publish(
      due.map(({ item }) =>
        message(TOPICS.carrierTracking.name, item.orderId, FULFILMENT_FACTS.shipmentDelivered, { orderId: item.orderId, shipmentId: item.shipmentId, deliveredAt: now.toISOString() }, now, stableId('delivered', item.shipmentId)),
      ),
    );
    for (const { key } of due) this.parcels.remove(key);
    this.counts.delivered += due.length;
  }
}
