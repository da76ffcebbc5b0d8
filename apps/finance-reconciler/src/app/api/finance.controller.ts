import { BadRequestException, Body, Controller, Get, Header, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res, UseGuards, HttpCode } from '@nestjs/common';
import { loadAggregate, type EventStore } from '@oms/event-store';
import { bearerTokenGuard, EVENT_STORE, ParseIdPipe, readBody } from '@oms/platform';
import { Inject } from '@nestjs/common';
import { ledgerStream } from '../application/ledger-application';
import { Reconciliation } from '../application/reconciliation';
import { SupplierAccounts } from '../application/supplier-accounts';
import { ledgerDecider } from '../domain/ledger';
import { balanceDue } from '../domain/supplier-account';
import type { FinanceEnv } from '../finance.env';
import { AccountEntryDto } from './finance.dto';

export const FinanceTokenGuard = bearerTokenGuard<FinanceEnv>((env) => env.FINANCE_API_TOKEN, 'Finance API');


function dateParam(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new BadRequestException({ message: 'Invalid request', errors: [{ field: name, message: 'must be an ISO-8601 date or time' }] });
  return date;
}

/** For finance: the reconciliation report, an order's ledger, supplier accounts, payments and credits. */
@Controller()
@UseGuards(FinanceTokenGuard)
export class FinanceController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly reconciliation: Reconciliation,
    private readonly accounts: SupplierAccounts,
  ) {}

  /** `?from=&to=` (recorded time, to exclusive) and `format=json|csv`. */
  @Get('reports/reconciliation')
  async report(@Query('from') from: string | undefined, @Query('to') to: string | undefined, @Query('format') format: string | undefined, @Res({ passthrough: true }) res: { type(t: string): unknown }) {
    const fromDate = dateParam('from', from);
    const toDate = dateParam('to', to);
    const report = await this.reconciliation.report({ ...(fromDate ? { from: fromDate } : {}), ...(toDate ? { to: toDate } : {}) });
    if (format === 'csv') {
      res.type('text/csv');
      return this.reconciliation.csv(report);
    }
    return report;
  }

  @Get('ledgers/:orderId')
  async ledger(@Param('orderId', new ParseUUIDPipe()) orderId: string) {
    const { state, events } = await loadAggregate({ store: this.store, decider: ledgerDecider }, ledgerStream(orderId));
    if (events.length === 0) throw new NotFoundException({ message: `No ledger for order ${orderId}` });
    const report = await this.reconciliation.report({ orderIds: new Set([orderId]) });
    return {
      orderId,
      figures: report.orders,
      orderMargin: state.orderMargin,
      history: events.map((e) => ({ revision: e.revision, type: e.type, recordedAt: e.recordedAt.toISOString(), data: e.data })),
    };
  }

  @Get('supplier-accounts/:supplierId')
  async account(@Param('supplierId', ParseIdPipe) supplierId: string) {
    const state = await this.accounts.account(supplierId);
    return {
      supplierId,
      terms: state.terms ?? null,
      totals: Object.fromEntries(Object.entries(state.totals).map(([currency, totals]) => [currency, { ...totals, balanceDue: balanceDue(totals) }])),
    };
  }

  @Post('supplier-accounts/:supplierId/payments')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async payment(@Param('supplierId', ParseIdPipe) supplierId: string, @Body() body: unknown) {
    const entry = readBody(AccountEntryDto, body);
    await this.accounts.record(supplierId, { entryId: `payment:${entry.id}`, kind: 'payment', amount: entry.amount, currency: entry.currency, ...(entry.reference ? { reference: entry.reference } : {}) });
    return this.account(supplierId);
  }

  @Post('supplier-accounts/:supplierId/credits')
  @HttpCode(200)
  async credit(@Param('supplierId', ParseIdPipe) supplierId: string, @Body() body: unknown) {
    const entry = readBody(AccountEntryDto, body);
    await this.accounts.record(supplierId, { entryId: `credit:${entry.id}`, kind: 'credit_received', amount: entry.amount, currency: entry.currency, ...(entry.reference ? { reference: entry.reference } : {}) });
    return this.account(supplierId);
  }
}
