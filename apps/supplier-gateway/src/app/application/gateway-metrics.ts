import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SERVICE_METRICS } from '@oms/platform';
import type { ServiceMetrics } from '@oms/telemetry';
import { PurchaseOrderIndex } from './purchase-order-index';

/** The gateway's own series: POs by state, deadlines pending and fired. */
@Injectable()
export class GatewayMetrics implements OnModuleInit {
  constructor(
    @Inject(SERVICE_METRICS) private readonly metrics: ServiceMetrics,
    private readonly index: PurchaseOrderIndex,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('oms_purchase_orders', 'Purchase orders by state', ['state'], (set) => {
      for (const [state, count] of this.index.countByStatus()) set({ state }, count);
    });
    this.metrics.gauge('oms_deadlines_pending', 'Confirm-by and ship-by deadlines not yet met or fired', ['deadline'], (set) => {
      const pending = this.index.pendingDeadlines();
      set({ deadline: 'confirm' }, pending.confirm);
      set({ deadline: 'ship' }, pending.ship);
    });
    const fired = this.metrics.counter('oms_deadlines_fired_total', 'Deadlines that fired (the POs timed out), since the store began', ['deadline']);
    fired.inc({ deadline: 'confirm' }, 0);
    fired.inc({ deadline: 'ship' }, 0);
    this.index.onTimedOut = (deadline) => fired.inc({ deadline });
  }
}
