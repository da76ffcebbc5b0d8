/** The parcel carriers whose tracking numbers are checked (format and check digit). */
export const KNOWN_CARRIERS = ['ups', 'fedex', 'usps', 'dhl'] as const;

export type KnownCarrier = (typeof KNOWN_CARRIERS)[number];

/**
 * Every spelling suppliers are known to send, as `carrierKey` reduces it (lower case, letters and
 * digits only: "U.S.P.S." → "usps", "FedEx Ground®" → "fedexground"). Exact matches only, never
 * "contains": "FedEx Freight" and "DHL eCommerce" are different networks with different numbers
 * (LTL PRO numbers; DHL eCommerce's GM… and USPS-delivered numbers), and checking them against the
 * parcel formats would report false defects, so they stay unknown.
 *
 * Codes: UPSN, FDEG, FDEN and USPS are SCACs (NMFTA's Standard Carrier Alpha Codes, as retailers'
 * EDI routing guides list them); FDXE, FDXG and FXSP are the carrier codes of FedEx's own APIs,
 * which suppliers copy from their shipping software.
 */
const ALIASES: Readonly<Record<KnownCarrier, readonly string[]>> = {
  ups: [
    'ups', 'unitedparcelservice', 'upsn', 'upsground', 'upsnextdayair', 'upsnextdayairsaver', 'upsnextdayairearly',
    'ups2nddayair', 'ups2ndday', 'ups3dayselect', 'upssurepost', 'upsgroundsaver', 'upsworldwideexpress',
    'upsworldwidesaver', 'upsworldwideexpedited', 'upsstandard',
  ],
  fedex: [
    'fedex', 'federalexpress', 'fdeg', 'fden', 'fdxe', 'fdxg', 'fxsp', 'fedexexpress', 'fedexground', 'fedexhomedelivery',
    'fedexgroundeconomy', 'fedexsmartpost', 'fedexpriorityovernight', 'fedexstandardovernight', 'fedexfirstovernight',
    'fedex2day', 'fedexexpresssaver', 'fedexinternationalpriority', 'fedexinternationaleconomy',
  ],
  usps: [
    'usps', 'unitedstatespostalservice', 'uspostalservice', 'usmail', 'uspsprioritymail', 'uspsprioritymailexpress',
    'uspsfirstclassmail', 'uspsfirstclasspackage', 'uspsgroundadvantage', 'uspsparcelselect', 'uspsmediamail',
  ],
  dhl: ['dhl', 'dhlexpress', 'dhlworldwideexpress', 'dhlexpressworldwide', 'dhlinternationalexpress'],
};

const BY_KEY: ReadonlyMap<string, KnownCarrier> = new Map(
  KNOWN_CARRIERS.flatMap((carrier) => ALIASES[carrier].map((alias) => [alias, carrier] as const)),
);

/** The known carrier a supplier's carrier name means, or undefined when it is not one we check. */
export function resolveCarrier(name: string): KnownCarrier | undefined {
  return BY_KEY.get(carrierKey(name));
}

/**
 * `name` reduced for lookup: trademark signs dropped first (NFKD would spell ™ as "TM"), accents
 * removed (NFKD, then combining marks dropped), lower case, only ASCII letters and digits kept, so
 * punctuation and spaces do not matter.
 */
export function carrierKey(name: string): string {
  return name
    .replace(/[\u00a9\u00ae\u2120\u2122]/g, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
