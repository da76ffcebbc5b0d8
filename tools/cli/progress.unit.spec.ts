import { startProgress, type ProgressSink } from './progress';

const sink = (isTTY: boolean): ProgressSink & { text: () => string } => {
  const written: string[] = [];
  return { isTTY, columns: 120, write: (t: string) => written.push(t), text: () => written.join('') };
};

describe('progress', () => {
  it('on a terminal, redraws one bar in place with read / total, and ends the line when done', () => {
    let now = 0;
    const out = sink(true);
    const progress = startProgress(out, 'rebuild orders', 200, { now: () => now, redrawMs: 100 });
    progress.tick(50);
    now = 100;
    progress.tick(50);
    now = 150;
    progress.tick(100);
    progress.finish();
    const frames = out.text().split('\r').filter(Boolean);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(/^rebuild orders \[█{15}░{15}\] 100\/200 events 50% 1\.0k\/s/);
    expect(frames[1]).toMatch(/\[█{30}\] 200\/200 events 100% .*\n$/);
  });

  it('elsewhere, writes a plain line now and then and one at the end; a running count when there is no total', () => {
    let now = 0;
    const out = sink(false);
    const progress = startProgress(out, 'rebuild scorecards', undefined, { now: () => now, lineMs: 5000 });
    for (let i = 0; i < 10; i++) {
      now += 1000;
      progress.tick(100);
    }
    progress.finish();
    progress.finish();
    expect(out.text().split('\n').filter(Boolean)).toEqual(['rebuild scorecards: 500 events read, 100/s', 'rebuild scorecards: 1000 events read, 100/s', 'rebuild scorecards: 1000 events read, 100/s']);
  });

  it('never shows more than 100% when events were appended after the count', () => {
    const out = sink(false);
    const progress = startProgress(out, 'rebuild', 3, { now: () => 1000 });
    progress.tick(5);
    progress.finish();
    expect(out.text()).toMatch(/5\/5 events 100%/);
  });
});
