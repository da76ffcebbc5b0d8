import { normaliseTrackingNumber, type TrackingValidation, validateTracking } from './validate-tracking';

/** Real-world-shaped numbers whose check digits were computed by hand and by a second implementation. */
const VALID: readonly (readonly [carrier: string, number: string, format: string])[] = [
  ['UPS', '1Z999AA10123456784', 'ups-1z'],
  ['UPS', '1Z5R89390357567127', 'ups-1z'],
  ['UPS', '1ZXX3150YW44070023', 'ups-1z'],
  ['FedEx', '986578788855', 'fedex-express-12'],
  ['FedEx', '974367662710', 'fedex-express-12'],
  ['FedEx', '041441760228964', 'fedex-ground-15'],
  ['FedEx', '568283610012734', 'fedex-ground-15'],
  ['FedEx', '9611020987654312345672', 'fedex-ground-96'],
  ['FedEx', '00000123450000000027', 'fedex-sscc'],
  ['FedEx', '9261292700768711948021', 'fedex-ground-economy'],
  ['FedEx', '61299998820821171811', 'fedex-ground-economy'],
  ['FedEx', '74890328764530773631', 'fedex-ground-economy'],
  ['USPS', '9400111899223100000000', 'usps-impb'],
  ['USPS', '9505511069605048600624', 'usps-impb'],
  ['USPS', '92748931507708513018050063', 'usps-impb'],
  ['USPS', '03071790000523483741', 'usps-20'],
  ['USPS', '71969010756003077385', 'usps-20'],
  ['USPS', 'EE123456785US', 'upu-s10'],
  ['USPS', 'EA123456785US', 'upu-s10'],
  ['USPS', 'RB123456785GB', 'upu-s10'],
  ['USPS', 'LX123456785CN', 'upu-s10'],
  ['DHL', '3318810025', 'dhl-express-10'],
  ['DHL', '8487135506', 'dhl-express-10'],
  ['DHL', '1234567891', 'dhl-express-10'],
];

/** Each a valid number above with one character changed (or two swapped), so its check digit fails. */
const CORRUPTED: readonly (readonly [carrier: string, number: string])[] = [
  ['UPS', '1Z999AA10123456785'], // check digit
  ['UPS', '1Z999AA10123456794'], // a data digit
  ['UPS', '1Z999AB10123456784'], // a data letter
  ['UPS', '1Z999AA1012345678X'], // a letter where the check digit goes
  ['FedEx', '986578788856'],
  ['FedEx', '986578788585'], // adjacent digits swapped
  ['FedEx', '041441760228965'],
  ['FedEx', '9611020987654312345673'],
  ['FedEx', '00000123450000000029'], // 8 would pass as Ground Economy: a 20-digit FedEx number has two readings
  ['FedEx', '9261292700768711948020'],
  ['USPS', '9400111899223100000001'],
  ['USPS', '9400111899223100000010'],
  ['USPS', '92748931507708513018050064'],
  ['USPS', 'EE123456784US'],
  ['USPS', 'EE123456685US'],
  ['DHL', '3318810026'],
  ['DHL', '3318810125'],
];

function expectValid(result: TrackingValidation): asserts result is Extract<TrackingValidation, { verified: true }> {
  expect(result).toMatchObject({ valid: true, verified: true });
}

