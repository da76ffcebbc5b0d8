// The projections `dropship rebuild` knows: which service holds their history, how that service's
// own domain code folds it, and where the running service shows its copy. Like state.ts, a
// composition root that may know the services' insides.
import { PERSONAL_ADDRESS_FIELDS } from '@oms/contracts';
import { categoryOf, type RecordedEvent } from '@oms/event-store';
import { LEDGER_CATEGORY } from '../../apps/finance-reconciler/src/app/application/ledger-application';
import { SUPPLIER_ACCOUNT_CATEGORY } from '../../apps/finance-reconciler/src/app/application/supplier-accounts';
import type { LedgerEvent } from '../../apps/finance-reconciler/src/app/domain/ledger-events';
import { reconcile, type Input, type ReconciliationReport } from '../../apps/finance-reconciler/src/app/domain/reconciliation';
import type { SupplierAccountEvent } from '../../apps/finance-reconciler/src/app/domain/supplier-account';
import { ORDER_CATEGORY } from '../../apps/order-intake/src/app/application/order-application';
import { orderDecider } from '../../apps/order-intake/src/app/domain/order-decider';
import type { OpenOrder } from '../../apps/order-intake/src/app/domain/order-state';
import { viewOrder } from '../../apps/order-intake/src/app/domain/order-view';
import { PO_CATEGORY } from '../../apps/supplier-gateway/src/app/application/purchase-order-index';
import { purchaseOrderDecider, type OpenPo } from '../../apps/supplier-gateway/src/app/domain/purchase-order';
import { SCORECARD_CATEGORY } from '../../apps/supplier-performance/src/app/application/scorecards';
import { performanceDecider } from '../../apps/supplier-performance/src/app/domain/performance';
import { fetchEach, type Fold, type Items, type Projection } from './rebuild';

/** One state per stream of a category, folded by the aggregate's own `evolve`; keyed by the stream's id. */
function perStream<State, Event>(category: string, decider: { initialState(): State; evolve(state: State, event: Event): State }) {
  const states = new Map<string, State>();
  const apply = (e: RecordedEvent) => {
    if (categoryOf(e.streamName) !== category) return;
    const id = e.streamName.slice(category.length + 1);
    states.set(id, decider.evolve(states.get(id) ?? decider.initialState(), { type: e.type, data: e.data } as unknown as Event));
  };
  return { states, apply };
}

const mapEntries = <V, T>(entries: Iterable<readonly [string, V]>, to: (value: V) => T | undefined): Items =>
  new Map([...entries].flatMap(([id, value]) => {
    const mapped = to(value);
    return mapped === undefined ? [] : [[id, mapped] as const];
  }));

const listOf = (body: unknown, field: string, endpoint: string): Record<string, unknown>[] => {
  const list = (body as Record<string, unknown> | undefined)?.[field];
  if (!Array.isArray(list)) throw new Error(`${endpoint} answered no "${field}" list: is --live-url the right service?`);
  return list as Record<string, unknown>[];
};

/** Supplier-performance: `scorecard-<supplierId>` streams, followed in memory by the service. */
const scorecards: Projection = {
  name: 'scorecards',
  service: 'supplier-performance',
  categories: [SCORECARD_CATEGORY],
  summary: "each supplier's scorecard and flags",
  stored: "the flags on each supplier's last recorded scorecard (SupplierScorecardUpdated)",
  start(): Fold {
    const suppliers = perStream(SCORECARD_CATEGORY, performanceDecider);
    return {
      apply: suppliers.apply,
      rebuilt: () => mapEntries(suppliers.states, (s) => ({ flags: s.flags, scorecard: s.scorecard ?? null })),
      // The flag decisions folded, against what the last scorecard told sourcing: the two are recorded by one append.
      stored: () => ({
        rebuilt: mapEntries(suppliers.states, (s) => ({ flags: s.flags })),
        live: mapEntries(suppliers.states, (s) => (s.scorecard ? { flags: { reasons: s.scorecard.reasons, suspended: s.scorecard.suspended } } : undefined)),
      }),
    };
  },
  live: {
    endpoint: 'GET /scorecards',
    lists: true,
    async fetch(api) {
      const entries = listOf(await api.get('/scorecards'), 'scorecards', 'GET /scorecards');
      return new Map(entries.map(({ supplierId, ...card }) => [String(supplierId), card]));
    },
  },
};

/**
 * The service opens the customer's sealed data for its view; the store keeps it sealed, and this
 * read-only tool never opens it. What is compared is everything else (city, country and the rest).
 */
function withoutPersonalData<T extends { shipTo?: object }>(view: T): T {
  if (!view.shipTo) return view;
  const shipTo = Object.fromEntries(Object.entries(view.shipTo).filter(([field]) => !(PERSONAL_ADDRESS_FIELDS as readonly string[]).includes(field)));
  return { ...view, shipTo };
}

