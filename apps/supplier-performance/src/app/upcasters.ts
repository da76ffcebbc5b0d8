import { defineUpcasters } from '@oms/event-store';
import type { PerformanceEvent } from './domain/performance';

/**
 * The version supplier performance writes of each event type it stores. No shape has changed yet:
 * to change one, raise its version here and add the upcaster from the one before, and keep an
 * event of the old shape in fixtures/events/supplier-performance.
 */
export const supplierPerformanceUpcasters = defineUpcasters<PerformanceEvent['type']>([], {
  versions: {
    SupplierFactRecorded: 1,
    ScorecardComputed: 1,
    SupplierFlagChanged: 1,
  },
});
