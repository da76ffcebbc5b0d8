import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { NotYourPurchaseOrderError } from '../application/purchase-orders';
import { UnreadableSupplierMessageError, type InboxOutcome } from '../application/supplier-inbox';
import type { Received } from '../domain/purchase-order-events';
import type { RegisteredSupplier } from '../application/supplier-directory';

/** Validates a supplier's JSON body, naming every failing field (400). */
export { readBody } from '@oms/platform';

/**
 * 200 applied or already known; 409 when the PO refused it (recorded with the raw message, and the
 * reason given back); 404 for a PO that is not this supplier's; 400 for what cannot be read.
 */
export async function reply(work: () => Promise<InboxOutcome>): Promise<InboxOutcome> {
  try {
    const outcome = await work();
    if (outcome.kind === 'refused') throw new ConflictException({ message: outcome.reason, status: outcome.status });
    return outcome;
  } catch (error) {
    if (error instanceof NotYourPurchaseOrderError) throw new NotFoundException({ message: error.message });
    if (error instanceof UnreadableSupplierMessageError) throw new BadRequestException({ message: error.message });
    throw error;
  }
}

export function receivedVia(channel: Received['channel'], supplier: RegisteredSupplier, rawBody: Buffer | string | undefined, contentType: string | undefined, at: Date): Received {
  return {
    channel,
    receivedAt: at.toISOString(),
    supplierId: supplier.supplierId,
    contentType: contentType ?? 'application/json',
    body: typeof rawBody === 'string' ? rawBody : (rawBody?.toString('utf8') ?? ''),
  };
}
