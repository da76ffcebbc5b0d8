import type { AppendResult, EventStore, EventToAppend } from '@oms/event-store';
import { withTelemetry } from '@oms/telemetry';
import { tracedStore } from './traced-store';

const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function recordingStore(): { store: EventStore; appended: EventToAppend[][] } {
  const appended: EventToAppend[][] = [];
  const store = {
    name: 'recording',
    append: async (_stream: string, events: readonly EventToAppend[]): Promise<AppendResult> => {
      appended.push([...events]);
      return { nextExpectedRevision: events.length - 1, position: { commit: 1n, prepare: 1n }, duplicate: false } as unknown as AppendResult;
    },
    ping: async () => undefined,
  } as unknown as EventStore;
  return { store, appended };
}

const event = (metadata?: Record<string, string>): EventToAppend => ({ id: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', type: 'OrderAccepted', data: {}, ...(metadata ? { metadata } : {}) });

describe('a store that records the trace of the work in progress', () => {
  it('writes the current traceparent into each appended event’s metadata, keeping what was there', async () => {
    const { store, appended } = recordingStore();
    await withTelemetry({ traceparent: TRACE }, () => tracedStore(store).append('order-1', [event({ causationId: 'evt-1' })], { kind: 'no-stream' } as never));
    expect(appended[0]![0]!.metadata).toEqual({ causationId: 'evt-1', traceparent: TRACE });
  });

  it('leaves a traceparent the caller chose, and adds none outside any trace', async () => {
    const { store, appended } = recordingStore();
    const traced = tracedStore(store);
    await withTelemetry({ traceparent: TRACE }, () => traced.append('order-1', [event({ traceparent: '00-explicit' })], { kind: 'no-stream' } as never));
    await traced.append('order-2', [event()], { kind: 'no-stream' } as never);
    expect(appended[0]![0]!.metadata).toEqual({ traceparent: '00-explicit' });
    expect(appended[1]![0]!.metadata).toBeUndefined();
  });

  it('is the same store for everything else', async () => {
    const { store } = recordingStore();
    expect(tracedStore(store).name).toBe('recording');
    await expect(tracedStore(store).ping()).resolves.toBeUndefined();
  });
});
