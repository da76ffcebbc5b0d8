// The composition root of the whole system: the only place that knows all six services.
import type { ServiceDescriptor, ServiceEnv } from '@oms/platform';
import { financeReconcilerService } from '../../apps/finance-reconciler/src/app/finance-reconciler.service';
import { orderIntakeService } from '../../apps/order-intake/src/app/order-intake.service';
import { returnsRouterService } from '../../apps/returns-router/src/app/returns-router.service';
import { sourcingService } from '../../apps/sourcing/src/app/sourcing.service';
import { supplierGatewayService } from '../../apps/supplier-gateway/src/app/supplier-gateway.service';
import { supplierPerformanceService } from '../../apps/supplier-performance/src/app/supplier-performance.service';

export const ALL_SERVICES: readonly ServiceDescriptor<ServiceEnv>[] = [
  orderIntakeService,
  sourcingService,
  supplierGatewayService,
  financeReconcilerService,
  supplierPerformanceService,
  returnsRouterService,
];
