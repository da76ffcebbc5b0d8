import { runDecider } from '@oms/event-store/testing';
import {
  balanceDue,
  supplierAccountDecider,
  SupplierAccountError,
  type AccountEntryKind,
  type SupplierAccountCommand,
  type SupplierAccountState,
} from './supplier-account';

/*
 * Given what a supplier's account has seen, when a posting or new terms arrive, then these events.
 */

const run = (commands: readonly SupplierAccountCommand[], from?: SupplierAccountState) => runDecider(supplierAccountDecider, commands, from);

const given = (...commands: SupplierAccountCommand[]) => {
  const past = run(commands);
  return { state: past.state, when: (...next: SupplierAccountCommand[]) => run(next, past.state) };
};

const post = (entryId: string, kind: AccountEntryKind, amount: number, currency = 'EUR'): SupplierAccountCommand => ({
  type: 'Post',
  data: { entryId, kind, amount, currency, orderId: 'o-1', poId: 'po-1', reference: `ref-${entryId}`, at: '2026-03-04T15:30:00.000Z' },
});
const terms = (asOf: string, lateShipment: number): SupplierAccountCommand => ({ type: 'RecordTerms', data: { chargebacks: { lateShipment, invalidTracking: 500 }, asOf } });

describe('supplier account decider', () => {
  describe('Post', () => {
    it('posts an entry and adds it to the totals of its currency and kind', () => {
      const entry = post('e-1', 'payable_accrued', 2400);
      const { events, state } = given().when(entry, post('e-2', 'payable_accrued', 1300), post('e-3', 'chargeback', 500), post('e-4', 'payable_accrued', 9900, 'USD'));
      expect(events[0]).toEqual({ type: 'SupplierAccountPosted', data: entry.data });
      expect(state.totals).toEqual({ EUR: { payable_accrued: 3700, chargeback: 500 }, USD: { payable_accrued: 9900 } });
      expect(Object.keys(state.entries).sort()).toEqual(['e-1', 'e-2', 'e-3', 'e-4']);
    });

    it('posts an entry once: the same entry id again, even with another amount or kind, records nothing', () => {
      const account = given(post('e-1', 'payable_accrued', 2400));
      const { events, state } = account.when(post('e-1', 'payable_accrued', 2400), post('e-1', 'payment', 9999));
      expect(events).toEqual([]);
      expect(state.totals).toEqual({ EUR: { payable_accrued: 2400 } });
    });

    it('posts an entry of 0', () => {
      expect(given().when(post('e-1', 'credit_expected', 0)).events).toHaveLength(1);
    });

    it.each([
      ['a negative amount', -1],
      ['a fractional amount', 12.5],
      ['NaN', Number.NaN],
      ['an unsafe integer', Number.MAX_SAFE_INTEGER + 1],
    ])('refuses %s', (_name, amount) => {
      expect(() => given().when(post('e-1', 'payment', amount))).toThrow(SupplierAccountError);
      expect(() => given().when(post('e-1', 'payment', amount))).toThrow('Entry e-1: amount must be a non-negative integer of minor units');
    });

    it('records nothing, rather than refusing, for an entry already posted', () => {
      expect(given(post('e-1', 'payment', 100)).when(post('e-1', 'payment', -100)).events).toEqual([]);
    });
  });

  describe('RecordTerms', () => {
    it('records the first terms', () => {
      const command = terms('2026-03-01T00:00:00.000Z', 1500);
      const { events, state } = given().when(command);
      expect(events).toEqual([{ type: 'SupplierTermsRecorded', data: command.data }]);
      expect(state.terms).toEqual(command.data);
    });

    it('keeps the newer terms: older or same-dated ones record nothing, newer ones replace them', () => {
      const account = given(terms('2026-03-01T00:00:00.000Z', 1500));
      expect(account.when(terms('2026-02-28T23:59:59.999Z', 900)).events).toEqual([]);
      expect(account.when(terms('2026-03-01T00:00:00.000Z', 900)).events).toEqual([]);
      const newer = account.when(terms('2026-03-01T00:00:00.001Z', 2000));
      expect(newer.events).toHaveLength(1);
      expect(newer.state.terms?.chargebacks.lateShipment).toBe(2000);
    });

    it('compares instants, not strings', () => {
      // 02:00 at +03:00 is 23:00 the day before, UTC: older.
      expect(given(terms('2026-03-01T00:00:00.000Z', 1500)).when(terms('2026-03-01T02:00:00.000+03:00', 900)).events).toEqual([]);
    });
  });

  describe('balanceDue', () => {
    it('is what was accrued less chargebacks, expected credits and payments', () => {
      expect(balanceDue({ payable_accrued: 10_000, chargeback: 500, credit_expected: 1200, payment: 3000 })).toBe(5300);
    });

    it('ignores releases (never accrued), invoices (matched against accruals) and credits received (already expected)', () => {
      expect(balanceDue({ payable_accrued: 10_000, payable_released: 4000, invoice_matched: 10_000, invoice_disputed: 700, credit_received: 1200, credit_expected: 1200 })).toBe(8800);
    });

    it('is 0 for an empty account, and negative when the supplier owes the retailer', () => {
      expect(balanceDue({})).toBe(0);
      expect(balanceDue({ payable_accrued: 1000, chargeback: 1500 })).toBe(-500);
    });

    it('works on the totals an account keeps per currency', () => {
      const { state } = given().when(
        post('e-1', 'payable_accrued', 2400),
        post('e-2', 'payable_accrued', 2800),
        post('e-3', 'credit_expected', 1400),
        post('e-4', 'chargeback', 500),
        post('e-5', 'payment', 1000),
        post('e-5', 'payment', 1000),
        post('e-6', 'payable_accrued', 7000, 'USD'),
      );
      expect(balanceDue(state.totals['EUR'] ?? {})).toBe(2300);
      expect(balanceDue(state.totals['USD'] ?? {})).toBe(7000);
    });
  });
});
