import type { KnownCarrier } from './carriers';
import { dhlMod7CheckDigit, fedexExpressCheckDigit, gs1Mod10, s10CheckDigit, ups1zCheckDigit } from './check-digits';

/** The tracking-number formats that are recognised, each with its check digit. */
export type TrackingFormat =
  | 'ups-1z'
  | 'fedex-express-12'
  | 'fedex-ground-15'
  | 'fedex-ground-96'
  | 'fedex-sscc'
  | 'fedex-ground-economy'
  | 'usps-impb'
  | 'usps-20'
  | 'upu-s10'
  | 'dhl-express-10';

/** The check digit a number carries and the one its data calls for. */
export type CheckDigit = { readonly found: string; readonly expected: string };

/**
 * One format: its shape (a number of this shape with a wrong check digit is a wrong number, not an
 * unknown format), the part that is tracked (the shape may carry a routing prefix), and the check
 * digit of the tracked part.
 */
export type FormatRule = {
  readonly format: TrackingFormat;
  readonly shape: (number: string) => boolean;
  readonly tracked: (number: string) => string;
  readonly checkDigit: (tracked: string) => CheckDigit;
};

const itself = (number: string): string => number;
const matching = (pattern: RegExp) => (number: string) => pattern.test(number);

/** The check digit is the last character and everything before it is data. */
const lastDigitOver =
  (algorithm: (data: string) => number) =>
  (tracked: string): CheckDigit =>
    checkAt(tracked, tracked.length - 1, algorithm(tracked.slice(0, -1)));

function checkAt(tracked: string, index: number, expected: number): CheckDigit {
  return { found: tracked.charAt(index), expected: String(expected) };
}

/** "1Z", 6-character shipper account, 2-digit service, 7-character package id, check digit. */
const UPS: readonly FormatRule[] = [
  { format: 'ups-1z', shape: matching(/^1Z[A-Z0-9]{16}$/), tracked: itself, checkDigit: (n) => checkAt(n, 17, ups1zCheckDigit(n.slice(2, 17))) },
];

/**
 * With `prefix` put before the data, as the check digit of a number printed without its GS1
 * application identifier still covers the identifier.
 */
const gs1Mod10Behind = (prefix: string) => (data: string) => gs1Mod10(prefix + data);

/**
 * Express 12 digits; Ground 15; Ground "96" barcode 22 (only its last 15 digits are checked, they
 * are the Ground number); SSCC-18 behind its GS1 application identifier "00" (20 digits);
 * Ground Economy (formerly SmartPost, delivered by USPS) with a USPS IMpb number, 22 digits "92…",
 * or 20 digits printed without the "92" that the check digit still covers (tracking_number_data's
 * SmartPost rule; 74890328764530773631, a real FedEx number reported against it, passes this way).
 * So a 20-digit number has two readings and passes when either holds, which lets through one in
 * five random 20-digit strings rather than one in ten: the price of no false defects.
 * FedEx also issues numbers of other lengths (a 34-digit Express barcode; some 10-digit numbers
 * whose check rule is not public): those come back as an unrecognised format.
 */
const FEDEX: readonly FormatRule[] = [
  { format: 'fedex-express-12', shape: matching(/^\d{12}$/), tracked: itself, checkDigit: lastDigitOver(fedexExpressCheckDigit) },
  { format: 'fedex-ground-15', shape: matching(/^\d{15}$/), tracked: itself, checkDigit: lastDigitOver(gs1Mod10) },
  { format: 'fedex-ground-96', shape: matching(/^96\d{20}$/), tracked: itself, checkDigit: (n) => checkAt(n, 21, gs1Mod10(n.slice(7, 21))) },
  { format: 'fedex-sscc', shape: matching(/^00\d{18}$/), tracked: itself, checkDigit: lastDigitOver(gs1Mod10) },
  { format: 'fedex-ground-economy', shape: matching(/^92\d{20}$/), tracked: itself, checkDigit: lastDigitOver(gs1Mod10) },
  { format: 'fedex-ground-economy', shape: matching(/^\d{20}$/), tracked: itself, checkDigit: lastDigitOver(gs1Mod10Behind('92')) },
];

