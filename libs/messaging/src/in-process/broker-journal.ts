import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { TransportRecord } from '../envelope';

/** One line of the journal file. */
type JournalEntry =
  | { readonly type: 'topic'; readonly topic: string; readonly partitions: number }
  | {
      readonly type: 'record';
      readonly topic: string;
      readonly partition: number;
      /** Absent when the record has no key. */
      readonly key?: string;
      /** Base64, or null for a record without a value. */
      readonly value: string | null;
      readonly headers: Readonly<Record<string, string>>;
    }
  | { readonly type: 'commit'; readonly group: string; readonly topic: string; readonly partition: number; readonly next: number };

export interface CommittedOffset {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** The next offset the group will read. */
  readonly next: number;
}

/** What the journal held when it was opened: the broker starts from this. */
export interface JournalContents {
  /** Topic → its partitions → their records in offset order. */
  readonly topics: ReadonlyMap<string, TransportRecord[][]>;
  /** The latest commit of each (group, topic, partition). */
  readonly offsets: readonly CommittedOffset[];
}

export interface BrokerJournalOptions {
  /** Compact on open once the commit lines are at least this many times the committed keys. */
  readonly compactionRatio?: number;
  /** …and at least this many commit lines are superseded, so that small journals are left alone. */
  readonly compactionMinSuperseded?: number;
}

export class BrokerJournalCorruptError extends Error {
  override readonly name = 'BrokerJournalCorruptError';
}

const DEFAULT_COMPACTION_RATIO = 4;
const DEFAULT_COMPACTION_MIN_SUPERSEDED = 10_000;

/**
 * The in-process broker's topics, records and committed offsets as an append-only file of JSON
 * lines, so that the embedded run loses nothing between a stop and the next start.
 *
 * Each entry is written with one synchronous `write` before the broker changes its memory, so when
 * `publish` resolves the record is in the operating system's page cache: it survives a crash of the
 * process, not a power loss (there is no fsync per entry). That is enough for the embedded run, a
 * local tool: an fsync per message would cost milliseconds on every publish and commit, and a lost
 * tail after a power cut only means redoing a local run, whereas production uses Kafka.
 */
export class BrokerJournal {
  static readonly FILE_NAME = 'broker.journal';

  private constructor(
    readonly path: string,
    private fd: number | undefined,
  ) {}

  /** Reads the journal in `dir` back (creating an empty one if there is none) and opens it for appending. */
  static open(dir: string, options: BrokerJournalOptions = {}): { journal: BrokerJournal; contents: JournalContents } {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, BrokerJournal.FILE_NAME);
    const replay = replayFile(path);
    const ratio = options.compactionRatio ?? DEFAULT_COMPACTION_RATIO;
    const minSuperseded = options.compactionMinSuperseded ?? DEFAULT_COMPACTION_MIN_SUPERSEDED;
    const keys = replay.offsets.size;
    const compact = replay.commitLines >= ratio * keys && replay.commitLines - keys >= minSuperseded;
    if (compact) {
      rewrite(path, replay);
    } else if (replay.validLength < replay.fileLength) {
      // A torn last line from a crash: cut it off, or the next entry would be glued to it.
      truncateSync(path, replay.validLength);
    }
    const fd = openSync(path, 'a');
    const journal = new BrokerJournal(path, fd);
    if (!compact && replay.missingFinalNewline) writeAll(fd, Buffer.from('\n'));
    return { journal, contents: { topics: replay.topics, offsets: [...replay.offsets.values()] } };
  }

  topicCreated(topic: string, partitions: number): void {
    this.write({ type: 'topic', topic, partitions });
  }

  recordAppended(topic: string, partition: number, record: TransportRecord): void {
    this.write(recordEntry(topic, partition, record));
  }

  offsetCommitted(group: string, topic: string, partition: number, next: number): void {
    this.write({ type: 'commit', group, topic, partition, next });
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private write(entry: JournalEntry): void {
    // Failing loudly matters more than going on in memory: a record acknowledged but not journaled
    // would be lost at the next restart.
    if (this.fd === undefined) throw new Error(`Broker journal ${this.path} is closed`);
    writeAll(this.fd, Buffer.from(`${JSON.stringify(entry)}\n`));
  }
}

interface Replay {
  readonly topics: Map<string, TransportRecord[][]>;
  readonly offsets: Map<string, CommittedOffset>;
  readonly commitLines: number;
  readonly fileLength: number;
  /** Bytes up to the end of the last entry that could be read. */
  readonly validLength: number;
  readonly missingFinalNewline: boolean;
}

