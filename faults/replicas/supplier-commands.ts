import { call } from '../../tools/simulator/links';
import { upsTracking } from '../../tools/simulator/supplier';
import type { Answer, CommandKind } from './po-verdict';

/** A PO of the silent supplier, as its PurchaseOrderCreated fact told it. */
export interface RacedPo {
  readonly poId: string;
  readonly poNumber: string;
  readonly orderId: string;
  readonly lineId: string;
  readonly confirmBy: string;
}

export interface Command {
  readonly replica: number;
  readonly kind: CommandKind;
  readonly body: string;
}

const PATHS: Readonly<Record<CommandKind, string>> = { accept: '/acknowledgement', reject: '/acknowledgement', cancel: '/cancellation', ship: '/shipments' };

/** The bodies a supplier would send about one PO: the same decision is always the same bytes. */
export function bodies(po: RacedPo, seed: string, now: Date): Readonly<Record<CommandKind, string>> {
  return {
    accept: JSON.stringify({ lines: [{ lineId: po.lineId, accepted: 1 }] }),
    reject: JSON.stringify({ lines: [{ lineId: po.lineId, rejected: 1, reason: 'race: out of stock' }] }),
    cancel: JSON.stringify({ reason: 'race: cannot supply after all' }),
    ship: JSON.stringify({
      shipmentId: `${po.poNumber}-S1`,
      carrier: 'UPS',
      trackingNumber: upsTracking('SILENT', po.poId, 1, seed, false),
      shippedAt: now.toISOString(),
      lines: [{ lineId: po.lineId, quantity: 1 }],
    }),
  };
}

/** Sends every command about one PO at the same instant, each to its replica, and collects the answers. */
export function race(replicaUrls: readonly string[], apiKey: string, po: RacedPo, commands: readonly Command[]): Promise<Answer[]> {
  return Promise.all(
    commands.map(async (c) => {
      // The simulator's JSON call (status 0 on a network failure), with a loaded machine's time-out.
      // Re-serialising the parsed body gives the same bytes to every replica, so one message id.
      const { status, body } = await call('POST', `${replicaUrls[c.replica]!}/supplier-api/purchase-orders/${po.poId}${PATHS[c.kind]}`, { token: apiKey, body: JSON.parse(c.body), timeoutMs: 60_000 });
      return { replica: c.replica, kind: c.kind, body: c.body, status, reply: body };
    }),
  );
}

/**
 * What is raced on a PO. `conflict`: accept, reject and cancel, each through another replica;
 * `same-ack`: one acknowledgement through all three (a supplier's retries landing on different
 * replicas); `dup-vs-reject`: that acknowledgement through two, a rejection through the third.
 */
export const VARIANTS = ['conflict', 'same-ack', 'dup-vs-reject'] as const;
export type Variant = (typeof VARIANTS)[number];

export function commandsFor(variant: Variant, k: number, body: Readonly<Record<CommandKind, string>>): Command[] {
  const [a, b, c] = [k % 3, (k + 1) % 3, (k + 2) % 3];
  switch (variant) {
    case 'conflict':
      return [
        { replica: a, kind: 'accept', body: body.accept },
        { replica: b, kind: 'reject', body: body.reject },
        { replica: c, kind: 'cancel', body: body.cancel },
      ];
    case 'same-ack':
      return [a, b, c].map((replica) => ({ replica, kind: 'accept' as const, body: body.accept }));
    case 'dup-vs-reject':
      return [
        { replica: a, kind: 'accept', body: body.accept },
        { replica: b, kind: 'accept', body: body.accept },
        { replica: c, kind: 'reject', body: body.reject },
      ];
    default: {
      const never: never = variant;
      return never;
    }
  }
}
