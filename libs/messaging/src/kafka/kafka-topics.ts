import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Broker topic configs, e.g. `min.insync.replicas`, `retention.ms`, `cleanup.policy`. */
  readonly configs?: Readonly<Record<string, string>>;
}

export interface EnsureTopicsResult {
  readonly created: string[];
  readonly existing: string[];
  /** Existing topics with fewer partitions than asked: never changed automatically (it re-keys). */
  readonly underPartitioned: { name: string; partitions: number; wanted: number }[];
}

/**
 * Creates the topics that are missing. Safe to run from every service at every start, several at
 * once: a broker still settling the leaders of topics another service just created answers with
 * retriable errors, and the whole step is tried again.
 */
export function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<EnsureTopicsResult> {
  return retrying(() => ensureTopicsOnce(kafka, specs));
}

async function ensureTopicsOnce(kafka: Kafka, specs: readonly TopicSpec[]): Promise<EnsureTopicsResult> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = dedupe(specs).filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((s) => ({
            topic: s.name,
            numPartitions: s.partitions,
            replicationFactor: s.replicationFactor,
            configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({ name, value })),
          })),
        });
      } catch (error) {
        // Another service created some of them at the same moment: fine when they now exist.
        const now = new Set(await admin.listTopics());
        if (!missing.every((s) => now.has(s.name))) throw error;
      }
    }
    const present = dedupe(specs).filter((s) => existing.has(s.name));
    const metadata = present.length > 0 ? await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) }) : { topics: [] };
    const underPartitioned = metadata.topics
      .map((t) => ({ name: t.name, partitions: t.partitions.length, wanted: present.find((s) => s.name === t.name)!.partitions }))
      .filter((t) => t.partitions < t.wanted);
    return { created: missing.map((s) => s.name), existing: present.map((s) => s.name), underPartitioned };
  } finally {
    await admin.disconnect();
  }
}

export async function describeCluster(kafka: Kafka): Promise<{ brokers: number; controller: number | null }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    return { brokers: cluster.brokers.length, controller: cluster.controller };
  } finally {
    await admin.disconnect();
  }
}

function dedupe(specs: readonly TopicSpec[]): TopicSpec[] {
  return [...new Map(specs.map((s) => [s.name, s])).values()];
}

/**
 * Commits a consumer group's offsets at the current end of each topic, so the group, when it first
 * starts, skips the history already there. For a new service that must not replay old traffic,
 * and for tests and benchmarks on a shared broker. Only for a group that is not running.
 * (kafkajs's admin.setOffsets joins the group once per topic, ~5 s each; this joins once.)
 */
export async function commitGroupAtEnd(kafka: Kafka, groupId: string, topics: readonly string[], options: { readonly onlyIfNew?: boolean } = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: { topic: string; partitions: { partition: number; high: string }[] }[];
  try {
    if (options.onlyIfNew) {
      // A group that has committed anything resumes from there (a restarted simulator, say).
      const committed = await retrying(() => admin.fetchOffsets({ groupId, topics: [...topics] }));
      if (committed.some((t) => t.partitions.some((p) => Number(p.offset) >= 0))) return;
    }
    ends = await Promise.all(topics.map(async (topic) => ({ topic, partitions: await retrying(() => admin.fetchTopicOffsets(topic)) })));
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.subscribe({ topics: [...topics], fromBeginning: false });
    // Nothing is handled here: the member only joins so that it may commit for the group.
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
    await joined;
    await retrying(() =>
      consumer.commitOffsets(ends.flatMap(({ topic, partitions }) => partitions.map((p) => ({ topic, partition: p.partition, offset: p.high })))),
    );
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Right after a topic is created the broker may still answer "not the leader" or "unknown topic"
 * while leadership settles; kafkajs's admin does not retry those reads itself.
 */
async function retrying<T>(read: () => Promise<T>, attempts = 12): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true;
      if (!retriable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** (attempt - 1), 2_000)));
    }
  }
}
