import { CATALOG_EVENTS, TOPICS } from '@oms/contracts';
import { categoryOf, type RecordedEvent } from '@oms/event-store';
import { outgoingFrom, type OutgoingMessage } from '@oms/messaging';
import { SCORECARD_CATEGORY } from '../application/scorecards';
import type { PerformanceEvent } from '../domain/performance';

export const FLAG_EVENTS = { flagged: 'SupplierFlagged', cleared: 'SupplierCleared', suspended: 'SupplierSuspended', reinstated: 'SupplierReinstated' } as const;

/**
 * On `supplier.scorecards.v1` (key: supplier id): every new scorecard as `SupplierScorecardUpdated`
 * (what sourcing plans with: reliability, observed ship days, flagged, suspended), and every flag
 * decision with its reasons and the figures behind it. The facts stay private.
 */
export function scorecardMessages(event: RecordedEvent): OutgoingMessage[] {
  if (categoryOf(event.streamName) !== SCORECARD_CATEGORY) return [];
  const supplierId = event.streamName.slice(SCORECARD_CATEGORY.length + 1);
  const stored = { type: event.type, data: event.data } as unknown as PerformanceEvent;
  switch (stored.type) {
    case 'ScorecardComputed': {
      const card = stored.data;
      return [
        outgoingFrom(event, TOPICS.supplierScorecards.name, supplierId, CATALOG_EVENTS.supplierScorecardUpdated, {
          supplierId,
          flagged: card.flagged,
          suspended: card.suspended,
          reasons: card.reasons,
          sufficientData: card.sufficient,
          ...(card.score !== null ? { score: card.score } : {}),
          ...(card.reliability !== null ? { reliability: card.reliability } : {}),
          ...(card.observedShipDays ? { observedShipDays: card.observedShipDays } : {}),
          windows: card.windows,
          asOf: card.at,
        }),
      ];
    }
    case 'SupplierFlagChanged':
      return [outgoingFrom(event, TOPICS.supplierScorecards.name, supplierId, FLAG_EVENTS[stored.data.kind], { supplierId, ...stored.data })];
    case 'SupplierFactRecorded':
      return [];
    default: {
      const never: never = stored;
      return never;
    }
  }
}
