import type {
  FieldError,
  LinesCancelledSchemaV1,
  LinesCancelledV1,
  OrderAcceptedSchemaV1,
  OrderAcceptedV1,
  OrderCancellationRequestedSchemaV1,
  OrderCancellationRequestedV1,
  OrderCompletedV1,
  OrderRejectedV1,
  OrderShippingAddressChangedSchemaV1,
  OrderShippingAddressChangedV1,
  OrderStatusChangedV1,
  RefundIssuedV1,
  ShipmentAddedV1,
  SupplierInvoiceOutcomeSchemaV1,
  SupplierProfileUpdatedV1,
  TopicKey,
} from '@oms/contracts';
// Types only: what the services publish where libs/contracts has no type for it yet.
import type { LedgerEvent, ShippingCharge } from '../../apps/finance-reconciler/src/app/domain/ledger-events';
import type { SupplierAccountEvent } from '../../apps/finance-reconciler/src/app/domain/supplier-account';
import type { SupplierSettings } from '../../apps/supplier-gateway/src/app/domain/supplier';
import type { FlaggedScorecard, PerformanceEvent } from '../../apps/supplier-performance/src/app/domain/performance';
import type { WindowMetrics } from '../../apps/supplier-performance/src/app/domain/scorecard';
import { ref, type Schema } from './class-schemas';
import { arrayOf, boolean, currency, dateTime, described, handDescribed, integer, mapOf, minor, nullable, number, object, oneOf, string, uuid } from './describe';

/**
 * Payloads of public messages that libs/contracts gives no class-validator schema for (`whole`),
 * or whose published payload carries more than the class checks (`beyond`, combined with the class
 * by `allOf`). Each is hand-described here and its property names are checked by `tsc` against the
 * type that produces it (see `described`): the contracts' interfaces where they exist, else the
 * producing service's event type, imported as a type only. Those last ones belong in libs/contracts.
 */
export interface DescribedPayload {
  /** Component schema name of the payload. */
  readonly name: string;
  /** The TypeScript type the description is checked against, for the reader. */
  readonly checkedAgainst: string;
  readonly whole?: Schema;
  readonly beyond?: Schema;
}

type Ledger<T extends LedgerEvent['type']> = { readonly orderId: string } & Extract<LedgerEvent, { type: T }>['data'];
type AccountPosted = { readonly supplierId: string } & Extract<SupplierAccountEvent, { type: 'SupplierAccountPosted' }>['data'];
type FlagChanged = { readonly supplierId: string } & Extract<PerformanceEvent, { type: 'SupplierFlagChanged' }>['data'];
/** What `SupplierScorecardUpdated` adds to the contract class (apps/supplier-performance scorecard-messages.ts). */
type ScorecardBeyondClass = Pick<FlaggedScorecard, 'reasons' | 'windows'> & { readonly sufficientData: boolean };
/** The supplier settings published beside the contract class's fields, without webhook URL and EDI ids. */
type ProfileBeyondClass = Omit<SupplierSettings, 'webhookUrl' | 'edi' | keyof SupplierProfileUpdatedV1>;

const lineQuantities = (description?: string) => arrayOf(object({ lineId: string(), quantity: integer() }), description);
const ledgerLines = (description?: string) => arrayOf(object({ lineId: string(), quantity: integer(), unitCost: minor('cost per unit'), amount: minor() }), description);
const percentiles = (unit: string) => nullable(object({ p50: number(unit), p90: number(unit) }));
const rate = (description: string) => nullable(number(`${description}, 0-1; null without data`));

