import type { OrderFigures, ReconciliationReport } from '../domain/reconciliation';
import { serviceTestEnv } from '@oms/testing';

export const FINANCE_TOKEN = 'finance-token-for-integration-tests';

/** Finance configuration for a test run or a benchmark on the shared broker and database. */
export function financeEnv(options: { brokers: readonly string[]; databaseUrl: string; schema: string; groupId: string; partitions?: number }): Record<string, string> {
  return {
    ...serviceTestEnv(options),
    FINANCE_API_TOKEN: FINANCE_TOKEN,
  };
}

export interface HistoryEntry {
  readonly revision: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export interface LedgerView {
  readonly orderId: string;
  readonly figures: readonly OrderFigures[];
  readonly orderMargin: number;
  readonly history: readonly HistoryEntry[];
}

export interface AccountView {
  readonly supplierId: string;
  readonly terms: { readonly chargebacks: Record<string, number>; readonly asOf: string } | null;
  readonly totals: Record<string, Record<string, number>>;
}

export type ReportView = ReconciliationReport & { readonly period: { from?: string; to?: string } };

export interface Period {
  readonly from?: Date;
  readonly to?: Date;
}

/** The finance API as finance staff call it, with the bearer token unless told otherwise. */
export class FinanceClient {
  constructor(private readonly url: () => string) {}

  async ledger(orderId: string): Promise<LedgerView | undefined> {
    const response = await this.get(`/ledgers/${orderId}`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET /ledgers/${orderId}: ${response.status} ${await response.text()}`);
    return (await response.json()) as LedgerView;
  }

  async account(supplierId: string): Promise<AccountView> {
    const response = await this.get(`/supplier-accounts/${encodeURIComponent(supplierId)}`);
    if (!response.ok) throw new Error(`GET /supplier-accounts/${supplierId}: ${response.status}`);
    return (await response.json()) as AccountView;
  }

  async report(period: Period = {}): Promise<ReportView> {
    const response = await this.get(`/reports/reconciliation?${query(period)}`);
    if (!response.ok) throw new Error(`GET /reports/reconciliation: ${response.status} ${await response.text()}`);
    return (await response.json()) as ReportView;
  }

  async csv(period: Period = {}): Promise<{ status: number; contentType: string; text: string }> {
    const response = await this.get(`/reports/reconciliation?${query(period)}&format=csv`);
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
  }

  /** POST /supplier-accounts/:id/payments or /credits. */
  async post(supplierId: string, kind: 'payments' | 'credits', body: object): Promise<{ status: number; body: AccountView }> {
    const response = await fetch(`${this.url()}/supplier-accounts/${encodeURIComponent(supplierId)}/${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FINANCE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as AccountView };
  }

  /** A GET with this token, or none when null. */
  get(path: string, token: string | null = FINANCE_TOKEN): Promise<Response> {
    return fetch(`${this.url()}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  }
}

const query = (period: Period) => new URLSearchParams({ ...(period.from ? { from: period.from.toISOString() } : {}), ...(period.to ? { to: period.to.toISOString() } : {}) }).toString();

/** How many events of each type an order's ledger holds. */
export function countsByType(view: LedgerView | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of view?.history ?? []) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return counts;
}
