import { validateTracking } from '../../apps/supplier-gateway/src/app/tracking';
import { nextAction, upsTracking, type SupplierAction, type SupplierPo } from './supplier';
import { BEHAVIOURS, type SupplierBehaviour } from './world';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SEED = 'run-7';
const CREATED_AT = '2026-03-02T09:00:00.000Z';

type PoLine = SupplierPo['lines'][number];

const line = (lineId: string, quantity: number, open = quantity): PoLine => ({ lineId, sku: `SKU-${lineId}`, quantity, unitCost: 1000, open });

const po = (overrides: Partial<SupplierPo> = {}): SupplierPo => ({
  poId: 'po-3f1c9a',
  poNumber: 'ACME-000042',
  status: 'dispatched',
  createdAt: CREATED_AT,
  lines: [line('1', 2), line('2', 3)],
  pendingCancellation: null,
  ...overrides,
});

/** Simulated time `ms` after the PO was created. */
const after = (ms: number) => new Date(Date.parse(CREATED_AT) + ms);

const fast = BEHAVIOURS.fast;
const fastAck = 10 * MINUTE;
const fastShip = fastAck + 4 * HOUR;

const decide = (order: SupplierPo, behaviour: SupplierBehaviour, at: Date, seed = SEED) => nextAction(order, behaviour, at, seed, 'ACME');

function shipped(action: SupplierAction | undefined): Extract<SupplierAction, { kind: 'ship' }> {
  if (action?.kind !== 'ship') throw new Error(`Expected a shipment, got ${JSON.stringify(action)}`);
  return action;
}

const units = (lines: readonly { quantity: number }[]) => lines.reduce((sum, l) => sum + l.quantity, 0);

