import type { Decider } from '@oms/event-store';

/**
 * A customer as a data subject (`datasubject-<subjectId>`): the record that their personal data was
 * erased. The erasure itself is the destruction of the subject's key in the key vault; this fact
 * says when, and why, without naming the customer.
 */
export type DataSubjectEvent = {
  readonly type: 'CustomerDataErased';
  readonly data: { readonly subjectId: string; readonly erasedAt: string; readonly recordedAt: string; readonly reason?: string };
};

export type DataSubjectCommand = {
  readonly type: 'RecordErasure';
  readonly data: { readonly subjectId: string; readonly erasedAt: string; readonly reason?: string; readonly now: Date };
};

export type DataSubjectState = { readonly status: 'active' } | { readonly status: 'erased'; readonly erasedAt: string };

export const dataSubjectDecider: Decider<DataSubjectCommand, DataSubjectState, DataSubjectEvent> = {
  initialState: () => ({ status: 'active' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordErasure': {
        // Erased is erased: a repeated request records nothing more.
        if (state.status === 'erased') return [];
        const { subjectId, erasedAt, reason, now } = command.data;
        return [{ type: 'CustomerDataErased', data: { subjectId, erasedAt, recordedAt: now.toISOString(), ...(reason ? { reason } : {}) } }];
      }
      default: {
        const never: never = command.type;
        return never;
      }
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'CustomerDataErased':
        return state.status === 'erased' ? state : { status: 'erased', erasedAt: event.data.erasedAt };
      default: {
        const never: never = event.type;
        return never;
      }
    }
  },
};
