/**
 * `dropship`: read-only tools for SREs and support, against the services' stores.
 *
 *   npm run -s dropship -- timeline <order-id> [--json]
 *   npm run -s dropship -- state <stream> [--at <time|revision>]
 *   npm run -s dropship -- dispute-bundle <po-id> [--out bundle.json]
 *   npm run -s dropship -- rebuild <projection> [--live-url <service url>] [--token <token>] [--json]
 *
 * Store selection: --store postgres|embedded|kurrentdb (or EVENT_STORE), --database-url
 * (DATABASE_URL), --data-dir (DATA_DIR, default ./data), --eventstore-url (EVENTSTORE_URL).
 */
import { categoryOf, type EventStore } from '@oms/event-store';
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { disputeBundle, summariseBundle } from './dispute-bundle';
import { startProgress, type ProgressSink } from './progress';
import { PROJECTIONS } from './projections';
import { DifferencesFound, formatReport, rebuildAndCompare, type Against } from './rebuild';
import { closeAll, openEventCounter, openServiceStores, type StoreOptions } from './stores';
import { AGGREGATES, parseAt, stateAt } from './state';
import { formatTimeline, timeline } from './timeline';

function storeOptions(opts: Record<string, string | undefined>): StoreOptions {
  const store = (opts['store'] ?? process.env['EVENT_STORE'] ?? 'embedded') as StoreOptions['store'];
  const databaseUrl = opts['databaseUrl'] ?? process.env['DATABASE_URL'];
  const eventstoreUrl = opts['eventstoreUrl'] ?? process.env['EVENTSTORE_URL'];
  return {
    store,
    dataDir: opts['dataDir'] ?? process.env['DATA_DIR'] ?? 'data',
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(eventstoreUrl ? { eventstoreUrl } : {}),
    ...(opts['schemaPrefix'] ? { schemaPrefix: opts['schemaPrefix'] } : {}),
  };
}

const withStores = (command: Command) =>
  command
    .addOption(new Option('--store <kind>', 'where the services keep their events').choices(['postgres', 'embedded', 'kurrentdb']))
    .option('--database-url <url>', 'PostgreSQL connection string (postgres store)')
    .option('--data-dir <dir>', 'the embedded store folder')
    .option('--eventstore-url <url>', 'KurrentDB connection string')
    .option('--schema-prefix <prefix>', "put before each service's schema name");

const REBUILD_HELP = `
Projections (history read from the service's store, folded with its own domain code):
${Object.values(PROJECTIONS)
  .map((p) => `  ${p.name.padEnd(16)} ${p.service}: ${p.summary}
  ${''.padEnd(16)} live:  ${p.live.endpoint}${p.live.tokenSetting ? ` (--token: its ${p.live.tokenSetting})` : ''}
  ${''.padEnd(16)} store: ${p.stored ?? 'no copy kept: --live-url needed'}`)
  .join('\n')}

Without --live-url the rebuilt copy is compared with what the service keeps in its store.
Exit code: 0 equal, 1 differences found, 2 error. Reads only; nothing is written to any store.`;

