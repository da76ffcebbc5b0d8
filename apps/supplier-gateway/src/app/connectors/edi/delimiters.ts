import { X12ParseError } from './errors';

/** The separators an interchange declares in its ISA segment. */
export type X12Delimiters = {
  readonly element: string;
  readonly component: string;
  /** '~' and the like, or '\n' for files whose segments simply end at the line break (CRLF included). */
  readonly segment: string;
  /** ISA11 when it is a separator (version 00402 and later), absent when it is the 'U' standards id. */
  readonly repetition?: string;
};

/** What the ISA segment says and where the rest of the text begins, ready for the tokenizer. */
export type IsaScan = {
  readonly delimiters: X12Delimiters;
  /** ISA01..ISA16 exactly as sent (space padding included). */
  readonly isa: readonly string[];
  /**
   * The whole interchange with a BOM and leading blanks removed, CRLF/CR turned into LF when the
   * line break is the terminator, and a terminator after the last segment (senders often omit it,
   * and node-x12 silently drops a final segment that has none).
   */
  readonly text: string;
  readonly warnings: readonly string[];
};

const ISA_ELEMENT_COUNT = 16;
/** Maximum widths of ISA01..ISA15 (ISA16 is one character): anything longer means we ran past the ISA. */
const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1] as const;
/** Where ISA16 sits in a fixed-width ISA (106 characters with the terminator); elsewhere only warns. */
const ISA16_FIXED_INDEX = 104;
const WORD_OR_SPACE = /[A-Za-z0-9\s]/;

/**
 * Reads the delimiters from the ISA segment the way X12 defines them: the element separator is
 * the 4th character, the component separator is ISA16, and the segment terminator is the
 * character after ISA16. Separators are found by counting, not by fixed offsets, so an ISA whose
 * padding is off by a few characters is still read (with a warning).
 */
export function scanIsa(input: string): IsaScan {
  const text = input.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  if (!text.startsWith('ISA')) throw notAnInterchange(text);
  const element = text.charAt(3);
  if (element === '') throw new X12ParseError('truncated-isa', 'ISA segment is truncated: no element separator after "ISA"');
  if (WORD_OR_SPACE.test(element)) {
    throw new X12ParseError('malformed-isa', `ISA segment is malformed: character 4 must be the element separator, found ${JSON.stringify(element)}`);
  }

  const { isa, isa16Index } = readIsaElements(text, element);
  const component = isa[ISA_ELEMENT_COUNT - 1]!;
  const segment = readTerminator(text, isa16Index, element, component);

  const warnings: string[] = [];
  if (isa16Index !== ISA16_FIXED_INDEX) {
    warnings.push(`ISA segment is ${isa16Index + 2} characters long, not the fixed 106; read by its separators`);
  }
  const repetition = WORD_OR_SPACE.test(isa[10]!) ? undefined : isa[10]!;
  const body = normaliseBody(text, segment);
  return {
    delimiters: repetition === undefined ? { element, component, segment } : { element, component, segment, repetition },
    isa,
    text: body,
    warnings,
  };
}

function readIsaElements(text: string, element: string): { isa: readonly string[]; isa16Index: number } {
  const values: string[] = [];
  let position = 3;
  for (let index = 0; index < ISA_ELEMENT_COUNT - 1; index++) {
    const next = text.indexOf(element, position + 1);
    if (next === -1) {
      throw new X12ParseError('truncated-isa', `ISA segment is truncated: the text ends after ${index} of 16 ISA elements`);
    }
    const value = text.slice(position + 1, next);
    const width = ISA_WIDTHS[index]!;
    if (value.length > width || /[\r\n]/.test(value)) {
      throw new X12ParseError(
        'malformed-isa',
        `ISA segment is truncated or malformed: ISA${pad2(index + 1)} ${JSON.stringify(value.slice(0, 20))} is longer than ${width} characters`,
      );
    }
    values.push(value);
    position = next;
  }
  const component = text.charAt(position + 1);
  if (component === '') throw new X12ParseError('truncated-isa', 'ISA segment is truncated: the text ends before ISA16 (component separator)');
  if (component === element || /\s/.test(component)) {
    throw new X12ParseError('malformed-isa', `ISA segment is malformed: ISA16 component separator ${JSON.stringify(component)} is not a separator character`);
  }
  values.push(component);
  return { isa: values, isa16Index: position + 1 };
}

/** The terminator is the character after ISA16; blanks before a line break count as trailing whitespace. */
function readTerminator(text: string, isa16Index: number, element: string, component: string): string {
  let index = isa16Index + 1;
  while (text.charAt(index) === ' ' || text.charAt(index) === '\t') index++;
  const candidate = text.charAt(index);
  if (candidate === '') throw new X12ParseError('truncated-isa', 'ISA segment is truncated: no segment terminator after ISA16');
  if (candidate === '\r' || candidate === '\n') return '\n';
  if (/[A-Za-z0-9]/.test(candidate) || candidate === element || candidate === component) {
    throw new X12ParseError('malformed-isa', `ISA segment is malformed: expected a segment terminator after ISA16, found ${JSON.stringify(candidate)}`);
  }
  return candidate;
}

function normaliseBody(text: string, segment: string): string {
  const unified = segment === '\n' ? text.replace(/\r\n?/g, '\n') : text;
  const trimmed = unified.trimEnd();
  return trimmed.endsWith(segment) ? trimmed : trimmed + segment;
}

function notAnInterchange(text: string): X12ParseError {
  const start = JSON.stringify(text.slice(0, 20));
  if (text === '') return new X12ParseError('not-x12', 'Not X12: the text is empty');
  if (/^UN[AB]/.test(text)) return new X12ParseError('not-x12', `Not X12: starts with ${start}, which is EDIFACT`);
  if (/(^|[\s~])(GS|ST)[^A-Za-z0-9\s]/.test(text.slice(0, 2000))) {
    return new X12ParseError('missing-isa', `X12 without an ISA interchange header: starts with ${start}`);
  }
  return new X12ParseError('not-x12', `Not X12: expected an ISA segment at the start, found ${start}`);
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