function replayFile(path: string): Replay {
  const bytes = readIfExists(path);
  const topics = new Map<string, TransportRecord[][]>();
  const offsets = new Map<string, CommittedOffset>();
  let commitLines = 0;
  let validLength = 0;
  let missingFinalNewline = false;
  for (let start = 0, lineNumber = 1; start < bytes.length; lineNumber++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    const isLast = end + 1 >= bytes.length;
    let entry: JournalEntry;
    try {
      entry = parseEntry(bytes.toString('utf8', start, end));
    } catch (error) {
      // Only the last line can be torn by a crash; anywhere else the file was damaged.
      if (isLast) break;
      throw new BrokerJournalCorruptError(
        `Broker journal ${path} is corrupt at line ${lineNumber}: ${(error as Error).message}. ` +
          'Move the file away to start with an empty broker.',
      );
    }
    try {
      apply(entry, topics, offsets);
    } catch (error) {
      throw new BrokerJournalCorruptError(`Broker journal ${path} is corrupt at line ${lineNumber}: ${(error as Error).message}`);
    }
    if (entry.type === 'commit') commitLines++;
    validLength = newline === -1 ? bytes.length : newline + 1;
    missingFinalNewline = newline === -1;
    start = end + 1;
  }
  return { topics, offsets, commitLines, fileLength: bytes.length, validLength, missingFinalNewline };
}

function apply(entry: JournalEntry, topics: Map<string, TransportRecord[][]>, offsets: Map<string, CommittedOffset>): void {
  switch (entry.type) {
    case 'topic': {
      const existing = topics.get(entry.topic);
      if (existing && existing.length !== entry.partitions) {
        throw new Error(`topic ${entry.topic} created again with ${entry.partitions} partitions instead of ${existing.length}`);
      }
      if (!existing) topics.set(entry.topic, Array.from({ length: entry.partitions }, () => []));
      return;
    }
    case 'record': {
      const partition = topics.get(entry.topic)?.[entry.partition];
      if (!partition) throw new Error(`record for ${entry.topic}[${entry.partition}], a partition never created`);
      partition.push({
        key: entry.key,
        value: entry.value === null ? null : Buffer.from(entry.value, 'base64'),
        headers: entry.headers,
      });
      return;
    }
    case 'commit':
      offsets.set(`${entry.group}\u0000${entry.topic}\u0000${entry.partition}`, {
        group: entry.group,
        topic: entry.topic,
        partition: entry.partition,
        next: entry.next,
      });
      return;
    default: {
      const unknown: never = entry;
      throw new Error(`unknown entry ${JSON.stringify(unknown)}`);
    }
  }
}

function parseEntry(line: string): JournalEntry {
  const value: unknown = JSON.parse(line);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
  const entry = value as Record<string, unknown>;
  const isString = (name: string) => typeof entry[name] === 'string';
  const isCount = (name: string, min: number) => Number.isSafeInteger(entry[name]) && (entry[name] as number) >= min;
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`${String(entry['type'])} entry without a valid ${what}`);
  };
  switch (entry['type']) {
    case 'topic':
      check(isString('topic'), 'topic');
      check(isCount('partitions', 1), 'partitions');
      break;
    case 'record':
      check(isString('topic'), 'topic');
      check(isCount('partition', 0), 'partition');
      check(entry['key'] === undefined || isString('key'), 'key');
      check(entry['value'] === null || isString('value'), 'value');
      check(isStringRecord(entry['headers']), 'headers');
      break;
    case 'commit':
      check(isString('group'), 'group');
      check(isString('topic'), 'topic');
      check(isCount('partition', 0), 'partition');
      check(isCount('next', 0), 'next');
      break;
    default:
      throw new Error(`unknown entry type ${JSON.stringify(entry['type'])}`);
  }
  return entry as unknown as JournalEntry;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function recordEntry(topic: string, partition: number, record: TransportRecord): JournalEntry {
  return {
    type: 'record',
    topic,
    partition,
    ...(record.key === undefined ? {} : { key: record.key }),
    value: record.value === null ? null : record.value.toString('base64'),
    headers: record.headers,
  };
}

/**
 * Writes the records and only the latest commit of each key to a new file, then renames it over
 * the journal. This one fsyncs: unlike a lost tail, a half-written rewrite would lose everything.
 */
function rewrite(path: string, replay: Replay): void {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    const line = (entry: JournalEntry) => writeAll(fd, Buffer.from(`${JSON.stringify(entry)}\n`));
    for (const [topic, partitions] of replay.topics) {
      line({ type: 'topic', topic, partitions: partitions.length });
      partitions.forEach((records, partition) => records.forEach((record) => line(recordEntry(topic, partition, record))));
    }
    for (const offset of replay.offsets.values()) line({ type: 'commit', ...offset });
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
}

function readIfExists(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  }
}
