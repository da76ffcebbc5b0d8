import { dataSubjectDecider, type DataSubjectCommand } from './data-subject';

const SUBJECT = '0f8e7d6c-5b4a-5392-8180-7f6e5d4c3b2a';
const erase = (erasedAt: string, reason?: string): DataSubjectCommand => ({
  type: 'RecordErasure',
  data: { subjectId: SUBJECT, erasedAt, now: new Date('2026-12-01T10:00:05.000Z'), ...(reason ? { reason } : {}) },
});

describe('data subject decider', () => {
  it('records that the customer’s data was erased, and when', () => {
    const events = dataSubjectDecider.decide(erase('2026-12-01T10:00:00.000Z', 'customer request'), dataSubjectDecider.initialState());
    expect(events).toEqual([
      { type: 'CustomerDataErased', data: { subjectId: SUBJECT, erasedAt: '2026-12-01T10:00:00.000Z', recordedAt: '2026-12-01T10:00:05.000Z', reason: 'customer request' } },
    ]);
    expect(events.reduce(dataSubjectDecider.evolve, dataSubjectDecider.initialState())).toEqual({ status: 'erased', erasedAt: '2026-12-01T10:00:00.000Z' });
  });

  it('records an erasure once, however often it is asked for', () => {
    const erased = dataSubjectDecider.decide(erase('2026-12-01T10:00:00.000Z'), dataSubjectDecider.initialState()).reduce(dataSubjectDecider.evolve, dataSubjectDecider.initialState());
    expect(dataSubjectDecider.decide(erase('2026-12-02T10:00:00.000Z'), erased)).toEqual([]);
  });
});
