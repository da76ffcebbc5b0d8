/**
 * Sourcing decisions: the planner alone (pure, in-process) for orders of 1, 5 and 20 lines over
 * 10, 100 and 1,000 candidate nodes per sku. `npm run bench:sourcing`. Prints figures, asserts
 * nothing; writes bench/results/sourcing-planner.{json,md} (latest run only).
 */
import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planFulfilment } from '../apps/sourcing/src/app/domain/planner';
import { DEFAULT_POLICY, type NodeProfile, type Offer, type PlanningLine } from '../apps/sourcing/src/app/domain/planning-types';

const NOW = new Date('2026-11-25T12:00:00.000Z');
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

function scenario(lineCount: number, nodesPerSku: number) {
  const nodes: Record<string, NodeProfile> = {};
  const offers: Offer[] = [];
  const lines: PlanningLine[] = Array.from({ length: lineCount }, (_, i) => ({ lineId: `l${i}`, sku: `sku-${i}`, quantity: int(1, 5) }));
  for (let n = 0; n < nodesPerSku; n++) {
    const nodeId = `node-${String(n).padStart(4, '0')}`;
    const kind = n % 10 === 0 ? 'warehouse' : 'supplier';
    nodes[nodeId] = {
      nodeId,
      kind,
      safetyBuffer: int(0, 2),
      freshnessLimitHours: 24,
      shipping: { perShipment: int(300, 900), perUnit: int(0, 100) },
      claimedShipDays: int(1, 3),
      transitDays: int(1, 5),
      dropShipAllowed: true,
      status: n % 37 === 5 ? 'flagged' : n % 53 === 7 ? 'suspended' : 'active',
      reliability: 0.7 + random() * 0.3,
      observedShipDays: { p50: int(1, 3), p90: int(3, 7) },
    };
    for (const line of lines) {
      // Each node stocks a line's sku with some probability, from zero to plenty.
      if (random() < 0.6) offers.push({ nodeId, sku: line.sku, unitCost: int(500, 5_000), reportedStock: int(0, 8), stockAsOf: new Date(NOW.getTime() - int(0, 30) * 3_600_000).toISOString() });
    }
  }
  return { lines, nodes, offers };
}

const rows: { lines: number; nodes: number; decisionsPerSecond: number; p50Ms: number; p99Ms: number; groupsAvg: number }[] = [];
console.log(`Sourcing planner benchmark — node ${process.version}, ${cpus().length} cores`);
for (const lineCount of [1, 5, 20]) {
  for (const nodesPerSku of [10, 100, 1_000]) {
    const scenarios = Array.from({ length: 20 }, () => scenario(lineCount, nodesPerSku));
    const latencies: number[] = [];
    let groups = 0;
    const deadline = Date.now() + 1_500;
    let i = 0;
    while (Date.now() < deadline || latencies.length < 5) {
      const s = scenarios[i++ % scenarios.length]!;
      const t = process.hrtime.bigint();
      const plan = planFulfilment({ ...s, policy: DEFAULT_POLICY, now: NOW });
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      groups += plan.groups.length;
    }
    latencies.sort((a, b) => a - b);
    const total = latencies.reduce((a, b) => a + b, 0);
    const row = {
      lines: lineCount,
      nodes: nodesPerSku,
      decisionsPerSecond: Math.round((latencies.length / total) * 1000),
      p50Ms: Number(latencies[Math.floor(latencies.length * 0.5)]!.toFixed(3)),
      p99Ms: Number(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!.toFixed(3)),
      groupsAvg: Number((groups / latencies.length).toFixed(2)),
    };
    rows.push(row);
    console.log(`  ${String(lineCount).padStart(2)} lines × ${String(nodesPerSku).padStart(4)} nodes/sku: ${row.decisionsPerSecond} decisions/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.groupsAvg} groups/plan`);
  }
}
const dir = join(__dirname, 'results');
mkdirSync(dir, { recursive: true });
const date = new Date().toISOString();
writeFileSync(join(dir, 'sourcing-planner.json'), `${JSON.stringify({ date, node: process.version, cores: cpus().length, rows }, null, 2)}\n`);
writeFileSync(
  join(dir, 'sourcing-planner.md'),
  `# Sourcing planner benchmark\n\nLatest run only — ${date}. Node ${process.version}, ${cpus().length} cores. The planner alone (pure); reservations and store appends are not included. Reproduce: \`npm run bench:sourcing\`.\n\n` +
    `| lines | candidate nodes per sku | decisions/s | p50 | p99 | groups per plan |\n|---:|---:|---:|---:|---:|---:|\n` +
    rows.map((r) => `| ${r.lines} | ${r.nodes} | ${r.decisionsPerSecond} | ${r.p50Ms} ms | ${r.p99Ms} ms | ${r.groupsAvg} |`).join('\n') +
    '\n',
);
