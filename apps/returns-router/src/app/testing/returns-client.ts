import { serviceTestEnv } from '@oms/testing';
/** What the router's HTTP API answers, as a storefront or a node sees it. */

export interface Answer<T> {
  readonly status: number;
  readonly body: T;
}

export interface RecordedReturnEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export interface RequestAnswer {
  readonly returnId: string;
  readonly status: 'routed' | 'rejected';
  readonly events: readonly RecordedReturnEvent[];
}

export interface ReturnView {
  readonly returnId: string;
  readonly state: { readonly status: string; readonly parts?: Record<string, { readonly received: boolean; readonly exception: boolean }> };
  readonly history: readonly (RecordedReturnEvent & { readonly revision: number })[];
}

/** Field errors of a 400, as `validatePayload` names them. */
export interface Invalid {
  readonly message: string;
  readonly errors: readonly { readonly field: string; readonly message: string }[];
}

export class ReturnsClient {
  constructor(private readonly url: () => string) {}

  /** POST /returns: 201 routed, 422 refused, 400 unreadable. */
  request(body: unknown, idempotencyKey?: string): Promise<Answer<RequestAnswer & Invalid>> {
    return this.post('/returns', body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  }

  /** POST /returns/:returnId/parts/:partId/receipts, as a warehouse or supplier reports what arrived. */
  receipt(returnId: string, partId: string, body: unknown): Promise<Answer<{ returnId: string; state: ReturnView['state'] } & Invalid>> {
    return this.post(`/returns/${returnId}/parts/${encodeURIComponent(partId)}/receipts`, body);
  }

  async get(returnId: string): Promise<ReturnView | undefined> {
    const response = await fetch(`${this.url()}/returns/${returnId}`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET /returns/${returnId}: ${response.status} ${await response.text()}`);
    return (await response.json()) as ReturnView;
  }

  private async post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const response = await fetch(`${this.url()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as T };
  }
}

/** Router configuration for a test run on the shared broker and database. */
export function returnsRouterEnv(options: { brokers: readonly string[]; databaseUrl: string; schema: string; groupId: string; partitions?: number }): Record<string, string> {
  return {
    ...serviceTestEnv(options),
  };
}
