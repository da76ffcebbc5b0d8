import { ScaledClock } from './clock';
import { loadEnv } from './config/load-env';
import { ServiceEnv } from './config/service-env';

describe('ScaledClock', () => {
  const anchor = new Date('2026-11-25T12:00:00.000Z');

  it('runs speed times faster than the wall clock from the anchor', () => {
    let wall = anchor.getTime();
    const clock = new ScaledClock({ anchor, speed: 120, wallClock: () => wall });
    expect(clock.now().toISOString()).toBe('2026-11-25T12:00:00.000Z');
    wall += 30_000; // 30 s of wall time = one simulated hour
    expect(clock.now().toISOString()).toBe('2026-11-25T13:00:00.000Z');
  });

  it('continues from a given simulated start (a resumed simulation)', () => {
    const wall = anchor.getTime() + 1_000;
    const clock = new ScaledClock({ anchor, startAt: new Date('2026-12-01T00:00:00.000Z'), speed: 60, wallClock: () => wall });
    expect(clock.now().toISOString()).toBe('2026-12-01T00:01:00.000Z');
  });

  it('processes with the same anchor and speed agree, whenever each was created', () => {
    let wall = anchor.getTime() + 5_000;
    const early = new ScaledClock({ anchor, speed: 10, wallClock: () => wall });
    wall += 7_000;
    const late = new ScaledClock({ anchor, speed: 10, wallClock: () => wall });
    expect(late.now().getTime()).toBe(early.now().getTime());
  });

  it('refuses a speed that is not a positive number', () => {
    expect(() => new ScaledClock({ anchor, speed: 0 })).toThrow(/positive/);
    expect(() => new ScaledClock({ anchor, speed: Number.NaN })).toThrow(/positive/);
  });
});

describe('clock settings', () => {
  const base = { EVENT_STORE: 'embedded', MESSAGING_TRANSPORT: 'in-process' };

  it('runs in real time unless told otherwise', () => {
    expect(loadEnv(ServiceEnv, base).CLOCK_SPEED).toBe(1);
  });

  it('needs an anchor when the clock is sped up', () => {
    expect(() => loadEnv(ServiceEnv, { ...base, CLOCK_SPEED: '60' })).toThrow(/CLOCK_ANCHOR/);
    expect(loadEnv(ServiceEnv, { ...base, CLOCK_SPEED: '60', CLOCK_ANCHOR: '2026-11-25T12:00:00Z' }).CLOCK_SPEED).toBe(60);
  });

  it('names a speed that is not a number or below real time', () => {
    expect(() => loadEnv(ServiceEnv, { ...base, CLOCK_SPEED: 'fast', CLOCK_ANCHOR: '2026-11-25T12:00:00Z' })).toThrow(/CLOCK_SPEED/);
    expect(() => loadEnv(ServiceEnv, { ...base, CLOCK_SPEED: '0.5', CLOCK_ANCHOR: '2026-11-25T12:00:00Z' })).toThrow(/CLOCK_SPEED/);
  });
});
