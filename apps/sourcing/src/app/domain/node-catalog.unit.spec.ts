import { applyCatalogFact, emptyCatalog, planningView, type CatalogFact, type NodeCatalog } from './node-catalog';

const details = { kind: 'supplier' as const, handlingDays: 2, transitDays: 3, shipping: { perShipment: 600, perUnit: 50 }, dropShipAllowed: true, safetyBuffer: 1 };
const T = (h: number) => new Date(Date.UTC(2026, 10, 25, h)).toISOString();
const fold = (...facts: CatalogFact[]): NodeCatalog => facts.reduce(applyCatalogFact, emptyCatalog());
const offers = (asOf: string, list: { sku: string; unitCost: number }[], snapshot = true): CatalogFact => ({ kind: 'offers', nodeId: 'S1', node: details, offers: list, snapshot, asOf });
const stock = (asOf: string, mode: 'snapshot' | 'delta', items: { sku: string; quantity: number }[]): CatalogFact => ({ kind: 'stock', nodeId: 'S1', mode, items, asOf });
const line = (sku: string, quantity = 1) => ({ lineId: `l-${sku}`, sku, quantity });

describe('node catalog', () => {
  it('a stock snapshot zeroes the skus it does not list; a delta leaves them', () => {
    const base = fold(stock(T(1), 'snapshot', [{ sku: 'A', quantity: 5 }, { sku: 'B', quantity: 7 }]));
    expect(applyCatalogFact(base, stock(T(2), 'snapshot', [{ sku: 'A', quantity: 4 }])).stock['S1']).toMatchObject({ A: { value: 4 }, B: { value: 0, asOf: T(2) } });
    expect(applyCatalogFact(base, stock(T(2), 'delta', [{ sku: 'A', quantity: 4 }])).stock['S1']).toMatchObject({ A: { value: 4, asOf: T(2) }, B: { value: 7, asOf: T(1) } });
  });

  it('never lets an older feed overwrite a newer one, whatever the arrival order', () => {
    const newerFirst = fold(stock(T(5), 'snapshot', [{ sku: 'A', quantity: 2 }]), stock(T(3), 'snapshot', [{ sku: 'A', quantity: 9 }]));
    const olderFirst = fold(stock(T(3), 'snapshot', [{ sku: 'A', quantity: 9 }]), stock(T(5), 'snapshot', [{ sku: 'A', quantity: 2 }]));
    expect(newerFirst.stock).toEqual(olderFirst.stock);
    expect(newerFirst.stock['S1']!['A']!.value).toBe(2);
  });

  it('an offers snapshot replaces the node offers; an update adds to them', () => {
    const base = fold(offers(T(1), [{ sku: 'A', unitCost: 100 }, { sku: 'B', unitCost: 200 }]));
    expect(Object.keys(applyCatalogFact(base, offers(T(2), [{ sku: 'C', unitCost: 300 }])).offers['S1']!)).toEqual(['C']);
    expect(Object.keys(applyCatalogFact(base, offers(T(2), [{ sku: 'C', unitCost: 300 }], false)).offers['S1']!).sort()).toEqual(['A', 'B', 'C']);
  });

  it('gives the planner stock less what other orders reserved, but not the order its own reservation', () => {
    const catalog = fold(
      offers(T(1), [{ sku: 'A', unitCost: 100 }]),
      stock(T(1), 'snapshot', [{ sku: 'A', quantity: 5 }]),
      { kind: 'reserve', orderId: 'o-1', items: [{ nodeId: 'S1', sku: 'A', quantity: 3 }] },
      { kind: 'reserve', orderId: 'o-2', items: [{ nodeId: 'S1', sku: 'A', quantity: 1 }] },
    );
    expect(planningView(catalog, 'o-3', [line('A')]).offers[0]!.reportedStock).toBe(1);
    expect(planningView(catalog, 'o-1', [line('A')]).offers[0]!.reportedStock).toBe(4);
    const released = applyCatalogFact(catalog, { kind: 'release', orderId: 'o-1', items: [{ nodeId: 'S1', sku: 'A', quantity: 3 }] });
    expect(planningView(released, 'o-3', [line('A')]).offers[0]!.reportedStock).toBe(4);
    expect(released.reservations['S1|A']).toEqual({ 'o-2': 1 });
  });

  it('merges scorecards and supplier status into the node profile', () => {
    const catalog = fold(
      offers(T(1), [{ sku: 'A', unitCost: 100 }]),
      { kind: 'scorecard', supplierId: 'S1', reliability: 0.8, observedShipDays: { p50: 3, p90: 6 }, flagged: true, asOf: T(2) },
    );
    expect(planningView(catalog, 'o', [line('A')]).nodes['S1']).toMatchObject({ status: 'flagged', reliability: 0.8, observedShipDays: { p90: 6 }, claimedShipDays: 2, safetyBuffer: 1 });
    const suspended = applyCatalogFact(catalog, { kind: 'profile', supplierId: 'S1', status: 'suspended', asOf: T(3) });
    expect(planningView(suspended, 'o', [line('A')]).nodes['S1']!.status).toBe('suspended');
    const stale = applyCatalogFact(suspended, { kind: 'profile', supplierId: 'S1', status: 'active', asOf: T(2) });
    expect(planningView(stale, 'o', [line('A')]).nodes['S1']!.status).toBe('suspended');
  });

  it('only offers for the order skus reach the planner; a node without a feed has unknown (epoch) stock', () => {
    const catalog = fold(offers(T(1), [{ sku: 'A', unitCost: 100 }, { sku: 'B', unitCost: 5 }]));
    const view = planningView(catalog, 'o', [line('A')]);
    expect(view.offers).toEqual([{ nodeId: 'S1', sku: 'A', unitCost: 100, reportedStock: 0, stockAsOf: new Date(0).toISOString() }]);
  });
});
