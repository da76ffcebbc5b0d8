import { DIAGNOSTIC_PING_REQUESTED, TOPICS } from '@oms/contracts';
import type { EventStore } from '@oms/event-store';
import { decodeRecordLeniently, MessageContext, PermanentMessageError } from '@oms/messaging';
import { systemClock } from '../clock';
import { DiagnosticsHandler } from './diagnostics';

const ping = (value: string) => {
  const message = decodeRecordLeniently(TOPICS.diagnostics.name, 0, '1', { key: 'p', value: Buffer.from(value), headers: { 'event-type': DIAGNOSTIC_PING_REQUESTED } }, 1);
  return [message.payload, new MessageContext([message])] as const;
};

describe('DiagnosticsHandler', () => {
  // Nothing reaches the store: every ping here is refused before.
  const handler = new DiagnosticsHandler({} as EventStore, systemClock, { serviceName: 'order-intake' });

  it.each([
    ['a ping nested 20,000 levels deep (once a stack overflow, retried as if transient)', `{"pingId":${'['.repeat(20_000)}${']'.repeat(20_000)}}`],
    ['a ping without its id', '{"requestedAt":"2026-01-01T00:00:00Z"}'],
    ['a bare value', '42'],
    ['an array', '[{"pingId":"0b6c1f0e-8a4f-4f7e-9a59-3c1d2e4f5a6b"}]'],
  ])('refuses %s for good: dead-lettered at once', async (_what, value) => {
    await expect(handler.onPing(...ping(value))).rejects.toBeInstanceOf(PermanentMessageError);
  });
});
