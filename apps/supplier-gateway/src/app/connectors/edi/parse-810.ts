import { X12ParseError } from './errors';
import { assertType, singleTransactionSet, type X12TransactionSet } from './interchange';
import { currencyExponent, type MoneyOptions } from './money-options';
import { optional } from './optional-field';
import { segmentLabel, element, optionalElement, productIds, skusOf, type ProductId, type X12Segment } from './segment';
import { fromX12Date, optionalX12Date } from './x12-dates';
import { decimalToMinorUnits, impliedDecimalToMinorUnits, quantityOf } from './x12-numbers';

/** A SAC segment: freight, handling, discounts and the like, at invoice or line level. */
export type AllowanceOrCharge = {
  /** SAC01: A allowance, C charge; anything else is passed on as 'other'. */
  readonly kind: 'allowance' | 'charge' | 'other';
  readonly indicator: string;
  /** SAC02, e.g. D240 freight, C310 discount, H090 special handling. */
  readonly code: string;
  /** SAC05 (N2, implied two decimals) in minor units; absent when the SAC is a percentage only. */
  readonly amountMinor?: number;
  /** SAC15. */
  readonly description?: string;
};

export type InvoiceLine = {
  /** IT101: our PO line number, when echoed. */
  readonly lineNumber?: string;
  readonly quantity: number;
  readonly unitOfMeasure?: string;
  readonly unitPriceMinor: number;
  readonly sku?: string;
  readonly supplierSku?: string;
  readonly productIds: readonly ProductId[];
  readonly allowancesAndCharges: readonly AllowanceOrCharge[];
};

export type Invoice = {
  readonly controlNumber: string;
  /** BIG02 and BIG01. */
  readonly invoiceNumber: string;
  readonly invoiceDate: string;
  /** BIG04 and BIG03. */
  readonly poNumber?: string;
  readonly poDate?: string;
  /** CUR02 when sent. */
  readonly currency?: string;
  readonly lines: readonly InvoiceLine[];
  /** TDS01 (N2) in minor units: the amount the supplier asks for, after allowances and charges. */
  readonly totalMinor: number;
  /** SAC segments outside the IT1 loops. */
  readonly allowancesAndCharges: readonly AllowanceOrCharge[];
};

export function parse810(text: string, options?: MoneyOptions): Invoice {
  return read810(singleTransactionSet(text, '810'), options);
}

export function read810(set: X12TransactionSet, options?: MoneyOptions): Invoice {
  assertType(set, '810');
  const exponent = currencyExponent(options);
  const big = required(set, 'BIG');
  const tds = required(set, 'TDS');
  const invoiceNumber = element(big, 2);
  if (invoiceNumber === '') throw new X12ParseError('invalid-value', `810 ${set.controlNumber}: BIG02 (invoice number) is empty`);

  const lines: { it1: X12Segment; index: number; sacs: AllowanceOrCharge[] }[] = [];
  const invoiceLevel: AllowanceOrCharge[] = [];
  let summaryReached = false;
  set.segments.forEach((segment, index) => {
    if (segment.tag === 'IT1') lines.push({ it1: segment, index, sacs: [] });
    if (segment.tag === 'TDS') summaryReached = true;
    if (segment.tag === 'SAC') {
      const sac = readSac(segment, segmentLabel(segment, index), exponent);
      const line = summaryReached ? undefined : lines.at(-1);
      (line?.sacs ?? invoiceLevel).push(sac);
    }
  });
  const cur = set.segments.find((segment) => segment.tag === 'CUR');

  return {
    controlNumber: set.controlNumber,
    invoiceNumber,
    invoiceDate: fromX12Date(element(big, 1), 'BIG01'),
    ...optional('poNumber', optionalElement(big, 4)),
    ...optional('poDate', optionalX12Date(element(big, 3), 'BIG03')),
    ...optional('currency', cur === undefined ? undefined : optionalElement(cur, 2)),
    lines: lines.map((line) => readLine(line.it1, segmentLabel(line.it1, line.index), line.sacs, exponent)),
    totalMinor: impliedDecimalToMinorUnits(element(tds, 1), 2, exponent, 'TDS01'),
    allowancesAndCharges: invoiceLevel,
  };
}

function readLine(it1: X12Segment, where: string, sacs: readonly AllowanceOrCharge[], exponent: number): InvoiceLine {
  const ids = productIds(it1, 6);
  return {
    ...optional('lineNumber', optionalElement(it1, 1)),
    quantity: quantityOf(element(it1, 2), `${where} IT102`),
    ...optional('unitOfMeasure', optionalElement(it1, 3)),
    unitPriceMinor: decimalToMinorUnits(element(it1, 4), exponent, `${where} IT104`),
    ...skusOf(ids),
    productIds: ids,
    allowancesAndCharges: sacs,
  };
}

function readSac(sac: X12Segment, where: string, exponent: number): AllowanceOrCharge {
  const indicator = element(sac, 1);
  const amount = element(sac, 5);
  return {
    kind: indicator === 'A' ? 'allowance' : indicator === 'C' ? 'charge' : 'other',
    indicator,
    code: element(sac, 2),
    ...optional('amountMinor', amount === '' ? undefined : impliedDecimalToMinorUnits(amount, 2, exponent, `${where} SAC05`)),
    ...optional('description', optionalElement(sac, 15)),
  };
}

function required(set: X12TransactionSet, tag: string): X12Segment {
  const segment = set.segments.find((candidate) => candidate.tag === tag);
  if (segment === undefined) throw new X12ParseError('missing-segment', `${set.type} ${set.controlNumber}: no ${tag} segment`);
  return segment;
}