/**
 * IMpb (USPS Publication 199): channel application identifier 91–95, then service type, mailer id
 * and serial, 22 or 26 digits with a GS1 mod-10 check digit. A scanned label barcode may carry the
 * routing prefix "420" + ZIP (5 or 9 digits) first, which is not part of the tracking number and is
 * dropped (420 + ZIP-5 + 26 digits and 420 + ZIP+4 + 22 digits are both 34 long, so both are tried).
 * Older 20-digit numbers come two ways: a plain GS1 check (Certified Mail, 0307 1790 0005 2348
 * 3741) or Delivery Confirmation printed without its "91" identifier, which the check digit covers
 * (7196 9010 7560 0307 7385). International items carry a UPU S10 number.
 */
const IMPB = '9[1-5](?:\\d{20}|\\d{24})';
const USPS: readonly FormatRule[] = [
  { format: 'usps-impb', shape: matching(new RegExp(`^${IMPB}$`)), tracked: itself, checkDigit: lastDigitOver(gs1Mod10) },
  { format: 'usps-impb', shape: matching(new RegExp(`^420\\d{5}${IMPB}$`)), tracked: (n) => n.slice(8), checkDigit: lastDigitOver(gs1Mod10) },
  { format: 'usps-impb', shape: matching(new RegExp(`^420\\d{9}${IMPB}$`)), tracked: (n) => n.slice(12), checkDigit: lastDigitOver(gs1Mod10) },
  { format: 'usps-20', shape: matching(/^\d{20}$/), tracked: itself, checkDigit: lastDigitOver(gs1Mod10) },
  { format: 'usps-20', shape: matching(/^\d{20}$/), tracked: itself, checkDigit: lastDigitOver(gs1Mod10Behind('91')) },
  { format: 'upu-s10', shape: isS10Shape, tracked: itself, checkDigit: (n) => checkAt(n, 10, s10CheckDigit(n.slice(2, 10))) },
];

/** DHL Express waybill: 10 digits, the last a mod-7 check digit. */
const DHL: readonly FormatRule[] = [
  { format: 'dhl-express-10', shape: matching(/^\d{10}$/), tracked: itself, checkDigit: lastDigitOver(dhlMod7CheckDigit) },
];

export function formatsOf(carrier: KnownCarrier): readonly FormatRule[] {
  switch (carrier) {
    case 'ups':
      return UPS;
    case 'fedex':
      return FEDEX;
    case 'usps':
      return USPS;
    case 'dhl':
      return DHL;
    default: {
      const unreachable: never = carrier;
      throw new Error(`no formats for carrier ${String(unreachable)}`);
    }
  }
}

/**
 * UPU S10: a two-letter service indicator from the ranges S10 assigns (E EMS, C parcels, H
 * e-commerce parcels, L/R/U/V letter post, M M-bags, Q A–M IBRS, and the domestic ranges B, D, N,
 * P, Z, AV–AZ, GA, GD; as listed in tracking_number_data `s10.json`), 8 serial digits, the check
 * digit, and the ISO 3166 code of the issuing postal operator's country.
 */
const S10 = /^(?:[CEHLMRUV][A-Z]|Q[A-M]|[BDNPZ][A-Z]|A[V-Z]|G[AD])\d{9}([A-Z]{2})$/;

/** CLDR (through Intl) knows every ISO 3166 code; it names an unassigned one only by falling back. */
const REGIONS = new Intl.DisplayNames('en', { type: 'region', fallback: 'none' });

function isS10Shape(number: string): boolean {
  const country = S10.exec(number)?.[1];
  return country !== undefined && country !== 'ZZ' && REGIONS.of(country) !== undefined;
}
