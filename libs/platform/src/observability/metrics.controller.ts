import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { ServiceMetrics } from '@oms/telemetry';
import { SERVICE_METRICS } from '../tokens';

/** Prometheus text format: the service's own series plus the Node process's. */
@Controller()
export class MetricsController {
  constructor(@Inject(SERVICE_METRICS) private readonly metrics: ServiceMetrics) {}

  @Get('metrics')
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) res: { type(value: string): unknown }): Promise<string> {
    res.type(this.metrics.contentType);
    return this.metrics.text();
  }
}
