import { cancellationDefects, shipmentDefects } from './chargebacks';

const shipment = { shipmentId: 'sh-1', shippedAt: '2026-03-05T10:00:00.000Z', shipBy: '2026-03-05T09:59:59.999Z', trackingValid: true, trackingNumber: '1Z999AA10123456784', carrier: 'UPS' };

describe('chargeback defects', () => {
  it('a shipment after its ship-by is late, one at it is not; an unknown ship-by is never late', () => {
    expect(shipmentDefects(shipment)).toEqual([{ rule: 'late_shipment', occurrenceId: 'sh-1', reason: 'shipped 2026-03-05T10:00:00.000Z, due by 2026-03-05T09:59:59.999Z' }]);
    expect(shipmentDefects({ ...shipment, shipBy: shipment.shippedAt })).toEqual([]);
    const { shipBy: _shipBy, ...noDeadline } = shipment;
    expect(shipmentDefects(noDeadline)).toEqual([]);
  });

  it('a tracking number that failed its check is a defect of the shipment; an unchecked one is not', () => {
    expect(shipmentDefects({ ...shipment, shipBy: '2026-04-01T00:00:00.000Z', trackingValid: false }).map((d) => d.rule)).toEqual(['invalid_tracking']);
    const { trackingValid: _valid, ...unchecked } = shipment;
    expect(shipmentDefects({ ...unchecked, shipBy: '2026-04-01T00:00:00.000Z' })).toEqual([]);
  });

  it('only the supplier cancelling what it accepted, and only the report that released units, is charged back', () => {
    const base = { sourceId: 'ev-1', by: 'supplier' as const, acknowledged: true, released: true };
    expect(cancellationDefects(base)).toEqual([{ rule: 'cancelled_after_acceptance', occurrenceId: 'ev-1', reason: 'cancelled by the supplier after accepting' }]);
    expect(cancellationDefects({ ...base, by: 'retailer' })).toEqual([]);
    expect(cancellationDefects({ ...base, acknowledged: false })).toEqual([]);
    expect(cancellationDefects({ ...base, released: false })).toEqual([]);
  });
});
