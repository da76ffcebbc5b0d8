import { handleCommand, openPostgresEventStore, type EventStore } from '@oms/event-store';
import { databaseUrl, dropSchema, uniqueName } from '@oms/testing';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { purchaseOrderDecider, type PurchaseOrderCommand } from '../../apps/supplier-gateway/src/app/domain/purchase-order';
import { program } from './dropship';

// Two services' stores as the services lay them out (one schema each), with an order's PO that
// times out: what an SRE reads back when the supplier disputes the cancellation.
const prefix = `${uniqueName('cli').replace(/[^a-z0-9_]/g, '_')}_`;
const orderId = randomUUID();
const poId = randomUUID();
const stores: EventStore[] = [];
const open = async (service: string) => {
  const store = await openPostgresEventStore({ connectionString: databaseUrl(), schema: `${prefix}${service}`, poolSize: 2 });
  stores.push(store);
  return store;
};

async function run(...args: string[]): Promise<string> {
  const lines: string[] = [];
  await program((text) => lines.push(text))
    .exitOverride()
    .parseAsync(['node', 'dropship', ...args, '--store', 'postgres', '--database-url', databaseUrl(), '--schema-prefix', prefix]);
  return lines.join('\n');
}

const T0 = new Date('2026-11-20T10:00:00.000Z');
const po = (command: PurchaseOrderCommand, causationId: string, gateway: EventStore) =>
  handleCommand(gateway, `po-${poId}`, purchaseOrderDecider, command, { causationId, correlationId: orderId, metadata: { orderId } });

beforeAll(async () => {
  const intake = await open('order_intake');
  const gateway = await open('supplier_gateway');
  await intake.append(`order-${orderId}`, [{ id: randomUUID(), type: 'OrderAccepted', data: { orderId, lines: [] }, metadata: { correlationId: orderId } }], { kind: 'no_stream' });
  await po(
    {
      type: 'CreatePurchaseOrder',
      data: {
        poId,
        poNumber: 'A1-SUP',
        orderId,
        groupId: `${orderId}:1:S1`,
        supplierId: 'S1',
        currency: 'USD',
        lines: [{ lineNumber: 1, lineId: 'l1', sku: 'SKU-1', quantity: 2, unitCost: 1200 }],
        shipTo: { name: 'Ann', line1: '1 Main St', city: 'Louisville', country: 'US' },
        brandingRef: 'b',
        connector: 'api',
        timeoutPolicy: 'resource',
        confirmBy: new Date(T0.getTime() + 3_600_000).toISOString(),
        shipBy: new Date(T0.getTime() + 72 * 3_600_000).toISOString(),
        deliverBy: new Date(T0.getTime() + 120 * 3_600_000).toISOString(),
        enforceShipBy: false,
        now: T0,
      },
    },
    'create',
    gateway,
  );
  await po({ type: 'MarkDispatched', data: { via: 'api', now: T0 } }, 'dispatch', gateway);
  await po({ type: 'ExpireDeadlines', data: { now: new Date(T0.getTime() + 2 * 3_600_000) } }, 'expire', gateway);
});

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  for (const service of ['order_intake', 'sourcing', 'supplier_gateway', 'finance_reconciler', 'supplier_performance', 'returns_router']) await dropSchema(`${prefix}${service}`);
});

describe('dropship CLI on PostgreSQL', () => {
  it('timeline merges the order and its PO from two services in order, the time-out last', async () => {
    const entries = JSON.parse(await run('timeline', orderId, '--json')) as { service: string; type: string; stream: string }[];
    expect(entries.map((e) => `${e.service}:${e.type}`)).toEqual([
      'order-intake:OrderAccepted',
      'supplier-gateway:PurchaseOrderCreated',
      'supplier-gateway:PurchaseOrderDispatched',
      'supplier-gateway:PurchaseOrderTimedOut',
    ]);
    expect(await run('timeline', orderId)).toMatch(/PurchaseOrderTimedOut.*deadline=confirm/);
  });

  it('state --at the revision before the time-out shows the PO still waiting for its acknowledgement', async () => {
    const before = JSON.parse(await run('state', `po-${poId}`, '--at', '1')) as { state: { status: string }; revision: number };
    expect(before).toMatchObject({ revision: 1, state: { status: 'dispatched' } });
    const now = JSON.parse(await run('state', `po-${poId}`)) as { state: { status: string } };
    expect(now.state.status).toBe('timed_out');
  });

  it('dispute-bundle puts what was sent, the deadline that fired and when in one file', async () => {
    const file = join(tmpdir(), `${prefix}bundle.json`);
    const summary = await run('dispute-bundle', poId, '--out', file);
    expect(summary).toMatch(/Purchase order A1-SUP .* to S1/);
    expect(summary).toMatch(/deadline\s+PurchaseOrderTimedOut/);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { sent: { type: string }[]; deadlines: { confirmBy: string; fired: unknown[] }; answered: unknown[] };
    expect(bundle.sent.map((s) => s.type)).toEqual(['PurchaseOrderCreated', 'PurchaseOrderDispatched']);
    expect(bundle.deadlines).toMatchObject({ confirmBy: new Date(T0.getTime() + 3_600_000).toISOString(), fired: [expect.anything()] });
    expect(bundle.answered).toEqual([]);
  });

  it('refuses a stream of no known aggregate, naming the ones it knows', async () => {
    await expect(run('state', 'widget-1')).rejects.toThrow(/known: order, allocation/);
  });
});
