import type { LedgerEvent } from './ledger-events';
import type { SupplierAccountEvent } from './supplier-account';

/**
 * The reconciliation report: per order and per supplier, what was charged, refunded, owed, paid,
 * credited, charged back and earned, and a double-entry trial balance of every posting in the
 * period. Each money event posts balanced entries; the balance per currency must be zero — a
 * non-zero difference means a posting rule or an event is wrong, and the report says so.
 */
export type Account =
  | 'customer_receivable'
  | 'sales'
  | 'shipping_revenue'
  | 'tax_payable'
  | 'sales_returns'
  | 'cost_of_goods'
  | 'supplier_payable'
  | 'supplier_credit_receivable'
  | 'chargeback_income'
  | 'inventory'
  | 'cash';

export interface Posting {
  readonly account: Account;
  readonly debit: number;
  readonly credit: number;
  readonly currency: string;
}

export type Input =
  | { readonly kind: 'ledger'; readonly orderId: string; readonly event: LedgerEvent }
  | { readonly kind: 'account'; readonly supplierId: string; readonly event: SupplierAccountEvent };

const dr = (account: Account, amount: number, currency: string): Posting => ({ account, debit: amount, credit: 0, currency });
const cr = (account: Account, amount: number, currency: string): Posting => ({ account, debit: 0, credit: amount, currency });
const total = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export function postingsOf(input: Input): Posting[] {
  if (input.kind === 'account') {
    const e = input.event;
    if (e.type !== 'SupplierAccountPosted') return [];
    if (e.data.kind === 'payment') return [dr('supplier_payable', e.data.amount, e.data.currency), cr('cash', e.data.amount, e.data.currency)];
    if (e.data.kind === 'credit_received') return [dr('cash', e.data.amount, e.data.currency), cr('supplier_credit_receivable', e.data.amount, e.data.currency)];
    return [];
  }
  const e = input.event;
  switch (e.type) {
    case 'CustomerChargeRecognised': {
      const c = e.data.currency;
      const tax = total(e.data.lines.map((l) => l.tax)) + e.data.shipping.tax;
      const sales = total(e.data.lines.map((l) => l.total - l.tax));
      return [dr('customer_receivable', e.data.total, c), cr('sales', sales, c), cr('shipping_revenue', e.data.shipping.total - e.data.shipping.tax, c), cr('tax_payable', tax, c)];
    }
    case 'RefundIssued': {
      const c = e.data.currency;
      const tax = total(e.data.lines.map((l) => l.tax)) + (e.data.shipping?.tax ?? 0);
      const returns = total(e.data.lines.map((l) => l.amount - l.tax));
      const shipping = e.data.shipping ? e.data.shipping.total - e.data.shipping.tax : 0;
      return [dr('sales_returns', returns, c), dr('shipping_revenue', shipping, c), dr('tax_payable', tax, c), cr('customer_receivable', e.data.amount, c)];
    }
    case 'SupplierPayableAccrued':
      return [dr('cost_of_goods', e.data.amount, e.data.currency), cr('supplier_payable', e.data.amount, e.data.currency)];
    case 'SupplierCreditExpected':
      return [dr('supplier_credit_receivable', e.data.amount, e.data.currency), cr('cost_of_goods', e.data.amount, e.data.currency)];
    case 'ReturnedToStock':
      return [dr('inventory', e.data.amount, e.data.currency), cr('cost_of_goods', e.data.amount, e.data.currency)];
    case 'ChargebackRaised':
      return [dr('supplier_payable', e.data.amount, e.data.currency), cr('chargeback_income', e.data.amount, e.data.currency)];
    default:
      return [];
  }
}

export interface OrderFigures {
  orderId: string;
  currency: string;
  charged: number;
  refunded: number;
  taxCharged: number;
  taxRefunded: number;
  payableAccrued: number;
  payableReleased: number;
  chargebacks: number;
  creditsExpected: number;
  margin: number;
}

export interface SupplierFigures {
  supplierId: string;
  currency: string;
  payableAccrued: number;
  payableReleased: number;
  chargebacks: number;
  creditsExpected: number;
  creditsReceived: number;
  invoicedMatched: number;
  invoicedDisputed: number;
  paid: number;
  /** Accrued less chargebacks, expected credits and payments. */
  balanceDue: number;
}

export interface ReconciliationReport {
  readonly orders: OrderFigures[];
  readonly suppliers: SupplierFigures[];
  readonly trialBalance: { readonly currency: string; readonly accounts: Record<string, number>; readonly debits: number; readonly credits: number; readonly difference: number }[];
  readonly balanced: boolean;
}

