import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startEmbeddedSystem } from './embedded-system';

const HELP = `Drop-ship OMS — the whole system in one process (embedded store, in-process transport).

Usage: npm start -- [options]

  --data-dir <dir>   where the embedded event store keeps its data (default: ./data/embedded)
  --in-memory        keep nothing on disk
  --port-base <n>    first HTTP port; the six services take n..n+5 (default: 3001)
  --once             start, check every service is healthy and answers a ping, then stop
  --help             this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: 'data/embedded' },
      'in-memory': { type: 'boolean', default: false },
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
  const dataDir = values['in-memory'] ? undefined : resolve(values['data-dir']!);

  const started = Date.now();
  const system = await startEmbeddedSystem({ dataDir, portBase });
  console.log(`\nAll ${system.services.length} services started in ${Date.now() - started} ms (store: ${dataDir ?? 'in memory'})\n`);
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
  const ok = healthy && missing.length === 0;

  if (values.once) {
    await system.close();
    process.exitCode = ok ? 0 : 1;
    return;
  }
  console.log('Running. Ctrl-C to stop.');
  const stop = async () => {
    console.log('\nStopping…');
    await system.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
