import { lineDisposition, orderAckStatus, type LineDisposition, type OrderAckStatus } from './ack-codes';
import { X12ParseError } from './errors';
import { assertType, singleTransactionSet, type X12TransactionSet } from './interchange';
import { currencyExponent, type MoneyOptions } from './money-options';
import { segmentLabel, element, optionalElement, productIds, skusOf, type ProductId, type X12Segment } from './segment';
import { optional } from './optional-field';
import { unreachable } from './unreachable';
import { optionalX12Date } from './x12-dates';
import { decimalToMinorUnits, quantityOf } from './x12-numbers';

/** One ACK segment as sent. */
export type AckStatus = {
  /** ACK01, e.g. IA, IR, IB, BP, IQ. */
  readonly code: string;
  readonly disposition: LineDisposition;
  /** ACK02; absent when the supplier sent none. */
  readonly quantity?: number;
  /** ACK04/ACK05: e.g. 068 current schedule ship, with the date (when a backorder will ship). */
  readonly dateQualifier?: string;
  readonly date?: string;
  /** ACK29: the supplier's own reason code (BISAC-style 'CW', 'KK', …). */
  readonly reasonCode?: string;
};

/** A PO line as the supplier answered it. Quantities add up to at most `orderedQuantity`. */
export type AcknowledgedLine = {
  /** PO101, our line number echoed back. */
  readonly lineNumber: string;
  readonly orderedQuantity: number;
  readonly unitOfMeasure?: string;
  readonly unitPriceMinor?: number;
  readonly sku?: string;
  readonly supplierSku?: string;
  readonly productIds: readonly ProductId[];
  readonly accepted: number;
  readonly rejected: number;
  readonly backordered: number;
  readonly held: number;
  readonly backorderDate?: string;
  /** ACK01 of the rejecting status (IR, ID, R1…) and the supplier's reason (ACK29) when given. */
  readonly rejectionCode?: string;
  readonly rejectionReason?: string;
  /** Every ACK segment of the line, in order; empty when the supplier acknowledged the line without one. */
  readonly statuses: readonly AckStatus[];
};

export type PurchaseOrderAcknowledgement = {
  readonly controlNumber: string;
  /** BAK03. */
  readonly poNumber: string;
  /** BAK04. */
  readonly poDate?: string;
  /** BAK09. */
  readonly acknowledgementDate?: string;
  /** BAK01: 00 original, 06 confirmation, … */
  readonly purposeCode: string;
  /** BAK02 as sent, and what it means for the order as a whole. */
  readonly acknowledgementType: string;
  readonly orderStatus: OrderAckStatus;
  /** CUR02 when sent. */
  readonly currency?: string;
  readonly lines: readonly AcknowledgedLine[];
};

/** Reads the single 855 in `text`. For files with several sets use parseInterchange + read855. */
export function parse855(text: string, options?: MoneyOptions): PurchaseOrderAcknowledgement {
  return read855(singleTransactionSet(text, '855'), options);
}

export function read855(set: X12TransactionSet, options?: MoneyOptions): PurchaseOrderAcknowledgement {
  assertType(set, '855');
  const exponent = currencyExponent(options);
  const bak = set.segments.find((segment) => segment.tag === 'BAK');
  if (bak === undefined) throw new X12ParseError('missing-segment', `855 ${set.controlNumber}: no BAK segment`);
  const poNumber = element(bak, 3);
  if (poNumber === '') throw new X12ParseError('invalid-value', `855 ${set.controlNumber}: BAK03 (purchase order number) is empty`);
  const cur = set.segments.find((segment) => segment.tag === 'CUR');
  const acknowledgementType = element(bak, 2);
  const orderStatus = orderAckStatus(acknowledgementType);

  const drafts: { po1: X12Segment; index: number; acks: X12Segment[] }[] = [];
  set.segments.forEach((segment, index) => {
    if (segment.tag === 'PO1') drafts.push({ po1: segment, index, acks: [] });
    else if (segment.tag === 'ACK') drafts.at(-1)?.acks.push(segment);
  });

  const poDate = optionalX12Date(element(bak, 4), 'BAK04');
  const acknowledgementDate = optionalX12Date(element(bak, 9), 'BAK09');
  const currency = cur === undefined ? undefined : optionalElement(cur, 2);
  return {
    controlNumber: set.controlNumber,
    poNumber,
    ...optional('poDate', poDate),
    ...optional('acknowledgementDate', acknowledgementDate),
    purposeCode: element(bak, 1),
    acknowledgementType,
    orderStatus,
    ...optional('currency', currency),
    lines: drafts.map((draft) => readLine(draft.po1, draft.index, draft.acks, orderStatus, exponent)),
  };
}

