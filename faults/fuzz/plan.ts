import { TOPICS } from '@oms/contracts';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { badRecordDrafts, draftsToRecords, edgeDrafts, type BadRecord, type TopicShape } from './bad-records';
import { badRequests, overLimit, type BadRequest } from './bad-requests';
import { consumedTopics, declaredTypes, FOLLOWED, followedTypes, type TopicConsumer } from './consumers';
import { loadApi, type Route } from './http-routes';
import type { JsonSchema, Schemas } from './schema-mutants';

/** Share of the inputs that go to Kafka topics; the rest go to HTTP routes. */
export const KAFKA_SHARE = 0.4;

/** A platform route (health, metrics) is on every service and reads nothing: it gets a quarter of a route's share. */
const PLATFORM_WEIGHT = 0.25;
const PLATFORM = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

export interface FuzzPlan {
  readonly requests: readonly BadRequest[];
  readonly records: readonly BadRecord[];
  readonly routes: readonly Route[];
  readonly topics: ReadonlyMap<string, readonly TopicConsumer[]>;
}

/** Every payload schema the AsyncAPI document gives a consumed type, by topic and type (class-validated ones only). */
function payloadSchemas(): { byTopic: Map<string, Record<string, JsonSchema>>; components: Schemas } {
  const doc = parse(readFileSync(join(__dirname, '../../docs/api/asyncapi.yaml'), 'utf8')) as {
    channels: Record<string, { address: string; messages: Record<string, { payload: { $ref: string } }> }>;
    components: { schemas: Record<string, JsonSchema & { 'x-schema-source'?: string }> };
  };
  const byTopic = new Map<string, Record<string, JsonSchema>>();
  for (const channel of Object.values(doc.channels)) {
    const out: Record<string, JsonSchema> = {};
    for (const [type, message] of Object.entries(channel.messages)) {
      const documented = doc.components.schemas[message.payload.$ref.split('/').pop()!];
      // What readers validate with is the class the description names.
      const cls = /class-validator class (\w+)/.exec(documented?.['x-schema-source'] ?? '')?.[1];
      if (cls && doc.components.schemas[cls]) out[type] = { $ref: `#/components/schemas/${cls}` };
    }
    byTopic.set(channel.address, out);
  }
  return { byTopic, components: doc.components.schemas };
}

/** Every type some handler follows or some public topic declares. */
function everyType(): Set<string> {
  const out = new Set<string>();
  for (const table of Object.values(FOLLOWED)) for (const follows of Object.values(table)) if (follows !== 'every') for (const t of Object.keys(follows)) out.add(t);
  for (const t of Object.values(TOPICS)) for (const type of declaredTypes(t.name) ?? []) out.add(type);
  return out;
}

export function topicShapes(topics: ReadonlyMap<string, readonly TopicConsumer[]>): TopicShape[] {
  const { byTopic, components } = payloadSchemas();
  const all = everyType();
  return [...topics].map(([topic, consumers]) => {
    const followed = followedTypes(consumers);
    const declared = new Set(declaredTypes(topic) ?? []);
    const followedByAny = (type: string) => consumers.some((c) => c.follows !== 'every' && Object.hasOwn(c.follows, type));
    return {
      topic,
      followed,
      foreign: [...all].filter((t) => !declared.has(t) && !followedByAny(t)),
      schemas: byTopic.get(topic) ?? {},
      components,
    };
  });
}

/** Splits `total` over weights by largest remainder, so the parts add up to it. */
export function split(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  const left = total - parts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < left; k++) parts[order[k]![1]]! += 1;
  return parts;
}

/** Takes the i-th item of each list in turn, so no route or topic gets a long run to itself. */
function interleave<T>(lists: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  for (let i = 0; out.length < lists.reduce((n, l) => n + l.length, 0); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/**
 * The whole fuzz, drawn from one seed: `inputs` bad inputs, KAFKA_SHARE of them bad records spread
 * evenly over every consumed topic, the rest bad requests spread over every route of every service.
 */
export function planFuzz(seed: number, inputs: number, run: string): FuzzPlan {
  const topics = consumedTopics();
  const shapes = topicShapes(topics);
  const kafkaTotal = Math.round(inputs * KAFKA_SHARE);
  const perTopic = split(kafkaTotal, shapes.map(() => 1));
  let n = 0;
  const records = interleave(
    shapes.map((shape, i) => {
      const edges = edgeDrafts(shape).slice(0, perTopic[i]!);
      const drawn = fc.sample(badRecordDrafts(shape), { seed: seed + 1_000 + i, numRuns: Math.max(0, perTopic[i]! - edges.length) });
      const list = draftsToRecords(shape.topic, [...edges, ...drawn], run, n);
      n += list.length;
      return list;
    }),
  );

  const { routes, schemas } = loadApi();
  // One request over the body limit for the first JSON route of each service that has one.
  const oversized = [...new Map(routes.filter((r) => r.method === 'POST' && r.body?.contentTypes.includes('application/json')).map((r) => [r.service, r] as const)).values()].map(overLimit);
  const perRoute = split(inputs - kafkaTotal - oversized.length, routes.map((r) => (PLATFORM.has(r.path) ? PLATFORM_WEIGHT : 1)));
  const requests = interleave([...routes.map((route, i) => fc.sample(badRequests(route, schemas), { seed: seed + i, numRuns: perRoute[i]! })), oversized]);
  return { requests, records, routes, topics };
}
