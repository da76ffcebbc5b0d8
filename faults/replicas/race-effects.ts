import { FULFILMENT_FACTS, TOPICS } from '@oms/contracts';
import type { SeenMessage } from '@oms/messaging/testing';
import type { StoredEvent, Verdict } from './po-verdict';
import { BACKUP } from './race-world';

/** Distinct events (by id: a relay may publish one twice after a crash) per PO, of one type on one topic. */
function distinctByPo(seen: readonly SeenMessage[], topic: string, type: string): Map<string, number> {
  const ids = new Map<string, Set<string>>();
  for (const m of seen) {
    if (m.topic !== topic || m.type !== type) continue;
    const poId = String(m.payload['poId']);
    ids.set(poId, (ids.get(poId) ?? new Set()).add(m.headers['event-id'] ?? ''));
  }
  return new Map([...ids].map(([poId, set]) => [poId, set.size]));
}

export interface DownstreamEffects {
  readonly poId: string;
  readonly releases: number;
  readonly expectedReleases: number;
  readonly chargebacks: number;
  readonly expectedChargebacks: number;
  /** Plan versions of the PO's order, and its groups sent to the backup supplier. */
  readonly replans: number;
  readonly backupGroups: number;
  readonly expectedReplans: number;
}

/**
 * What the other services did about each raced PO, beside what its outcome calls for: finance
 * releases the commitment of what came back and charges back a cancellation after acceptance;
 * sourcing re-plans what came back once, to the backup supplier.
 */
export function downstreamOf(seen: readonly SeenMessage[], pos: readonly { poId: string; orderId: string; verdict: Verdict }[]): DownstreamEffects[] {
  const releases = distinctByPo(seen, TOPICS.financeSettlements.name, 'SupplierPayableReleased');
  const chargebacks = distinctByPo(seen, TOPICS.financeSettlements.name, 'ChargebackRaised');
  const orders = new Set(pos.map((p) => p.orderId));
  const versions = new Map<string, Set<number>>();
  const backupGroups = new Map<string, Set<string>>();
  for (const m of seen) {
    if (m.topic !== TOPICS.sourcingAllocations.name || !m.key || !orders.has(m.key)) continue;
    if (m.type === 'FulfilmentPlanned') versions.set(m.key, (versions.get(m.key) ?? new Set()).add(Number(m.payload['version'])));
    if (m.type === 'FulfilmentRequested' && m.payload['nodeId'] === BACKUP) backupGroups.set(m.key, (backupGroups.get(m.key) ?? new Set()).add(String(m.payload['groupId'])));
  }
  return pos.map(({ poId, orderId, verdict }) => ({
    poId,
    releases: releases.get(poId) ?? 0,
    expectedReleases: verdict.givenBack ? 1 : 0,
    chargebacks: chargebacks.get(poId) ?? 0,
    expectedChargebacks: verdict.cancelledAfterAcceptance ? 1 : 0,
    replans: (versions.get(orderId)?.size ?? 0) - 1,
    backupGroups: backupGroups.get(orderId)?.size ?? 0,
    expectedReplans: verdict.givenBack ? 1 : 0,
  }));
}

export const allHappened = (d: DownstreamEffects) => d.releases >= d.expectedReleases && d.chargebacks >= d.expectedChargebacks && d.replans >= d.expectedReplans;
export const happenedOnce = (d: DownstreamEffects) => d.releases === d.expectedReleases && d.chargebacks === d.expectedChargebacks && d.replans === d.expectedReplans && d.backupGroups === d.expectedReplans;

const FACT_OF: Readonly<Record<string, string>> = {
  PurchaseOrderCreated: FULFILMENT_FACTS.purchaseOrderCreated,
  PurchaseOrderAcknowledged: FULFILMENT_FACTS.purchaseOrderAcknowledged,
  PurchaseOrderCancelled: FULFILMENT_FACTS.purchaseOrderCancelled,
  PurchaseOrderTimedOut: FULFILMENT_FACTS.purchaseOrderTimedOut,
  PurchaseOrderShipped: FULFILMENT_FACTS.shipmentDispatched,
};

/** POs whose decisions on supplier.purchase-orders.v1 differ from their stored history: each stored once, published once. */
export function publishedUnlikeStored(seen: readonly SeenMessage[], histories: ReadonlyMap<string, readonly StoredEvent[]>): string[] {
  const published = new Map(Object.entries(FACT_OF).map(([stored, fact]) => [stored, distinctByPo(seen, TOPICS.supplierPurchaseOrders.name, fact)]));
  return [...histories].flatMap(([poId, history]) => {
    const differs = Object.keys(FACT_OF).filter((type) => (published.get(type)!.get(poId) ?? 0) !== history.filter((e) => e.type === type).length);
    return differs.length > 0 ? [`${poId}: ${differs.join(', ')}`] : [];
  });
}
