import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { waitFor } from '@oms/testing';
import type { OutgoingMessage, TransportRecord } from '../envelope';
import { BrokerJournal, BrokerJournalCorruptError, type BrokerJournalOptions } from './broker-journal';
import { InProcessBroker, InProcessPublisher } from './in-process-broker';
import { InProcessTransport } from './in-process-transport';

const folders: string[] = [];
const brokers: InProcessBroker[] = [];

function freshFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'broker-journal-'));
  folders.push(folder);
  return folder;
}

function open(folder: string, partitions: number, options: BrokerJournalOptions = {}): InProcessBroker {
  const broker = InProcessBroker.open(folder, partitions, options);
  brokers.push(broker);
  return broker;
}

afterEach(() => {
  for (const broker of brokers.splice(0)) broker.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  jest.restoreAllMocks();
});

const journalOf = (folder: string) => join(folder, BrokerJournal.FILE_NAME);
const linesOf = (folder: string) => readFileSync(journalOf(folder), 'utf8').split('\n').filter((line) => line !== '');
const commitLinesOf = (folder: string) => linesOf(folder).filter((line) => JSON.parse(line).type === 'commit');

const record = (key: string | undefined, text: string | null, headers: Record<string, string> = {}): TransportRecord => ({
  key,
  value: text === null ? null : Buffer.from(text),
  headers,
});

const message = (topic: string, key: string, n: number): OutgoingMessage => ({
  topic,
  key,
  eventId: randomUUID(),
  type: 'PaymentCaptured',
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  payload: { n },
});

function allCommitted(broker: InProcessBroker, group: string, topic: string): number {
  let total = 0;
  for (let p = 0; p < broker.partitionCount(topic); p++) total += broker.committed(group, topic, p);
  return total;
}

/** A transport without NestJS around it: one handler for one topic. */
function consume(broker: InProcessBroker, groupId: string, topic: string, seen: number[]): InProcessTransport {
  const transport = new InProcessTransport({ broker, groupId, retry: { maxAttempts: 1, initialBackoffMs: 1, maxBackoffMs: 1 } });
  transport.addHandler(topic, async (payload: { n: number }) => void seen.push(payload.n), true);
  transport.listen(() => undefined);
  return transport;
}

