import { FULFILMENT_FACTS, orderIdFor, TOPICS } from '@oms/contracts';
import { waitFor } from '@oms/testing';
import { SERVICES } from '../e2e/scenarios/system';
import { orderPlaced, orderWith, SIMULATED_CHANNEL } from '../tools/simulator/storefront';
import { describeMissing, expectNothingLost, FAULT_ENV, faultSystem, printFigures, settle } from './fault-run';
import { judgePo, type Answer, type StoredEvent, type Verdict } from './replicas/po-verdict';
import { allHappened, downstreamOf, happenedOnce, publishedUnlikeStored } from './replicas/race-effects';
import { RACE_WORLD, RACED_SKU, SILENT } from './replicas/race-world';
import { bodies, commandsFor, race, VARIANTS, type RacedPo, type Variant } from './replicas/supplier-commands';

/** POs raced, one order each: each raced once, by one of the three variants, early or at its deadline. */
const POS = Number(process.env['FAULTS_RACE_POS'] ?? 90);
/** Payments to one supplier account, each sent to both finance replicas at once. */
const PAYMENTS = 20;

let gateways: string[] = [];
let finances: string[] = [];
let replicas: string[] = [];
const { system, deadLetters } = faultSystem(
  { world: RACE_WORLD, env: { ...FAULT_ENV } },
  {
    before: async () => {
      const [gateway1, gateway2, finance1] = await Promise.all([system.startReplica('supplier-gateway'), system.startReplica('supplier-gateway'), system.startReplica('finance-reconciler')]);
      gateways = [system.url('supplier-gateway'), gateway1.url, gateway2.url];
      finances = [system.url('finance-reconciler'), finance1.url];
      replicas = [gateway1.url, gateway2.url, finance1.url];
    },
  },
);

type Raced = RacedPo & { readonly k: number; readonly variant: Variant; readonly timing: 'early' | 'deadline' };

const DECISIONS = ['PurchaseOrderAcknowledged', 'PurchaseOrderCancelled', 'PurchaseOrderTimedOut'];
const wallOf = (simulated: string) => system.anchor.getTime() + (Date.parse(simulated) - system.anchor.getTime()) / system.speed;
const sleepUntil = (wall: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, wall - Date.now())));

async function get<T>(url: string, token: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
  return { status: response.status, body: (await response.json()) as T };
}

/** A PO's stored history, and its status as each gateway replica's admin API shows it. */
async function poOnEveryReplica(poId: string): Promise<{ history: StoredEvent[]; statuses: string[] }> {
  const replies = await Promise.all(gateways.map((url) => get<{ status: string; history?: StoredEvent[] }>(`${url}/admin/purchase-orders/${poId}`, system.tokens.gateway)));
  return { history: replies[0]!.body.history ?? [], statuses: replies.map((r) => (r.status === 200 ? r.body.status : `HTTP ${r.status}`)) };
}

/** Every process, the replicas too, that does not answer /health/ready with 200: its answer. */
async function notReady(): Promise<string[]> {
  const urls = [...SERVICES.map((s) => system.url(s)), ...replicas];
  const answers = await Promise.all(
    urls.map(async (url) => {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(30_000) }).catch((error: unknown) => ({ status: 0, text: async () => String(error) }));
      return response.status === 200 ? undefined : `${url}: ${response.status} ${(await response.text()).slice(0, 500)}`;
    }),
  );
  return answers.filter((a): a is string => a !== undefined);
}

/** Pays one supplier account through both finance replicas, each payment to both at once; the statuses answered. */
function payTwiceThroughEach(): Promise<number[]> {
  return Promise.all(
    // Powers of two: the account's total then shows any payment lost or counted twice.
    Array.from({ length: PAYMENTS }, (_, i) => JSON.stringify({ id: `${system.run}-payment-${i}`, amount: 2 ** i, currency: 'USD', reference: 'race' })).flatMap((body) =>
      finances.map(async (url) => {
        const headers = { authorization: `Bearer ${system.tokens.finance}`, 'content-type': 'application/json' };
        const response = await fetch(`${url}/supplier-accounts/${SILENT}/payments`, { method: 'POST', headers, body, signal: AbortSignal.timeout(60_000) }).catch(() => undefined);
        return response?.status ?? 0;
      }),
    ),
  );
}

