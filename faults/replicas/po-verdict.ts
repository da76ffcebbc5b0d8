/**
 * What one raced PO ended as, judged from its stored history (`GET /admin/purchase-orders/:poId`)
 * and from what the replicas answered each command. Pure, so the rules themselves are tested.
 */

export interface StoredEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export type CommandKind = 'accept' | 'reject' | 'cancel' | 'ship';

/** One HTTP command as sent to one replica and answered. */
export interface Answer {
  readonly replica: number;
  readonly kind: CommandKind;
  /** The exact JSON body sent: the gateway keeps it with the event it produced or the refusal. */
  readonly body: string;
  readonly status: number;
  readonly reply: Record<string, unknown>;
}

/** The first decision on the PO: the supplier's answer or the confirm-by deadline, whichever won. */
export type Outcome = 'acknowledged' | 'rejected' | 'cancelled' | 'timed_out' | 'none';

export interface Verdict {
  readonly outcome: Outcome;
  /** Accepted, then cancelled by the supplier's own message: a later step the lifecycle allows. */
  readonly cancelledAfterAcceptance: boolean;
  readonly shipped: boolean;
  /** Whether the PO's lines went back to sourcing (rejected, cancelled, timed out). */
  readonly givenBack: boolean;
  readonly problems: readonly string[];
}

const DECISIONS = new Set(['PurchaseOrderAcknowledged', 'PurchaseOrderCancelled', 'PurchaseOrderTimedOut', 'PurchaseOrderShipped']);
/** What may follow a PO's end: telling the supplier, and recording its late messages. */
const AFTER_THE_END = new Set(['SupplierNotified', 'SupplierMessageRefused']);

const bodyOf = (event: StoredEvent): string | undefined => (event.data['received'] as { body?: string } | undefined)?.body;
const acceptedUnits = (event: StoredEvent): number => ((event.data['lines'] ?? []) as { accepted: number }[]).reduce((n, l) => n + l.accepted, 0);

function outcomeOf(first: StoredEvent | undefined): Outcome {
  if (!first) return 'none';
  if (first.type === 'PurchaseOrderTimedOut') return 'timed_out';
  if (first.type === 'PurchaseOrderCancelled') return 'cancelled';
  if (first.type === 'PurchaseOrderAcknowledged') return acceptedUnits(first) > 0 ? 'acknowledged' : 'rejected';
  return 'none';
}

/** The status the gateway's PO API must show for this history. */
function expectedStatus(outcome: Outcome, cancelledAfterAcceptance: boolean, shipped: boolean): string {
  if (outcome === 'acknowledged') return cancelledAfterAcceptance ? 'cancelled' : shipped ? 'shipped' : 'acknowledged';
  if (outcome === 'rejected') return 'cancelled';
  return outcome === 'none' ? 'dispatched' : outcome;
}

export function judgePo(history: readonly StoredEvent[], answers: readonly Answer[], statusByReplica: readonly string[]): Verdict {
  const problems: string[] = [];
  const count = (type: string) => history.filter((e) => e.type === type).length;
  if (count('PurchaseOrderCreated') !== 1) problems.push(`${count('PurchaseOrderCreated')} PurchaseOrderCreated`);
  for (const type of ['PurchaseOrderAcknowledged', 'PurchaseOrderTimedOut', 'PurchaseOrderCancelled', 'PurchaseOrderShipped']) {
    if (count(type) > 1) problems.push(`${count(type)} ${type}`);
  }

  const decisions = history.filter((e) => DECISIONS.has(e.type));
  const first = decisions[0];
  const outcome = outcomeOf(first);
  if (outcome === 'none') problems.push(first ? `first decision ${first.type}` : 'no decision');
  // After an accepting acknowledgement the supplier may still ship or cancel; after anything else
  // the PO has ended, and only notifications and refusals of late messages may follow.
  let ended = outcome !== 'acknowledged' && outcome !== 'none';
  let cancelledAfterAcceptance = false;
  let shipped = false;
  for (const event of history.slice(first ? history.indexOf(first) + 1 : history.length)) {
    if (ended && !AFTER_THE_END.has(event.type)) problems.push(`${event.type} after the PO ended (${outcome})`);
    else if (event.type === 'PurchaseOrderCancelled') {
      cancelledAfterAcceptance = true;
      ended = true;
    } else if (event.type === 'PurchaseOrderShipped') shipped = true;
    else if (DECISIONS.has(event.type)) problems.push(`${event.type} after ${first!.type}`);
  }
  if (shipped && cancelledAfterAcceptance) problems.push('shipped and cancelled: one unit cannot be both');

  // Every answer agrees with the history: a message that took effect was answered 200 — once
  // `applied`, every other copy `duplicate` — and one that did not was refused (409) and recorded.
  for (const answer of answers) {
    if (answer.status === 0 || answer.status >= 500) problems.push(`${answer.kind} on replica ${answer.replica}: ${answer.status} ${JSON.stringify(answer.reply).slice(0, 200)}`);
  }
  for (const body of new Set(answers.map((a) => a.body))) {
    const copies = answers.filter((a) => a.body === body);
    const kind = copies[0]!.kind;
    const tookEffect = history.some((e) => DECISIONS.has(e.type) && bodyOf(e) === body);
    const applied = copies.filter((a) => a.status === 200 && a.reply['kind'] === 'applied').length;
    const duplicates = copies.filter((a) => a.status === 200 && a.reply['kind'] === 'duplicate').length;
    if (tookEffect && (applied !== 1 || applied + duplicates !== copies.length)) {
      problems.push(`${kind} took effect, answered ${copies.map((a) => `${a.status}${a.reply['kind'] ? ` ${String(a.reply['kind'])}` : ''}`).join(', ')}`);
    }
    if (!tookEffect) {
      if (copies.some((a) => a.status !== 409)) problems.push(`${kind} had no effect, answered ${copies.map((a) => a.status).join(', ')}`);
      if (!history.some((e) => e.type === 'SupplierMessageRefused' && bodyOf(e) === body)) problems.push(`${kind} refused but its refusal is not recorded`);
    }
  }

  const expected = expectedStatus(outcome, cancelledAfterAcceptance, shipped);
  if (statusByReplica.some((s) => s !== expected)) problems.push(`status ${statusByReplica.join('/')} on the replicas, ${expected} by the history`);
  return { outcome, cancelledAfterAcceptance, shipped, givenBack: (outcome !== 'acknowledged' && outcome !== 'none') || cancelledAfterAcceptance, problems };
}
