import { AddressChangeRequestV1, CancellationRequestV1, OrderPlacedV1, ReturnReceiptV1, ReturnRequestV1 } from '@oms/contracts';
import { AccountEntryDto } from '../../apps/finance-reconciler/src/app/api/finance.dto';
import { CustomerErasureDto, ErasureDto } from '../../apps/order-intake/src/app/api/privacy.dto';
import { RegisterSupplierDto, SupplierSettingsDto } from '../../apps/supplier-gateway/src/app/api/admin.dto';
import {
  AcknowledgementDto,
  CancellationAnswerDto,
  InvoiceDto,
  ShipmentDto,
  StockFeedDto,
  SupplierCancellationDto,
  WebhookCallbackDto,
} from '../../apps/supplier-gateway/src/app/api/supplier-api.dto';
import { WhatIfDto } from '../../apps/supplier-performance/src/app/api/scorecards.dto';
import { ref, type Schema, type SchemaClass } from './class-schemas';
import { arrayOf, dateTime, looseObject, nullable, object, oneOf, string, uuid } from './describe';

const withNote = (schema: Schema, description: string): Schema => ({ ...schema, description });

/**
 * What the OpenAPI document says about each HTTP route that Nest's metadata cannot: a summary, the
 * request body's schema (controllers take `@Body() body: unknown` and validate it themselves with
 * `readBody(Dto, body)`), and the answers. Paths, methods, path/query/header parameters, declared
 * status codes and guards come from the controllers' metadata; a route here that the controllers
 * lack, or the reverse, fails `contracts-docs.unit.spec.ts`.
 */
export interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
  /** Descriptions of path, query and header parameters, by name. */
  readonly params?: Readonly<Record<string, string>>;
  /** Query parameters the handler requires although Nest does not (it answers 400 without them). */
  readonly requiredQuery?: readonly string[];
  readonly body?: BodyDoc;
  readonly responses: Readonly<Record<number, ResponseDoc>>;
  /** Authentication the handler checks itself rather than through a guard. */
  readonly security?: 'shopifyHmac' | 'supplierWebhookSignature';
}

export type BodyDoc =
  /** Validated with `readBody(dto, body)` in the controller; `also` adds what the controller checks by hand. */
  | { readonly kind: 'dto'; readonly dto: SchemaClass; readonly also?: Schema; readonly description?: string }
  /** One of several schemas chosen by a field, validated by `readBody` in the controller or by the application. */
  | {
      readonly kind: 'variants';
      readonly discriminator: string;
      readonly variants: Readonly<Record<string, SchemaClass>>;
      /** Checked for every variant before it (`readBody(base, body)`). */
      readonly base?: SchemaClass;
      readonly validatedBy: 'readBody' | 'application';
      readonly description: string;
    }
  /** Hand-described: no class validates it at the edge. */
  | { readonly kind: 'described'; readonly contentTypes: readonly string[]; readonly schema: Schema; readonly description: string };

export interface ResponseDoc {
  readonly description: string;
  readonly schema?: Schema;
  /** Default `application/json`. */
  readonly contentType?: string;
}

export type ServiceName = 'order-intake' | 'sourcing' | 'supplier-gateway' | 'returns-router' | 'supplier-performance' | 'finance-reconciler';

const ERROR = ref('ErrorResponse');
const error = (description: string): ResponseDoc => ({ description, schema: ERROR });
const invalid = error('Invalid request: `errors` names every failing field.');
const invalidId = error('The id in the path is empty, longer than 200 characters or holds a control character.');
const notFound = (what: string) => error(`No such ${what}.`);
const unauthorized = (what: string) => error(`Missing or wrong ${what}.`);
const json = (description: string, schema: Schema = { type: 'object' }): ResponseDoc => ({ description, schema });

const supplierAnswer = (what: string): Pick<RouteDoc, 'responses'> => ({
  responses: {
    200: json(`The ${what} was applied, or was already known (\`kind\`: applied or duplicate).`, ref('InboxOutcome')),
    400: invalid,
    401: unauthorized('API key'),
    403: error('The supplier is suspended: it may read, not write.'),
    404: notFound('purchase order of this supplier'),
    409: error('The purchase order refused it in its state; recorded with the raw message, the reason given back.'),
  },
});

const erasure = json(
  'Erased: the key is destroyed, every sealed copy of the customer’s personal data reads `[erased]`; `alreadyErased` when it was before.',
  object({ subjectId: uuid(), erasedAt: dateTime(), alreadyErased: { type: 'boolean' } }),
);
const subjectStatus = oneOf(['active', 'erased', 'unknown']);

