import fc from 'fast-check';
import { dhl, fedex, getTracking, s10, type TrackingCourier, ups, usps } from 'ts-tracking-number';
import { validateTracking } from './validate-tracking';

/**
 * A second, independent implementation as an oracle: `ts-tracking-number` runs the published
 * rules of jkeen/tracking_number_data. On random numbers of each shape that both know, one in ten
 * of which passes its check digit by chance, both must give the same verdict. Where the reference
 * is stricter or looser (documented in `formats.ts`) the generator stays inside the shared part.
 */
const DIGIT = fc.constantFrom(...'0123456789');
const LETTER = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const digits = (length: number) => fc.string({ unit: DIGIT, minLength: length, maxLength: length });
const alphanumerics = (length: number) => fc.string({ unit: fc.oneof(DIGIT, LETTER), minLength: length, maxLength: length });

const RUNS = { numRuns: 2000 };

/** Valid numbers met in the current test: an agreement on invalid numbers alone would prove little. */
let validSeen = 0;

function agrees(carrier: string, courier: TrackingCourier, number: string): void {
  const ours = validateTracking(carrier, number);
  const reference = getTracking(number, [courier]) !== undefined;
  expect({ number, valid: ours.valid }).toEqual({ number, valid: reference });
  if (reference) validSeen += 1;
}

describe('agreement with ts-tracking-number on random numbers', () => {
  beforeEach(() => {
    validSeen = 0;
  });

  afterEach(() => {
    expect(validSeen).toBeGreaterThan(50);
  });

  it('UPS 1Z', () => {
    fc.assert(fc.property(alphanumerics(15), DIGIT, (body, check) => agrees('UPS', ups, `1Z${body}${check}`)), RUNS);
  });

  it('FedEx Express 12', () => {
    fc.assert(fc.property(digits(12), (n) => agrees('FedEx', fedex, n)), RUNS);
  });

  it('FedEx Ground 15', () => {
    fc.assert(fc.property(digits(15), (n) => agrees('FedEx', fedex, n)), RUNS);
  });

  it('FedEx Ground 96 (22)', () => {
    fc.assert(fc.property(digits(20), (n) => agrees('FedEx', fedex, `96${n}`)), RUNS);
  });

  it('FedEx SSCC-18 behind AI 00 (the reference takes the bare SSCC)', () => {
    fc.assert(
      fc.property(digits(16), (n) => {
        const number = `0000${n}`;
        const ours = validateTracking('FedEx', number);
        const sscc = ours.valid && ours.verified && ours.format === 'fedex-sscc';
        const reference = getTracking(number.slice(2), [fedex]) !== undefined;
        expect({ number, sscc }).toEqual({ number, sscc: reference });
        if (reference) validSeen += 1;
      }),
      RUNS,
    );
  });

  it('FedEx Ground Economy, 22 digits and 20 without the 92 (the reference wants service 29)', () => {
    fc.assert(fc.property(digits(16), (n) => agrees('FedEx', fedex, `926129${n}`)), RUNS);
    fc.assert(fc.property(digits(16), (n) => agrees('FedEx', fedex, `6129${n}`)), RUNS);
  });

  it('USPS IMpb 22, bare and behind 420 + ZIP-5', () => {
    fc.assert(fc.property(fc.constantFrom('92', '93', '94', '95'), digits(20), (ai, n) => agrees('USPS', usps, `${ai}${n}`)), RUNS);
    fc.assert(fc.property(digits(5), digits(20), (zip, n) => agrees('USPS', usps, `420${zip}94${n}`)), RUNS);
  });

  it('USPS 20 (numbers not starting with 91–95, which the reference reads as an IMpb prefix)', () => {
    fc.assert(
      fc.property(digits(20), (n) => {
        fc.pre(!/^9[1-5]/.test(n));
        agrees('USPS', usps, n);
      }),
      RUNS,
    );
  });

  it('UPU S10 from the United States', () => {
    fc.assert(fc.property(LETTER, LETTER, digits(9), (a, b, n) => agrees('USPS', s10, `${a}${b}${n}US`)), RUNS);
  });

  it('DHL Express 10', () => {
    fc.assert(fc.property(digits(10), (n) => agrees('DHL', dhl, n)), RUNS);
  });
});
