import { defineUpcasters, type JsonObject } from '@oms/event-store';
import type { PurchaseOrderEvent } from './domain/purchase-order-events';
import type { SupplierEvent } from './domain/supplier';

/**
 * Supplier settings v1 → v2: `status`, `enforceShipBy` and `timeoutPolicy` always there.
 *
 * Until 17db110 the admin API built a new supplier's settings as `{ ...defaults, ...body }` from
 * the validated body, whose unsent optional fields are keys holding undefined: they overrode the
 * defaults and were dropped when stored, so a supplier registered without them has none in its
 * `SupplierRegistered` — nor in the `SupplierSettingsChanged` after it, which carries the merged
 * settings. Such a supplier was always treated as active, with only its confirm-by enforced and
 * its timed-out lines re-sourced (the defaults the relay and PO creation fell back to), so v2 gives
 * it exactly those. A value that was stored is kept.
 */
const SETTINGS_DEFAULTS: JsonObject = { enforceShipBy: false, timeoutPolicy: 'resource', status: 'active' };
const withSettingsDefaults = (data: JsonObject): JsonObject => ({ ...data, settings: { ...SETTINGS_DEFAULTS, ...(data['settings'] as JsonObject) } });

export const supplierGatewayUpcasters = defineUpcasters<SupplierEvent['type'] | PurchaseOrderEvent['type'] | 'SupplierStockReceived'>(
  [
    { type: 'SupplierRegistered', fromVersion: 1, upcast: withSettingsDefaults },
    { type: 'SupplierSettingsChanged', fromVersion: 1, upcast: withSettingsDefaults },
  ],
  {
    versions: {
      SupplierRegistered: 2,
      SupplierSettingsChanged: 2,
      SupplierCredentialsIssued: 1,
      SupplierPreviousCredentialsRetired: 1,
      PurchaseOrderCreated: 1,
      PurchaseOrderDispatched: 1,
      PurchaseOrderAcknowledged: 1,
      PurchaseOrderShipped: 1,
      PurchaseOrderInvoiced: 1,
      PurchaseOrderClosed: 1,
      PurchaseOrderCancellationRequested: 1,
      PurchaseOrderCancelled: 1,
      PurchaseOrderCancellationRefused: 1,
      PurchaseOrderTimedOut: 1,
      SupplierNotified: 1,
      SupplierMessageRefused: 1,
      // supplierfeed-<supplierId>: a stock feed as received (supplier-inbox.ts).
      SupplierStockReceived: 1,
    },
  },
);
