import { Controller, Inject, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  DIAGNOSTIC_PING_ANSWERED,
  DIAGNOSTIC_PING_REQUESTED,
  DiagnosticPingRequestedV1,
  TOPICS,
  type DiagnosticPingAnsweredV1,
} from '@oms/contracts';
import { handleCommand, streamName, type Decider, type EventStore, type RecordedEvent } from '@oms/event-store';
import { MessageContext, type OutgoingMessage } from '@oms/messaging';
import type { Clock } from '../clock';
import { readMessage } from '../edge-validation';
import { CLOCK, EVENT_STORE, SERVICE_RUNTIME } from '../tokens';

/**
 * The skeleton's one trivial event, handled end to end by every service the same way as real
 * ones: Kafka → command → decider → store (idempotent by causation) → relay → Kafka.
 */
type PingState = { readonly answered: boolean };
type AnswerPing = { readonly pingId: string; readonly service: string; readonly storeAdapter: string; readonly now: Date };
type PingAnswered = {
  readonly type: typeof DIAGNOSTIC_PING_ANSWERED;
  readonly data: { pingId: string; service: string; answeredAt: string; storeAdapter: string };
};

export const pingDecider: Decider<AnswerPing, PingState, PingAnswered> = {
  initialState: () => ({ answered: false }),
  decide: (command, state) =>
    state.answered
      ? []
      : [
          {
            type: DIAGNOSTIC_PING_ANSWERED,
            data: {
              pingId: command.pingId,
              service: command.service,
              answeredAt: command.now.toISOString(),
              storeAdapter: command.storeAdapter,
            },
          },
        ],
  evolve: (_state, event) => {
    switch (event.type) {
      case DIAGNOSTIC_PING_ANSWERED:
        return { answered: true };
      default: {
        const never: never = event.type;
        return never;
      }
    }
  },
};

export const DIAGNOSTICS_CATEGORY = 'diagnostics';

export function diagnosticMessages(event: RecordedEvent): OutgoingMessage[] {
  if (event.type !== DIAGNOSTIC_PING_ANSWERED) return [];
  const data = event.data as unknown as DiagnosticPingAnsweredV1;
  const causationId = event.metadata['causationId'];
  return [
    {
      topic: TOPICS.diagnosticReplies.name,
      key: data.pingId,
      eventId: event.id,
      type: DIAGNOSTIC_PING_ANSWERED,
      schemaVersion: 1,
      occurredAt: data.answeredAt,
      correlationId: typeof event.metadata['correlationId'] === 'string' ? event.metadata['correlationId'] : data.pingId,
      ...(typeof causationId === 'string' ? { causationId } : {}),
      payload: data,
    },
  ];
}

@Controller()
export class DiagnosticsHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_RUNTIME) private readonly runtime: { readonly serviceName: string },
  ) {}

  @EventPattern(TOPICS.diagnostics.name)
  async onPing(@Payload() payload: unknown, @Ctx() ctx: MessageContext): Promise<void> {
    const message = ctx.getMessage();
    if (message.envelope.type !== DIAGNOSTIC_PING_REQUESTED) return;
    // Validated like every message a service follows: a ping nested too deep to validate is refused
    // (dead-lettered at once), not an error retried.
    const ping = readMessage(DiagnosticPingRequestedV1, payload, DIAGNOSTIC_PING_REQUESTED);
    await handleCommand(
      this.store,
      streamName(DIAGNOSTICS_CATEGORY, ping.pingId),
      pingDecider,
      { pingId: ping.pingId, service: this.runtime.serviceName, storeAdapter: this.store.name, now: this.clock.now() },
      { causationId: message.envelope.eventId, correlationId: message.envelope.correlationId ?? ping.pingId },
    );
  }
}

@Module({ controllers: [DiagnosticsHandler] })
export class DiagnosticsModule {}
