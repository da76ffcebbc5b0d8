import { DIAGNOSTIC_PING_ANSWERED, DIAGNOSTIC_PING_REQUESTED, TOPICS } from '@oms/contracts';
import type { RecordedEvent } from '@oms/event-store';
import { diagnosticMessages, pingDecider } from './diagnostics';

type Command = Parameters<typeof pingDecider.decide>[0];
type Event = ReturnType<typeof pingDecider.decide>[number];

const now = new Date('2026-02-03T04:05:06.789Z');
const command: Command = {
  pingId: '0b6c1f0e-8a4f-4f7e-9a59-3c1d2e4f5a6b',
  service: 'order-intake',
  storeAdapter: 'postgres',
  now,
};

/** Given past events, when a command is decided, then these events. */
const given = (past: readonly Event[]) => ({
  when: (cmd: Command) => pingDecider.decide(cmd, past.reduce(pingDecider.evolve, pingDecider.initialState())),
});

describe('pingDecider', () => {
  it('starts unanswered', () => {
    expect(pingDecider.initialState()).toEqual({ answered: false });
  });

  it('answers a first ping with one DiagnosticPingAnswered carrying the command and the time it was answered', () => {
    expect(given([]).when(command)).toEqual([
      {
        type: DIAGNOSTIC_PING_ANSWERED,
        data: {
          pingId: command.pingId,
          service: 'order-intake',
          answeredAt: '2026-02-03T04:05:06.789Z',
          storeAdapter: 'postgres',
        },
      },
    ]);
  });

  it('answers a ping only once: after the answer is recorded, the same command decides nothing', () => {
    const first = given([]).when(command);
    expect(first).toHaveLength(1);
    expect(given(first).when(command)).toEqual([]);
    expect(given(first).when({ ...command, now: new Date('2026-02-03T05:00:00.000Z'), service: 'sourcing' })).toEqual([]);
  });

  it('evolves to answered and is pure', () => {
    const initial = pingDecider.initialState();
    const [answered] = given([]).when(command);
    expect(pingDecider.evolve(initial, answered!)).toEqual({ answered: true });
    expect(initial).toEqual({ answered: false });
    expect(given([]).when(command)).toEqual(given([]).when(command));
  });
});

describe('diagnosticMessages', () => {
  const recorded = (overrides: Partial<RecordedEvent> = {}): RecordedEvent => ({
    id: '5d7e9f10-2b3c-4d5e-8f60-718293a4b5c6',
    type: DIAGNOSTIC_PING_ANSWERED,
    data: {
      pingId: command.pingId,
      service: 'order-intake',
      answeredAt: '2026-02-03T04:05:06.789Z',
      storeAdapter: 'postgres',
    },
    metadata: { causationId: 'a1b2c3d4-0000-4000-8000-000000000001', correlationId: 'corr-77' },
    streamName: `diagnostics-${command.pingId}`,
    revision: 0,
    position: { commit: 10n, prepare: 3n },
    recordedAt: new Date('2026-02-03T04:05:07.000Z'),
    ...overrides,
  });

  it('maps a recorded DiagnosticPingAnswered to one reply keyed by ping id, with the recorded event id', () => {
    const event = recorded();
    expect(diagnosticMessages(event)).toEqual([
      {
        topic: 'oms.diagnostic-replies.v1',
        key: command.pingId,
        eventId: event.id,
        type: DIAGNOSTIC_PING_ANSWERED,
        schemaVersion: 1,
        occurredAt: '2026-02-03T04:05:06.789Z',
        correlationId: 'corr-77',
        causationId: 'a1b2c3d4-0000-4000-8000-000000000001',
        payload: event.data,
      },
    ]);
    expect(TOPICS.diagnosticReplies.name).toBe('oms.diagnostic-replies.v1');
  });

  it('falls back to the ping id for correlation and omits a missing causation', () => {
    const [message] = diagnosticMessages(recorded({ metadata: {} }));
    expect(message!.correlationId).toBe(command.pingId);
    expect(message).not.toHaveProperty('causationId');
  });

  it.each([DIAGNOSTIC_PING_REQUESTED, 'OrderPlaced', 'SomethingPrivate'])('maps a %s event to no message', (type) => {
    expect(diagnosticMessages(recorded({ type }))).toEqual([]);
  });
});
