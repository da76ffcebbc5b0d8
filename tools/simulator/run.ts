import 'reflect-metadata';
import { ScaledClock, systemClock, type Clock } from '@oms/platform';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseDuration } from './cli-args';
import { kafkaLinks } from './link-factories';
import { Simulation } from './simulation';
import { SCENARIO_HELP, SCENARIOS, worldFor, type ScenarioName } from './world';

const HELP = `The simulated outside world of the drop-ship OMS, against a real deployment: a storefront placing
orders on Kafka, the warehouse system, drop-ship suppliers on the gateway's supplier API, the
carriers and the returns docks. The services run as their own processes (npm run service -- <name>).

Usage: npm run simulate -- [options]

  --brokers <list>        Kafka brokers, host:port[,host:port] (default: KAFKA_BROKERS or 127.0.0.1:9092)
  --gateway-url <url>     supplier-gateway's base URL (default: http://127.0.0.1:3003)
  --returns-url <url>     returns-router's base URL (default: http://127.0.0.1:3004)
  --admin-token <token>   the gateway's GATEWAY_ADMIN_TOKEN (default: that variable) to register suppliers
  --topic-prefix <text>   the services' KAFKA_TOPIC_PREFIX (default: that variable, or none)
  --scenario <name>       ${SCENARIOS.join(' | ')} (default: mixed)
${SCENARIOS.map((s) => `                            ${s.padEnd(6)} ${SCENARIO_HELP[s]}`).join('\n')}
  --rate <n>              orders per minute (default: 10)
  --speed <n>             the services' CLOCK_SPEED (default: 1); give --clock-anchor with it
  --clock-anchor <time>   the services' CLOCK_ANCHOR
  --duration <time>       stop after 90s, 5m, 1h… (default: until Ctrl-C)
  --seed <text>           names the run; the same seed resumes its consumer groups (default: random)
  --help                  this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      brokers: { type: 'string', default: process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092' },
      'gateway-url': { type: 'string', default: 'http://127.0.0.1:3003' },
      'returns-url': { type: 'string', default: 'http://127.0.0.1:3004' },
      'admin-token': { type: 'string', default: process.env['GATEWAY_ADMIN_TOKEN'] },
      'topic-prefix': { type: 'string', default: process.env['KAFKA_TOPIC_PREFIX'] },
      scenario: { type: 'string', default: 'mixed' },
      rate: { type: 'string', default: '10' },
      speed: { type: 'string', default: '1' },
      'clock-anchor': { type: 'string' },
      duration: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (!SCENARIOS.includes(values.scenario as ScenarioName)) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}`);
  if (!values['admin-token']) throw new Error('--admin-token (or GATEWAY_ADMIN_TOKEN) is needed to register the simulated suppliers');
  const rate = Number(values.rate);
  const speed = Number(values.speed);
  if (!(rate >= 0)) throw new Error(`--rate must be a number ≥ 0, got ${values.rate}`);
  if (!(speed >= 1)) throw new Error(`--speed must be a number ≥ 1, got ${values.speed}`);
  if (speed !== 1 && !values['clock-anchor']) throw new Error('--speed needs --clock-anchor: the same CLOCK_ANCHOR the services run with');
  const clock: Clock = speed === 1 ? systemClock : new ScaledClock({ anchor: new Date(values['clock-anchor']!), speed });
  const duration = values.duration ? parseDuration(values.duration) : undefined;
  const seed = values.seed ?? `sim${randomBytes(3).toString('hex')}`;
  const notes: string[] = [];
  const links = await kafkaLinks(values.brokers!.split(','), {
    gatewayUrl: values['gateway-url']!,
    returnsUrl: values['returns-url']!,
    gatewayAdminToken: values['admin-token'],
    clock,
    log: (line) => notes.push(line),
  }, values['topic-prefix'] ? { topicPrefix: values['topic-prefix'] } : {});
  const scenario = values.scenario as ScenarioName;
  const simulation = await Simulation.start({ world: worldFor(scenario), scenario, seed, ratePerMinute: rate, links });
  const started = Date.now();
  const print = () => console.log(`${simulation.summary.render(`Simulation ${seed} (${scenario}) against ${values.brokers} · running ${Math.round((Date.now() - started) / 1000)} s`).join('\n')}\n`);
  const timer = setInterval(print, 15_000);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    await simulation.stop();
    await links.close();
    print();
    if (notes.length > 0) console.log(`${notes.length} notes (refused or failed calls); the last: ${notes[notes.length - 1]}`);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  if (duration !== undefined) setTimeout(() => void stop(), duration);
  console.log(`Simulation ${seed} (${scenario}) started: ${rate} orders/min. Ctrl-C to stop.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
