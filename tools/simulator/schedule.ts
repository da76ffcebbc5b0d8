/** Something the simulated world will do at a simulated time, keyed so it is planned once. */
export interface Scheduled<T> {
  readonly key: string;
  readonly at: number;
  readonly item: T;
}

/**
 * Future actions (a customer's cancellation, a parcel's arrival) in simulated time. Saved with the
 * simulator's state on stop, so a resumed run still does them.
 */
export class Schedule<T> {
  private readonly items = new Map<string, Scheduled<T>>();

  constructor(saved: readonly Scheduled<T>[] = []) {
    for (const entry of saved) this.items.set(entry.key, entry);
  }

  /** Plans an action; the same key again changes nothing (a redelivered message). */
  add(key: string, at: Date, item: T): void {
    if (!this.items.has(key)) this.items.set(key, { key, at: at.getTime(), item });
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  due(now: Date): Scheduled<T>[] {
    return [...this.items.values()].filter((e) => e.at <= now.getTime()).sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
  }

  remove(key: string): void {
    this.items.delete(key);
  }

  get size(): number {
    return this.items.size;
  }

  toJSON(): Scheduled<T>[] {
    return [...this.items.values()];
  }
}