describe('nextAction', () => {
  describe('a silent supplier', () => {
    it.each(['created', 'dispatched', 'acknowledged', 'partially_shipped'])('never acts on a %s PO, however long it waits', (status) => {
      expect(decide(po({ status }), BEHAVIOURS.silent, after(30 * 24 * HOUR))).toBeUndefined();
    });

    it('still answers a pending cancellation, as its habit says (it refuses)', () => {
      const action = decide(po({ status: 'acknowledged', pendingCancellation: { requestId: 'req-1' } }), BEHAVIOURS.silent, after(HOUR));

      expect(action).toEqual({ kind: 'answer-cancellation', accepted: false });
    });
  });

  it('answers a pending cancellation before anything else, agreeing when its habit is to agree', () => {
    const action = decide(po({ status: 'acknowledged', pendingCancellation: { requestId: 'req-1' } }), fast, after(fastShip));

    expect(action).toEqual({ kind: 'answer-cancellation', accepted: true });
  });

  describe('acknowledgement', () => {
    it.each(['created', 'dispatched'])('of a %s PO waits until ackAfterMinutes have passed since it was created', (status) => {
      expect(decide(po({ status }), fast, after(fastAck - 1))).toBeUndefined();
      expect(decide(po({ status }), fast, after(fastAck))?.kind).toBe('acknowledge');
    });

    it('with rejectShare 1 rejects every line, all of its units, with a reason', () => {
      const lines = [line('1', 2), line('2', 3), line('3', 1)];

      const action = decide(po({ lines }), { ...fast, rejectShare: 1 }, after(fastAck));

      expect(action).toEqual({
        kind: 'acknowledge',
        lines: [
          { lineId: '1', rejected: 2, reason: expect.any(String) },
          { lineId: '2', rejected: 3, reason: expect.any(String) },
          { lineId: '3', rejected: 1, reason: expect.any(String) },
        ],
      });
    });

    it('with rejectShare 0 accepts every line with its full quantity', () => {
      const lines = [line('1', 2), line('2', 3), line('3', 1)];

      const action = decide(po({ lines }), fast, after(fastAck));

      expect(action).toEqual({ kind: 'acknowledge', lines: [{ lineId: '1', accepted: 2 }, { lineId: '2', accepted: 3 }, { lineId: '3', accepted: 1 }] });
    });

    it('with rejectShare 0.5 rejects some lines and accepts the others', () => {
      const lines = Array.from({ length: 40 }, (_, i) => line(String(i + 1), 1));

      const action = decide(po({ lines }), BEHAVIOURS.rejects, after(HOUR));

      if (action?.kind !== 'acknowledge') throw new Error(`Expected an acknowledgement, got ${JSON.stringify(action)}`);
      const rejected = action.lines.filter((l) => l.rejected === 1).length;
      expect(rejected).toBeGreaterThanOrEqual(8);
      expect(rejected).toBeLessThanOrEqual(32);
      expect(action.lines.filter((l) => l.accepted === 1)).toHaveLength(40 - rejected);
    });
  });

  describe('shipping in one parcel', () => {
    it('ships every open unit once shipAfterHours have passed since the acknowledgement was due', () => {
      const order = po({ status: 'acknowledged', lines: [line('1', 2), line('2', 3, 1), line('3', 4, 0)] });

      expect(decide(order, fast, after(fastShip - 1))).toBeUndefined();
      const action = shipped(decide(order, fast, after(fastShip)));

      expect(action.lines).toEqual([
        { lineId: '1', quantity: 2 },
        { lineId: '2', quantity: 1 },
      ]);
      expect(action.shipmentId).toBe('ACME-000042-S1');
      expect(action.invalidTracking).toBe(false);
      expect(validateTracking('UPS', action.trackingNumber)).toMatchObject({ valid: true, verified: true });
    });

    it('does nothing when no unit is open', () => {
      expect(decide(po({ status: 'acknowledged', lines: [line('1', 2, 0)] }), fast, after(fastShip))).toBeUndefined();
    });

    it.each(['shipped', 'invoiced', 'closed', 'cancelled', 'timed_out'])('leaves a %s PO alone', (status) => {
      expect(decide(po({ status }), fast, after(30 * 24 * HOUR))).toBeUndefined();
    });

    it('sends a number with a wrong check digit when its habit is bad tracking, and says so', () => {
      const action = shipped(decide(po({ status: 'acknowledged' }), { ...fast, invalidTrackingShare: 1 }, after(fastShip)));

      expect(action.invalidTracking).toBe(true);
      expect(validateTracking('UPS', action.trackingNumber)).toMatchObject({ valid: false, reason: 'bad-check-digit' });
    });
  });

  describe('a partial shipper', () => {
    const partial: SupplierBehaviour = { ...BEHAVIOURS.partial, partialShare: 1 };
    const ackAt = 15 * MINUTE;
    const firstAt = ackAt + 8 * HOUR;
    const restAt = ackAt + 1.5 * 8 * HOUR;

    it('ships about half the units first: whole lines first, then part of the next', () => {
      const lines = [line('1', 2), line('2', 3), line('3', 2)];

      const action = shipped(decide(po({ status: 'acknowledged', lines }), partial, after(firstAt)));

      expect(action.lines).toEqual([
        { lineId: '1', quantity: 2 },
        { lineId: '2', quantity: 1 },
      ]);
      expect(units(action.lines)).toBe(Math.floor(units(lines) / 2));
      expect(action.shipmentId).toBe('ACME-000042-S1');
    });

    it('takes part of the first line alone when that line holds more than half the units', () => {
      const lines = [line('a', 5), line('b', 4)];

      const action = shipped(decide(po({ status: 'acknowledged', lines }), partial, after(firstAt)));

      expect(action.lines).toEqual([{ lineId: 'a', quantity: 4 }]);
    });

    it('ships a single unit whole: there is no half of it', () => {
      const action = shipped(decide(po({ status: 'acknowledged', lines: [line('1', 1)] }), partial, after(firstAt)));

      expect(action.lines).toEqual([{ lineId: '1', quantity: 1 }]);
    });

    it('then, once partially shipped, cancels every unit still open, later than it shipped', () => {
      const order = po({ status: 'partially_shipped', lines: [line('1', 2, 0), line('2', 3, 2), line('3', 2)] });

      expect(decide(order, partial, after(restAt - 1))).toBeUndefined();
      expect(decide(order, partial, after(restAt))).toEqual({
        kind: 'cancel-rest',
        lines: [
          { lineId: '2', quantity: 2 },
          { lineId: '3', quantity: 2 },
        ],
      });
    });

    it('is the PO, not the supplier, that is partial: a supplier that ships in full sends the rest of a partially shipped PO as a second parcel', () => {
      const order = po({ status: 'partially_shipped', lines: [line('1', 2, 0), line('2', 3, 2)] });

      const action = shipped(decide(order, BEHAVIOURS.fast, after(fastAck + 1.5 * 4 * HOUR)));

      expect(action).toMatchObject({ shipmentId: 'ACME-000042-S2', lines: [{ lineId: '2', quantity: 2 }] });
      expect(validateTracking('UPS', action.trackingNumber).valid).toBe(true);
    });
  });

  describe('determinism', () => {
    it('decides the same again from the same PO, time and seed (a restarted supplier)', () => {
      const behaviour: SupplierBehaviour = { ...BEHAVIOURS.rejects, partialShare: 0.5, invalidTrackingShare: 0.5 };
      const lines = Array.from({ length: 12 }, (_, i) => line(String(i + 1), 2));
      const now = after(HOUR);
      const shipAt = after(15 * MINUTE + 6 * HOUR);

      expect(decide(po({ lines }), behaviour, now)).toEqual(decide(po({ lines }), behaviour, now));
      expect(decide(po({ status: 'acknowledged', lines }), behaviour, shipAt)).toEqual(decide(po({ status: 'acknowledged', lines }), behaviour, shipAt));
    });

    it('decides differently under another seed', () => {
      const lines = Array.from({ length: 12 }, (_, i) => line(String(i + 1), 2));
      const acknowledge = (seed: string) => decide(po({ lines }), BEHAVIOURS.rejects, after(HOUR), seed);
      const ship = (seed: string) => shipped(decide(po({ status: 'acknowledged', lines }), fast, after(fastShip), seed));

      expect(acknowledge('run-a')).not.toEqual(acknowledge('run-b'));
      expect(ship('run-a').trackingNumber).not.toBe(ship('run-b').trackingNumber);
      expect(ship('run-a').shipmentId).toBe(ship('run-b').shipmentId);
    });
  });
});

