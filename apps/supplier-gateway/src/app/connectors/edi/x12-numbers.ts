import { X12ParseError, X12RenderError } from './errors';

/**
 * Money and quantities cross the X12 boundary as text. Everything here is string arithmetic on
 * integer minor units: a float never touches an amount, so 19.99 stays 1999.
 */

/** X12 "R" (decimal) values: optional minus, digits, an optional point. "5", "4.50", ".5", "-1.25", "7." */
const R_DECIMAL = /^(-?)([0-9]*)(?:\.([0-9]*))?$/;
/** X12 "N" values: digits with an optional minus; the decimal point is implied. */
const N_IMPLIED = /^(-?)([0-9]+)$/;
const MAX_EXPONENT = 6;

/** `minor` units as an X12 decimal with exactly `exponent` fraction digits: 1999,2 → "19.99"; 1999,0 → "1999". */
export function formatMinorUnits(minor: number, exponent: number, field: string): string {
  assertExponent(exponent);
  if (!Number.isSafeInteger(minor)) throw new X12RenderError(field, `${minor} is not a whole number of minor units`);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** A quantity as X12 text; X12 allows decimals but our orders never split an item. */
export function formatQuantity(quantity: number, field: string): string {
  if (!Number.isSafeInteger(quantity) || quantity <= 0) {
    throw new X12RenderError(field, `${quantity} is not a positive whole quantity`);
  }
  return String(quantity);
}

/**
 * An X12 "R" decimal (PO104, IT104, …) as integer minor units with `exponent` fraction digits.
 * Digits beyond the exponent must be zeros: "4.500" USD is 450, "4.505" USD is refused rather than
 * rounded, because rounding a supplier's price silently would hide a real disagreement.
 */
export function decimalToMinorUnits(text: string, exponent: number, where: string): number {
  assertExponent(exponent);
  const match = R_DECIMAL.exec(text.trim());
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new X12ParseError('invalid-value', `${where}: ${JSON.stringify(text)} is not an X12 decimal number`);
  }
  const [, sign, whole = '', fraction = ''] = match;
  if (/[^0]/.test(fraction.slice(exponent))) {
    throw new X12ParseError('invalid-value', `${where}: ${JSON.stringify(text)} has more than ${exponent} decimal places for this currency`);
  }
  return toSafeInteger(sign!, whole + fraction.slice(0, exponent).padEnd(exponent, '0'), text, where);
}

/**
 * An X12 "N<implied>" amount (TDS01 and SAC05 are N2: "1999" means 19.99) as minor units with
 * `exponent` fraction digits; an exponent below the implied digits needs the dropped digits to be 0.
 */
export function impliedDecimalToMinorUnits(text: string, impliedDigits: number, exponent: number, where: string): number {
  assertExponent(exponent);
  const match = N_IMPLIED.exec(text.trim());
  if (match === null) throw new X12ParseError('invalid-value', `${where}: ${JSON.stringify(text)} is not an X12 implied-decimal number`);
  const [, sign, digits = ''] = match;
  if (exponent >= impliedDigits) return toSafeInteger(sign!, digits + '0'.repeat(exponent - impliedDigits), text, where);
  const dropped = digits.slice(-(impliedDigits - exponent));
  if (/[^0]/.test(dropped)) {
    throw new X12ParseError('invalid-value', `${where}: ${JSON.stringify(text)} has more than ${exponent} decimal places for this currency`);
  }
  return toSafeInteger(sign!, digits.slice(0, -(impliedDigits - exponent)) || '0', text, where);
}

/** A quantity as a whole number: "24" and "24.0" are 24, "2.5" is refused (we never ship half an item). */
export function quantityOf(text: string, where: string): number {
  const match = R_DECIMAL.exec(text.trim());
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new X12ParseError('invalid-value', `${where}: quantity ${JSON.stringify(text)} is not a number`);
  }
  const [, sign, whole = '', fraction = ''] = match;
  if (/[^0]/.test(fraction)) throw new X12ParseError('invalid-value', `${where}: quantity ${JSON.stringify(text)} is not a whole number`);
  return toSafeInteger(sign!, whole || '0', text, where);
}

function toSafeInteger(sign: string, digits: string, text: string, where: string): number {
  const magnitude = BigInt(digits === '' ? '0' : digits);
  if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new X12ParseError('invalid-value', `${where}: ${JSON.stringify(text)} is out of range`);
  }
  const value = Number(magnitude);
  return sign === '-' && value !== 0 ? -value : value;
}

function assertExponent(exponent: number): void {
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > MAX_EXPONENT) {
    throw new RangeError(`currency exponent must be a whole number from 0 to ${MAX_EXPONENT}, got ${exponent}`);
  }
}