const orderView = json('The coherent order: per-line status and quantities, shipments with tracking, POs, totals, refunds, discrepancies and the event history.');
const history = 'with its event history (revision, type, recordedAt, data)';

/** Served by every service (libs/platform). */
export const PLATFORM_ROUTES: Readonly<Record<string, RouteDoc>> = {
  'GET /metrics': {
    summary: "Prometheus metrics: the service's own series and the Node process's",
    responses: { 200: { description: 'Prometheus text exposition format.', contentType: 'text/plain', schema: string() } },
  },
  'GET /health/live': { summary: 'Liveness: the process answers', responses: { 200: json('Up.', ref('HealthReport')), 503: json('Down: restart the process.', ref('HealthReport')) } },
  'GET /health': {
    summary: 'Readiness (same as /health/ready)',
    responses: { 200: json('Store, broker and relay are up.', ref('HealthReport')), 503: json('A check failed; it is named in `error`.', ref('HealthReport')) },
  },
  'GET /health/ready': {
    summary: 'Readiness: the store answers, the broker is reachable, the consumer runs and the relay is not stuck',
    responses: { 200: json('Ready.', ref('HealthReport')), 503: json('Take out of rotation; the failing check is named in `error`.', ref('HealthReport')) },
  },
};


export const SERVICE_ROUTES: Readonly<Record<ServiceName, Readonly<Record<string, RouteDoc>>>> = {
  'order-intake': {
    'POST /orders': {
      summary: 'Submit an order, a cancellation request or a shipping address change',
      description: 'The same canonical JSON as `commerce.orders.v1`, answered synchronously. `type` picks the schema (default `OrderPlaced`).',
      params: { 'idempotency-key': 'A retry with the same key is the same request.' },
      body: {
        kind: 'variants',
        discriminator: 'type',
        variants: { OrderPlaced: OrderPlacedV1, OrderCancellationRequested: CancellationRequestV1, ShippingAddressChanged: AddressChangeRequestV1 },
        validatedBy: 'application',
        description: 'An order (type `OrderPlaced` or none), a cancellation request or an address change.',
      },
      responses: {
        201: json('Accepted.', object({ orderId: uuid(), status: oneOf(['accepted']) })),
        200: json('The same order again: nothing changed.', object({ orderId: uuid(), status: oneOf(['duplicate']) })),
        202: json('Cancellation or address change recorded (or already known: `duplicate`).', object({ orderId: uuid() })),
        400: invalid,
        404: error('Cancellation or address change for an unknown order.'),
        409: error('An order with this channel and external id exists with other content.'),
        413: error('Too large.'),
        422: error('The order amounts do not add up (`totalCharged` differs from the computed total).'),
      },
    },
    'GET /orders': {
      summary: "Find an order by the platform's ids",
      params: { channel: 'Where the order came from, as sent in the order.', externalOrderId: "The platform's order id." },
      requiredQuery: ['channel', 'externalOrderId'],
      responses: { 200: orderView, 400: error('channel or externalOrderId missing.'), 404: notFound('order') },
    },
    'POST /privacy/subjects/:subjectId/erase': {
      summary: "Erase a data subject's personal data (crypto-shredding)",
      description: 'Destroys the subject’s key in the key vault and records `CustomerDataErased`. Orders stay whole and replay; names, contact and street read `[erased]` everywhere.',
      params: { subjectId: 'The data subject: UUIDv5 of channel and customer id (or email).' },
      body: { kind: 'dto', dto: ErasureDto },
      responses: { 200: erasure, 400: invalid, 401: unauthorized('privacy token') },
    },
    'POST /privacy/customers/erase': {
      summary: "Erase a customer's personal data, named as the platform knows them",
      body: { kind: 'dto', dto: CustomerErasureDto, also: { anyOf: [{ required: ['customerId'] }, { required: ['email'] }] }, description: 'The channel and the customer id, or a guest’s email.' },
      responses: { 200: erasure, 400: invalid, 401: unauthorized('privacy token') },
    },
    'GET /privacy/subjects/:subjectId': {
      summary: "Whether a data subject's personal data can still be read",
      responses: { 200: json('The subject.', object({ subjectId: uuid(), status: subjectStatus })), 400: invalid, 401: unauthorized('privacy token') },
    },
    'GET /privacy/orders/:orderId': {
      summary: 'The data subject whose personal data an order carries',
      responses: { 200: json('The order’s subject.', object({ orderId: uuid(), subjectId: uuid(), status: subjectStatus })), 400: invalid, 401: unauthorized('privacy token'), 404: notFound('order') },
    },
    'GET /orders/:id': { summary: 'The coherent view of one order', params: { id: 'The OMS order id (UUIDv5 of channel and external order id).' }, responses: { 200: orderView, 400: invalid, 404: notFound('order') } },
    'POST /webhooks/shopify/orders': {
      summary: "Shopify's orders/create webhook",
      description:
        'The signature is checked on the raw bytes against SHOPIFY_WEBHOOK_SECRETS; the order is mapped to the canonical one. A signed order that cannot be taken is answered 200 with the rejection recorded and published (any other answer makes Shopify retry).',
      security: 'shopifyHmac',
      params: {
        'x-shopify-hmac-sha256': 'Base64 HMAC-SHA256 of the raw body with the webhook secret.',
        'x-shopify-webhook-id': 'De-duplicates Shopify retries.',
        'x-shopify-shop-domain': 'Becomes the channel (`shopify:<domain>`).',
      },
      body: { kind: 'described', contentTypes: ['application/json'], schema: looseObject("Shopify's Order resource as its webhook sends it."), description: "Shopify's native webhook body." },
      responses: {
        200: json('Taken (`status` accepted, duplicate, …) or rejected with `errors`; either way Shopify must not retry.', object({}, { orderId: uuid(), status: string(), errors: arrayOf(ref('FieldError')) })),
        401: unauthorized('X-Shopify-Hmac-Sha256'),
      },
    },
  },
  sourcing: {
    'GET /allocations/:orderId': {
      summary: "Why an order went where it went: the plan in force, every decision with the candidates it weighed, holds and cancellations",
      responses: { 200: json(`The allocation ${history}.`), 400: invalid, 404: notFound('allocation') },
    },
    'GET /nodes/:nodeId': { summary: 'What sourcing believes about a node: offers, stock, holds, units in transit', responses: { 200: json('The node.'), 404: notFound('node') } },
  },
  'supplier-gateway': {
    'POST /admin/suppliers': {
      summary: 'Register a supplier; its API key (and webhook secret) are returned once',
      body: {
        kind: 'dto',
        dto: RegisterSupplierDto,
        also: { required: ['supplierId', 'name', 'code', 'connector', 'confirmWithinHours', 'shipWithinHours'] },
        description: 'webhookUrl is required for the webhook connector, edi for the EDI connector.',
      },
      responses: {
        201: json('Registered.', object({ supplierId: string(), settings: looseObject('the settings in force'), apiKey: string('shown once') }, { webhookSecret: string('shown once') })),
        400: invalid,
        401: unauthorized('admin token'),
        409: error('Already registered.'),
      },
    },
    'PATCH /admin/suppliers/:supplierId': {
      summary: "Change a supplier's settings (new POs only)",
      body: { kind: 'dto', dto: SupplierSettingsDto },
      responses: { 200: json('The settings in force.'), 400: invalid, 401: unauthorized('admin token'), 404: notFound('supplier') },
    },
    'POST /admin/suppliers/:supplierId/credentials': {
      summary: 'Issue new credentials (rotation); returned once',
      description: 'The API key and webhook secret they replace stay valid for GATEWAY_CREDENTIAL_GRACE_HOURS (until `previousValidUntil`), or until retired; we sign with the new secret at once.',
      responses: {
        200: json('Issued.', object({ supplierId: string(), apiKey: string(), previousValidUntil: { type: ['string', 'null'], description: 'ISO-8601; null: nothing was replaced, or no grace period' } }, { webhookSecret: string() })),
        400: error('Unknown supplier.'),
        401: unauthorized('admin token'),
      },
    },
    'POST /admin/suppliers/:supplierId/credentials/retire-previous': {
      summary: "End a rotation's grace period now: only the newest credentials work",
      responses: { 200: json('Retired (`retired`: false when nothing was still valid).', object({ supplierId: string(), retired: { type: 'boolean' } })), 400: error('Unknown supplier.'), 401: unauthorized('admin token') },
    },
    'GET /admin/suppliers/:supplierId': {
      summary: "A supplier's settings (never its credentials)",
      responses: {
        200: json(
          'The supplier.',
          object({
            supplierId: string(),
            settings: looseObject('settings'),
            apiKeyPrefix: { type: ['string', 'null'] },
            previousApiKey: withNote(nullable(object({ apiKeyPrefix: string(), validUntil: dateTime() })), 'The replaced key while its grace period lasts'),
          }),
        ),
        400: invalidId,
        401: unauthorized('admin token'),
        404: notFound('supplier'),
      },
    },
    'GET /admin/purchase-orders/:poId': {
      summary: 'A purchase order and its whole history, with every supplier message as received (for disputes)',
      responses: { 200: json(`The PO ${history}.`), 400: invalidId, 401: unauthorized('admin token'), 404: notFound('purchase order') },
    },
    'GET /supplier-api/purchase-orders': {
      summary: "The calling supplier's purchase orders",
      params: { status: '`open` (default: created, dispatched, acknowledged, partially shipped), `all`, or one status.' },
      responses: { 200: json('Its purchase orders.', object({ purchaseOrders: arrayOf(looseObject('a purchase order')) })), 401: unauthorized('API key') },
    },
    'GET /supplier-api/purchase-orders/:poId': { summary: 'One of its purchase orders', responses: { 200: json('The purchase order.'), 400: invalidId, 401: unauthorized('API key'), 404: notFound('purchase order of this supplier') } },
    'GET /supplier-api/purchase-orders/:poId/edi': {
      summary: "The PO's EDI documents (850, then 860s), newest last",
      responses: { 200: { description: 'X12 documents, one per line.', contentType: 'application/edi-x12', schema: string() }, 400: invalidId, 401: unauthorized('API key'), 404: notFound('EDI document for this purchase order') },
    },
    'GET /supplier-api/purchase-orders/:poId/packing-slip.pdf': {
      summary: 'The blind packing slip',
      responses: {
        200: { description: "The retailer's packing slip (no supplier name, no wholesale cost).", contentType: 'application/pdf', schema: { type: 'string', contentMediaType: 'application/pdf' } },
        400: invalidId,
        401: unauthorized('API key'),
        404: notFound('purchase order of this supplier'),
        503: error('The branding is not configured.'),
      },
    },
    'POST /supplier-api/purchase-orders/:poId/acknowledgement': { summary: 'Acknowledge a PO line by line (accepted, rejected, backordered)', body: { kind: 'dto', dto: AcknowledgementDto }, ...supplierAnswer('acknowledgement') },
    'POST /supplier-api/purchase-orders/:poId/shipments': { summary: 'Report a shipment with its tracking number', body: { kind: 'dto', dto: ShipmentDto }, ...supplierAnswer('shipment') },
    'POST /supplier-api/purchase-orders/:poId/invoices': { summary: 'Invoice shipped units', body: { kind: 'dto', dto: InvoiceDto }, ...supplierAnswer('invoice') },
    'POST /supplier-api/purchase-orders/:poId/cancellation-answer': {
      summary: "Answer the retailer's cancellation request",
      body: { kind: 'dto', dto: CancellationAnswerDto },
      ...supplierAnswer('answer'),
    },
    'POST /supplier-api/purchase-orders/:poId/cancellation': { summary: 'Cancel units the supplier cannot ship', body: { kind: 'dto', dto: SupplierCancellationDto }, ...supplierAnswer('cancellation') },
    'POST /supplier-api/stock': { summary: 'A stock feed (published, normalised, on inventory.stock.v1)', body: { kind: 'dto', dto: StockFeedDto }, ...supplierAnswer('feed') },
    'POST /supplier-api/edi': {
      summary: 'An X12 interchange of 855, 856, 810 or 846 transaction sets',
      description: "ISA06 must be the supplier's own interchange id; delimiters are read from the ISA.",
      body: { kind: 'described', contentTypes: ['application/edi-x12', 'text/plain'], schema: string('an X12 interchange'), description: 'The interchange as text.' },
      responses: {
        200: json('What each transaction set did.', object({ transactionSets: arrayOf(looseObject('a transaction set and its outcome')) })),
        400: error('Unreadable interchange.'),
        401: unauthorized('API key'),
        403: error('Another supplier\'s purchase order, or the supplier is suspended.'),
      },
    },
    'POST /supplier-webhooks/:supplierId': {
      summary: 'A signed callback from a webhook supplier',
      description:
        'HMAC-SHA256 over `<x-oms-timestamp>.<raw body>` with the supplier\'s webhook secret, as `x-oms-signature: sha256=<hex>`, within a 5-minute window. The body is the REST call\'s body plus `type` and `poId` or `poNumber`.',
      security: 'supplierWebhookSignature',
      params: { 'x-oms-timestamp': 'Unix seconds when signed.', 'x-oms-signature': '`sha256=<hex HMAC>`.' },
      body: {
        kind: 'variants',
        discriminator: 'type',
        base: WebhookCallbackDto,
        variants: {
          acknowledgement: AcknowledgementDto,
          shipment: ShipmentDto,
          invoice: InvoiceDto,
          cancellation_answer: CancellationAnswerDto,
          cancellation: SupplierCancellationDto,
          stock: StockFeedDto,
        },
        validatedBy: 'readBody',
        description: 'What the callback is (`type`), which PO, and the same body as the REST call.',
      },
      responses: { ...supplierAnswer('callback').responses, 401: error('Unknown supplier, bad signature, stale timestamp or suspended supplier.') },
    },
  },
  'returns-router': {
    'POST /returns': {
      summary: "Request a return; answered with the customer's instructions per part",
      description: 'The same request as `commerce.returns.v1`.',
      params: { 'idempotency-key': 'A retry with the same key is the same request.' },
      body: { kind: 'dto', dto: ReturnRequestV1 },
      responses: {
        201: json('Routed: where to send each part.', object({ returnId: uuid(), status: oneOf(['routed']), events: arrayOf(object({ type: string(), data: looseObject('event data') })) })),
        400: invalid,
        422: json('Refused, with every reason (published as ReturnRejected).', object({ returnId: uuid(), status: string(), events: arrayOf(looseObject('event')) })),
      },
    },
    'GET /returns/:returnId': { summary: 'A return and its parts', responses: { 200: json(`The return ${history}.`), 400: invalid, 404: notFound('return') } },
    'POST /returns/:returnId/parts/:partId/receipts': {
      summary: 'What a warehouse or supplier received of a return part, and in what condition',
      body: { kind: 'dto', dto: ReturnReceiptV1 },
      responses: { 201: json('Recorded; the return as it is now.', object({ returnId: uuid(), state: looseObject('the return') })), 400: invalid },
    },
  },
  'supplier-performance': {
    'GET /scorecards': { summary: "Every supplier's flags and scorecard", responses: { 200: json('Scorecards.', object({ scorecards: arrayOf(looseObject('supplierId, flags, scorecard')) })) } },
    'GET /scorecards/:supplierId': { summary: "One supplier's flags and scorecard", responses: { 200: json('The scorecard.'), 400: invalidId, 404: notFound('supplier history') } },
    'POST /admin/rebuild': {
      summary: 'Replay every scorecard stream into a fresh copy and compare it with the live projection',
      responses: { 200: json('Whether the copies are equal, the differences, and both speeds.'), 401: unauthorized('performance admin token') },
    },
    'POST /admin/what-if': {
      summary: 'Judge the same history under other weights or thresholds (the live scorecards are untouched)',
      body: { kind: 'dto', dto: WhatIfDto, description: 'Policies to try, each part merged over the live one; the flag window must be one of the scoring windows.' },
      responses: { 200: json('The flag changes each supplier would have had.'), 400: invalid, 401: unauthorized('performance admin token') },
    },
  },
  'finance-reconciler': {
    'GET /reports/reconciliation': {
      summary: 'The reconciliation report per order and per supplier, with a double-entry trial balance',
      params: { from: 'Recorded from (ISO-8601).', to: 'Recorded before (ISO-8601, exclusive).', format: '`json` (default) or `csv`.' },
      responses: {
        200: { description: 'The report (JSON; with `format=csv`, text/csv).', schema: looseObject('orders, suppliers, trial balance') },
        400: invalid,
        401: unauthorized('finance token'),
      },
    },
    'GET /ledgers/:orderId': {
      summary: "An order's ledger: figures, margin, history",
      responses: { 200: json(`The ledger ${history}.`), 400: invalid, 401: unauthorized('finance token'), 404: notFound('ledger') },
    },
    'GET /supplier-accounts/:supplierId': {
      summary: "A supplier's account: terms and totals per currency, with the balance due",
      responses: { 200: json('The account.', ref('SupplierAccount')), 400: invalidId, 401: unauthorized('finance token') },
    },
    'POST /supplier-accounts/:supplierId/payments': {
      summary: 'Record a payment made to the supplier (once per id)',
      body: { kind: 'dto', dto: AccountEntryDto },
      responses: { 200: json('The account after it.', ref('SupplierAccount')), 400: invalid, 401: unauthorized('finance token') },
    },
    'POST /supplier-accounts/:supplierId/credits': {
      summary: 'Record a credit received from the supplier (once per id)',
      body: { kind: 'dto', dto: AccountEntryDto },
      responses: { 200: json('The account after it.', ref('SupplierAccount')), 400: invalid, 401: unauthorized('finance token') },
    },
  },
};
