import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { inSpan } from '@oms/telemetry';
import { lastValueFrom } from 'rxjs';
import type { DeliveryOutcome } from './delivery';
import { HEADER, UndecodableMessageError, type InboundMessage, type TransportRecord } from './envelope';
import { PermanentMessageError } from './errors';
import { MessageContext } from './message-context';

/**
 * What both transports share as NestJS microservice servers: `@EventPattern(topic)` handlers are
 * looked up by topic and awaited, so an error thrown in a handler (or through its observable) fails
 * the delivery instead of vanishing as NestJS's fire-and-forget event handling would.
 */
/** What a transport tells the service's metrics about each message it consumed. */
export interface MessagingObserver {
  delivered(topic: string, type: string, outcome: 'handled' | 'dead-lettered', seconds: number): void;
  /** Messages left on the partition after the one just handled. */
  lag(topic: string, partition: number, messages: number): void;
}

export abstract class EnvelopeServer extends Server implements CustomTransportStrategy {
  private serviceName = 'service';
  private observer: MessagingObserver | undefined;
  private readonly declared = new Map<string, ReadonlySet<string>>();

  /**
   * The types a topic's contract declares. A record of any other type is dead-lettered with the
   * reason instead of reaching the handler, which would skip it without a trace (handlers skip the
   * declared types they do not follow: those are for other readers). A handler that reads the type
   * itself and answers unknown ones (`@EventPattern(topic, { checksTypes: true })`) is left to it.
   */
  declareTypes(topic: string, types: readonly string[]): void {
    this.declared.set(topic, new Set(types));
  }

  /** Names the spans of handled messages and reports each delivery (metrics). */
  observe(serviceName: string, observer?: MessagingObserver): void {
    this.serviceName = serviceName;
    this.observer = observer;
  }

  /** Called by the transports after each delivery. */
  protected reportDelivery(target: { topic: string; partition: number; record: TransportRecord }, outcome: DeliveryOutcome, startedAt: number, left: number): void {
    if (outcome === 'abandoned' || !this.observer) return;
    this.observer.delivered(target.topic, target.record.headers[HEADER.type] ?? 'unknown', outcome, (performance.now() - startedAt) / 1000);
    this.observer.lag(target.topic, target.partition, Math.max(0, left));
  }

  /** Topics that have a handler. */
  protected subscribedTopics(): string[] {
    return [...this.messageHandlers.keys()];
  }

  /** `@EventPattern(topic, { acceptUndecodable: true })` handlers see values that are not JSON. */
  protected acceptsUndecodable(topic: string): boolean {
    return this.getHandlerByPattern(topic)?.extras?.['acceptUndecodable'] === true;
  }

  protected async dispatch(message: InboundMessage): Promise<void> {
    const handler = this.getHandlerByPattern(message.topic);
    if (!handler) throw new PermanentMessageError(`No handler for topic ${message.topic}`);
    if (message.decodeError && handler.extras?.['acceptUndecodable'] !== true) throw new UndecodableMessageError(message.decodeError);
    const declared = this.declared.get(message.topic);
    if (declared && handler.extras?.['checksTypes'] !== true && !declared.has(message.envelope.type)) {
      throw new PermanentMessageError(`Unknown event type '${message.envelope.type}' on ${message.topic}: its contract declares ${[...declared].join(', ')}`);
    }
    // One span per handled message, a child of the producer's trace (the `traceparent` header): the
    // events the handler stores carry it on, so one order's trace runs through every service.
    const payload = (typeof message.payload === 'object' && message.payload !== null ? message.payload : {}) as Record<string, unknown>;
    await inSpan(
      this.serviceName,
      `${message.topic} process`,
      'consumer',
      message.headers,
      {
        ...(message.envelope.correlationId ? { correlationId: message.envelope.correlationId } : {}),
        causationId: message.envelope.eventId,
        ...(typeof payload['orderId'] === 'string' ? { orderId: payload['orderId'] } : {}),
        ...(typeof payload['poId'] === 'string' ? { poId: payload['poId'] } : {}),
      },
      { 'messaging.system': 'kafka', 'messaging.destination.name': message.topic, 'messaging.message.id': message.envelope.eventId, 'oms.event_type': message.envelope.type },
      async () => {
        const result = await handler(message.payload, new MessageContext([message]));
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      },
    );
  }

  on(): void {
    throw new Error('Event listeners are not supported: use the health endpoint for transport status');
  }
}
