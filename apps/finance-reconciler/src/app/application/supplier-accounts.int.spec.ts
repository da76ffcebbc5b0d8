import { openEmbeddedEventStore, type EventStore } from '@oms/event-store';
import { ManualClock } from '@oms/platform';
import { SupplierAccounts, supplierAccountStream } from './supplier-accounts';

/*
 * Two finance replicas on one store, each with its own account cache. A payment run lands on one
 * supplier account all at once, every payment through both replicas (a client retrying through the
 * load balancer): each is recorded once, none is lost, and no caller gets an error.
 */

const clock = new ManualClock(new Date('2026-03-02T09:00:00.000Z'));
let store: EventStore;

beforeAll(async () => {
  store = await openEmbeddedEventStore();
});

afterAll(async () => {
  await store.close();
});

describe('supplier account payments through two replicas at once', () => {
  it('records every payment once, answering every caller', async () => {
    const replicas = [new SupplierAccounts(store, clock), new SupplierAccounts(store, clock)];
    const payments = Array.from({ length: 30 }, (_, i) => ({ entryId: `payment:p${i}`, kind: 'payment' as const, amount: 100 + i, currency: 'USD' }));

    const answers = await Promise.allSettled(payments.flatMap((p) => replicas.map((r) => r.record('acme', p))));

    expect(answers.filter((a) => a.status === 'rejected').map((a) => String((a as PromiseRejectedResult).reason))).toEqual([]);
    const posted = (await store.readStream(supplierAccountStream('acme'))).map((e) => e.data['entryId']);
    expect(posted.sort()).toEqual(payments.map((p) => p.entryId).sort());
    for (const replica of replicas) expect((await replica.account('acme')).totals['USD']?.payment).toBe(payments.reduce((n, p) => n + p.amount, 0));
  });
});