const windowMetrics = described<WindowMetrics & { readonly score: number | null }>()({
  required: {
    days: integer('window length in days'),
    purchaseOrders: integer('POs in the window'),
    acknowledgeHours: percentiles('hours'),
    shipHours: percentiles('hours'),
    onTimeAcknowledgement: rate('share acknowledged by confirm-by'),
    onTimeShipment: rate('share shipped by ship-by'),
    fillRate: rate('units shipped / units ordered'),
    rejectionRate: rate('rejected units'),
    backorderRate: rate('backordered units'),
    supplierCancellationRate: rate('units the supplier cancelled'),
    timeoutRate: rate('POs timed out'),
    trackingDefectRate: rate('shipments with a failing or reused tracking number'),
    quantityAccuracy: rate('shipments with the quantities ordered'),
    lateAsnRate: rate('shipment notices more than 24 h late'),
    invoiceDisputeRate: rate('invoices disputed'),
    returnRate: rate('returned units the supplier caused'),
    score: nullable(number('composite score 0-1')),
  },
  optional: {},
});

const flagChanged: DescribedPayload = {
  name: 'SupplierFlagChangedV1',
  checkedAgainst: "SupplierFlagChanged data (apps/supplier-performance domain/performance.ts) plus supplierId",
  whole: described<FlagChanged>()({
    required: {
      supplierId: string(),
      kind: oneOf(['flagged', 'cleared', 'suspended', 'reinstated'], 'the same as the event type'),
      reasons: arrayOf(string(), 'the flag rules in force, e.g. "onTimeShipment below 0.8"'),
      figures: mapOf(nullable(number()), 'the figures behind the decision, by metric'),
      at: dateTime(),
    },
    optional: {},
  }),
};

const accountPosted = (name: string, kind: 'payment' | 'credit_received'): DescribedPayload => ({
  name,
  checkedAgainst: 'SupplierAccountPosted data (apps/finance-reconciler domain/supplier-account.ts) plus supplierId',
  whole: described<AccountPosted>()({
    required: {
      supplierId: string(),
      entryId: string('unique per entry: the same id twice is one entry'),
      kind: oneOf([kind]),
      amount: minor(),
      currency: currency(),
      at: dateTime(),
    },
    optional: { orderId: uuid(), poId: string(), reference: string('the payer\'s or supplier\'s reference') },
  }),
});

const SEALED = 'sealed personal data: pii:v1:<subjectId>:<base64>';

