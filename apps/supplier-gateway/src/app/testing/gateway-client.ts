import { createHmac, randomUUID } from 'node:crypto';
import { FULFILMENT_REQUESTS, TOPICS, type FulfilmentRequestedV1 } from '@oms/contracts';
import type { OutgoingMessage } from '@oms/messaging';
import { serviceTestEnv } from '@oms/testing';

export const ADMIN_TOKEN = 'admin-token-for-gateway-tests';
export const SECRETS_KEY = 'a1'.repeat(32);
export const BRAND = { name: 'Northwind Home', returnAddress: { name: 'Northwind Returns', line1: '9 Dock Rd', city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' } };

/** Gateway configuration for a test run: deadlines fire only when the test ticks. */
export function gatewayEnv(options: { brokers: readonly string[]; databaseUrl: string; schema: string; groupId: string }): Record<string, string> {
  return {
    ...serviceTestEnv({ ...options, partitions: 3 }),
    GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
    GATEWAY_SECRETS_KEY: SECRETS_KEY,
    GATEWAY_DEADLINE_POLL_MS: '60000',
    GATEWAY_WEBHOOK_MAX_ATTEMPTS: '2',
    BRAND_NAME: BRAND.name,
    BRAND_RETURN_ADDRESS: JSON.stringify(BRAND.returnAddress),
  };
}

export interface HistoryEntry {
  readonly revision: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export interface PurchaseOrderView {
  readonly poId: string;
  readonly status: string;
  readonly purchaseOrder: { readonly poNumber: string; readonly confirmBy: string; readonly lines: readonly { lineId: string; lineNumber: number; quantity: number }[] };
  readonly history: readonly HistoryEntry[];
}

export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Record<string, unknown>;
  readonly bytes: Buffer;
}

async function replyOf(response: Response): Promise<Reply> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? '';
  let body: Record<string, unknown> = {};
  if (contentType.includes('json')) body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  return { status: response.status, contentType, body, bytes };
}

/** The gateway's HTTP API as a supplier, an admin and a webhook sender see it. `url` may change on restart. */
export class GatewayClient {
  constructor(private readonly url: () => string) {}

  async registerSupplier(settings: Record<string, unknown>): Promise<{ apiKey: string; webhookSecret?: string }> {
    const reply = await this.call('POST', '/admin/suppliers', { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, JSON.stringify(settings));
    if (reply.status !== 201) throw new Error(`register ${String(settings['supplierId'])}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body as { apiKey: string; webhookSecret?: string };
  }

  /** The admin API (`/admin…`) with the admin token. */
  admin(method: 'GET' | 'POST', path: string): Promise<Reply> {
    return this.call(method, `/admin${path}`, { authorization: `Bearer ${ADMIN_TOKEN}` });
  }

  async purchaseOrder(poId: string): Promise<PurchaseOrderView | undefined> {
    const reply = await this.call('GET', `/admin/purchase-orders/${poId}`, { authorization: `Bearer ${ADMIN_TOKEN}` });
    return reply.status === 200 ? (reply.body as unknown as PurchaseOrderView) : undefined;
  }

  asSupplier(apiKey: string, method: 'GET' | 'POST', path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> {
    const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return this.call(method, `/supplier-api${path}`, { authorization: `Bearer ${apiKey}`, ...(raw !== undefined ? { 'content-type': contentType } : {}) }, raw);
  }

  /** A signed callback; `tamper` changes the body after signing. */
  webhook(supplierId: string, secret: string, body: object, options: { timestamp: number; tamper?: (raw: string) => string }): Promise<Reply> {
    const raw = JSON.stringify(body);
    const signature = createHmac('sha256', secret).update(`${options.timestamp}.${raw}`).digest('hex');
    const sent = options.tamper ? options.tamper(raw) : raw;
    return this.call('POST', `/supplier-webhooks/${supplierId}`, { 'content-type': 'application/json', 'x-oms-timestamp': String(options.timestamp), 'x-oms-signature': `sha256=${signature}` }, sent);
  }

  private async call(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
    return replyOf(await fetch(`${this.url()}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) }));
  }
}

export const SHIP_TO = { name: 'Ann Smith', line1: '1 Main St', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' };

/** Sourcing's request to a drop-ship supplier, as it would publish it. */
export function fulfilmentRequested(request: {
  orderId: string;
  supplierId: string;
  lines: FulfilmentRequestedV1['lines'];
  orderNumber?: string;
  planVersion?: number;
  now?: Date;
}): { message: OutgoingMessage; groupId: string } {
  const planVersion = request.planVersion ?? 1;
  const groupId = `${request.orderId}:${planVersion}:${request.supplierId}`;
  const now = request.now ?? new Date();
  const payload: FulfilmentRequestedV1 = {
    orderId: request.orderId,
    groupId,
    nodeId: request.supplierId,
    nodeKind: 'supplier',
    planVersion,
    ...(request.orderNumber ? { orderNumber: request.orderNumber } : {}),
    currency: 'USD',
    lines: request.lines,
    shipTo: SHIP_TO,
    shipBy: new Date(now.getTime() + 2 * 86_400_000).toISOString(),
    deliverBy: new Date(now.getTime() + 5 * 86_400_000).toISOString(),
    requestedAt: now.toISOString(),
  };
  return { groupId, message: allocationMessage(request.orderId, FULFILMENT_REQUESTS.fulfilmentRequested, payload) };
}

export function allocationMessage(key: string, type: string, payload: object): OutgoingMessage {
  return { topic: TOPICS.sourcingAllocations.name, key, eventId: randomUUID(), type, schemaVersion: 1, occurredAt: new Date().toISOString(), payload };
}

export const typesOf = (view: PurchaseOrderView | undefined) => (view?.history ?? []).map((e) => e.type);
