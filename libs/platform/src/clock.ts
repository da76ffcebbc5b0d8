/** Time is an input: services read it through this port so tests and replays control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to (tests, simulations). */
export class ManualClock implements Clock {
  constructor(private current: Date = new Date('2026-01-01T00:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(to: Date): void {
    this.current = new Date(to.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * Time that runs `speed` times faster than the wall clock from an anchor instant (simulations and
 * end-to-end runs, where a supplier's one-hour confirmation deadline should pass in seconds).
 * Processes given the same anchor, start and speed agree on the time, whenever each started.
 */
export class ScaledClock implements Clock {
  constructor(
    private readonly options: {
      /** The wall-clock instant the simulated time is pinned to. */
      readonly anchor: Date;
      /** The simulated time at the anchor (default: the anchor itself). */
      readonly startAt?: Date;
      readonly speed: number;
      readonly wallClock?: () => number;
    },
  ) {
    if (!(options.speed > 0) || !Number.isFinite(options.speed)) throw new Error(`Clock speed must be a positive number, got ${options.speed}`);
  }

  now(): Date {
    const wall = (this.options.wallClock ?? Date.now)();
    const anchor = this.options.anchor.getTime();
    const start = (this.options.startAt ?? this.options.anchor).getTime();
    return new Date(start + Math.round((wall - anchor) * this.options.speed));
  }

  get speed(): number {
    return this.options.speed;
  }
}
