import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { UndecodableMessageError, type InboundMessage } from './envelope';
import { PermanentMessageError } from './errors';
import { MessageContext } from './message-context';

/**
 * What both transports share as NestJS microservice servers: `@EventPattern(topic)` handlers are
 * looked up by topic and awaited, so an error thrown in a handler (or through its observable) fails
 * the delivery instead of vanishing as NestJS's fire-and-forget event handling would.
 */
export abstract class EnvelopeServer extends Server implements CustomTransportStrategy {
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
    const result = await handler(message.payload, new MessageContext([message]));
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  on(): void {
    throw new Error('Event listeners are not supported: use the health endpoint for transport status');
  }
}
