import { readTd5, type CarrierRouting } from './carrier';
import { X12ParseError } from './errors';
import { assertType, singleTransactionSet, type X12TransactionSet } from './interchange';
import { currencyExponent, type MoneyOptions } from './money-options';
import { optional } from './optional-field';
import { readParties, type Party } from './party';
import { segmentLabel, element, optionalElement, productIds, skusOf, type ProductId, type X12Segment } from './segment';
import { fromX12Date } from './x12-dates';
import { decimalToMinorUnits, quantityOf } from './x12-numbers';

export type OrderedLine = {
  readonly lineNumber: string;
  readonly quantity: number;
  readonly unitOfMeasure?: string;
  readonly unitPriceMinor?: number;
  readonly sku?: string;
  readonly supplierSku?: string;
  readonly productIds: readonly ProductId[];
  /** PID05 of the first PID after the PO1. */
  readonly description?: string;
};

/** An 850 as read back: used to check what we send, and for partners who send us orders. */
export type PurchaseOrder = {
  readonly controlNumber: string;
  /** BEG01 (00 original), BEG02 (DS drop ship, SA stand-alone…), BEG03, BEG05. */
  readonly purposeCode: string;
  readonly orderType: string;
  readonly poNumber: string;
  readonly orderDate: string;
  readonly currency?: string;
  /** Every heading REF (qualifier, value). */
  readonly references: readonly { readonly qualifier: string; readonly value: string }[];
  /** REF*CO. */
  readonly retailerOrderNumber?: string;
  /** Every heading DTM (qualifier, date). */
  readonly dates: readonly { readonly qualifier: string; readonly date: string }[];
  /** DTM*038 ship no later, else DTM*010 requested ship. */
  readonly shipBy?: string;
  /** DTM*002 delivery requested, else DTM*063 do not deliver after. */
  readonly deliverBy?: string;
  readonly carrier?: CarrierRouting;
  readonly parties: readonly Party[];
  readonly shipTo?: Party;
  readonly lines: readonly OrderedLine[];
  /** CTT01 as sent (a check on the line count). */
  readonly lineCount?: number;
};

export function parse850(text: string, options?: MoneyOptions): PurchaseOrder {
  return read850(singleTransactionSet(text, '850'), options);
}

export function read850(set: X12TransactionSet, options?: MoneyOptions): PurchaseOrder {
  assertType(set, '850');
  const exponent = currencyExponent(options);
  const beg = set.segments.find((segment) => segment.tag === 'BEG');
  if (beg === undefined) throw new X12ParseError('missing-segment', `850 ${set.controlNumber}: no BEG segment`);
  const poNumber = element(beg, 3);
  if (poNumber === '') throw new X12ParseError('invalid-value', `850 ${set.controlNumber}: BEG03 (purchase order number) is empty`);

  const firstLine = set.segments.findIndex((segment) => segment.tag === 'PO1');
  const heading = firstLine === -1 ? set.segments : set.segments.slice(0, firstLine);
  const references = heading.filter((segment) => segment.tag === 'REF').map((ref) => ({ qualifier: element(ref, 1), value: element(ref, 2) }));
  const dates = heading
    .filter((segment) => segment.tag === 'DTM')
    .map((dtm) => ({ qualifier: element(dtm, 1), date: fromX12Date(element(dtm, 2), `DTM*${element(dtm, 1)}`) }));
  const dateOf = (...qualifiers: readonly string[]): string | undefined =>
    qualifiers.map((qualifier) => dates.find((date) => date.qualifier === qualifier)?.date).find((date) => date !== undefined);
  const td5 = heading.find((segment) => segment.tag === 'TD5');
  const cur = heading.find((segment) => segment.tag === 'CUR');
  const ctt = set.segments.find((segment) => segment.tag === 'CTT');
  const parties = readParties(heading);

  return {
    controlNumber: set.controlNumber,
    purposeCode: element(beg, 1),
    orderType: element(beg, 2),
    poNumber,
    orderDate: fromX12Date(element(beg, 5), 'BEG05'),
    ...optional('currency', cur === undefined ? undefined : optionalElement(cur, 2)),
    references,
    ...optional('retailerOrderNumber', references.find((ref) => ref.qualifier === 'CO')?.value),
    dates,
    ...optional('shipBy', dateOf('038', '010')),
    ...optional('deliverBy', dateOf('002', '063')),
    ...optional('carrier', td5 === undefined ? undefined : readTd5(td5)),
    parties,
    ...optional('shipTo', parties.find((party) => party.entity === 'ST')),
    lines: readLines(set.segments, exponent),
    ...optional('lineCount', ctt === undefined ? undefined : quantityOf(element(ctt, 1), 'CTT01')),
  };
}

function readLines(segments: readonly X12Segment[], exponent: number): OrderedLine[] {
  const lines: OrderedLine[] = [];
  let describedLine = -1;
  segments.forEach((segment, index) => {
    if (segment.tag === 'PO1') {
      lines.push(readLine(segment, segmentLabel(segment, index), exponent));
    } else if (segment.tag === 'PID' && lines.length > 0 && describedLine !== lines.length - 1) {
      const description = optionalElement(segment, 5);
      if (description !== undefined) {
        lines[lines.length - 1] = { ...lines.at(-1)!, description };
        describedLine = lines.length - 1;
      }
    }
  });
  return lines;
}

function readLine(po1: X12Segment, where: string, exponent: number): OrderedLine {
  const price = element(po1, 4);
  const ids = productIds(po1, 6);
  const lineNumber = element(po1, 1);
  if (lineNumber === '') throw new X12ParseError('invalid-value', `${where}: PO101 (line number) is empty`);
  return {
    lineNumber,
    quantity: quantityOf(element(po1, 2), `${where} PO102`),
    ...optional('unitOfMeasure', optionalElement(po1, 3)),
    ...optional('unitPriceMinor', price === '' ? undefined : decimalToMinorUnits(price, exponent, `${where} PO104`)),
    ...skusOf(ids),
    productIds: ids,
  };
}