describe('upsTracking', () => {
  const poIds = Array.from({ length: 50 }, (_, i) => `po-${i}`);

  it('makes 1Z numbers of 18 characters with the shipper code in them', () => {
    for (const poId of poIds) {
      const number = upsTracking('acme', poId, 1, SEED, false);
      expect(number).toMatch(/^1Z[A-Z0-9]{16}$/);
      expect(number.slice(2, 8)).toBe('ACMEXX');
    }
    expect(upsTracking('Fable-Clocks 2', 'po-1', 1, SEED, false).slice(2, 8)).toBe('FABLEC');
  });

  it("makes numbers the gateway's own validator accepts", () => {
    for (const poId of poIds) {
      for (const sequence of [1, 2]) {
        const number = upsTracking('EVG', poId, sequence, SEED, false);
        expect(validateTracking('UPS', number)).toMatchObject({ valid: true, verified: true, format: 'ups-1z', normalised: number });
      }
    }
  });

  it('misprints only the check digit when asked, which the gateway reports as a bad check digit', () => {
    for (const poId of poIds) {
      const good = upsTracking('FBL', poId, 1, SEED, false);
      const bad = upsTracking('FBL', poId, 1, SEED, true);
      expect(bad).toMatch(/^1Z[A-Z0-9]{16}$/);
      expect(bad.slice(0, 17)).toBe(good.slice(0, 17));
      expect(bad).not.toBe(good);
      expect(validateTracking('UPS', bad)).toMatchObject({ valid: false, reason: 'bad-check-digit' });
    }
  });

  it('gives each parcel of a PO its own number, the same one every time', () => {
    expect(upsTracking('ACME', 'po-1', 1, SEED, false)).toBe(upsTracking('ACME', 'po-1', 1, SEED, false));
    expect(upsTracking('ACME', 'po-1', 1, SEED, false)).not.toBe(upsTracking('ACME', 'po-1', 2, SEED, false));
    expect(new Set(poIds.map((poId) => upsTracking('ACME', poId, 1, SEED, false))).size).toBe(poIds.length);
  });
});
