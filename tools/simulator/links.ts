import type { TopicDefinition } from '@oms/contracts';
import type { Clock } from '@oms/platform';
import type { InboundMessage, MessagePublisher, MessagingRuntime, OutgoingMessage } from '@oms/messaging';
import { MessageContext } from '@oms/messaging';
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

const SIMULATOR_NAMESPACE = '6c1f7a52-3a0e-4f0b-9d7e-52b0c8a1e9d4';

/** The same simulated act gets the same event id, so publishing it again is a duplicate, not news. */
export function stableId(...parts: readonly string[]): string {
  return uuidv5(parts.join('\u0000'), SIMULATOR_NAMESPACE);
}

/**
 * How the simulated outside world reaches the OMS: the public topics (in-process or Kafka) and the
 * services' HTTP APIs — the same doors a real storefront, supplier and warehouse system use.
 */
export interface SimulatorLinks {
  /**
   * A message runtime with its own consumer group (in-process broker or Kafka), its topics there. A
   * new group starts with what is published from now on; a known one where it stopped.
   */
  messaging(groupId: string, consumes: readonly TopicDefinition[], publishes?: readonly TopicDefinition[]): Promise<MessagingRuntime>;
  readonly publisher: MessagePublisher;
  readonly gatewayUrl: string;
  readonly returnsUrl: string;
  readonly gatewayAdminToken: string;
  readonly clock: Clock;
  /** Everything the simulator notices that is not normal traffic (refused calls, HTTP errors). */
  readonly log: (line: string) => void;
}

export type Handler = (message: { readonly type: string; readonly key: string | undefined; readonly payload: Record<string, unknown>; readonly eventId: string }) => Promise<void> | void;

/** Subscribes handlers by topic on a runtime and starts consuming; resolves once listening. */
export async function listen(runtime: MessagingRuntime, handlers: Readonly<Record<string, Handler>>): Promise<void> {
  for (const [topic, handle] of Object.entries(handlers)) {
    runtime.strategy.addHandler(
      topic,
      async (payload: unknown, context: MessageContext) => {
        const message: InboundMessage = context.getMessage();
        await handle({ type: message.envelope.type, key: message.key, payload: (payload ?? {}) as Record<string, unknown>, eventId: message.envelope.eventId });
      },
      true,
    );
  }
  await new Promise<void>((resolve, reject) => runtime.strategy.listen((error?: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve())));
}

export function message(topic: string, key: string, type: string, payload: object, at: Date, eventId: string = randomUUID()): OutgoingMessage {
  return { topic, key, eventId, type, schemaVersion: 1, occurredAt: at.toISOString(), payload };
}

export interface HttpReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** One JSON call to a service; network failures come back as status 0 so a tick can carry on. */
export async function call(method: 'GET' | 'POST' | 'PATCH', url: string, options: { token?: string; body?: unknown; timeoutMs?: number } = {}): Promise<HttpReply> {
  try {
    const response = await fetch(url, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { text };
    }
    return { status: response.status, body };
  } catch (error) {
    return { status: 0, body: { error: (error as Error).message } };
  }
}
