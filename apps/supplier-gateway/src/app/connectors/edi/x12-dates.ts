import { X12ParseError, X12RenderError } from './errors';

/**
 * Dates cross the boundary as ISO calendar dates ("2024-01-15"): X12 dates carry no zone, so a
 * Date would invent one. Only the envelope's creation stamp comes in as an instant (see envelope).
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2024-01-15" → "20240115" (CCYYMMDD, the 4010 date format). */
export function toX12Date(isoDate: string, field: string): string {
  const match = ISO_DATE.exec(isoDate);
  if (match === null || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new X12RenderError(field, `${JSON.stringify(isoDate)} is not a calendar date (YYYY-MM-DD)`);
  }
  return `${match[1]}${match[2]}${match[3]}`;
}

/**
 * CCYYMMDD, or YYMMDD as older versions and the ISA use it, → "YYYY-MM-DD". Two-digit years are
 * read in a window around 2000 (00-69 → 20xx, 70-99 → 19xx), as most translators do.
 */
export function fromX12Date(text: string, where: string): string {
  const value = text.trim();
  let year: number;
  let rest: string;
  if (/^\d{8}$/.test(value)) {
    year = Number(value.slice(0, 4));
    rest = value.slice(4);
  } else if (/^\d{6}$/.test(value)) {
    const yy = Number(value.slice(0, 2));
    year = yy < 70 ? 2000 + yy : 1900 + yy;
    rest = value.slice(2);
  } else {
    throw new X12ParseError('invalid-value', `${where}: ${JSON.stringify(text)} is not an X12 date (CCYYMMDD)`);
  }
  const month = Number(rest.slice(0, 2));
  const day = Number(rest.slice(2, 4));
  if (!isCalendarDate(year, month, day)) throw new X12ParseError('invalid-value', `${where}: ${JSON.stringify(text)} is not a calendar date`);
  return `${String(year).padStart(4, '0')}-${rest.slice(0, 2)}-${rest.slice(2, 4)}`;
}

/** An optional date element: undefined when blank. */
export function optionalX12Date(text: string, where: string): string | undefined {
  return text.trim() === '' ? undefined : fromX12Date(text, where);
}

/** HHMM[SS[D..]] → "HH:MM"; X12 times carry no zone either. */
export function fromX12Time(text: string, where: string): string {
  const value = text.trim();
  if (!/^\d{4}(\d{2}\d*)?$/.test(value) || Number(value.slice(0, 2)) > 23 || Number(value.slice(2, 4)) > 59) {
    throw new X12ParseError('invalid-value', `${where}: ${JSON.stringify(text)} is not an X12 time (HHMM)`);
  }
  return `${value.slice(0, 2)}:${value.slice(2, 4)}`;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
