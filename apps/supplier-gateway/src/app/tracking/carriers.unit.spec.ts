import { carrierKey, resolveCarrier } from './carriers';

describe('resolveCarrier', () => {
  it.each([
    ['UPS', 'ups'],
    ['ups', 'ups'],
    ['U.P.S.', 'ups'],
    ['United Parcel Service', 'ups'],
    ['UNITED PARCEL SERVICE', 'ups'],
    ['UPSN', 'ups'],
    ['UPS Ground', 'ups'],
    ['UPS 2nd Day Air', 'ups'],
    ['UPS SurePost', 'ups'],
    ['FedEx', 'fedex'],
    ['Fed Ex', 'fedex'],
    ['FEDEX', 'fedex'],
    ['Federal Express', 'fedex'],
    ['FDEG', 'fedex'],
    ['FDEN', 'fedex'],
    ['FDXE', 'fedex'],
    ['FDXG', 'fedex'],
    ['FXSP', 'fedex'],
    ['FedEx Ground®', 'fedex'],
    ['FedEx™ Express', 'fedex'],
    ['FedEx Home Delivery', 'fedex'],
    ['FedEx SmartPost', 'fedex'],
    ['FedEx Ground Economy', 'fedex'],
    ['FedEx 2Day', 'fedex'],
    ['USPS', 'usps'],
    ['U.S.P.S.', 'usps'],
    ['United States Postal Service', 'usps'],
    ['US Postal Service', 'usps'],
    ['USPS Priority Mail', 'usps'],
    ['USPS Ground Advantage', 'usps'],
    ['DHL', 'dhl'],
    ['DHL Express', 'dhl'],
    ['dhl worldwide express', 'dhl'],
  ])('%s → %s', (name, carrier) => {
    expect(resolveCarrier(name)).toBe(carrier);
  });

  it.each([
    ['FedEx Freight'],
    ['FXFE'],
    ['FXNL'],
    ['DHL eCommerce'],
    ['DHL Paket'],
    ['UPS Freight'],
    ['UPS Mail Innovations'],
    ['OnTrac'],
    ['LaserShip'],
    ['Canada Post'],
    [''],
    ['   '],
  ])('leaves %p unknown: no substring guessing', (name) => {
    expect(resolveCarrier(name)).toBeUndefined();
  });
});

describe('carrierKey', () => {
  it('drops accents, case, punctuation, spaces and symbols', () => {
    expect(carrierKey('  Fédéral-Express™ ')).toBe('federalexpress');
    expect(carrierKey('U.S.P.S.')).toBe('usps');
  });
});
