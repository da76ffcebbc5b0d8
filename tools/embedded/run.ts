import 'reflect-metadata';
import { ScaledClock } from '@oms/platform';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../simulator/cli-args';
import { inProcessLinks } from '../simulator/link-factories';
import { Simulation, type SimulatorState } from '../simulator/simulation';
import { SCENARIO_HELP, SCENARIOS, worldFor, type ScenarioName } from '../simulator/world';
import { startEmbeddedSystem, type EmbeddedSystem } from './embedded-system';

const HELP = `Drop-ship OMS — the whole system in one process: six services on the embedded store and the
in-process broker, with a simulated storefront, warehouse system and drop-ship suppliers.

Usage: npm start -- [options]

  --scenario <name>   what the simulated world is like (default: mixed)
${SCENARIOS.map((s) => `                        ${s.padEnd(6)} ${SCENARIO_HELP[s]}`).join('\n')}
  --rate <n>          orders the storefront places per minute of wall-clock time (default: 30)
  --speed <n>         simulated seconds per wall-clock second (default: 360, so a supplier's
                      one-hour confirmation deadline passes in 10 s); 1 = real time
  --duration <time>   stop after this long, e.g. 90s, 5m, 1h (default: until Ctrl-C)
  --seed <text>       names a new run; the same seed places the same orders (default: random)
  --data-dir <dir>    where the store, the broker's journal and the simulator's state live
                      (default: ./data/embedded); start again with the same folder to resume
  --in-memory         keep nothing on disk
  --no-simulation     run the six services only
  --quiet             no live summary; print it once at the end
  --port-base <n>     first HTTP port; the six services take n..n+5 (default: 3001; 0 = any free)
  --once              start, check every service is healthy and answers a ping, then stop
  --help              this text

While it runs, the services answer on their ports (GET /orders/:id on order-intake, GET
/reports/reconciliation on finance-reconciler, …); tokens for their admin APIs are in
<data-dir>/secrets.json. Stop with Ctrl-C: everything is kept for the next start, and
\`npm run dropship -- timeline <order-id> --store embedded --data-dir <data-dir>\` replays an order
once the run has stopped.
`;

interface Secrets {
  readonly GATEWAY_ADMIN_TOKEN: string;
  readonly GATEWAY_SECRETS_KEY: string;
  readonly PERFORMANCE_ADMIN_TOKEN: string;
  readonly PRIVACY_ADMIN_TOKEN: string;
  readonly FINANCE_API_TOKEN: string;
}

/** Tokens and the gateway's encryption key: kept with the data (it decrypts what is stored there). */
function secretsFor(dataDir: string | undefined): Secrets {
  const path = dataDir && join(dataDir, 'secrets.json');
  const saved = path && existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Partial<Secrets>) : {};
  const token = () => randomBytes(18).toString('base64url');
  // A data folder from before a token existed gets the new one added; the saved ones stay.
  const secrets: Secrets = {
    GATEWAY_ADMIN_TOKEN: token(),
    GATEWAY_SECRETS_KEY: randomBytes(32).toString('hex'),
    PERFORMANCE_ADMIN_TOKEN: token(),
    FINANCE_API_TOKEN: token(),
    PRIVACY_ADMIN_TOKEN: token(),
    ...saved,
  };
  if (path && Object.keys(secrets).some((k) => !(k in saved))) writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

