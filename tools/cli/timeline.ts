import type { EventStore, RecordedEvent } from '@oms/event-store';
import { readEverything } from './stores';

export interface TimelineEntry {
  readonly at: string;
  readonly service: string;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly causationId?: string;
}

/** Whether an event belongs to the order: its stream is the order's, or it says so. */
export function concernsOrder(event: RecordedEvent, orderId: string): boolean {
  const meta = event.metadata as Record<string, unknown>;
  const data = event.data as Record<string, unknown>;
  return event.streamName.endsWith(`-${orderId}`) || meta['correlationId'] === orderId || meta['orderId'] === orderId || data['orderId'] === orderId;
}

/**
 * Every event of the order across every service's store — order, allocation, node reservations,
 * purchase orders (with the supplier messages as received), returns, ledger — merged in time order.
 */
export async function timeline(stores: ReadonlyMap<string, EventStore>, orderId: string): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  for (const [service, store] of stores) {
    for await (const event of readEverything(store)) {
      if (!concernsOrder(event, orderId)) continue;
      const causationId = (event.metadata as Record<string, unknown>)['causationId'];
      entries.push({
        at: event.recordedAt.toISOString(),
        service,
        stream: event.streamName,
        revision: event.revision,
        type: event.type,
        data: event.data as Record<string, unknown>,
        ...(typeof causationId === 'string' ? { causationId } : {}),
      });
    }
  }
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.service < b.service ? -1 : a.service > b.service ? 1 : a.revision - b.revision));
}

/** One line per event, for a person: time, service, stream@revision, type, and the gist. */
export function formatTimeline(entries: readonly TimelineEntry[]): string {
  return entries
    .map((e) => {
      const gist = summarise(e.data);
      return `${e.at}  ${e.service.padEnd(20)} ${`${e.stream}@${e.revision}`.padEnd(56)} ${e.type}${gist ? `  ${gist}` : ''}`;
    })
    .join('\n');
}

function summarise(data: Record<string, unknown>): string {
  const keys = ['status', 'outcome', 'reason', 'deadline', 'nodeId', 'supplierId', 'amount', 'version', 'poNumber', 'trackingNumber'];
  const parts = keys.filter((k) => data[k] !== undefined && typeof data[k] !== 'object').map((k) => `${k}=${String(data[k])}`);
  const lines = Array.isArray(data['lines']) ? (data['lines'] as Record<string, unknown>[]).map((l) => `${String(l['lineId'] ?? '?')}×${String(l['quantity'] ?? l['accepted'] ?? '?')}`).join(',') : '';
  const received = data['received'] && typeof data['received'] === 'object' ? `received via ${String((data['received'] as Record<string, unknown>)['channel'])}` : '';
  return [...parts, lines ? `lines=${lines}` : '', received].filter(Boolean).join(' ');
}
