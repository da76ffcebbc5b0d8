import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * A service's Prometheus series (`GET /metrics`): one registry per service, so six services in one
 * process (the embedded run) keep theirs apart.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly handled: Counter<'topic' | 'type' | 'outcome'>;
  readonly handlerDuration: Histogram<'topic'>;
  readonly deadLettered: Counter<'topic'>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly relayPublished: Counter;

  constructor(readonly service: string, options: { defaultMetrics?: boolean } = {}) {
    this.registry.setDefaultLabels({ service });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.handled = new Counter({ name: 'oms_messages_handled_total', help: 'Messages consumed, by topic, type and outcome (handled, dead-lettered)', labelNames: ['topic', 'type', 'outcome'], registers: [this.registry] });
    this.handlerDuration = new Histogram({
      name: 'oms_message_handler_duration_seconds',
      help: 'Time from a message reaching its handler to the handler finishing (retries included)',
      labelNames: ['topic'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.deadLettered = new Counter({ name: 'oms_dead_letters_total', help: 'Messages sent to a dead-letter topic, by original topic', labelNames: ['topic'], registers: [this.registry] });
    this.consumerLag = new Gauge({ name: 'oms_consumer_lag_messages', help: 'Messages on a partition after the last one this service handled', labelNames: ['topic', 'partition'], registers: [this.registry] });
    this.relayPublished = new Counter({ name: 'oms_relay_published_total', help: 'Stored events the relay published to the broker', registers: [this.registry] });
  }

  /** A gauge read at scrape time (service-specific series: deadlines pending, POs by state…). */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect: (set: (labels: Partial<Record<L, string>>, value: number) => void) => void | Promise<void>): Gauge<L> {
    const gauge: Gauge<L> = new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        gauge.reset();
        await collect((labels, value) => gauge.set(labels as Record<L, string>, value));
      },
    });
    return gauge;
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
