import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, streamName, type EventStore } from '@oms/event-store';
import { CLOCK, EVENT_STORE, SERVICE_ENV, type Clock } from '@oms/platform';
import { ledgerDecider, type LedgerCommand, type LedgerState } from '../domain/ledger';
import type { Defect } from '../domain/chargebacks';
import type { ChargebackRule } from '../domain/ledger-events';
import type { ChargebackTerms } from '../domain/supplier-account';
import type { FinanceEnv } from '../finance.env';
import { SupplierAccounts } from './supplier-accounts';

export const LEDGER_CATEGORY = 'ledger';
export const ledgerStream = (orderId: string) => streamName(LEDGER_CATEGORY, orderId);

/** Distributive Omit, so each command keeps its own shape without its `now`. */
type WithoutNow<T> = T extends { data: infer D } ? { type: T extends { type: infer K } ? K : never; data: Omit<D, 'now'> } : never;
export type LedgerRequest = WithoutNow<LedgerCommand>;

const TERMS_FIELD: Readonly<Record<ChargebackRule, keyof ChargebackTerms>> = {
  late_shipment: 'lateShipment',
  invalid_tracking: 'invalidTracking',
  cancelled_after_acceptance: 'cancelledAfterAcceptance',
};

/**
 * The finance use cases: each message becomes one ledger command on the order's stream, decided on
 * its revision and made idempotent by its cause (the message id), so a redelivery changes nothing.
 */
@Injectable()
export class LedgerApplication {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_ENV) private readonly env: FinanceEnv,
    private readonly accounts: SupplierAccounts,
  ) {}

  get unitCostTolerance(): number {
    return this.env.FINANCE_UNIT_COST_TOLERANCE;
  }

  async execute(orderId: string, request: LedgerRequest, causationId: string): Promise<LedgerState> {
    const command = { type: request.type, data: { ...request.data, now: this.clock.now() } } as unknown as LedgerCommand;
    const result = await handleCommand(this.store, ledgerStream(orderId), ledgerDecider, command, { causationId, correlationId: orderId });
    return result.state;
  }

  /**
   * Charges back each defect by the supplier's terms; nothing for a rule the terms set no amount
   * for. A chargeback's id comes from the defect (the shipment that was late, say), not from the
   * message, so the same fact sent again under a new event id charges the supplier once.
   */
  async chargeBack(orderId: string, supplierId: string, poId: string, defects: readonly Defect[], causationId: string): Promise<void> {
    if (defects.length === 0) return;
    const terms = await this.accounts.terms(supplierId);
    for (const { rule, occurrenceId, reason } of defects) {
      const amount = terms?.[TERMS_FIELD[rule]] ?? 0;
      if (amount <= 0) continue;
      await this.execute(orderId, { type: 'RaiseChargeback', data: { chargebackId: `${rule}:${poId}:${occurrenceId}`, poId, rule, amount, reason } }, `${causationId}:${rule}`);
    }
  }
}
