import type { OutgoingMessage } from './envelope';

/** Publishes integration messages; resolves only once the transport has them durably. */
export interface MessagePublisher {
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
}
