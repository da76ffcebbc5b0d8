import { X12FatInterchange, X12Parser, type X12Interchange as LibraryInterchange, type X12Segment as LibrarySegment } from 'node-x12';
import { scanIsa, type X12Delimiters } from './delimiters';
import { X12ParseError } from './errors';
import type { X12Segment } from './segment';
import { fromX12Date, fromX12Time } from './x12-dates';

/** The ISA header, trimmed of its fixed-width padding. */
export type X12InterchangeHeader = {
  readonly senderQualifier: string;
  readonly senderId: string;
  readonly receiverQualifier: string;
  readonly receiverId: string;
  /** ISA09/ISA10 as "YYYY-MM-DD" and "HH:MM" (the sender's clock; X12 carries no zone). */
  readonly date: string;
  readonly time: string;
  /** ISA12, e.g. "00401". */
  readonly version: string;
  /** ISA13 as sent, leading zeros kept. */
  readonly controlNumber: string;
  readonly acknowledgmentRequested: boolean;
  /** ISA15: P production, T test. */
  readonly usage: string;
};

/** A GS header: the group a transaction set travelled in. */
export type X12GroupHeader = {
  /** GS01: PO, PR, SH, IN, IB, PC, FA… */
  readonly functionalId: string;
  readonly senderCode: string;
  readonly receiverCode: string;
  readonly controlNumber: string;
  /** GS08, e.g. "004010" or "004010VICS". */
  readonly version: string;
};

/** One ST…SE transaction set; `segments` excludes ST and SE. */
export type X12TransactionSet = {
  /** ST01: "850", "855", "856", "810", "846", "860", "997"… */
  readonly type: string;
  readonly controlNumber: string;
  readonly group: X12GroupHeader;
  readonly segments: readonly X12Segment[];
};

export type X12Interchange = {
  readonly delimiters: X12Delimiters;
  readonly header: X12InterchangeHeader;
  readonly transactionSets: readonly X12TransactionSet[];
  /**
   * Envelope inconsistencies that do not change the content (control number or count mismatches,
   * a missing GE/IEA, an ISA of the wrong width). Real partners send these; the gateway logs them.
   */
  readonly warnings: readonly string[];
};

/**
 * Splits an interchange into its transaction sets, whatever they are, so the gateway can dispatch
 * one file that holds several. Refuses text that is not X12, lacks an ISA, or whose transaction
 * sets are cut off (an ST without its SE): a partial order must not be acted on.
 */
export function parseInterchange(text: string): X12Interchange {
  const scan = scanIsa(text);
  const parser = new X12Parser(false);
  const parsed = runLibrary(() =>
    parser.parse(scan.text, {
      elementDelimiter: scan.delimiters.element,
      segmentTerminator: scan.delimiters.segment,
      subElementDelimiter: scan.delimiters.component,
    }),
  );
  const interchanges: readonly LibraryInterchange[] = parsed instanceof X12FatInterchange ? parsed.interchanges : [parsed];

  const warnings = [...scan.warnings, ...parser.diagnostics.map((diagnostic) => diagnostic.message)];
  const transactionSets: X12TransactionSet[] = [];
  for (const interchange of interchanges) {
    if (interchange.trailer === undefined) warnings.push('Interchange has no IEA trailer');
    for (const group of interchange.functionalGroups) {
      const groupHeader = toGroupHeader(group.header);
      if (group.trailer === undefined) warnings.push(`Functional group ${groupHeader.controlNumber} has no GE trailer`);
      for (const transaction of group.transactions) {
        const type = transaction.header.valueOf(1, '').trim();
        const controlNumber = transaction.header.valueOf(2, '').trim();
        if (transaction.trailer === undefined) {
          throw new X12ParseError('malformed-envelope', `Transaction set ${type} ${controlNumber} has no SE trailer: the file is truncated or malformed`);
        }
        transactionSets.push({ type, controlNumber, group: groupHeader, segments: transaction.segments.map(toPlainSegment) });
      }
    }
  }
  if (interchanges.length > 1) warnings.push(`Text holds ${interchanges.length} interchanges; the first ISA header is reported`);
  return { delimiters: scan.delimiters, header: toInterchangeHeader(scan.isa), transactionSets, warnings };
}

/**
 * The transaction sets of one type, refusing text that holds none (the usual mistake: an 850 sent
 * where an 855 was expected).
 */
export function transactionSetsOfType(interchange: X12Interchange, type: string): readonly X12TransactionSet[] {
  const sets = interchange.transactionSets.filter((set) => set.type === type);
  if (sets.length === 0) {
    const found = [...new Set(interchange.transactionSets.map((set) => set.type))];
    throw new X12ParseError(
      'wrong-transaction-set',
      `Expected transaction set ${type}, found ${found.length === 0 ? 'none' : found.join(', ')}`,
    );
  }
  return sets;
}

/** The one transaction set of `type` in a text that is meant to hold exactly one. */
export function singleTransactionSet(text: string, type: string): X12TransactionSet {
  const sets = transactionSetsOfType(parseInterchange(text), type);
  if (sets.length > 1) {
    throw new X12ParseError(
      'multiple-transaction-sets',
      `Expected one transaction set ${type}, found ${sets.length}; use parseInterchange and read each set`,
    );
  }
  return sets[0]!;
}

/** Refuses a set of another type handed to a reader (dispatch bugs show up here, not as odd data). */
export function assertType(set: X12TransactionSet, type: string): void {
  if (set.type !== type) {
    throw new X12ParseError('wrong-transaction-set', `Expected transaction set ${type}, got ${set.type} (control number ${set.controlNumber})`);
  }
}

function runLibrary<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error: unknown) {
    // node-x12 throws plain TypeErrors on envelopes out of order (GE before GS, SE before ST).
    const detail = error instanceof Error ? error.message : String(error);
    throw new X12ParseError('malformed-envelope', `X12 envelope is malformed (GS/ST/SE/GE out of order?): ${detail}`);
  }
}

function toPlainSegment(segment: LibrarySegment): X12Segment {
  return { tag: segment.tag.trim(), elements: segment.elements.map((value) => value.value) };
}

function toGroupHeader(gs: LibrarySegment): X12GroupHeader {
  const value = (position: number): string => gs.valueOf(position, '').trim();
  return { functionalId: value(1), senderCode: value(2), receiverCode: value(3), controlNumber: value(6), version: value(8) };
}

function toInterchangeHeader(isa: readonly string[]): X12InterchangeHeader {
  const value = (position: number): string => (isa[position - 1] ?? '').trim();
  return {
    senderQualifier: value(5),
    senderId: value(6),
    receiverQualifier: value(7),
    receiverId: value(8),
    date: fromX12Date(value(9), 'ISA09'),
    time: fromX12Time(value(10), 'ISA10'),
    version: value(12),
    controlNumber: value(13),
    acknowledgmentRequested: value(14) === '1',
    usage: value(15),
  };
}
