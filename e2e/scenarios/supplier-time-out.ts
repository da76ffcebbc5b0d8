import { waitFor } from '@oms/testing';
import { program } from '../../tools/cli/dropship';
import { databaseUrl } from '@oms/testing';
import { allocation, amounts, order, purchaseOrder } from './expect-helpers';
import type { E2eSystem } from './system';

/** Runs the SRE CLI against the scenario's PostgreSQL schemas; resolves with what it printed. */
async function dropship(system: E2eSystem, ...args: string[]): Promise<string> {
  const out: string[] = [];
  await program((text) => out.push(text))
    .exitOverride()
    .parseAsync(['node', 'dropship', ...args, '--store', 'postgres', '--database-url', databaseUrl(), '--schema-prefix', system.schemaPrefix]);
  return out.join('\n');
}

/**
 * 2. The cheaper supplier never confirms: its PO times out at the confirmation deadline (one
 * simulated hour), the line is re-sourced to the second supplier, which ships it.
 *
 * Figures: lantern 1 × 3500 (tax 280) + shipping 599 = 4379 charged, nothing refunded; the silent
 * supplier is owed nothing, the backup 1500 once it shipped.
 */
export async function supplierTimesOut(system: E2eSystem): Promise<{ orderId: string; timedOutPoId: string }> {
  const { orderId } = await system.placeOrder('timeout', [{ sku: 'E2E-L1', quantity: 1 }]);

  const done = await order(system, orderId, (o) => o.status === 'completed', 'the order completed by the second supplier');
  expect(done.lines).toEqual([expect.objectContaining({ sku: 'E2E-L1', ordered: 1, shipped: 1, delivered: 1, cancelled: 0, status: 'delivered' })]);
  expect(done.shipments.map((s) => s.nodeId)).toEqual(['s2-backup']);
  const bySupplier = Object.fromEntries(done.purchaseOrders.map((p) => [p.supplierId, p]));
  expect(bySupplier['s2-silent']).toMatchObject({ state: 'timed_out' });
  expect(bySupplier['s2-backup']).toBeDefined();

  const silent = await purchaseOrder(system, bySupplier['s2-silent']!.poId, (p) => p.status === 'timed_out', 'the silent supplier’s PO timed out');
  const types = silent.history.map((e) => e.type);
  // After the time-out the supplier is told the PO is off (it may still be reading its queue).
  expect(types.slice(0, 3)).toEqual(['PurchaseOrderCreated', 'PurchaseOrderDispatched', 'PurchaseOrderTimedOut']);
  expect(types.slice(3).every((t) => t === 'SupplierNotified')).toBe(true);
  expect(silent.history[2]!.data).toMatchObject({ deadline: 'confirm' });
  await purchaseOrder(system, bySupplier['s2-backup']!.poId, (p) => p.status === 'closed', 'the backup supplier’s PO closed');

  // Sourcing's second plan moved the line; the first plan's group is gone from the plan in force.
  const plan = await allocation(system, orderId, (a) => a.version === 2, 'the re-plan');
  expect(plan.groups.filter((g) => g.lines.length > 0).map((g) => g.nodeId)).toContain('s2-backup');
  expect(plan.history.filter((e) => e.type === 'FulfilmentPlanned').map((e) => e.data['version'])).toEqual([1, 2]);

  await waitFor(() => system.settlements(orderId, 'SupplierInvoiceMatched').length === 1, { what: 'the backup supplier’s invoice matched', timeoutMs: 60_000 });
  expect(amounts(system, orderId, 'CustomerChargeRecognised', 'total')).toEqual([{ total: 4379 }]);
  expect(amounts(system, orderId, 'SupplierPayableAccrued')).toEqual([{ supplierId: 's2-backup', amount: 1500 }]);
  expect(system.settlements(orderId, 'RefundIssued')).toEqual([]);
  expect(system.settlements(orderId, 'ChargebackRaised')).toEqual([]);
  return { orderId, timedOutPoId: bySupplier['s2-silent']!.poId };
}

/**
 * The SRE's view of scenario 2: the timeline shows the time-out and then the re-source, and the
 * PO as it was just before the deadline fired was waiting for the supplier's acknowledgement.
 */
export async function replayTheTimeOut(system: E2eSystem, orderId: string, poId: string): Promise<void> {
  const timeline = (await dropship(system, 'timeline', orderId)).split('\n');
  const timedOut = timeline.findIndex((l) => l.includes(`po-${poId}@`) && l.includes('PurchaseOrderTimedOut'));
  const replanned = timeline.findIndex((l) => l.includes(`allocation-${orderId}@`) && l.includes('FulfilmentPlanned') && l.includes('version=2'));
  expect(timedOut).toBeGreaterThan(-1);
  expect(replanned).toBeGreaterThan(timedOut);
  expect(timeline.findIndex((l) => l.includes(`po-${poId}@`) && l.includes('PurchaseOrderDispatched'))).toBeLessThan(timedOut);

  const json = JSON.parse(await dropship(system, 'timeline', orderId, '--json')) as { stream: string; type: string; at: string }[];
  const timeOut = json.find((e) => e.stream === `po-${poId}` && e.type === 'PurchaseOrderTimedOut')!;
  const justBefore = new Date(Date.parse(timeOut.at) - 1).toISOString();
  const before = JSON.parse(await dropship(system, 'state', `po-${poId}`, '--at', justBefore)) as { state: { status: string; timedOut?: unknown } };
  expect(before.state.status).toBe('dispatched');
  expect(before.state.timedOut).toBeUndefined();
  const after = JSON.parse(await dropship(system, 'state', `po-${poId}`, '--at', timeOut.at)) as { state: { status: string } };
  expect(after.state.status).toBe('timed_out');
}
