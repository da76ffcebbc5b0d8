import type { Decider } from '@oms/event-store';

/**
 * What the retailer owes one supplier (`supplieraccount-<supplierId>`; the design's
 * `supplier-account` cannot be a category, which ends at the first dash): every payable,
 * chargeback, credit and payment posted once by its own entry id, with the supplier's terms.
 */
export type AccountEntryKind = 'payable_accrued' | 'payable_released' | 'chargeback' | 'credit_expected' | 'credit_received' | 'invoice_matched' | 'invoice_disputed' | 'payment';

export interface ChargebackTerms {
  readonly lateShipment?: number;
  readonly invalidTracking?: number;
  readonly cancelledAfterAcceptance?: number;
}

export type SupplierAccountEvent =
  | { readonly type: 'SupplierTermsRecorded'; readonly data: { readonly chargebacks: ChargebackTerms; readonly asOf: string } }
  | {
      readonly type: 'SupplierAccountPosted';
      readonly data: { readonly entryId: string; readonly kind: AccountEntryKind; readonly amount: number; readonly currency: string; readonly orderId?: string; readonly poId?: string; readonly reference?: string; readonly at: string };
    };

export type SupplierAccountCommand =
  | { readonly type: 'RecordTerms'; readonly data: { readonly chargebacks: ChargebackTerms; readonly asOf: string } }
  | { readonly type: 'Post'; readonly data: Extract<SupplierAccountEvent, { type: 'SupplierAccountPosted' }>['data'] };

export interface SupplierAccountState {
  readonly terms: { readonly chargebacks: ChargebackTerms; readonly asOf: string } | undefined;
  readonly entries: Readonly<Record<string, true>>;
  /** Per currency and kind, the sum posted. */
  readonly totals: Readonly<Record<string, Readonly<Partial<Record<AccountEntryKind, number>>>>>;
}

export class SupplierAccountError extends Error {
  override readonly name = 'SupplierAccountError';
}

/** What the retailer still owes: accrued less chargebacks, expected credits and payments. */
export function balanceDue(totals: Partial<Record<AccountEntryKind, number>>): number {
  return (totals.payable_accrued ?? 0) - (totals.chargeback ?? 0) - (totals.credit_expected ?? 0) - (totals.payment ?? 0);
}

export const supplierAccountDecider: Decider<SupplierAccountCommand, SupplierAccountState, SupplierAccountEvent> = {
  initialState: () => ({ terms: undefined, entries: {}, totals: {} }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordTerms':
        return state.terms && Date.parse(state.terms.asOf) >= Date.parse(command.data.asOf) ? [] : [{ type: 'SupplierTermsRecorded', data: command.data }];
      case 'Post': {
        if (state.entries[command.data.entryId]) return [];
        if (!Number.isSafeInteger(command.data.amount) || command.data.amount < 0) throw new SupplierAccountError(`Entry ${command.data.entryId}: amount must be a non-negative integer of minor units`);
        return [{ type: 'SupplierAccountPosted', data: command.data }];
      }
      default: {
        const never: never = command;
        return never;
      }
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'SupplierTermsRecorded':
        return { ...state, terms: event.data };
      case 'SupplierAccountPosted': {
        const { currency, kind, amount, entryId } = event.data;
        const current = state.totals[currency] ?? {};
        return { ...state, entries: { ...state.entries, [entryId]: true }, totals: { ...state.totals, [currency]: { ...current, [kind]: (current[kind] ?? 0) + amount } } };
      }
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};
