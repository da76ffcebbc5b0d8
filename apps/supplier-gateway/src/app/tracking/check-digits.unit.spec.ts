import fc from 'fast-check';
import { dhlMod7CheckDigit, fedexExpressCheckDigit, gs1Mod10, s10CheckDigit, ups1zCheckDigit } from './check-digits';

const digits = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });

describe('gs1Mod10', () => {
  it.each([
    ['GTIN-13 6291041500213, the GS1 check-digit example', '629104150021', 3],
    ['SSCC-18 with AI 00 (FedEx label specification example)', '0000012345000000002', 7],
    ['FedEx Ground 15', '04144176022896', 4],
    ['USPS IMpb 22', '940011189922310000000', 0],
    ['USPS IMpb 26', '9274893150770851301805006', 3],
    ['USPS Certified Mail 20', '0307179000052348374', 1],
  ])('%s', (_, data, check) => {
    expect(gs1Mod10(data)).toBe(check);
  });

  it('property: catches every single-digit substitution (weights 3 and 1 are prime to 10)', () => {
    fc.assert(
      fc.property(digits(21), fc.nat(20), fc.integer({ min: 1, max: 9 }), (data, position, delta) => {
        const changed = String((Number(data[position]) + delta) % 10);
        const corrupted = data.slice(0, position) + changed + data.slice(position + 1);
        expect(gs1Mod10(corrupted)).not.toBe(gs1Mod10(data));
      }),
    );
  });
});

describe('ups1zCheckDigit', () => {
  it.each([
    ['999AA1012345678', 4], // 1Z999AA10123456784, the classic UPS sample number
    ['5R8939035756712', 7],
    ['879E93034683444', 0],
    ['XX3150YW4407002', 3],
  ])('the 15 characters after 1Z of %s give %i', (body, check) => {
    expect(ups1zCheckDigit(body)).toBe(check);
  });

  it('reads letters as (code − 63) mod 10: A=2, H=9, I=0, Z=7', () => {
    expect(ups1zCheckDigit('A')).toBe(8);
    expect(ups1zCheckDigit('H')).toBe(1);
    expect(ups1zCheckDigit('I')).toBe(0);
    expect(ups1zCheckDigit('Z')).toBe(3);
  });

  it('misses a change by 5 in a doubled position: a limit of the algorithm, not of this code', () => {
    // Position 2 (1-based) counts twice: 9 → 4 changes the sum by 10.
    expect(ups1zCheckDigit('949AA1012345678')).toBe(ups1zCheckDigit('999AA1012345678'));
  });
});

describe('fedexExpressCheckDigit', () => {
  it.each([
    ['98657878885', 5],
    ['47717908123', 0],
    ['79953127448', 3],
    ['97436766271', 0], // sum mod 11 is 10, which counts as 0
  ])('%s → %i', (data, check) => {
    expect(fedexExpressCheckDigit(data)).toBe(check);
  });
});

describe('s10CheckDigit', () => {
  it.each([
    ['12345678', 5, 'EE123456785US, the S10 standard example: sum 204, 11 − 6'],
    ['00000003', 1, 'sum 21 ≡ 10: 11 − 10'],
    ['00004000', 0, 'sum 12 ≡ 1: 11 − 1 = 10 becomes 0'],
    ['00000000', 5, 'sum 0: 11 − 0 = 11 becomes 5'],
  ])('%s → %i (%s)', (serial, check) => {
    expect(s10CheckDigit(serial)).toBe(check);
  });
});

describe('dhlMod7CheckDigit', () => {
  it.each([
    ['331881002', 5],
    ['848713550', 6],
    ['109925599', 0],
    ['123456789', 1],
  ])('%s mod 7 = %i', (data, check) => {
    expect(dhlMod7CheckDigit(data)).toBe(check);
  });
});