function positive(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number ≥ ${min}, got ${text}`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      rate: { type: 'string', default: '30' },
      speed: { type: 'string', default: '360' },
      duration: { type: 'string' },
      seed: { type: 'string' },
      'data-dir': { type: 'string', default: 'data/embedded' },
      'in-memory': { type: 'boolean', default: false },
      'no-simulation': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      'port-base': { type: 'string', default: '3001' },
      once: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const portBase = Number(values['port-base']);
  if (!Number.isInteger(portBase) || portBase < 0 || portBase > 65_529) throw new Error(`--port-base must be a port number, got ${values['port-base']}`);
  if (values.scenario !== undefined && !SCENARIOS.includes(values.scenario as ScenarioName)) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}, got ${values.scenario}`);
  const rate = positive('rate', values.rate!, 0);
  const speed = positive('speed', values.speed!, 1);
  const duration = values.duration === undefined ? undefined : parseDuration(values.duration);
  const dataDir = values['in-memory'] ? undefined : resolve(values['data-dir']!);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const statePath = dataDir && join(dataDir, 'simulator.json');
  const saved = statePath && existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as SimulatorState) : undefined;
  if (saved && values.scenario && values.scenario !== saved.scenario) {
    throw new Error(`${dataDir} holds a "${saved.scenario}" run; start it with that scenario, or use another --data-dir for "${values.scenario}"`);
  }
  const scenario = (saved?.scenario ?? values.scenario ?? 'mixed') as ScenarioName;
  const seed = saved?.seed ?? values.seed ?? `sim${randomBytes(3).toString('hex')}`;
  const secrets = secretsFor(dataDir);
  const clock = new ScaledClock({ anchor: new Date(), startAt: saved ? new Date(saved.simulatedTime) : new Date(), speed });

  const started = Date.now();
  const system = await startEmbeddedSystem({
    dataDir,
    portBase,
    clock,
    env: {
      ...secrets,
      BRAND_NAME: 'Northwind Home',
      BRAND_RETURN_ADDRESS: JSON.stringify({ name: 'Northwind Returns', line1: '9 Dock Rd', city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' }),
      PERFORMANCE_REEVALUATE_MS: '30000',
      RETURNS_EXPIRY_POLL_MS: '5000',
    },
  });
  console.log(`\nAll ${system.services.length} services started in ${Date.now() - started} ms (store: ${dataDir ?? 'in memory'})\n`);
  const healthy = await checkHealth(system);
  if (values.once || !healthy) {
    await system.close();
    process.exitCode = healthy ? 0 : 1;
    return;
  }

  const url = (name: string) => system.services.find((s) => s.name === name)!.url;
  let simulation: Simulation | undefined;
  const problems: string[] = [];
  if (!values['no-simulation']) {
    simulation = await Simulation.start({
      world: worldFor(scenario),
      scenario,
      seed,
      ratePerMinute: rate,
      ...(saved ? { saved } : {}),
      links: inProcessLinks(system.broker, {
        gatewayUrl: url('supplier-gateway'),
        returnsUrl: url('returns-router'),
        gatewayAdminToken: secrets.GATEWAY_ADMIN_TOKEN,
        clock,
        log: (line) => problems.push(line),
      }),
    });
    console.log(`${saved ? 'Resumed' : 'Started'} simulation "${seed}" (${scenario}): ${rate} orders/min, clock ×${speed}${saved ? `, ${saved.placed} orders placed before` : ''}\n`);
  }
  const save = () => {
    if (!simulation || !statePath) return;
    writeFileSync(`${statePath}.tmp`, `${JSON.stringify(simulation.state())}\n`);
    renameSync(`${statePath}.tmp`, statePath);
  };
  const header = () =>
    `Simulation ${seed} (${scenario}) · simulated ${clock.now().toISOString().slice(0, 16).replace('T', ' ')} UTC (×${speed}) · running ${Math.round((Date.now() - started) / 1000)} s · ${simulation?.storefront.placedTotal ?? 0} orders placed`;
  const render = () => {
    if (!simulation) return;
    const lines = simulation.summary.render(header());
    const notes = problems.slice(-3).map((p) => `  note: ${p.slice(0, 160)}`);
    process.stdout.write(`\x1b[H\x1b[2J${[...lines, '', ...notes, '', 'Ctrl-C to stop (the data folder keeps everything for the next start)'].join('\n')}\n`);
  };
  const live = process.stdout.isTTY && !values.quiet;
  const timers = [setInterval(save, 5_000), ...(live ? [setInterval(render, 1_000)] : !values.quiet ? [setInterval(() => console.log(`${simulation?.summary.render(header()).join('\n')}\n`), 15_000)] : [])];

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const timer of timers) clearInterval(timer);
      if (simulation) {
        await simulation.stop();
        save();
        if (live) process.stdout.write('\x1b[H\x1b[2J');
        console.log(simulation.summary.render(header()).join('\n'));
        if (problems.length > 0) console.log(`\n${problems.length} simulator notes (refused or failed calls); the last: ${problems[problems.length - 1]}`);
      }
      await system.close();
      console.log(dataDir ? `\nStopped. Everything is in ${dataDir}; start again with the same --data-dir to resume.` : '\nStopped.');
    })());
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  if (duration !== undefined) setTimeout(() => void stop().then(() => process.exit(0)), duration);
  if (!simulation) console.log('Running (no simulation). Ctrl-C to stop.');
}

async function checkHealth(system: EmbeddedSystem): Promise<boolean> {
  let healthy = true;
  for (const service of system.services) {
    const response = await fetch(`${service.url}/health/ready`);
    const ok = response.status === 200;
    healthy &&= ok;
    console.log(`  ${ok ? 'healthy  ' : 'UNHEALTHY'}  ${service.name.padEnd(22)} ${service.url}/health`);
  }
  const answered = await system.ping();
  const missing = system.services.map((s) => s.name).filter((name) => !answered.includes(name));
  console.log(`\nDiagnostic ping through every service (consume → store → relay → publish): ${answered.length}/${system.services.length} answered${missing.length ? `; missing: ${missing.join(', ')}` : ''}\n`);
  return healthy && missing.length === 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
