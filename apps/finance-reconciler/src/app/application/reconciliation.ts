import { Inject, Injectable } from '@nestjs/common';
import { categoryOf, type EventStore, type Position } from '@oms/event-store';
import { EVENT_STORE } from '@oms/platform';
import { stringify } from 'csv-stringify/sync';
import type { LedgerEvent } from '../domain/ledger-events';
import { reconcile, type Input, type ReconciliationReport } from '../domain/reconciliation';
import type { SupplierAccountEvent } from '../domain/supplier-account';
import { LEDGER_CATEGORY } from './ledger-application';
import { SUPPLIER_ACCOUNT_CATEGORY } from './supplier-accounts';

/** Reads the period's ledger and account events from the store and reconciles them. */
@Injectable()
export class Reconciliation {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async report(period: { from?: Date; to?: Date; orderIds?: ReadonlySet<string> }): Promise<ReconciliationReport & { period: { from?: string; to?: string } }> {
    const inputs: Input[] = [];
    let after: Position | undefined;
    for (;;) {
      const page = await this.store.readAll({ categories: [LEDGER_CATEGORY, SUPPLIER_ACCOUNT_CATEGORY], maxCount: 1000, ...(after ? { after } : {}) });
      for (const e of page) {
        if (period.from && e.recordedAt < period.from) continue;
        if (period.to && e.recordedAt >= period.to) continue;
        const event = { type: e.type, data: e.data };
        if (categoryOf(e.streamName) === LEDGER_CATEGORY) {
          const orderId = e.streamName.slice(LEDGER_CATEGORY.length + 1);
          if (period.orderIds && !period.orderIds.has(orderId)) continue;
          inputs.push({ kind: 'ledger', orderId, event: event as unknown as LedgerEvent });
        } else if (!period.orderIds) {
          inputs.push({ kind: 'account', supplierId: e.streamName.slice(SUPPLIER_ACCOUNT_CATEGORY.length + 1), event: event as unknown as SupplierAccountEvent });
        }
      }
      if (page.length < 1000) break;
      after = page[page.length - 1]!.position;
    }
    return { ...reconcile(inputs), period: { ...(period.from ? { from: period.from.toISOString() } : {}), ...(period.to ? { to: period.to.toISOString() } : {}) } };
  }

  /** The same report as CSV: one section per table, a blank line between them. */
  csv(report: ReconciliationReport): string {
    const table = (rows: readonly object[]) => (rows.length === 0 ? '' : stringify(rows as Record<string, unknown>[], { header: true }));
    return [
      `# orders\n${table(report.orders)}`,
      `# suppliers\n${table(report.suppliers)}`,
      `# trial balance\n${table(report.trialBalance.map(({ accounts, ...t }) => ({ ...t, ...accounts })))}`,
    ].join('\n');
  }
}