function readLine(po1: X12Segment, index: number, acks: readonly X12Segment[], orderStatus: OrderAckStatus, exponent: number): AcknowledgedLine {
  const where = segmentLabel(po1, index);
  const lineNumber = element(po1, 1);
  if (lineNumber === '') throw new X12ParseError('invalid-value', `${where}: PO101 (line number) is empty, so the line cannot be matched to the order`);
  const orderedQuantity = quantityOf(element(po1, 2), `${where} PO102`);
  const price = element(po1, 4);
  const ids = productIds(po1, 6);
  const statuses = acks.map((ack, position) => readStatus(ack, `${where} ACK #${position + 1}`));
  const counts = statuses.length > 0 ? countStatuses(statuses, orderedQuantity) : implicitCounts(orderStatus, orderedQuantity);
  const rejecting = statuses.find((status) => status.disposition === 'rejected');
  const unitOfMeasure = optionalElement(po1, 3);
  return {
    lineNumber,
    orderedQuantity,
    ...optional('unitOfMeasure', unitOfMeasure),
    ...optional('unitPriceMinor', price === '' ? undefined : decimalToMinorUnits(price, exponent, `${where} PO104`)),
    ...skusOf(ids),
    productIds: ids,
    ...counts,
    ...optional('rejectionCode', rejecting?.code),
    ...optional('rejectionReason', rejecting?.reasonCode),
    statuses,
  };
}

function readStatus(ack: X12Segment, where: string): AckStatus {
  const code = element(ack, 1);
  const quantity = element(ack, 2);
  const dateQualifier = optionalElement(ack, 4);
  const date = optionalX12Date(element(ack, 5), `${where} ACK05`);
  const reasonCode = optionalElement(ack, 29);
  return {
    code,
    disposition: lineDisposition(code),
    ...optional('quantity', quantity === '' ? undefined : quantityOf(quantity, `${where} ACK02`)),
    ...optional('dateQualifier', dateQualifier),
    ...optional('date', date),
    ...optional('reasonCode', reasonCode),
  };
}

type Counts = {
  readonly accepted: number;
  readonly rejected: number;
  readonly backordered: number;
  readonly held: number;
  readonly backorderDate?: string;
};

/**
 * Adds up a line's ACK segments. Two real-world readings are built in:
 * - a status without ACK02, or a rejection whose ACK02 is 0 (as in `ACK*IR*0`: "0 will ship"),
 *   covers whatever the other statuses leave of the ordered quantity;
 * - BP ("accepted, partial shipment, balance backordered") counts its quantity as accepted and
 *   the balance of the line as backordered.
 */
function countStatuses(statuses: readonly AckStatus[], ordered: number): Counts {
  const totals = { accepted: 0, rejected: 0, backordered: 0, held: 0 };
  let backorderDate: string | undefined;
  let balanceBackordered = false;
  const takesRemainder: AckStatus[] = [];
  for (const status of statuses) {
    const coversRemainder = status.quantity === undefined || (status.quantity === 0 && status.disposition === 'rejected');
    if (coversRemainder) takesRemainder.push(status);
    const quantity = coversRemainder ? 0 : status.quantity!;
    const disposition = status.disposition;
    switch (disposition) {
      case 'accepted':
        totals.accepted += quantity;
        break;
      case 'accepted-balance-backordered':
        totals.accepted += quantity;
        balanceBackordered = true;
        backorderDate ??= status.date;
        break;
      case 'backordered':
        totals.backordered += quantity;
        backorderDate ??= status.date;
        break;
      case 'rejected':
        totals.rejected += quantity;
        break;
      case 'held':
        totals.held += quantity;
        break;
      case 'unrecognised':
        break;
      default:
        return unreachable(disposition);
    }
  }
  const remainder = (): number => Math.max(0, ordered - totals.accepted - totals.rejected - totals.backordered - totals.held);
  for (const status of takesRemainder) addTo(totals, status.disposition, remainder());
  if (balanceBackordered) totals.backordered += remainder();
  return backorderDate === undefined ? totals : { ...totals, backorderDate };
}

function addTo(totals: { accepted: number; rejected: number; backordered: number; held: number }, disposition: LineDisposition, quantity: number): void {
  switch (disposition) {
    case 'accepted':
    case 'accepted-balance-backordered':
      totals.accepted += quantity;
      return;
    case 'backordered':
      totals.backordered += quantity;
      return;
    case 'rejected':
      totals.rejected += quantity;
      return;
    case 'held':
      totals.held += quantity;
      return;
    case 'unrecognised':
      return;
    default:
      unreachable(disposition);
  }
}

/** A line without ACK segments takes the order-level answer when that is unambiguous. */
function implicitCounts(orderStatus: OrderAckStatus, ordered: number): Counts {
  const none = { accepted: 0, rejected: 0, backordered: 0, held: 0 };
  switch (orderStatus) {
    case 'accepted':
    case 'accepted-with-changes':
      return { ...none, accepted: ordered };
    case 'rejected':
      return { ...none, rejected: ordered };
    case 'held':
      return { ...none, held: ordered };
    case 'unrecognised':
      return none;
    default:
      return unreachable(orderStatus);
  }
}
