import { withTimeout } from '@oms/support';
import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { EventStore } from '@oms/event-store';
import type { MessagingRuntime, StoreRelay } from '@oms/messaging';
import { EVENT_STORE, SERVICE_RUNTIME } from '../tokens';

export interface HealthSources {
  readonly serviceName: string;
  readonly messaging: MessagingRuntime;
  readonly relay: StoreRelay;
}

/**
 * `/health/live`: the process answers (restart it when not). `/health/ready` and `/health`: the store
 * answers, the broker is reachable, the consumer runs and the relay is not stuck (take it out of
 * rotation when not). 503 with the failing check named when anything is down.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_RUNTIME) private readonly runtime: HealthSources,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([async () => this.indicator.check('process').up({ service: this.runtime.serviceName, pid: process.pid })]);
  }

  @Get()
  @HealthCheck()
  all() {
    return this.ready();
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.checkStore(), () => this.checkBroker(), () => this.checkRelay()]);
  }

  private async checkStore() {
    const session = this.indicator.check('store');
    try {
      await withTimeout(this.store.ping(), 3_000, 'store ping');
      return session.up({ adapter: this.store.name });
    } catch (error) {
      return session.down({ adapter: this.store.name, error: (error as Error).message });
    }
  }

  private async checkBroker() {
    const session = this.indicator.check('broker');
    const probe = await withTimeout(this.runtime.messaging.probe(), 5_000, 'broker probe').catch((error: unknown) => ({
      up: false,
      detail: { error: (error as Error).message },
    }));
    return probe.up ? session.up({ transport: this.runtime.messaging.kind, ...probe.detail }) : session.down({ transport: this.runtime.messaging.kind, ...probe.detail });
  }

  private async checkRelay() {
    const session = this.indicator.check('relay');
    const status = this.runtime.relay.status();
    const detail = {
      position: `${status.position.commit}/${status.position.prepare}`,
      published: status.published,
      standby: status.standby,
      ...(status.lastError ? { lastError: status.lastError } : {}),
    };
    return status.running && (status.lastError === undefined || status.standby) ? session.up(detail) : session.down(detail);
  }
}