describe('InProcessBroker with a journal', () => {
  it('has the same records, partitions and committed offsets after a reopen, and appends after them', () => {
    const folder = freshFolder();
    const before = open(folder, 4);
    const appended = [
      before.append('orders', record('order-1', '{"n":1}', { 'event-type': 'OrderPlaced', 'trace-id': 'ü-ñ' })),
      before.append('orders', record('order-2', '{"n":2}')),
      before.append('orders', record(undefined, null)),
      before.append('orders', record('order-1', '\u0000binary\u00ff')),
    ];
    before.commit('billing', 'orders', appended[0]!.partition, 2);
    before.commit('shipping', 'orders', appended[1]!.partition, 1);
    const recordsBefore = before.records('orders');
    before.close();

    const after = open(folder, 4);
    expect(after.journalPath).toBe(journalOf(folder));
    expect(after.records('orders')).toEqual(recordsBefore);
    expect(after.records('orders')).toHaveLength(4);
    for (const { partition, offset } of appended) {
      expect(after.read('orders', partition, offset)).toEqual(before.read('orders', partition, offset));
    }
    const keyless = after.read('orders', appended[2]!.partition, appended[2]!.offset)!;
    expect(keyless.key).toBeUndefined();
    expect(keyless.value).toBeNull();
    expect(after.committed('billing', 'orders', appended[0]!.partition)).toBe(2);
    expect(after.committed('shipping', 'orders', appended[1]!.partition)).toBe(1);
    expect(after.committed('nobody', 'orders', 0)).toBe(0);

    // The same key lands in the same partition, after what was there.
    const next = after.append('orders', record('order-1', '{"n":5}'));
    expect(next).toEqual({ partition: appended[3]!.partition, offset: appended[3]!.offset + 1 });
  });

  it('lets a consumer group resume from its committed offsets and get what was published but not consumed before the restart', async () => {
    const folder = freshFolder();
    const topic = 'payments';
    const first: number[] = [];
    const before = open(folder, 3);
    const publisher = new InProcessPublisher(before, 'test');
    const transport = consume(before, 'g-resume', topic, first);
    await publisher.publish(Array.from({ length: 12 }, (_, n) => message(topic, `k${n % 5}`, n)));
    await waitFor(() => first.length >= 12 && allCommitted(before, 'g-resume', topic) === 12, { what: 'the first consumer' });
    await transport.close();
    // Published (the relay's checkpoint moved on) while nobody consumed, then the process stops.
    await new InProcessPublisher(before, 'test').publish(Array.from({ length: 7 }, (_, i) => message(topic, `k${i % 5}`, 12 + i)));
    before.close();

    const after = open(folder, 3);
    expect(allCommitted(after, 'g-resume', topic)).toBe(12);
    const second: number[] = [];
    const resumed = consume(after, 'g-resume', topic, second);
    await waitFor(() => second.length >= 7 && allCommitted(after, 'g-resume', topic) === 19, { what: 'the resumed consumer' });
    await resumed.close();

    expect([...first].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, n) => n));
    expect([...second].sort((a, b) => a - b)).toEqual(Array.from({ length: 7 }, (_, i) => 12 + i));
  });

  it('keeps the partition count of each topic from the journal, whatever the default on reopen', () => {
    const folder = freshFolder();
    const before = open(folder, 2);
    before.ensureTopic('wide', 5);
    const placed = before.append('narrow', record('customer-42', '{}'));
    before.close();

    const after = open(folder, 7);
    expect(after.partitionCount('wide')).toBe(5);
    expect(after.partitionCount('narrow')).toBe(2);
    expect(after.partitionCount('new')).toBe(7);
    expect(after.append('narrow', record('customer-42', '{}')).partition).toBe(placed.partition);
    after.close();

    // A topic created after the reopen is journaled as well.
    expect(open(folder, 1).partitionCount('new')).toBe(7);
  });

  it('ignores a last line torn by a crash and appends cleanly after it', () => {
    const folder = freshFolder();
    const before = open(folder, 1);
    before.append('t', record('a', '1'));
    before.append('t', record('a', '2'));
    before.close();
    appendFileSync(journalOf(folder), '{"type":"record","topic":"t","partition":0,"key":"a","val');

    const after = open(folder, 1);
    expect(after.records('t').map((r) => r.value!.toString())).toEqual(['1', '2']);
    after.append('t', record('a', '3'));
    after.close();

    expect(linesOf(folder).map((line) => JSON.parse(line).type)).toEqual(['topic', 'record', 'record', 'record']);
    expect(open(folder, 1).records('t').map((r) => r.value!.toString())).toEqual(['1', '2', '3']);
  });

  it('keeps a complete last entry that lost only its newline', () => {
    const folder = freshFolder();
    const before = open(folder, 1);
    before.append('t', record('a', '1'));
    before.close();
    const text = readFileSync(journalOf(folder), 'utf8');
    writeFileSync(journalOf(folder), text.slice(0, -1));

    const after = open(folder, 1);
    after.append('t', record('a', '2'));
    after.close();
    expect(open(folder, 1).records('t').map((r) => r.value!.toString())).toEqual(['1', '2']);
  });

  it('refuses a journal with a corrupt line before the last one, naming the line', () => {
    const folder = freshFolder();
    const before = open(folder, 1);
    for (const n of [1, 2, 3]) before.append('t', record('a', String(n)));
    before.close();
    const lines = linesOf(folder);
    lines[2] = lines[2]!.slice(0, 20);
    writeFileSync(journalOf(folder), `${lines.join('\n')}\n`);

    expect(() => open(folder, 1)).toThrow(BrokerJournalCorruptError);
    expect(() => open(folder, 1)).toThrow(/line 3/);
  });

  it('refuses a well-formed line that does not fit the journal, naming the line', () => {
    const folder = freshFolder();
    const before = open(folder, 1);
    before.append('t', record('a', '1'));
    before.close();
    const lines = linesOf(folder);
    lines.splice(1, 0, JSON.stringify({ type: 'record', topic: 'never-created', partition: 0, value: null, headers: {} }));
    writeFileSync(journalOf(folder), `${lines.join('\n')}\n`);

    expect(() => open(folder, 1)).toThrow(/line 2: record for never-created\[0\]/);
  });

  it('compacts on open to the records and the latest commit of each key, and the file shrinks', () => {
    const folder = freshFolder();
    const compaction = { compactionRatio: 4, compactionMinSuperseded: 10 };
    const before = open(folder, 2, compaction);
    for (let n = 0; n < 6; n++) before.append(n % 2 ? 'odd' : 'even', record(`k${n}`, `{"n":${n}}`));
    for (let n = 1; n <= 100; n++) {
      before.commit('g', 'even', 0, n);
      before.commit('g', 'odd', 1, n * 2);
    }
    before.commit('h', 'even', 1, 3);
    const records = { even: before.records('even'), odd: before.records('odd') };
    before.close();
    expect(commitLinesOf(folder)).toHaveLength(201);

    // Below the threshold nothing is rewritten.
    open(folder, 2).close();
    expect(commitLinesOf(folder)).toHaveLength(201);
    const sizeBefore = statSync(journalOf(folder)).size;

    const after = open(folder, 2, compaction);
    expect(statSync(journalOf(folder)).size).toBeLessThan(sizeBefore);
    expect(commitLinesOf(folder)).toHaveLength(3);
    expect(readdirSync(folder)).toEqual([BrokerJournal.FILE_NAME]);
    expect(after.records('even')).toEqual(records.even);
    expect(after.records('odd')).toEqual(records.odd);
    expect(after.committed('g', 'even', 0)).toBe(100);
    expect(after.committed('g', 'odd', 1)).toBe(200);
    expect(after.committed('h', 'even', 1)).toBe(3);

    // The compacted journal takes appends and reads back like any other.
    after.commit('g', 'even', 0, 101);
    after.append('even', record('k0', '{"n":6}'));
    after.close();
    const reopened = open(folder, 2);
    expect(reopened.committed('g', 'even', 0)).toBe(101);
    expect(reopened.records('even')).toHaveLength(records.even.length + 1);
  });

  it('fails appends and commits once closed instead of losing them silently', () => {
    const broker = open(freshFolder(), 1);
    broker.close();
    expect(() => broker.append('t', record('a', '1'))).toThrow(/closed/);
    expect(() => broker.commit('g', 't', 0, 1)).toThrow(/closed/);
  });
});

describe('InProcessBroker without a journal', () => {
  it('opens no journal and writes no file, and close() changes nothing', () => {
    const journalsOpened = jest.spyOn(BrokerJournal, 'open');
    const workingFolder = freshFolder();
    const cwd = process.cwd();
    process.chdir(workingFolder);
    try {
      for (const broker of [new InProcessBroker(2), InProcessBroker.open(undefined, 2)]) {
        broker.append('t', record('a', '1'));
        broker.commit('g', 't', 0, 1);
        expect(broker.journalPath).toBeUndefined();
        broker.close();
        broker.append('t', record('a', '2'));
        expect(broker.records('t')).toHaveLength(2);
      }
    } finally {
      process.chdir(cwd);
    }
    expect(journalsOpened).not.toHaveBeenCalled();
    expect(readdirSync(workingFolder)).toEqual([]);

    // The spy does see a journaled broker open its journal.
    open(freshFolder(), 2);
    expect(journalsOpened).toHaveBeenCalledTimes(1);
  });
});