/** Keyed `<topic key>/<message type>`: one entry per message of PUBLIC_MESSAGES without a complete class. */
export const DESCRIBED_PAYLOADS: Readonly<Record<`${TopicKey}/${string}`, DescribedPayload>> = {
  'omsOrders/OrderAccepted': {
    name: 'OrderAcceptedV1',
    checkedAgainst: 'OrderAcceptedV1 (libs/contracts) less OrderAcceptedSchemaV1',
    beyond: described<Omit<OrderAcceptedV1, keyof OrderAcceptedSchemaV1>>()({
      required: {
        externalOrderId: string("the platform's order id"),
        placedAt: dateTime(),
        customer: object(
          {},
          { id: string("the platform's customer id"), email: string(SEALED), firstName: string(SEALED), lastName: string(SEALED), phone: string(SEALED) },
          "personal fields sealed under the customer's key (crypto-shredding: unreadable once the customer is erased)",
        ),
        totals: object({ subtotal: minor(), discount: minor(), shipping: minor(), tax: minor(), total: minor('what the customer is charged') }),
        discrepancies: arrayOf(
          object({ field: string(), reported: minor(), computed: minor() }),
          "where the platform's own totals (platformTotals) differ from the computed ones",
        ),
      },
      optional: {},
    }),
  },
  'omsOrders/OrderRejected': {
    name: 'OrderRejectedV1',
    checkedAgainst: 'OrderRejectedV1 (libs/contracts)',
    whole: described<OrderRejectedV1>()({
      required: {
        reason: oneOf(['invalid', 'conflict', 'inconsistent_amounts', 'unknown_type', 'too_large', 'unknown_order']),
        errors: arrayOf(ref('FieldError'), 'every failing field'),
        rejectedAt: dateTime(),
      },
      optional: { orderId: uuid('present when the message could be tied to an order'), channel: string(), externalOrderId: string() },
    }),
  },
  'omsOrders/OrderStatusChanged': {
    name: 'OrderStatusChangedV1',
    checkedAgainst: 'OrderStatusChangedV1 (libs/contracts)',
    whole: described<OrderStatusChangedV1>()({
      required: {
        orderId: uuid(),
        status: oneOf(['accepted', 'processing', 'partially_shipped', 'shipped', 'completed', 'cancelled']),
        previousStatus: oneOf(['accepted', 'processing', 'partially_shipped', 'shipped', 'completed', 'cancelled']),
        cancellation: oneOf(['none', 'partial', 'full']),
        changedAt: dateTime(),
      },
      optional: {},
    }),
  },
  'omsOrders/ShipmentAdded': {
    name: 'ShipmentAddedV1',
    checkedAgainst: 'ShipmentAddedV1 (libs/contracts)',
    whole: described<ShipmentAddedV1>()({
      required: {
        orderId: uuid(),
        shipmentId: string(),
        nodeId: string('the warehouse or supplier that shipped it'),
        carrier: string(),
        trackingNumber: string(),
        lines: lineQuantities(),
        shippedAt: dateTime(),
      },
      optional: { trackingUrl: string() },
    }),
  },
  'omsOrders/LinesCancelled': {
    name: 'LinesCancelledV1',
    checkedAgainst: 'LinesCancelledV1 (libs/contracts) less LinesCancelledSchemaV1',
    beyond: described<Omit<LinesCancelledV1, keyof LinesCancelledSchemaV1>>()({
      required: { refund: object({ amount: minor(), currency: currency() }, {}, 'what the customer gets back for these lines, pro-rated exactly (largest remainder)') },
      optional: {},
    }),
  },
  'omsOrders/OrderCancellationRequested': {
    name: 'OrderCancellationRequestedV1',
    checkedAgainst: 'OrderCancellationRequestedV1 (libs/contracts) less OrderCancellationRequestedSchemaV1',
    beyond: described<Omit<OrderCancellationRequestedV1, keyof OrderCancellationRequestedSchemaV1>>()({
      required: { notCancellable: arrayOf(object({ lineId: string(), quantity: integer(), reason: string() }), 'what cannot be cancelled any more, and why') },
      optional: {},
    }),
  },
  'omsOrders/OrderShippingAddressChanged': {
    name: 'OrderShippingAddressChangedV1',
    checkedAgainst: 'OrderShippingAddressChangedV1 (libs/contracts) less OrderShippingAddressChangedSchemaV1',
    beyond: described<Omit<OrderShippingAddressChangedV1, keyof OrderShippingAddressChangedSchemaV1>>()({
      required: { alreadyShipped: lineQuantities('lines already shipped to the old address') },
      optional: {},
    }),
  },
  'omsOrders/OrderCompleted': {
    name: 'OrderCompletedV1',
    checkedAgainst: 'OrderCompletedV1 (libs/contracts)',
    whole: described<OrderCompletedV1>()({ required: { orderId: uuid(), completedAt: dateTime() }, optional: {} }),
  },
  'supplierProfiles/SupplierProfileUpdated': {
    name: 'SupplierProfileV1',
    checkedAgainst: 'SupplierSettings (apps/supplier-gateway domain/supplier.ts) less webhookUrl, edi and the class fields',
    beyond: described<ProfileBeyondClass>()({
      required: {
        name: string(),
        code: string('short code, suffixed to PO numbers'),
        connector: oneOf(['api', 'webhook', 'edi']),
        confirmWithinHours: number(),
        shipWithinHours: number(),
        enforceShipBy: boolean('a missed ship-by also times the PO out'),
        timeoutPolicy: oneOf(['resource', 'cancel']),
      },
      optional: {},
    }),
  },
  'supplierScorecards/SupplierScorecardUpdated': {
    name: 'SupplierScorecardV1',
    checkedAgainst: 'FlaggedScorecard reasons and windows (apps/supplier-performance domain) plus sufficientData',
    beyond: described<ScorecardBeyondClass>()({
      required: {
        reasons: arrayOf(string(), 'flag rules in force'),
        sufficientData: boolean('false below the minimum sample: no score, no reliability'),
        windows: arrayOf(windowMetrics, 'metrics per rolling window (7, 30, 90 days by default)'),
      },
      optional: {},
    }),
  },
  'supplierScorecards/SupplierFlagged': flagChanged,
  'supplierScorecards/SupplierCleared': flagChanged,
  'supplierScorecards/SupplierSuspended': flagChanged,
  'supplierScorecards/SupplierReinstated': flagChanged,
  'financeSettlements/CustomerChargeRecognised': {
    name: 'CustomerChargeRecognisedV1',
    checkedAgainst: "LedgerEvent 'CustomerChargeRecognised' (apps/finance-reconciler domain/ledger-events.ts) plus orderId",
    whole: described<Ledger<'CustomerChargeRecognised'>>()({
      required: {
        orderId: uuid(),
        currency: currency(),
        taxesIncluded: boolean(),
        lines: arrayOf(
          object({ lineId: string(), sku: string(), quantity: integer(), unitPrice: minor(), discount: minor('own and share of order discounts'), tax: minor(), total: minor() }),
        ),
        shipping: ref('ShippingChargeTotalV1'),
        total: minor(),
        chargedAt: dateTime(),
      },
      optional: {},
    }),
  },
  'financeSettlements/RefundIssued': {
    name: 'RefundIssuedSettlementV1',
    checkedAgainst: "LedgerEvent 'RefundIssued' (apps/finance-reconciler domain/ledger-events.ts) less RefundIssuedV1",
    beyond: described<Omit<Ledger<'RefundIssued'>, keyof RefundIssuedV1>>()({
      required: {
        cause: oneOf(['cancellation', 'return']),
        causeId: string('the cancellation or return id'),
        reason: string(),
      },
      optional: { shipping: ref('ShippingChargeTotalV1') },
    }),
  },
  'financeSettlements/SupplierPayableAccrued': {
    name: 'SupplierPayableAccruedV1',
    checkedAgainst: "LedgerEvent 'SupplierPayableAccrued' plus orderId",
    whole: described<Ledger<'SupplierPayableAccrued'>>()({
      required: { orderId: uuid(), poId: string(), supplierId: string(), shipmentId: string(), lines: ledgerLines(), amount: minor(), currency: currency(), accruedAt: dateTime() },
      optional: {},
    }),
  },
  'financeSettlements/SupplierPayableReleased': {
    name: 'SupplierPayableReleasedV1',
    checkedAgainst: "LedgerEvent 'SupplierPayableReleased' plus orderId",
    whole: described<Ledger<'SupplierPayableReleased'>>()({
      required: {
        orderId: uuid(),
        poId: string(),
        supplierId: string(),
        sourceId: string('the cancellation or time-out that released it'),
        reason: string(),
        lines: ledgerLines(),
        amount: minor(),
        currency: currency(),
        releasedAt: dateTime(),
      },
      optional: {},
    }),
  },
  'financeSettlements/MarginRecognised': {
    name: 'MarginRecognisedV1',
    checkedAgainst: "LedgerEvent 'MarginRecognised' plus orderId",
    whole: described<Ledger<'MarginRecognised'>>()({
      required: {
        orderId: uuid(),
        sourceId: string('the shipment or return id'),
        cause: oneOf(['shipment', 'return']),
        nodeId: string(),
        lines: arrayOf(object({ lineId: string(), quantity: integer(), revenue: minor(), cost: minor(), margin: minor() })),
        margin: minor(),
        currency: currency(),
        orderMargin: minor("the order's margin after this, across every shipment and return so far"),
        recognisedAt: dateTime(),
      },
      optional: {
        sources: arrayOf(object({ nodeId: string(), lineId: string(), quantity: integer(), unitCost: minor() }, { poId: string() }), 'returns: where each returned unit had shipped from, at what cost'),
      },
    }),
  },
  'financeSettlements/SupplierInvoiceMatched': {
    name: 'SupplierInvoiceMatchedV1',
    checkedAgainst: "LedgerEvent 'SupplierInvoiceMatched' less SupplierInvoiceOutcomeSchemaV1",
    beyond: described<Omit<Ledger<'SupplierInvoiceMatched'>, keyof SupplierInvoiceOutcomeSchemaV1>>()({
      required: { lines: arrayOf(object({ lineId: string(), quantity: integer(), unitCost: minor() })), amount: minor(), currency: currency() },
      optional: {},
    }),
  },
  'financeSettlements/SupplierInvoiceDisputed': {
    name: 'SupplierInvoiceDisputedV1',
    checkedAgainst: "LedgerEvent 'SupplierInvoiceDisputed' less SupplierInvoiceOutcomeSchemaV1",
    beyond: described<Omit<Ledger<'SupplierInvoiceDisputed'>, keyof SupplierInvoiceOutcomeSchemaV1>>()({
      required: {
        invoiced: minor(),
        expected: minor('what the PO and the shipments say the invoiced lines are worth'),
        issues: arrayOf(object({ lineId: string(), kind: oneOf(['quantity', 'unit_cost', 'unknown_line', 'total']), invoiced: number(), expected: number(), amount: minor('money in question') })),
        currency: currency(),
      },
      optional: {},
    }),
  },
  'financeSettlements/ChargebackRaised': {
    name: 'ChargebackRaisedV1',
    checkedAgainst: "LedgerEvent 'ChargebackRaised' plus orderId",
    whole: described<Ledger<'ChargebackRaised'>>()({
      required: {
        orderId: uuid(),
        chargebackId: string(),
        poId: string(),
        supplierId: string(),
        rule: oneOf(['late_shipment', 'invalid_tracking', 'cancelled_after_acceptance']),
        amount: minor(),
        currency: currency(),
        reason: string(),
        raisedAt: dateTime(),
      },
      optional: {},
    }),
  },
  'financeSettlements/SupplierCreditExpected': {
    name: 'SupplierCreditExpectedV1',
    checkedAgainst: "LedgerEvent 'SupplierCreditExpected' plus orderId",
    whole: described<Ledger<'SupplierCreditExpected'>>()({
      required: { orderId: uuid(), returnId: string(), poId: string(), supplierId: string(), lines: ledgerLines(), amount: minor(), currency: currency(), expectedAt: dateTime() },
      optional: {},
    }),
  },
  'financeSettlements/ReturnedToStock': {
    name: 'ReturnedToStockV1',
    checkedAgainst: "LedgerEvent 'ReturnedToStock' plus orderId",
    whole: described<Ledger<'ReturnedToStock'>>()({
      required: { orderId: uuid(), returnId: string(), lines: ledgerLines(), amount: minor(), currency: currency(), restockedAt: dateTime() },
      optional: {},
    }),
  },
  'financeSettlements/SupplierCreditReceived': accountPosted('SupplierCreditReceivedV1', 'credit_received'),
  'financeSettlements/SupplierPaymentRecorded': accountPosted('SupplierPaymentRecordedV1', 'payment'),
};

/** Shared pieces the descriptions refer to by name, each marked with where it comes from. */
export const DESCRIBED_SHARED: Readonly<Record<string, Schema>> = {
  FieldError: handDescribed(described<FieldError>()({ required: { field: string('path in the payload, e.g. lines[1].quantity'), message: string() }, optional: {} }), 'FieldError (libs/contracts)'),
  ShippingChargeTotalV1: handDescribed(
    described<ShippingCharge>()({ required: { amount: minor(), discount: minor(), tax: minor(), total: minor() }, optional: {} }, 'a shipping charge with its total'),
    'ShippingCharge (apps/finance-reconciler domain/ledger-events.ts)',
  ),
};
