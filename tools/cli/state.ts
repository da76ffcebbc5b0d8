// Which service owns each stream category, and how its events fold: the SRE tools' view of every
// aggregate. Like tools/embedded/services.ts, a composition root: the only other place that knows
// the services' insides.
import type { RecordedEvent } from '@oms/event-store';
import { ledgerDecider } from '../../apps/finance-reconciler/src/app/domain/ledger';
import { supplierAccountDecider } from '../../apps/finance-reconciler/src/app/domain/supplier-account';
import { orderDecider } from '../../apps/order-intake/src/app/domain/order-decider';
import { returnDecider } from '../../apps/returns-router/src/app/domain/return';
import { returnableOrderDecider } from '../../apps/returns-router/src/app/domain/returnable-order';
import { allocationDecider } from '../../apps/sourcing/src/app/domain/allocation';
import { nodeStockDecider } from '../../apps/sourcing/src/app/domain/node-stock';
import { purchaseOrderDecider } from '../../apps/supplier-gateway/src/app/domain/purchase-order';
import { supplierDecider } from '../../apps/supplier-gateway/src/app/domain/supplier';
import { performanceDecider } from '../../apps/supplier-performance/src/app/domain/performance';

interface Folder {
  readonly initialState: () => unknown;
  readonly evolve: (state: never, event: never) => unknown;
}

export const AGGREGATES: Readonly<Record<string, { readonly service: string; readonly decider: Folder }>> = {
  order: { service: 'order-intake', decider: orderDecider },
  allocation: { service: 'sourcing', decider: allocationDecider },
  nodestock: { service: 'sourcing', decider: nodeStockDecider },
  po: { service: 'supplier-gateway', decider: purchaseOrderDecider },
  supplier: { service: 'supplier-gateway', decider: supplierDecider },
  ledger: { service: 'finance-reconciler', decider: ledgerDecider },
  supplieraccount: { service: 'finance-reconciler', decider: supplierAccountDecider },
  scorecard: { service: 'supplier-performance', decider: performanceDecider },
  return: { service: 'returns-router', decider: returnDecider },
  returnorder: { service: 'returns-router', decider: returnableOrderDecider },
};

export type At = { readonly revision: number } | { readonly time: Date };

/** `2026-11-25T10:00:00Z` is a time; `12` is a revision. */
export function parseAt(text: string): At {
  if (/^\d+$/.test(text)) return { revision: Number(text) };
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new Error(`--at must be a revision number or an ISO-8601 time, not "${text}"`);
  return { time };
}

/** The aggregate as it was at a revision (inclusive) or a moment (events recorded up to it). */
export function stateAt(events: readonly RecordedEvent[], decider: Folder, at?: At): { state: unknown; revision: number; recordedAt?: string } {
  let state = decider.initialState();
  let revision = -1;
  let recordedAt: string | undefined;
  for (const e of events) {
    if (at && 'revision' in at && e.revision > at.revision) break;
    if (at && 'time' in at && e.recordedAt.getTime() > at.time.getTime()) break;
    state = (decider.evolve as (s: unknown, e: unknown) => unknown)(state, { type: e.type, data: e.data });
    revision = e.revision;
    recordedAt = e.recordedAt.toISOString();
  }
  return { state, revision, ...(recordedAt ? { recordedAt } : {}) };
}