/** Order-intake: the coherent order view, a pure function of the `order-<orderId>` stream. */
const orders: Projection = {
  name: 'orders',
  service: 'order-intake',
  categories: [ORDER_CATEGORY],
  summary: "each accepted order's view",
  stored: 'the status each order last announced (OrderStatusChanged)',
  start(): Fold {
    const states = perStream(ORDER_CATEGORY, orderDecider);
    const open = () => [...states.states].filter((entry): entry is [string, OpenOrder] => entry[1].status === 'open');
    return {
      apply: states.apply,
      rebuilt: () => mapEntries(open(), (order) => withoutPersonalData(viewOrder(order))),
      stored: () => ({
        rebuilt: mapEntries(open(), (order) => {
          const { status, cancellation } = viewOrder(order);
          return { status, cancellation };
        }),
        live: mapEntries(open(), ({ announced }) => ({ status: announced.status, cancellation: announced.cancellation })),
      }),
    };
  },
  live: {
    endpoint: 'GET /orders/:id',
    lists: false,
    fetch: (api, ids) =>
      fetchEach(ids, async (id) => {
        const body = (await api.find(`/orders/${encodeURIComponent(id)}`)) as Record<string, unknown> | undefined;
        if (!body) return undefined;
        // The raw events the service shows beside the view are history, not projection.
        const { history: _history, ...view } = body;
        return withoutPersonalData(view);
      }),
  },
};

/** Supplier-gateway: the purchase-order index, one `po-<poId>` stream each. */
const purchaseOrders: Projection = {
  name: 'purchase-orders',
  service: 'supplier-gateway',
  categories: [PO_CATEGORY],
  summary: "each purchase order's status and content",
  start(): Fold {
    const pos = perStream(PO_CATEGORY, purchaseOrderDecider);
    return {
      apply: pos.apply,
      rebuilt: () => mapEntries(pos.states, (s) => (s.status === 'none' ? undefined : { status: s.status, purchaseOrder: (s as OpenPo).po })),
    };
  },
  live: {
    endpoint: 'GET /admin/purchase-orders/:id',
    tokenSetting: 'GATEWAY_ADMIN_TOKEN',
    lists: false,
    fetch: (api, ids) =>
      fetchEach(ids, async (id) => {
        const body = (await api.find(`/admin/purchase-orders/${encodeURIComponent(id)}`)) as Record<string, unknown> | undefined;
        return body ? { status: body['status'], purchaseOrder: body['purchaseOrder'] } : undefined;
      }),
  },
};

/** A reconciliation report as items: one per order and currency, supplier and currency, trial balance per currency. */
function reportItems(report: Pick<ReconciliationReport, 'orders' | 'suppliers' | 'trialBalance' | 'balanced'>): Items {
  return new Map<string, unknown>([
    ...report.orders.map((o) => [`order/${o.orderId}/${o.currency}`, o] as const),
    ...report.suppliers.map((s) => [`supplier/${s.supplierId}/${s.currency}`, s] as const),
    ...report.trialBalance.map((t) => [`trial-balance/${t.currency}`, t] as const),
    ['balanced', report.balanced],
  ]);
}

/** Finance-reconciler: the reconciliation report over all time, from the ledger and supplier-account streams. */
const reconciliation: Projection = {
  name: 'reconciliation',
  service: 'finance-reconciler',
  categories: [LEDGER_CATEGORY, SUPPLIER_ACCOUNT_CATEGORY],
  summary: 'figures per order and per supplier, trial balance',
  start(): Fold {
    // The same inputs the service's report reads (application/reconciliation.ts), with no period.
    const inputs: Input[] = [];
    return {
      apply(e) {
        const event = { type: e.type, data: e.data };
        const category = categoryOf(e.streamName);
        const id = e.streamName.slice(category.length + 1);
        if (category === LEDGER_CATEGORY) inputs.push({ kind: 'ledger', orderId: id, event: event as unknown as LedgerEvent });
        if (category === SUPPLIER_ACCOUNT_CATEGORY) inputs.push({ kind: 'account', supplierId: id, event: event as unknown as SupplierAccountEvent });
      },
      rebuilt: () => reportItems(reconcile(inputs)),
    };
  },
  live: {
    endpoint: 'GET /reports/reconciliation',
    tokenSetting: 'FINANCE_API_TOKEN',
    lists: true,
    async fetch(api) {
      const body = await api.get('/reports/reconciliation');
      const [orders, suppliers, trialBalance] = ['orders', 'suppliers', 'trialBalance'].map((field) => listOf(body, field, 'GET /reports/reconciliation'));
      return reportItems({ orders, suppliers, trialBalance, balanced: (body as Record<string, unknown>)['balanced'] } as unknown as ReconciliationReport);
    },
  },
};

export const PROJECTIONS: Readonly<Record<string, Projection>> = Object.fromEntries(
  [scorecards, orders, purchaseOrders, reconciliation].map((p) => [p.name, p]),
);
