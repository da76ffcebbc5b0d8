import type { EventStore, RecordedEvent } from '@oms/event-store';

/**
 * Everything about one purchase order a supplier dispute needs, in one value: what we sent and
 * when, what the supplier answered (as received) and when, the deadlines and which fired, and the
 * money on the order's ledger that concerns this PO.
 */
export interface DisputeBundle {
  readonly poId: string;
  readonly orderId: string | undefined;
  readonly supplierId: string | undefined;
  readonly poNumber: string | undefined;
  readonly sent: readonly Step[];
  readonly answered: readonly Step[];
  readonly deadlines: { readonly confirmBy?: string; readonly shipBy?: string; readonly fired: readonly Step[] };
  readonly refused: readonly Step[];
  readonly money: readonly Step[];
}

interface Step {
  readonly at: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

const SENT = new Set(['PurchaseOrderCreated', 'PurchaseOrderDispatched', 'SupplierNotified', 'PurchaseOrderCancellationRequested']);
const ANSWERED = new Set(['PurchaseOrderAcknowledged', 'PurchaseOrderShipped', 'PurchaseOrderInvoiced', 'PurchaseOrderCancelled', 'PurchaseOrderCancellationRefused']);
const step = (e: RecordedEvent): Step => ({ at: e.recordedAt.toISOString(), type: e.type, data: e.data as Record<string, unknown> });

export async function disputeBundle(gateway: EventStore, finance: EventStore | undefined, poId: string): Promise<DisputeBundle> {
  const events = await gateway.readStream(`po-${poId}`);
  if (events.length === 0) throw new Error(`No purchase order ${poId} in the gateway's store`);
  const created = events.find((e) => e.type === 'PurchaseOrderCreated')?.data as Record<string, unknown> | undefined;
  const orderId = created?.['orderId'] as string | undefined;
  const ledger = finance && orderId ? await finance.readStream(`ledger-${orderId}`) : [];
  return {
    poId,
    orderId,
    supplierId: created?.['supplierId'] as string | undefined,
    poNumber: created?.['poNumber'] as string | undefined,
    sent: events.filter((e) => SENT.has(e.type) || (e.type === 'PurchaseOrderCancelled' && (e.data as Record<string, unknown>)['by'] === 'retailer')).map(step),
    answered: events.filter((e) => ANSWERED.has(e.type) && (e.data as Record<string, unknown>)['received'] !== undefined).map(step),
    deadlines: {
      ...(created?.['confirmBy'] ? { confirmBy: created['confirmBy'] as string } : {}),
      ...(created?.['shipBy'] ? { shipBy: created['shipBy'] as string } : {}),
      fired: events.filter((e) => e.type === 'PurchaseOrderTimedOut').map(step),
    },
    refused: events.filter((e) => e.type === 'SupplierMessageRefused').map(step),
    money: ledger.filter((e) => (e.data as Record<string, unknown>)['poId'] === poId).map(step),
  };
}

/** The bundle for a person: one line per step, in time order, with what was received. */
export function summariseBundle(bundle: DisputeBundle): string {
  const all = [
    ...bundle.sent.map((s) => ({ ...s, side: 'we sent' })),
    ...bundle.answered.map((s) => ({ ...s, side: 'supplier' })),
    ...bundle.deadlines.fired.map((s) => ({ ...s, side: 'deadline' })),
    ...bundle.refused.map((s) => ({ ...s, side: 'refused' })),
    ...bundle.money.map((s) => ({ ...s, side: 'money' })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const header = [
    `Purchase order ${bundle.poNumber ?? '?'} (${bundle.poId}) to ${bundle.supplierId ?? '?'} for order ${bundle.orderId ?? '?'}`,
    `Confirm by ${bundle.deadlines.confirmBy ?? '—'}; ship by ${bundle.deadlines.shipBy ?? '—'}; deadlines fired: ${bundle.deadlines.fired.length}`,
  ];
  return [
    ...header,
    '',
    ...all.map((s) => {
      const received = s.data['received'] as Record<string, unknown> | undefined;
      const amount = s.data['amount'] !== undefined ? ` amount=${String(s.data['amount'])}` : '';
      const via = received ? ` (via ${String(received['channel'])}, received ${String(received['receivedAt'])})` : '';
      const reason = s.data['reason'] !== undefined ? ` reason=${String(s.data['reason'])}` : '';
      return `${s.at}  ${s.side.padEnd(9)} ${s.type}${amount}${reason}${via}`;
    }),
  ].join('\n');
}
