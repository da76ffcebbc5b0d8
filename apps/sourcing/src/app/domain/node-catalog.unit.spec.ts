import { applyCatalogFact, emptyCatalog, planningView as viewOf, type CatalogFact, type NodeCatalog } from './node-catalog';
import { nodeStockDecider, type NodeStockEvent, type NodeStockState } from './node-stock';

const details = { kind: 'supplier' as const, handlingDays: 2, transitDays: 3, shipping: { perShipment: 600, perUnit: 50 }, dropShipAllowed: true, safetyBuffer: 1 };
const T = (h: number) => new Date(Date.UTC(2026, 10, 25, h)).toISOString();
const fold = (...facts: CatalogFact[]): NodeCatalog => facts.reduce(applyCatalogFact, emptyCatalog());
const offers = (asOf: string, list: { sku: string; unitCost: number }[], snapshot = true): CatalogFact => ({ kind: 'offers', nodeId: 'S1', node: details, offers: list, snapshot, asOf });
const stockEvents = (...events: NodeStockEvent[]): NodeStockState => events.reduce(nodeStockDecider.evolve, nodeStockDecider.initialState());
const levels = (asOf: string, items: { sku: string; quantity: number }[]): NodeStockEvent => ({ type: 'StockLevelsRecorded', data: { mode: 'snapshot', items, asOf } });
const reserve = (orderId: string, quantity: number): NodeStockEvent => ({ type: 'ReservationSet', data: { orderId, items: [{ sku: 'A', quantity }], reason: 'planned' } });
const planningView = (catalog: NodeCatalog, orderId: string, lines: { lineId: string; sku: string; quantity: number }[], stock?: NodeStockState) =>
  viewOf(catalog, (node) => (node === 'S1' ? stock : undefined), orderId, lines);
const line = (sku: string, quantity = 1) => ({ lineId: `l-${sku}`, sku, quantity });

describe('node catalog', () => {
  it('an offers snapshot replaces the node offers; an update adds to them', () => {
    const base = fold(offers(T(1), [{ sku: 'A', unitCost: 100 }, { sku: 'B', unitCost: 200 }]));
    expect(Object.keys(applyCatalogFact(base, offers(T(2), [{ sku: 'C', unitCost: 300 }])).offers['S1']!)).toEqual(['C']);
    expect(Object.keys(applyCatalogFact(base, offers(T(2), [{ sku: 'C', unitCost: 300 }], false)).offers['S1']!).sort()).toEqual(['A', 'B', 'C']);
  });

  it('gives the planner stock less what other orders reserved, but not the order its own reservation', () => {
    const catalog = fold(offers(T(1), [{ sku: 'A', unitCost: 100 }]));
    const stock = stockEvents(levels(T(1), [{ sku: 'A', quantity: 5 }]), reserve('o-1', 3), reserve('o-2', 1));
    expect(planningView(catalog, 'o-3', [line('A')], stock).offers[0]).toMatchObject({ reportedStock: 1, stockAsOf: T(1) });
    expect(planningView(catalog, 'o-1', [line('A')], stock).offers[0]!.reportedStock).toBe(4);
    const released = nodeStockDecider.evolve(stock, reserve('o-1', 0));
    expect(planningView(catalog, 'o-3', [line('A')], released).offers[0]!.reportedStock).toBe(4);
  });

  it('a scorecard that suspends a supplier suspends it for planning, as the profile does', () => {
    const catalog = fold(offers(T(1), [{ sku: 'A', unitCost: 100 }]), { kind: 'scorecard', supplierId: 'S1', flagged: true, suspended: true, asOf: T(2) });
    expect(planningView(catalog, 'o', [line('A')]).nodes['S1']!.status).toBe('suspended');
    const reinstated = applyCatalogFact(catalog, { kind: 'scorecard', supplierId: 'S1', flagged: true, asOf: T(3) });
    expect(planningView(reinstated, 'o', [line('A')]).nodes['S1']!.status).toBe('flagged');
  });

  it('leaves out nodes that offer none of the order skus', () => {
    const catalog = fold(offers(T(1), [{ sku: 'B', unitCost: 100 }]));
    expect(planningView(catalog, 'o', [line('A')])).toEqual({ offers: [], nodes: {} });
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
