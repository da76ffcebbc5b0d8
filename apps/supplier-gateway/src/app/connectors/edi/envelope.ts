import { JSEDINotation, X12Generator } from 'node-x12';
import { X12RenderError } from './errors';
import type { X12Segment } from './segment';

/** Who we are to a supplier and who they are: an ISA qualifier (ZZ, 01, 12…) and id (max 15). */
export type X12PartnerId = {
  readonly qualifier: string;
  readonly id: string;
};

/** The separators we write; the defaults are the common '*', '>' and '~'. */
export type OutboundDelimiters = {
  readonly element: string;
  readonly component: string;
  /** One character; '\n' writes one segment per line with no other terminator. */
  readonly segment: string;
};

/**
 * Everything around a transaction set. Control numbers come from the caller (the gateway keeps a
 * counter per partner), as does the clock, so rendering is deterministic.
 */
export type X12Envelope = {
  readonly sender: X12PartnerId;
  readonly receiver: X12PartnerId;
  /** ISA13/IEA02, 1..999999999. */
  readonly interchangeControlNumber: number;
  /** GS06/GE02, 1..999999999. */
  readonly groupControlNumber: number;
  /** ST02/SE02; defaults to 1 (written "0001"). */
  readonly transactionSetControlNumber?: number;
  /** Written as UTC into ISA09/ISA10 and GS04/GS05. */
  readonly createdAt: Date;
  /** ISA15: P production, T test. */
  readonly usage: 'P' | 'T';
  readonly delimiters?: OutboundDelimiters;
  /** Written after each terminator for readability; default '\n'. Ignored when the terminator is '\n'. */
  readonly lineBreak?: '' | '\n' | '\r\n';
};

export const DEFAULT_DELIMITERS: OutboundDelimiters = { element: '*', component: '>', segment: '~' };

const MAX_CONTROL_NUMBER = 999_999_999;
/** ISA12 and GS08 we write: 4010 is what drop-ship suppliers overwhelmingly speak. */
const ISA_VERSION = '00401';
const GS_VERSION = '004010';

export function delimitersOf(envelope: X12Envelope): OutboundDelimiters {
  const delimiters = envelope.delimiters ?? DEFAULT_DELIMITERS;
  const all = [delimiters.element, delimiters.component, delimiters.segment];
  if (all.some((value) => value.length !== 1) || new Set(all).size !== 3) {
    throw new X12RenderError('envelope.delimiters', 'element, component and segment delimiters must be three different single characters');
  }
  if (all.some((value) => /[A-Za-z0-9 ]/.test(value)) || /\s/.test(delimiters.element + delimiters.component)) {
    throw new X12RenderError('envelope.delimiters', 'delimiters must not be letters, digits or blanks (only the segment terminator may be a line break)');
  }
  return delimiters;
}

/**
 * One transaction set in its GS and ISA envelopes. node-x12 pads the ISA to its fixed width,
 * counts SE01/GE01/IEA01, and re-parses its own output strictly before returning it.
 */
export function renderInterchange(
  envelope: X12Envelope,
  functionalId: 'PO' | 'PC',
  transactionSetType: '850' | '860',
  segments: readonly X12Segment[],
): string {
  const delimiters = delimitersOf(envelope);
  const createdAt = envelope.createdAt;
  if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime())) throw new X12RenderError('envelope.createdAt', 'is not a valid Date');
  const iso = createdAt.toISOString();
  const date = iso.slice(0, 10).replace(/-/g, '');
  const time = iso.slice(11, 16).replace(':', '');
  const lineBreak = delimiters.segment === '\n' ? '' : (envelope.lineBreak ?? '\n');

  const isa = [
    '00', '', '00', '',
    partnerPart(envelope.sender.qualifier, 'envelope.sender.qualifier', 2, 2, delimiters),
    partnerPart(envelope.sender.id, 'envelope.sender.id', 1, 15, delimiters),
    partnerPart(envelope.receiver.qualifier, 'envelope.receiver.qualifier', 2, 2, delimiters),
    partnerPart(envelope.receiver.id, 'envelope.receiver.id', 1, 15, delimiters),
    date.slice(2), time, 'U', ISA_VERSION,
    String(controlNumber(envelope.interchangeControlNumber, 'envelope.interchangeControlNumber')),
    '0', envelope.usage, delimiters.component,
  ];
  const gs = [
    functionalId, envelope.sender.id, envelope.receiver.id, date, time,
    String(controlNumber(envelope.groupControlNumber, 'envelope.groupControlNumber')), 'X', GS_VERSION,
  ];
  const st = [transactionSetType, String(controlNumber(envelope.transactionSetControlNumber ?? 1, 'envelope.transactionSetControlNumber')).padStart(4, '0')];

  const jsen = new JSEDINotation(isa, {
    elementDelimiter: delimiters.element,
    subElementDelimiter: delimiters.component,
    segmentTerminator: delimiters.segment,
    endOfLine: lineBreak,
    format: lineBreak !== '',
  });
  const transaction = jsen.addFunctionalGroup(gs).addTransaction(st);
  // Copies: node-x12 rewrites the arrays it is given while padding.
  for (const segment of segments) transaction.addSegment(segment.tag, [...segment.elements]);
  try {
    return new X12Generator(jsen).toString() + lineBreak;
  } catch (error: unknown) {
    // node-x12 checks ISA/GS/ST element widths (GS02 is at least 2 characters, for one).
    throw new X12RenderError('envelope', error instanceof Error ? error.message : String(error));
  }
}

function partnerPart(value: string, field: string, min: number, max: number, delimiters: OutboundDelimiters): string {
  if (value.length < min || value.length > max || /[\r\n]/.test(value) || [...Object.values(delimiters)].some((d) => value.includes(d))) {
    throw new X12RenderError(field, `${JSON.stringify(value)} must be ${min}-${max} characters without delimiters`);
  }
  return value;
}

function controlNumber(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_CONTROL_NUMBER) {
    throw new X12RenderError(field, `${value} is not a control number (1-${MAX_CONTROL_NUMBER})`);
  }
  return value;
}
