/** Back-off pauses that a shutdown can cut short, so closing a consumer never waits out a retry delay. */
export class InterruptibleSleep {
  private readonly pending = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending.add(done);
    });
  }

  interrupt(): void {
    for (const done of [...this.pending]) done();
  }
}