describe('validateTracking', () => {
  it.each(VALID)('%s %s is a valid %s', (carrier, number, format) => {
    const result = validateTracking(carrier, number);
    expectValid(result);
    expect(result.format).toBe(format);
    expect(result.normalised).toBe(number);
  });

  it.each(CORRUPTED)('%s %s has a bad check digit', (carrier, number) => {
    const result = validateTracking(carrier, number);
    expect(result).toMatchObject({ valid: false, reason: 'bad-check-digit' });
  });

  it('says which format failed and what the check digit should be', () => {
    expect(validateTracking('UPS', '1Z999AA10123456785')).toEqual({
      valid: false,
      carrier: 'ups',
      reason: 'bad-check-digit',
      message: '1Z999AA10123456785 has the shape of a ups-1z number but check digit 5 where 4 is expected',
      normalised: '1Z999AA10123456785',
    });
  });

  it('names both readings of a 20-digit USPS number when neither holds', () => {
    const result = validateTracking('USPS', '03071790000523483742');
    expect(result).toMatchObject({ valid: false, reason: 'bad-check-digit' });
    if (result.valid) return;
    expect(result.message).toContain('check digit 2 where 1 or 3 is expected');
  });

  it('normalises spaces, dashes and case before checking', () => {
    const result = validateTracking('ups', '  1z 999 aa1-0123 4567 84 ');
    expect(result).toEqual({ valid: true, verified: true, carrier: 'ups', format: 'ups-1z', normalised: '1Z999AA10123456784' });
  });

  it.each([
    ['a USPS label barcode with 420 + ZIP-5', '420221539101026837331000039521', '9101026837331000039521'],
    ['a USPS label barcode with 420 + ZIP+4', '4209021012349400111899223100000000', '9400111899223100000000'],
  ])('drops the routing prefix of %s', (_, barcode, tracked) => {
    expect(validateTracking('USPS', barcode)).toEqual({ valid: true, verified: true, carrier: 'usps', format: 'usps-impb', normalised: tracked });
  });

  it.each([
    ['UPS', '1Z999AA1012345678', 'one character short'],
    ['UPS', '986578788855', 'a FedEx number'],
    ['FedEx', '1Z999AA10123456784', 'a UPS number'],
    ['FedEx', '5096672442', 'a 10-digit FedEx number, whose rule is not public'],
    ['USPS', '1Z999AA10123456784', 'a UPS number'],
    ['USPS', 'EE123456785XX', 'an S10 number with no such country'],
    ['USPS', 'WE123456785US', 'an S10 number with an unassigned service indicator'],
    ['DHL', '33188100251', 'eleven digits'],
  ])('%s %s is not a recognised format (%s)', (carrier, number) => {
    expect(validateTracking(carrier, number)).toMatchObject({ valid: false, reason: 'unrecognised-format' });
  });

  it('rejects characters that no tracking number of a known carrier has', () => {
    expect(validateTracking('UPS', '1Z999AA1/0123456784')).toMatchObject({ valid: false, carrier: 'ups', reason: 'illegal-characters' });
  });

  it.each([['UPS'], ['Speedy Couriers Ltd']])('rejects an empty number, whoever the carrier (%s)', (carrier) => {
    expect(validateTracking(carrier, ' - ')).toMatchObject({ valid: false, reason: 'empty', normalised: '' });
  });

  it('records the number of a carrier it does not check as valid but unverified', () => {
    expect(validateTracking(' OnTrac ', 'c1103-1500001879')).toEqual({
      valid: true,
      verified: false,
      carrier: 'unknown',
      carrierName: 'OnTrac',
      normalised: 'C11031500001879',
    });
  });

  it.each([['FedEx Freight'], ['FXFE'], ['DHL eCommerce'], ['UPS Freight']])(
    'leaves %s unknown, since its numbers are not parcel numbers',
    (carrier) => {
      expect(validateTracking(carrier, '123456789')).toMatchObject({ valid: true, verified: false, carrier: 'unknown' });
    },
  );

  it('maps spellings and SCAC codes before choosing the formats', () => {
    for (const carrier of ['United Parcel Service', 'UPSN', 'U.P.S.']) {
      expect(validateTracking(carrier, '1Z999AA10123456784')).toMatchObject({ valid: true, carrier: 'ups' });
    }
    for (const carrier of ['FDEG', 'FDXE', 'Federal Express', 'FedEx Home Delivery']) {
      expect(validateTracking(carrier, '986578788855')).toMatchObject({ valid: true, carrier: 'fedex' });
    }
    expect(validateTracking('U.S. Postal Service', 'EE123456785US')).toMatchObject({ valid: true, carrier: 'usps' });
  });
});

describe('normaliseTrackingNumber', () => {
  it('trims, upper-cases and removes spaces, tabs, no-break spaces and every kind of dash', () => {
    expect(normaliseTrackingNumber(' 1z\t999\u00a0aa1–0123—4567‐84\n')).toBe('1Z999AA10123456784');
  });
});