export function reconcile(inputs: readonly Input[]): ReconciliationReport {
  const orders = new Map<string, OrderFigures>();
  const suppliers = new Map<string, SupplierFigures>();
  const order = (orderId: string, currency: string) => {
    const key = `${orderId}/${currency}`;
    if (!orders.has(key)) orders.set(key, { orderId, currency, charged: 0, refunded: 0, taxCharged: 0, taxRefunded: 0, payableAccrued: 0, payableReleased: 0, chargebacks: 0, creditsExpected: 0, margin: 0 });
    return orders.get(key)!;
  };
  const supplier = (supplierId: string, currency: string) => {
    const key = `${supplierId}/${currency}`;
    if (!suppliers.has(key)) {
      suppliers.set(key, { supplierId, currency, payableAccrued: 0, payableReleased: 0, chargebacks: 0, creditsExpected: 0, creditsReceived: 0, invoicedMatched: 0, invoicedDisputed: 0, paid: 0, balanceDue: 0 });
    }
    return suppliers.get(key)!;
  };
  const balances = new Map<string, Map<Account, number>>();
  for (const input of inputs) {
    for (const p of postingsOf(input)) {
      const accounts = balances.get(p.currency) ?? new Map<Account, number>();
      accounts.set(p.account, (accounts.get(p.account) ?? 0) + p.debit - p.credit);
      balances.set(p.currency, accounts);
    }
    if (input.kind === 'account') {
      const e = input.event;
      if (e.type !== 'SupplierAccountPosted') continue;
      const s = supplier(input.supplierId, e.data.currency);
      if (e.data.kind === 'payment') s.paid += e.data.amount;
      if (e.data.kind === 'credit_received') s.creditsReceived += e.data.amount;
      continue;
    }
    const e = input.event;
    switch (e.type) {
      case 'CustomerChargeRecognised': {
        const o = order(input.orderId, e.data.currency);
        o.charged += e.data.total;
        o.taxCharged += total(e.data.lines.map((l) => l.tax)) + e.data.shipping.tax;
        break;
      }
      case 'RefundIssued': {
        const o = order(input.orderId, e.data.currency);
        o.refunded += e.data.amount;
        o.taxRefunded += total(e.data.lines.map((l) => l.tax)) + (e.data.shipping?.tax ?? 0);
        break;
      }
      case 'SupplierPayableAccrued':
        order(input.orderId, e.data.currency).payableAccrued += e.data.amount;
        supplier(e.data.supplierId, e.data.currency).payableAccrued += e.data.amount;
        break;
      case 'SupplierPayableReleased':
        order(input.orderId, e.data.currency).payableReleased += e.data.amount;
        supplier(e.data.supplierId, e.data.currency).payableReleased += e.data.amount;
        break;
      case 'ChargebackRaised':
        order(input.orderId, e.data.currency).chargebacks += e.data.amount;
        supplier(e.data.supplierId, e.data.currency).chargebacks += e.data.amount;
        break;
      case 'SupplierCreditExpected':
        order(input.orderId, e.data.currency).creditsExpected += e.data.amount;
        supplier(e.data.supplierId, e.data.currency).creditsExpected += e.data.amount;
        break;
      case 'MarginRecognised':
        order(input.orderId, e.data.currency).margin += e.data.margin;
        break;
      case 'SupplierInvoiceMatched':
        supplier(e.data.supplierId, e.data.currency).invoicedMatched += e.data.amount;
        break;
      case 'SupplierInvoiceDisputed':
        supplier(e.data.supplierId, e.data.currency).invoicedDisputed += e.data.invoiced;
        break;
      default:
        break;
    }
  }
  for (const s of suppliers.values()) s.balanceDue = s.payableAccrued - s.chargebacks - s.creditsExpected - s.paid;
  const trialBalance = [...balances].map(([currency, accounts]) => {
    const values = [...accounts.values()];
    const debits = total(values.filter((v) => v > 0));
    const credits = -total(values.filter((v) => v < 0));
    return { currency, accounts: Object.fromEntries(accounts), debits, credits, difference: debits - credits };
  });
  return {
    orders: [...orders.values()].sort((a, b) => (a.orderId < b.orderId ? -1 : 1)),
    suppliers: [...suppliers.values()].sort((a, b) => (a.supplierId < b.supplierId ? -1 : 1)),
    trialBalance,
    balanced: trialBalance.every((t) => t.difference === 0),
  };
}
