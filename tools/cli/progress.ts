/**
 * Progress of a long read, on stderr so stdout stays the result. A bar redrawn in place when
 * stderr is a terminal; otherwise (a CI log, a pipe) a plain line now and then and one at the end.
 * Written here rather than taken from a library: it is thirty lines, and needs no dependency.
 */

/** Where progress goes: process.stderr, or a test's buffer. */
export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Progress {
  /** `count` more events read. */
  tick(count?: number): void;
  finish(): void;
}

export interface ProgressOptions {
  readonly now?: () => number;
  /** Between two redraws of the bar. */
  readonly redrawMs?: number;
  /** Between two plain lines when the sink is not a terminal. */
  readonly lineMs?: number;
}

const rate = (perSecond: number) => (perSecond >= 1000 ? `${(perSecond / 1000).toFixed(1)}k/s` : `${Math.round(perSecond)}/s`);

/** `total` when the store could count the events to read; else a running count. */
export function startProgress(sink: ProgressSink, label: string, total: number | undefined, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  const tty = sink.isTTY === true;
  const every = tty ? (options.redrawMs ?? 100) : (options.lineMs ?? 5000);
  let read = 0;
  let shown = started;
  let finished = false;

  const render = () => {
    const perSecond = read / Math.max((now() - started) / 1000, 1e-3);
    if (total === undefined) return `${label}: ${read} events read, ${rate(perSecond)}`;
    const of = Math.max(total, read);
    const fraction = of === 0 ? 1 : read / of;
    const counts = `${read}/${of} events ${Math.floor(fraction * 100)}% ${rate(perSecond)}`;
    if (!tty) return `${label}: ${counts}`;
    const width = 30;
    const filled = Math.round(fraction * width);
    return `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${counts}`;
  };
  const draw = () => {
    const line = render();
    sink.write(tty ? `\r${sink.columns ? line.slice(0, sink.columns - 1) : line}\x1b[K` : `${line}\n`);
  };

  return {
    tick(count = 1) {
      read += count;
      if (finished || now() - shown < every) return;
      shown = now();
      draw();
    },
    finish() {
      if (finished) return;
      finished = true;
      draw();
      if (tty) sink.write('\n');
    },
  };
}
