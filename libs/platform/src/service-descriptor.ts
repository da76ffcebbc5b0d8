import type { Type } from '@nestjs/common';
import type { TopicDefinition } from '@oms/contracts';
import type { RecordedEvent, UpcasterRegistry } from '@oms/event-store';
import type { OutgoingMessage } from '@oms/messaging';
import type { ServiceEnv } from './config/service-env';

/** What makes one service: its module, its streams, and what it exchanges through Kafka. */
export interface ServiceDescriptor<Env extends ServiceEnv = ServiceEnv> {
  /** Also the consumer group, the relay's checkpoint prefix and the default store schema. */
  readonly name: string;
  readonly defaultHttpPort: number;
  readonly module: Type<unknown>;
  /** Categories of the streams this service owns; its relay follows exactly these. */
  readonly categories: readonly string[];
  readonly publishes: readonly TopicDefinition[];
  readonly consumes: readonly TopicDefinition[];
  /** Integration messages for one of its stored events ([] for private events). */
  readonly toMessages: (event: RecordedEvent) => readonly OutgoingMessage[];
  /**
   * The version written of each stored event type and the upcasters from older ones: everything
   * the service reads from its store comes in the current shape. None: every type at version 1.
   */
  readonly upcasters?: UpcasterRegistry;
  readonly env?: new () => Env;
  readonly http?: {
    /** Keep the raw request body (`req.rawBody`), e.g. to verify webhook signatures. */
    readonly rawBody?: boolean;
    /** Largest JSON body accepted; larger gets 413. Default 1mb. */
    readonly bodyLimit?: string;
    /** Content types read as text (`req.body` a string), e.g. EDI documents. */
    readonly textTypes?: readonly string[];
  };
}
