import { Schedule } from './schedule';

const at = (iso: string) => new Date(iso);

describe('Schedule', () => {
  it('plans an action once per key: a redelivered message changes neither its time nor its item', () => {
    const schedule = new Schedule<string>();
    schedule.add('cancel:o-1', at('2026-03-01T10:00:00.000Z'), 'first');
    schedule.add('cancel:o-1', at('2026-03-01T09:00:00.000Z'), 'second');

    expect(schedule.size).toBe(1);
    expect(schedule.has('cancel:o-1')).toBe(true);
    expect(schedule.due(at('2026-03-01T09:30:00.000Z'))).toEqual([]);
    expect(schedule.due(at('2026-03-01T10:00:00.000Z'))).toEqual([{ key: 'cancel:o-1', at: Date.parse('2026-03-01T10:00:00.000Z'), item: 'first' }]);
  });

  it('gives what is due by now, earliest first and by key at the same time, and keeps it until removed', () => {
    const schedule = new Schedule<string>();
    schedule.add('c', at('2026-03-01T10:00:00.000Z'), 'c');
    schedule.add('later', at('2026-03-01T12:00:00.000Z'), 'later');
    schedule.add('b', at('2026-03-01T09:00:00.000Z'), 'b');
    schedule.add('a', at('2026-03-01T10:00:00.000Z'), 'a');

    const due = schedule.due(at('2026-03-01T10:00:00.000Z'));

    expect(due.map((e) => e.key)).toEqual(['b', 'a', 'c']);
    expect(schedule.due(at('2026-03-01T10:00:00.000Z')).map((e) => e.key)).toEqual(['b', 'a', 'c']);
    schedule.remove('a');
    expect(schedule.due(at('2026-03-01T23:00:00.000Z')).map((e) => e.key)).toEqual(['b', 'c', 'later']);
    expect(schedule.has('a')).toBe(false);
  });

  it('survives being saved as JSON and loaded into a new schedule (a resumed run)', () => {
    const schedule = new Schedule<{ kind: string; lineId: string }>();
    schedule.add('return:s-1', at('2026-03-02T08:00:00.000Z'), { kind: 'return', lineId: '2' });
    schedule.add('cancel:o-9', at('2026-03-01T08:00:00.000Z'), { kind: 'cancel', lineId: '1' });

    const resumed = new Schedule<{ kind: string; lineId: string }>(JSON.parse(JSON.stringify(schedule.toJSON())));

    expect(resumed.size).toBe(2);
    expect(resumed.due(at('2026-03-03T00:00:00.000Z'))).toEqual(schedule.due(at('2026-03-03T00:00:00.000Z')));
    resumed.add('cancel:o-9', at('2026-03-05T00:00:00.000Z'), { kind: 'cancel', lineId: '3' });
    expect(resumed.due(at('2026-03-01T08:00:00.000Z'))).toEqual([{ key: 'cancel:o-9', at: Date.parse('2026-03-01T08:00:00.000Z'), item: { kind: 'cancel', lineId: '1' } }]);
  });
});
