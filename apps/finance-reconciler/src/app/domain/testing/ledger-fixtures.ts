import { runDecider } from '@oms/event-store/testing';
import { ledgerDecider, type LedgerCommand, type LedgerState } from '../ledger';
import type { ChargebackRule, LedgerEvent, ShippingCharge } from '../ledger-events';
import type { ChargedLine } from '../refund-allocation';

/**
 * Test inputs for the order ledger: command builders with a fixed clock, charged lines whose total
 * follows the documented rule, and a given/when runner over `ledgerDecider`. Every builder returns
 * a fresh value.
 */

export const NOW = new Date('2026-03-02T09:00:00.000Z');
export const LATER = new Date('2026-03-04T15:30:00.000Z');
export const CURRENCY = 'EUR';

export type LineQuantity = { readonly lineId: string; readonly quantity: number };
export type ChargeLine = ChargedLine & { readonly sku: string };

export const q = (lineId: string, quantity: number): LineQuantity => ({ lineId, quantity });

/** A line as the order side prices it: total = unitPrice × quantity − discount (+ tax when excluded). */
export const chargedLine = (
  lineId: string,
  quantity: number,
  unitPrice: number,
  { discount = 0, tax = 0, taxesIncluded = false, sku = `SKU-${lineId}` }: { discount?: number; tax?: number; taxesIncluded?: boolean; sku?: string } = {},
): ChargeLine => ({ lineId, sku, quantity, unitPrice, discount, tax, total: unitPrice * quantity - discount + (taxesIncluded ? 0 : tax) });

export const shippingCharge = (amount: number, { discount = 0, tax = 0, taxesIncluded = false }: { discount?: number; tax?: number; taxesIncluded?: boolean } = {}): ShippingCharge => ({
  amount,
  discount,
  tax,
  total: amount - discount + (taxesIncluded ? 0 : tax),
});

export const NO_SHIPPING: ShippingCharge = { amount: 0, discount: 0, tax: 0, total: 0 };

export const recognizeCharge = (lines: readonly ChargeLine[], shipping: ShippingCharge = NO_SHIPPING, taxesIncluded = false, now: Date = NOW): LedgerCommand => ({
  type: 'RecognizeCharge',
  data: { currency: CURRENCY, taxesIncluded, lines, shipping, now },
});

export const cancel = (cancellationId: string, lines: readonly LineQuantity[], reason = 'customer request'): LedgerCommand => ({
  type: 'RefundCancellation',
  data: { cancellationId, lines, reason, now: LATER },
});

export const returned = (returnId: string, lines: readonly LineQuantity[], destination: 'supplier' | 'retailer', nodeId?: string): LedgerCommand => ({
  type: 'RefundReturn',
  data: { returnId, lines, destination, ...(nodeId !== undefined ? { nodeId } : {}), reason: 'changed mind', now: LATER },
});

export const commitPo = (poId: string, supplierId: string, lines: readonly { lineId: string; quantity: number; unitCost: number }[]): LedgerCommand => ({
  type: 'CommitPurchaseOrder',
  data: { poId, supplierId, poNumber: `PO-${poId}`, currency: CURRENCY, lines, shipBy: LATER.toISOString(), now: NOW },
});

export const ship = (shipmentId: string, nodeId: string, lines: readonly LineQuantity[], poId?: string): LedgerCommand => ({
  type: 'RecordShipment',
  data: { shipmentId, nodeId, ...(poId !== undefined ? { poId } : {}), lines, shippedAt: NOW.toISOString(), now: LATER },
});

export const nodeCosts = (nodeId: string, lines: readonly { lineId: string; unitCost: number }[], nodeKind: 'warehouse' | 'supplier' = 'warehouse'): LedgerCommand => ({
  type: 'RecordNodeCosts',
  data: { groupId: `g-${nodeId}`, nodeId, nodeKind, lines },
});

export const release = (sourceId: string, poId: string, lines: readonly LineQuantity[], reason = 'ship-by passed'): LedgerCommand => ({
  type: 'ReleasePurchaseOrder',
  data: { sourceId, poId, lines, reason, now: LATER },
});

/** An invoice whose total is the sum of its lines unless given. */
export const invoice = (
  poId: string,
  invoiceNumber: string,
  lines: readonly { lineId: string; quantity: number; unitCost: number }[],
  { total, unitCostTolerance = 0 }: { total?: number; unitCostTolerance?: number } = {},
): LedgerCommand => ({
  type: 'MatchInvoice',
  data: { poId, invoiceNumber, lines, total: total ?? lines.reduce((a, l) => a + l.quantity * l.unitCost, 0), unitCostTolerance, now: LATER },
});

export const chargeback = (chargebackId: string, poId: string, amount: number, rule: ChargebackRule = 'late_shipment'): LedgerCommand => ({
  type: 'RaiseChargeback',
  data: { chargebackId, poId, rule, amount, reason: 'shipped after ship-by', now: LATER },
});

export function run(commands: readonly LedgerCommand[], from: LedgerState = ledgerDecider.initialState()): { state: LedgerState; events: LedgerEvent[] } {
  return runDecider(ledgerDecider, commands, from);
}

/** Given the commands the ledger has seen, when these arrive: the events decided and the state they lead to. */
export function given(...commands: LedgerCommand[]) {
  const past = run(commands);
  return {
    state: past.state,
    events: past.events,
    when: (...next: LedgerCommand[]) => run(next, past.state),
  };
}

export const ofType = <T extends LedgerEvent['type']>(events: readonly LedgerEvent[], type: T) => events.filter((e): e is Extract<LedgerEvent, { type: T }> => e.type === type);