describe('fault injection: concurrent commands on one PO through several replicas', () => {
  it(`races conflicting supplier answers and the confirm-by deadline on ${POS} POs through three gateway replicas: one outcome each, its effects once`, async () => {
    const started = Date.now();
    expect(gateways).toHaveLength(3);

    // The silent supplier's API key is the test's: a rotation issues one, and retiring the old one
    // stops the simulator polling (and opening the ship-to of) every open PO of it, every tick.
    const admin = { method: 'POST', headers: { authorization: `Bearer ${system.tokens.gateway}` } };
    const rotated = await fetch(`${gateways[0]}/admin/suppliers/${SILENT}/credentials`, admin);
    expect(rotated.status).toBe(200);
    const apiKey = String(((await rotated.json()) as { apiKey: string }).apiKey);
    expect((await fetch(`${gateways[0]}/admin/suppliers/${SILENT}/credentials/retire-previous`, admin)).status).toBe(200);
    for (const url of gateways) {
      const known = async () => (await fetch(`${url}/supplier-api/purchase-orders?status=all`, { headers: { authorization: `Bearer ${apiKey}` } })).status === 200;
      await waitFor(known, { what: `the new key known to ${url}`, timeoutMs: 60_000 });
    }

    const orders = Array.from({ length: POS }, (_, i) => orderWith(system.world, `${system.run}-race-${i + 1}`, [{ sku: RACED_SKU, quantity: 1 }], system.clock.now()));
    await system.publish(...orders.map((o) => orderPlaced(o, system.clock.now())));
    const orderIds = orders.map((o) => orderIdFor(SIMULATED_CHANNEL, o.externalOrderId));
    const mine = new Set(orderIds);

    // Each PO is raced as soon as it exists: a third of them at once (well before confirm-by), the
    // rest at their deadline, which the tickers of all three replicas fire.
    const pos = new Map<string, Raced>();
    const answers = new Map<string, Answer[]>();
    const answered = (poId: string, more: readonly Answer[]) => void answers.set(poId, [...(answers.get(poId) ?? []), ...more]);
    const races: Promise<void>[] = [];
    let payments: Promise<number[]> | undefined;
    await waitFor(
      () => {
        for (const m of system.reader.seen) {
          if (m.topic !== TOPICS.supplierPurchaseOrders.name || m.type !== FULFILMENT_FACTS.purchaseOrderCreated || !m.key || !mine.has(m.key) || m.payload['supplierId'] !== SILENT) continue;
          const poId = String(m.payload['poId']);
          if (pos.has(poId)) continue;
          const k = pos.size;
          const lineId = (m.payload['lines'] as { lineId: string }[])[0]!.lineId;
          const po: Raced = { poId, poNumber: String(m.payload['poNumber']), orderId: m.key, lineId, confirmBy: String(m.payload['confirmBy']), k, variant: VARIANTS[k % 3]!, timing: Math.floor(k / 3) % 3 === 0 ? 'early' : 'deadline' };
          pos.set(poId, po);
          // Spread over −200…+300 ms around the deadline: each ticker polls every 250 ms.
          const at = po.timing === 'early' ? Date.now() : wallOf(po.confirmBy) - 200 + ((k * 137) % 500);
          races.push(sleepUntil(at).then(async () => answered(poId, await race(gateways, apiKey, po, commandsFor(po.variant, k, bodies(po, system.run, system.clock.now()))))));
          // The payments land with the first deadlines, while finance posts what they release.
          if (po.timing === 'deadline') payments ??= sleepUntil(at).then(payTwiceThroughEach);
        }
        return pos.size === POS;
      },
      { what: `a PO to ${SILENT} for each of ${POS} orders`, timeoutMs: 180_000, intervalMs: 20 },
    );
    await Promise.all(races);
    const paymentStatuses = await (payments ?? payTwiceThroughEach());

    // Every PO has its decision (an answer that won, or the deadline); what was accepted and not
    // cancelled ships, the same shipment notice through all three replicas at once.
    await waitFor(
      async () => {
        for (const poId of pos.keys()) if (!(await poOnEveryReplica(poId)).history.some((e) => DECISIONS.includes(e.type))) return false;
        return true;
      },
      { what: 'a decision on every raced PO', timeoutMs: 120_000, intervalMs: 1000 },
    );
    const shipping: Promise<void>[] = [];
    for (const po of pos.values()) {
      const { history } = await poOnEveryReplica(po.poId);
      const ack = history.find((e) => e.type === 'PurchaseOrderAcknowledged');
      if (!ack || !(ack.data['lines'] as { accepted: number }[]).some((l) => l.accepted > 0) || history.some((e) => e.type === 'PurchaseOrderCancelled')) continue;
      const ship = bodies(po, system.run, system.clock.now()).ship;
      shipping.push(race(gateways, apiKey, po, [0, 1, 2].map((replica) => ({ replica, kind: 'ship' as const, body: ship }))).then((a) => answered(po.poId, a)));
    }
    await Promise.all(shipping);

    const { figures, missing } = await settle(system, orderIds, deadLetters, started, 180_000);

    // Each PO judged from its stored history, every replica's view of it and every answer given.
    const histories = new Map<string, StoredEvent[]>();
    const verdicts = new Map<string, Verdict>();
    for (const po of pos.values()) {
      const { history, statuses } = await poOnEveryReplica(po.poId);
      histories.set(po.poId, history);
      verdicts.set(po.poId, judgePo(history, answers.get(po.poId) ?? [], statuses));
    }
    const judged = [...pos.values()].map((po) => ({ ...po, verdict: verdicts.get(po.poId)! }));
    await waitFor(() => downstreamOf(system.reader.seen, judged).every(allHappened), { what: 'every release, chargeback and re-plan', timeoutMs: 90_000 }).catch(() => undefined);
    await waitFor(() => publishedUnlikeStored(system.reader.seen, histories).length === 0, { what: 'every stored decision published', timeoutMs: 60_000 }).catch(() => undefined);
    const effects = downstreamOf(system.reader.seen, judged);
    const publishedWrong = publishedUnlikeStored(system.reader.seen, histories);
    const paid = await Promise.all(finances.map(async (url) => (await get<{ totals: Record<string, { payment?: number }> }>(`${url}/supplier-accounts/${SILENT}`, system.tokens.finance)).body.totals['USD']?.payment ?? 0));

    const problems = judged.filter((p) => p.verdict.problems.length > 0).map((p) => `${p.poId} (${p.variant}, ${p.timing}): ${p.verdict.problems.join('; ')}`);
    const all = [...answers.values()].flat();
    const count = (test: (a: Answer) => boolean) => all.filter(test).length;
    const outcome = (o: Verdict['outcome']) => `${judged.filter((p) => p.verdict.outcome === o).length} (${judged.filter((p) => p.verdict.outcome === o && p.timing === 'early').length} / ${judged.filter((p) => p.verdict.outcome === o && p.timing === 'deadline').length})`;
    const sum = (pick: (d: (typeof effects)[number]) => number) => effects.reduce((n, d) => n + pick(d), 0);
    printFigures(`Concurrent commands on one PO through 3 gateway replicas, and on one supplier account through 2 finance replicas (${POS} POs)`, {
      'POs raced (early / at the deadline)': `${judged.length} (${judged.filter((p) => p.timing === 'early').length} / ${judged.filter((p) => p.timing === 'deadline').length})`,
      'variants conflict / same-ack / dup-vs-reject': VARIANTS.map((v) => judged.filter((p) => p.variant === v).length).join(' / '),
      'commands per gateway replica': [0, 1, 2].map((r) => count((a) => a.replica === r)).join(' / '),
      'outcome acknowledged (early / deadline)': outcome('acknowledged'),
      '  then shipped / then cancelled by the supplier': `${judged.filter((p) => p.verdict.shipped).length} / ${judged.filter((p) => p.verdict.cancelledAfterAcceptance).length}`,
      'outcome rejected (early / deadline)': outcome('rejected'),
      'outcome cancelled by the supplier (early / deadline)': outcome('cancelled'),
      'outcome timed out (early / deadline)': outcome('timed_out'),
      'no outcome': judged.filter((p) => p.verdict.outcome === 'none').length,
      'HTTP 200 applied': count((a) => a.status === 200 && a.reply['kind'] === 'applied'),
      'HTTP 200 already known (duplicate)': count((a) => a.status === 200 && a.reply['kind'] === 'duplicate'),
      'HTTP 409 refused': count((a) => a.status === 409),
      'HTTP other 4xx': count((a) => a.status >= 400 && a.status < 500 && a.status !== 409),
      'HTTP 5xx or no answer': count((a) => a.status === 0 || a.status >= 500),
      'refusals recorded': [...histories.values()].reduce((n, h) => n + h.filter((e) => e.type === 'SupplierMessageRefused').length, 0),
      'POs with a problem': problems.length,
      'payable releases (expected)': `${sum((d) => d.releases)} (${sum((d) => d.expectedReleases)})`,
      'chargebacks (expected)': `${sum((d) => d.chargebacks)} (${sum((d) => d.expectedChargebacks)})`,
      're-plans (expected)': `${sum((d) => d.replans)} (${sum((d) => d.expectedReplans)})`,
      'POs with a downstream effect missing or twice': effects.filter((d) => !happenedOnce(d)).length,
      'POs published unlike stored': publishedWrong.length,
      'payments × finance replicas': `${PAYMENTS} × ${finances.length}`,
      'payment answers 200 / other': `${paymentStatuses.filter((s) => s === 200).length} / ${paymentStatuses.filter((s) => s !== 200).length}`,
      'paid on the account, per replica (expected)': `${paid.join(' / ')} (${2 ** PAYMENTS - 1})`,
      withOutcome: figures.withOutcome,
      withoutOutcome: figures.withoutOutcome,
      duplicatePurchaseOrders: figures.duplicatePurchaseOrders,
      duplicateRefunds: figures.duplicateRefunds,
      deadLettersOfTheseOrders: figures.deadLettersOfTheseOrders,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });

    expect(problems).toEqual([]);
    expect(effects.filter((d) => !happenedOnce(d))).toEqual([]);
    expect(publishedWrong).toEqual([]);
    expect(paymentStatuses.filter((s) => s !== 200)).toEqual([]);
    expect(paid).toEqual(finances.map(() => 2 ** PAYMENTS - 1));
    // The early same-ack races (nothing else can decide those POs) must have been answered as copies.
    expect(count((a) => a.status === 200 && a.reply['kind'] === 'duplicate')).toBeGreaterThan(0);
    expect(await describeMissing(system, missing)).toEqual([]);
    expectNothingLost(figures, POS);
    expect(await notReady()).toEqual([]);
  }, 600_000);
});
