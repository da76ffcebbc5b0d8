import type { EventStore, RecordedEvent } from '@oms/event-store';
import { SourcingEnv } from '../sourcing.env';
import { FACT_EVENT_TYPES, NodeCatalogProjection } from './node-catalog.projection';

const offers = (nodeId: string): RecordedEvent => ({
  id: `e-${nodeId}`,
  type: FACT_EVENT_TYPES.offers,
  data: {
    nodeId,
    node: { kind: 'warehouse', handlingDays: 1, transitDays: 2, shipping: { perShipment: 450, perUnit: 40 }, dropShipAllowed: false, currency: 'USD' },
    offers: [{ sku: 'SKU-1', unitCost: 700 }],
    snapshot: true,
    asOf: '2026-01-01T00:00:00.000Z',
  },
  metadata: {},
  streamName: `nodecatalog-${nodeId}`,
  revision: 0,
  position: { commit: 1n, prepare: 1n },
  recordedAt: new Date('2026-01-01T00:00:00.000Z'),
});

describe('NodeCatalogProjection.node', () => {
  // The projection reads the store only once started; node() reads what was applied.
  const projection = new NodeCatalogProjection({} as EventStore, new SourcingEnv());
  projection.apply(offers('reno-dc'));

  it('shows a node the catalog knows', () => {
    expect(projection.node('reno-dc')).toMatchObject({ nodeId: 'reno-dc', details: { kind: 'warehouse' }, offers: { 'SKU-1': { unitCost: 700 } }, status: 'active' });
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('knows no node %s (an id the fuzz test sent, once answered 200 from Object.prototype)', (nodeId) => {
    expect(projection.node(nodeId)).toBeUndefined();
  });
});
