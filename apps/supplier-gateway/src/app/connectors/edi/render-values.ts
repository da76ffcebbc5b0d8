import { X12RenderError } from './errors';
import type { OutboundDelimiters } from './envelope';
import type { X12Segment } from './segment';

/**
 * Turns our values into element text that cannot break the interchange. Identifiers (PO number,
 * skus) are refused when they hold a delimiter, since changing them would make the supplier's
 * answer unmatchable; free text (names, addresses) has delimiters replaced by blanks and is cut
 * to the element's maximum, since a supplier's translator rejects the whole PO over one long
 * address line.
 */
export type ValueWriter = {
  readonly id: (value: string, field: string, maxLength: number) => string;
  readonly text: (value: string, maxLength: number) => string;
};

export function valueWriter(delimiters: OutboundDelimiters): ValueWriter {
  const forbidden = [delimiters.element, delimiters.component, delimiters.segment];
  const hasForbidden = (value: string): boolean => /\p{Cc}/u.test(value) || forbidden.some((delimiter) => value.includes(delimiter));
  return {
    id: (value, field, maxLength) => {
      if (value.trim() === '') throw new X12RenderError(field, 'is empty');
      if (value.length > maxLength) throw new X12RenderError(field, `${JSON.stringify(value)} is longer than ${maxLength} characters`);
      if (hasForbidden(value)) throw new X12RenderError(field, `${JSON.stringify(value)} contains an X12 delimiter or control character`);
      return value;
    },
    text: (value, maxLength) => {
      let cleaned = value;
      for (const delimiter of forbidden) cleaned = cleaned.split(delimiter).join(' ');
      const tidy = cleaned.replace(/\p{Cc}/gu, ' ').replace(/ {2,}/g, ' ').trim();
      // By code point, so a cut never splits an emoji or other astral character in two.
      return [...tidy].slice(0, maxLength).join('').trimEnd();
    },
  };
}

/** A segment with trailing empty elements dropped (X12 forbids trailing delimiters). */
export function segment(tag: string, ...elements: readonly (string | undefined)[]): X12Segment {
  const values = elements.map((value) => value ?? '');
  while (values.length > 0 && values.at(-1) === '') values.pop();
  return { tag, elements: values };
}
