import { CATALOG_EVENTS, TOPICS } from '@oms/contracts';
import type { MessagePublisher, OutgoingMessage } from '@oms/messaging';
import { waitFor } from '@oms/testing';
import { randomUUID } from 'node:crypto';

const feed = (topic: string, key: string, type: string, payload: object, at: string): OutgoingMessage => ({ topic, key, eventId: randomUUID(), type, schemaVersion: 1, occurredAt: at, payload });

/**
 * Tests of other services that need sourcing to plan onto a supplier: its offer and stock, as a
 * catalog feed would publish them, and a wait until sourcing's `GET /nodes/:id` shows both.
 */
export async function publishSupplierNode(publisher: MessagePublisher, sourcingUrl: () => string, node: { nodeId: string; sku: string; unitCost: number; stock: number }): Promise<void> {
  const { nodeId, sku, unitCost, stock } = node;
  const asOf = new Date().toISOString();
  await publisher.publish([
    feed(TOPICS.catalogOffers.name, nodeId, CATALOG_EVENTS.nodeOffersPublished, {
      nodeId,
      node: { kind: 'supplier', handlingDays: 1, transitDays: 2, shipping: { perShipment: 500, perUnit: 0 }, dropShipAllowed: true, safetyBuffer: 0 },
      currency: 'USD',
      offers: [{ sku, unitCost }],
      snapshot: true,
      asOf,
    }, asOf),
    feed(TOPICS.inventoryStock.name, nodeId, CATALOG_EVENTS.stockReported, { nodeId, mode: 'snapshot', items: [{ sku, quantity: stock }], asOf }, asOf),
  ]);
  await waitFor(
    async () => {
      const response = await fetch(`${sourcingUrl()}/nodes/${encodeURIComponent(nodeId)}`);
      if (!response.ok) return false;
      const seen = (await response.json()) as { offers: Record<string, { unitCost: number }>; stock?: { levels: Record<string, { quantity: number }> } };
      return seen.offers[sku]?.unitCost === unitCost && seen.stock?.levels[sku]?.quantity === stock;
    },
    { what: `catalog and stock of ${nodeId} in sourcing` },
  );
}
