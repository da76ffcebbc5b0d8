/**
 * docker-compose.yml: the Compose Specification's JSON schema (vendored in schemas/), then what the
 * schema cannot know — every container has an image, every dependency exists and can be waited
 * for, the service containers run the services of apps/ with only the variables each reads and
 * reach the infrastructure by container name, and the topic job creates exactly the topics of
 * libs/contracts with their partitions (and the dead-letter topic of every consumed one).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { finding, pointerToPath, type Finding } from './findings';
import type { RepoFacts } from './repo-facts';

/** The one-shot service that creates the topics, and its variable listing them (`<topic> <partitions>` lines). */
export const TOPIC_JOB = 'kafka-topics';
const TOPIC_LIST = 'TOPICS';
/** Read by the image's start command (Dockerfile CMD), not by the service's settings. */
const IMAGE_VARIABLES = new Set(['SERVICE']);
/** Variables holding an address a container must reach by name, not through the host's loopback. */
const ADDRESSES = ['KAFKA_BROKERS', 'DATABASE_URL', 'EVENTSTORE_URL'];

interface ComposeService {
  readonly image?: string;
  readonly build?: unknown;
  readonly environment?: Readonly<Record<string, unknown>> | readonly string[];
  readonly depends_on?: readonly string[] | Readonly<Record<string, { readonly condition?: string }>>;
  readonly healthcheck?: { readonly test?: string | readonly string[]; readonly disable?: boolean };
  readonly ports?: readonly unknown[];
}

let schemaValidator: ValidateFunction | undefined;

/** The vendored schema names draft-07 by an https id that Ajv knows only as http://…#. */
function composeSchema(): ValidateFunction {
  if (!schemaValidator) {
    const schema = JSON.parse(readFileSync(join(__dirname, 'schemas', 'compose-spec.json'), 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
    schemaValidator = ajv.compile({ ...schema, $schema: 'http://json-schema.org/draft-07/schema#' });
  }
  return schemaValidator;
}

export function environmentOf(service: ComposeService): Map<string, string | undefined> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return new Map(
      env.map((entry: string) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, undefined] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return new Map(Object.entries(env ?? {}).map(([key, value]) => [key, value === null || value === undefined ? undefined : String(value)]));
}

export function checkCompose(doc: unknown, facts: RepoFacts, file = 'docker-compose.yml'): Finding[] {
  const findings: Finding[] = [];
  const validate = composeSchema();
  if (!validate(doc)) {
    for (const e of validate.errors ?? []) {
      const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : '';
      findings.push(finding(file, pointerToPath(e.instancePath) || '(root)', `${e.message ?? 'invalid'}${extra}`));
    }
  }
  const services = ((doc as { services?: Record<string, ComposeService> } | null)?.services ?? {}) as Record<string, ComposeService>;
  const running = new Map<string, string>();
  for (const [name, service] of Object.entries(services)) {
    if (typeof service !== 'object' || service === null) continue;
    const where = `services.${name}`;
    const problem = (text: string) => findings.push(finding(file, where, text));
    if (!service.image && !service.build) problem('neither image nor build');
    const dependsOn = Array.isArray(service.depends_on)
      ? Object.fromEntries(service.depends_on.map((d: string) => [d, { condition: 'service_started' }]))
      : (service.depends_on ?? {});
    for (const [target, { condition }] of Object.entries(dependsOn)) {
      if (!services[target]) problem(`depends on ${target}, which is not a service here`);
      else if (condition === 'service_healthy' && !hasHealthcheck(services[target]!)) problem(`waits for ${target} to be healthy, but ${target} has no healthcheck`);
    }

    const env = environmentOf(service);
    const serviceName = env.get('SERVICE');
    if (serviceName === undefined && !service.build) continue;
    // A container of the service image: one of the six services.
    const app = serviceName === undefined ? undefined : facts.services.get(serviceName);
    if (!app) {
      problem(`SERVICE is ${serviceName === undefined ? 'not set' : `'${serviceName}', not a service in apps/`}`);
      continue;
    }
    if (running.has(app.name)) problem(`runs ${app.name}, as ${running.get(app.name)} does`);
    running.set(app.name, name);
    if (!service.image || !service.build) problem('a service container needs both build (the Dockerfile) and image (its tag)');
    for (const key of env.keys()) {
      if (!app.env.has(key) && !IMAGE_VARIABLES.has(key)) problem(`sets ${key}, which ${app.name} does not read`);
    }
    for (const key of ADDRESSES) {
      if (/(^|[/@,])(127\.0\.0\.1|localhost)[:/]/.test(env.get(key) ?? '')) problem(`${key} points at the container's own loopback: use the service name (e.g. kafka:19092)`);
    }
    if (!hasHealthcheck(service) || !JSON.stringify(service.healthcheck?.test ?? '').includes('/health/live')) problem('no healthcheck on /health/live');
    const topicJob = (dependsOn as Record<string, { condition?: string }>)[TOPIC_JOB];
    if (topicJob?.condition !== 'service_completed_successfully') problem(`does not wait for ${TOPIC_JOB} to complete (service_completed_successfully)`);
    const port = env.get('HTTP_PORT') ?? String(app.defaultHttpPort);
    if (!(service.ports ?? []).some((p) => String(typeof p === 'object' && p !== null ? (p as { target?: unknown }).target : p).split(':').pop() === port)) {
      problem(`HTTP port ${port} is not published`);
    }
  }
  for (const name of facts.services.keys()) {
    if (!running.has(name)) findings.push(finding(file, 'services', `no service container runs apps/${name}`));
  }
  findings.push(...checkTopicJob(services[TOPIC_JOB], facts, file));
  return findings;
}

function hasHealthcheck(service: ComposeService): boolean {
  return service.healthcheck !== undefined && service.healthcheck.disable !== true && service.healthcheck.test !== undefined;
}

function checkTopicJob(job: ComposeService | undefined, facts: RepoFacts, file: string): Finding[] {
  const where = `services.${TOPIC_JOB}`;
  if (!job) return [finding(file, 'services', `no ${TOPIC_JOB} job creating the topics`)];
  const listing = environmentOf(job).get(TOPIC_LIST);
  if (listing === undefined) return [finding(file, where, `no ${TOPIC_LIST} variable listing "<topic> <partitions>" lines`)];
  const findings: Finding[] = [];
  const wanted = new Map(facts.topics.map((t) => [t.name, t.partitions]));
  for (const topic of new Set([...facts.services.values()].flatMap((s) => s.consumes))) wanted.set(`${topic.name}.dlq`, topic.partitions);
  const listed = new Map<string, number>();
  for (const line of listing.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [name, partitions, ...rest] = line.split(/\s+/);
    if (!name || rest.length > 0 || !/^\d+$/.test(partitions ?? '')) {
      findings.push(finding(file, where, `"${line}" is not "<topic> <partitions>"`));
      continue;
    }
    if (listed.has(name)) findings.push(finding(file, where, `${name} listed twice`));
    listed.set(name, Number(partitions));
    const expected = wanted.get(name);
    if (expected === undefined) findings.push(finding(file, where, `${name} is not a topic of libs/contracts (nor the dead-letter topic of a consumed one)`));
    else if (expected !== Number(partitions)) findings.push(finding(file, where, `${name} with ${partitions} partitions; libs/contracts says ${expected}`));
  }
  for (const name of wanted.keys()) {
    if (!listed.has(name)) findings.push(finding(file, where, `${name} is missing`));
  }
  return findings;
}
