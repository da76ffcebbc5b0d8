import { type KnownCarrier, resolveCarrier } from './carriers';
import { formatsOf, type TrackingFormat } from './formats';

/** Why a tracking number of a known carrier is not one of its numbers. */
export type InvalidTrackingReason = 'empty' | 'illegal-characters' | 'unrecognised-format' | 'bad-check-digit';

/**
 * The verdict on a supplier's tracking number:
 * - a known carrier's number whose format and check digit hold (`verified: true`);
 * - any number of a carrier we do not check (`carrier: 'unknown'`, `verified: false`): recorded as
 *   given, never reported as a defect, since we cannot tell;
 * - a number that cannot be right: empty, or not a format of the named carrier, or a wrong check
 *   digit (a typo). `unrecognised-format` is the softer of the last two: carriers do issue numbers
 *   outside the published formats (see `formats.ts`), a wrong check digit is a wrong number.
 *
 * `normalised` is what to store and send to the carrier: trimmed, upper case, without spaces and
 * dashes, and for a USPS label barcode without its "420" + ZIP routing prefix.
 */
export type TrackingValidation =
  | {
      readonly valid: true;
      readonly verified: true;
      readonly carrier: KnownCarrier;
      readonly format: TrackingFormat;
      readonly normalised: string;
    }
  | {
      readonly valid: true;
      readonly verified: false;
      readonly carrier: 'unknown';
      /** The carrier as the supplier named it, trimmed. */
      readonly carrierName: string;
      readonly normalised: string;
    }
  | {
      readonly valid: false;
      readonly carrier: KnownCarrier | 'unknown';
      readonly reason: InvalidTrackingReason;
      /** For people: what is wrong, naming the carrier, the format and the digits. */
      readonly message: string;
      readonly normalised: string;
    };

/** Validates `trackingNumber` as a number of the carrier the supplier named `carrier` (any spelling). */
export function validateTracking(carrier: string, trackingNumber: string): TrackingValidation {
  const normalised = normaliseTrackingNumber(trackingNumber);
  const known = resolveCarrier(carrier);
  if (normalised === '') {
    return { valid: false, carrier: known ?? 'unknown', reason: 'empty', message: 'the tracking number is empty', normalised };
  }
  if (known === undefined) return { valid: true, verified: false, carrier: 'unknown', carrierName: carrier.trim(), normalised };
  if (!/^[A-Z0-9]+$/.test(normalised)) {
    return {
      valid: false,
      carrier: known,
      reason: 'illegal-characters',
      message: `${known.toUpperCase()} tracking numbers have only letters and digits, got ${JSON.stringify(normalised)}`,
      normalised,
    };
  }
  return checkFormats(known, normalised);
}

/** Trimmed, upper case, with every kind of space and dash removed (suppliers group digits with them). */
export function normaliseTrackingNumber(trackingNumber: string): string {
  return trackingNumber.toUpperCase().replace(/[\s\p{Pd}]/gu, '');
}

/**
 * Valid when any format's shape and check digit both hold. Shapes of one carrier overlap where the
 * same digits can be read two ways (a 20-digit USPS number, a 34-digit USPS barcode), so every
 * format of the shape is tried before the number is called wrong.
 */
function checkFormats(carrier: KnownCarrier, normalised: string): TrackingValidation {
  const mismatches: { readonly format: TrackingFormat; readonly found: string; readonly expected: string }[] = [];
  for (const rule of formatsOf(carrier)) {
    if (!rule.shape(normalised)) continue;
    const tracked = rule.tracked(normalised);
    const { found, expected } = rule.checkDigit(tracked);
    if (found === expected) return { valid: true, verified: true, carrier, format: rule.format, normalised: tracked };
    mismatches.push({ format: rule.format, found, expected });
  }
  if (mismatches.length > 0) {
    const formats = unique(mismatches.map((m) => m.format)).join(' or ');
    const found = unique(mismatches.map((m) => m.found)).join(' or ');
    const expected = unique(mismatches.map((m) => m.expected)).join(' or ');
    return {
      valid: false,
      carrier,
      reason: 'bad-check-digit',
      message: `${normalised} has the shape of a ${formats} number but check digit ${found} where ${expected} is expected`,
      normalised,
    };
  }
  return {
    valid: false,
    carrier,
    reason: 'unrecognised-format',
    message: `${normalised} (${normalised.length} characters) matches no ${carrier.toUpperCase()} tracking-number format`,
    normalised,
  };
}

function unique(values: readonly string[]): readonly string[] {
  return [...new Set(values)];
}