/** `out` gets the results (stdout); `err` the progress (stderr). */
export function program(out: (text: string) => void = (t) => process.stdout.write(`${t}\n`), err: ProgressSink = process.stderr): Command {
  const cli = new Command('dropship').description('Read-only replay tools for the drop-ship OMS').showHelpAfterError();

  withStores(cli.command('timeline').argument('<order-id>', 'the OMS order id').option('--json', 'machine-readable output'))
    .description("every event of the order and of every PO, allocation, return and ledger correlated with it, in time order (supplier messages as received included)")
    .action(async (orderId: string, opts: Record<string, string | undefined>) => {
      const stores = await openServiceStores(storeOptions(opts));
      try {
        const entries = await timeline(stores, orderId);
        out(opts['json'] ? JSON.stringify(entries, null, 2) : entries.length === 0 ? `Nothing recorded for order ${orderId}` : formatTimeline(entries));
      } finally {
        await closeAll(stores);
      }
    });

  withStores(cli.command('state').argument('<stream>', 'e.g. po-<id>, order-<id>, allocation-<id>, ledger-<id>').option('--at <time|revision>', 'as it was then'))
    .description('an aggregate as it was at a time or revision (now by default)')
    .action(async (stream: string, opts: Record<string, string | undefined>) => {
      const aggregate = AGGREGATES[categoryOf(stream)];
      if (!aggregate) throw new Error(`No aggregate with streams "${categoryOf(stream)}-…"; known: ${Object.keys(AGGREGATES).join(', ')}`);
      const stores = await openServiceStores(storeOptions(opts));
      try {
        const store = stores.get(aggregate.service) ?? stores.get('kurrentdb')!;
        const events = await store.readStream(stream);
        if (events.length === 0) throw new Error(`No stream ${stream} in ${aggregate.service}'s store`);
        const result = stateAt(events, aggregate.decider, opts['at'] ? parseAt(opts['at']) : undefined);
        out(JSON.stringify({ stream, service: aggregate.service, ...result }, null, 2));
      } finally {
        await closeAll(stores);
      }
    });
  withStores(cli.command('dispute-bundle').argument('<po-id>', 'the purchase order id').option('--out <file>', 'write the bundle (JSON) here; the summary goes to the terminal'))
    .description('what we sent the supplier and when, what it answered (as received), deadlines and which fired, and the money involved')
    .action(async (poId: string, opts: Record<string, string | undefined>) => {
      const stores = await openServiceStores(storeOptions(opts));
      try {
        const gateway = stores.get('supplier-gateway') ?? stores.get('kurrentdb')!;
        const bundle = await disputeBundle(gateway, stores.get('finance-reconciler') ?? stores.get('kurrentdb'), poId);
        if (opts['out']) writeFileSync(opts['out'], `${JSON.stringify(bundle, null, 2)}\n`);
        out(summariseBundle(bundle));
      } finally {
        await closeAll(stores);
      }
    });

  withStores(
    cli
      .command('rebuild')
      .argument('<projection>', Object.keys(PROJECTIONS).join(' | '))
      .option('--live-url <url>', "the running service's base URL: compare with what it serves")
      .option('--token <token>', 'bearer token for an endpoint that wants one (or DROPSHIP_TOKEN)')
      .option('--json', 'machine-readable output'),
  )
    .description('rebuild a projection from history (progress on stderr), compare it with the live one and report the differences')
    .addHelpText('after', REBUILD_HELP)
    .action(async (name: string, opts: Record<string, string | undefined>) => {
      const projection = PROJECTIONS[name];
      if (!projection) throw new Error(`No projection "${name}"; known: ${Object.keys(PROJECTIONS).join(', ')}`);
      const token = opts['token'] ?? process.env['DROPSHIP_TOKEN'];
      const liveUrl = opts['liveUrl'];
      if (liveUrl && !/^https?:\/\/[^/]/.test(liveUrl)) throw new Error(`--live-url must be an http(s) URL, not "${liveUrl}"`);
      if (!liveUrl && !projection.stored) throw new Error(`${projection.service} keeps no ${name} of its own in its store: give --live-url <${projection.service} base URL>`);
      const against: Against = liveUrl ? { kind: 'http', url: liveUrl, ...(token ? { token } : {}) } : { kind: 'store' };
      const options = storeOptions(opts);
      const counter = openEventCounter(options);
      let stores = new Map<string, EventStore>();
      try {
        const total = await counter.count(projection.service, projection.categories);
        stores = await openServiceStores(options, [projection.service]);
        const store = stores.get(projection.service) ?? stores.get('kurrentdb')!;
        const report = await rebuildAndCompare(projection, store, against, { progress: startProgress(err, `rebuild ${name}`, total) });
        out(opts['json'] ? JSON.stringify(report, null, 2) : formatReport(report));
        if (report.equal !== report.items) throw new DifferencesFound(report);
      } finally {
        await Promise.all([closeAll(stores), counter.close()]);
      }
    });
  return cli;
}

if (require.main === module) {
  program()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      // The report is out already; differences are an answer, not a failure of the tool.
      if (error instanceof DifferencesFound) {
        process.exitCode = 1;
        return;
      }
      process.stderr.write(`dropship: ${(error as Error).message}\n`);
      process.exit(2);
    });
}
