import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, streamName, type EventStore } from '@oms/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '@oms/platform';
import { customerSubjectId, PersonalData } from '@oms/privacy';
import { dataSubjectDecider, type DataSubjectCommand, type DataSubjectEvent, type DataSubjectState } from '../domain/data-subject';
import { OrderApplication } from './order-application';

export const DATA_SUBJECT_CATEGORY = 'datasubject';

export interface ErasureOutcome {
  readonly subjectId: string;
  readonly erasedAt: string;
  readonly alreadyErased: boolean;
}

/**
 * Erasure of a customer's personal data (the right to be forgotten) by crypto-shredding: the
 * customer's key is destroyed in the key vault, which makes every sealed copy unreadable at once —
 * in every service's store, on every topic, in every dead letter — while the orders themselves
 * (lines, money, statuses, shipments) stay whole and replay as before. Then the fact is recorded.
 */
@Injectable()
export class CustomerPrivacy {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly personal: PersonalData,
    private readonly orders: OrderApplication,
  ) {}

  /** The subject of a platform's customer: by its customer id, else by email (as orders name them). */
  subjectOfCustomer(channel: string, customer: { id?: string; email?: string }): string {
    return customerSubjectId(channel, customer, '');
  }

  subjectOfOrder(orderId: string): Promise<string | undefined> {
    return this.orders.subjectOfOrder(orderId);
  }

  status(subjectId: string) {
    return this.personal.status(subjectId);
  }

  async erase(subjectId: string, reason: string | undefined): Promise<ErasureOutcome> {
    // The key first: that is the erasure. A crash before the fact is recorded is repaired by asking again.
    const erasure = await this.personal.erase(subjectId, this.clock.now());
    await handleCommand<DataSubjectCommand, DataSubjectState, DataSubjectEvent>(
      this.store,
      streamName(DATA_SUBJECT_CATEGORY, subjectId),
      dataSubjectDecider,
      { type: 'RecordErasure', data: { subjectId, erasedAt: erasure.erasedAt, ...(reason ? { reason } : {}), now: this.clock.now() } },
      { causationId: `erasure:${subjectId}`, correlationId: subjectId },
    );
    return erasure;
  }
}
