import fc from 'fast-check';
import { postingsOf, reconcile, type Input } from './reconciliation';
import type { SupplierAccountEvent } from './supplier-account';
import { cancel, chargeback, chargedLine, commitPo, CURRENCY, q, recognizeCharge, returned, run, ship, shippingCharge } from './testing/ledger-fixtures';

const asInputs = (orderId: string, events: ReturnType<typeof run>['events']): Input[] => events.map((event) => ({ kind: 'ledger', orderId, event }));
const posted = (supplierId: string, kind: 'payment' | 'credit_received', amount: number): Input => ({
  kind: 'account',
  supplierId,
  event: { type: 'SupplierAccountPosted', data: { entryId: `${kind}-${amount}`, kind, amount, currency: CURRENCY, at: '2026-03-05T00:00:00.000Z' } } as SupplierAccountEvent,
});

describe('reconciliation report', () => {
  // 2 × 25.00 (tax 4.00) at S1 for 13.00 each; 1 × 10.00 (tax 0.80) at S2 for 6.00; shipping 5.00 + 0.40 tax.
  const lines = [chargedLine('l1', 2, 2500, { tax: 400 }), chargedLine('l2', 1, 1000, { tax: 80 })];
  const { events } = run([
    recognizeCharge(lines, shippingCharge(500, { tax: 40 })),
    commitPo('po-1', 'S1', [{ lineId: 'l1', quantity: 2, unitCost: 1300 }]),
    commitPo('po-2', 'S2', [{ lineId: 'l2', quantity: 1, unitCost: 600 }]),
    ship('sh-1', 'S1', [q('l1', 2)], 'po-1'),
    cancel('c-1', [q('l2', 1)]),
    returned('r-1', [q('l1', 1)], 'supplier', 'S1'),
    chargeback('cb-1', 'po-1', 250),
  ]);
  const report = reconcile([...asInputs('o-1', events), posted('S1', 'payment', 1000), posted('S1', 'credit_received', 1300)]);

  it('adds up per order: charged, refunded, tax, payables, credits, chargebacks and margin', () => {
    // charged 5400 + 1080 + 540 = 7020; refunded: l2 1080 (cancelled) + one unit of l1 2700 (returned) = 3780.
    expect(report.orders).toEqual([
      {
        orderId: 'o-1',
        currency: CURRENCY,
        charged: 7020,
        refunded: 3780,
        taxCharged: 520,
        taxRefunded: 280,
        payableAccrued: 2600,
        payableReleased: 0,
        chargebacks: 250,
        creditsExpected: 1300,
        // shipped 2 units of l1: net 5000 − cost 2600 = 2400; the return takes back 2500 − 1300.
        margin: 1200,
      },
    ]);
  });

  it('adds up per supplier, and says what is still due', () => {
    expect(report.suppliers.find((s) => s.supplierId === 'S1')).toEqual({
      supplierId: 'S1',
      currency: CURRENCY,
      payableAccrued: 2600,
      payableReleased: 0,
      chargebacks: 250,
      creditsExpected: 1300,
      creditsReceived: 1300,
      invoicedMatched: 0,
      invoicedDisputed: 0,
      paid: 1000,
      balanceDue: 2600 - 250 - 1300 - 1000,
    });
  });

  it('balances: every posting has its other side, account by account', () => {
    expect(report.balanced).toBe(true);
    expect(report.trialBalance).toEqual([
      {
        currency: CURRENCY,
        debits: expect.any(Number),
        credits: expect.any(Number),
        difference: 0,
        accounts: {
          customer_receivable: 7020 - 3780,
          sales: -(5000 + 1000),
          shipping_revenue: -500,
          tax_payable: -(520 - 280),
          sales_returns: 1000 + 2500,
          cost_of_goods: 2600 - 1300,
          supplier_payable: -2600 + 250 + 1000,
          supplier_credit_receivable: 1300 - 1300,
          chargeback_income: -250,
          cash: -1000 + 1300,
        },
      },
    ]);
  });

  it('posts balanced entries for any order, refunds and returns included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 9_999 }), fc.integer({ min: 0, max: 9 }), (quantity, price, tax, back) => {
        const line = chargedLine('l1', quantity, price, { tax });
        const { events: decided } = run([
          recognizeCharge([line], shippingCharge(499, { tax: 33 })),
          commitPo('po-1', 'S1', [{ lineId: 'l1', quantity, unitCost: Math.floor(price / 2) }]),
          ship('sh-1', 'S1', [q('l1', quantity)], 'po-1'),
          returned('r-1', [q('l1', Math.min(back, quantity))], 'supplier', 'S1'),
        ]);
        for (const input of asInputs('o', decided)) {
          const postings = postingsOf(input);
          expect(postings.reduce((n, p) => n + p.debit - p.credit, 0)).toBe(0);
        }
        expect(reconcile(asInputs('o', decided)).balanced).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
