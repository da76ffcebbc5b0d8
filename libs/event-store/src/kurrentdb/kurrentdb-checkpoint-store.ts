/**
 * Checkpoints as streams: processor `p` keeps its checkpoint in `checkpoint-p`, one `CheckpointStored`
 * event per move, with stream metadata `maxCount: 1` so old ones get scavenged. The stream revision
 * is the optimistic-concurrency token: version = revision + 1 (first stored = version 1), and a move
 * expecting version v appends with expected revision v - 1 (no stream when none was stored yet).
 */
import {
  BACKWARDS,
  END,
  WrongExpectedVersionError,
  jsonEvent,
  type JSONEventType,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import { CheckpointConflictError } from '../errors';
import type { CheckpointStore, Position, StoredCheckpoint } from '../port';
import { CHECKPOINT_CATEGORY, readStreamEvents } from './mapping';

const CHECKPOINT_EVENT = 'CheckpointStored';

type CheckpointData = { commit: string; prepare: string };

export class KurrentDbCheckpointStore implements CheckpointStore {
  constructor(private readonly client: KurrentDBClient) {}

  async load(processor: string): Promise<StoredCheckpoint | undefined> {
    const [last] = await readStreamEvents(this.client, streamOf(processor), {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    if (!last) return undefined;
    const { commit, prepare } = last.data;
    if (typeof commit !== 'string' || typeof prepare !== 'string') {
      throw new Error(`Malformed checkpoint event ${last.id} in ${last.streamName}`);
    }
    return { position: { commit: BigInt(commit), prepare: BigInt(prepare) }, version: last.revision + 1 };
  }

  async store(processor: string, position: Position, expectedVersion: number | undefined): Promise<StoredCheckpoint> {
    if (expectedVersion !== undefined && (!Number.isSafeInteger(expectedVersion) || expectedVersion < 1)) {
      throw new CheckpointConflictError(processor, expectedVersion); // no stored checkpoint ever has it
    }
    const stream = streamOf(processor);
    // Set before the first append (not after) so a failure leaves nothing half-done; racing
    // creators write the same metadata, and the loser then fails on `no_stream` below.
    if (expectedVersion === undefined) await this.client.setStreamMetadata(stream, { maxCount: 1 });
    const event = jsonEvent<JSONEventType<typeof CHECKPOINT_EVENT, CheckpointData>>({
      type: CHECKPOINT_EVENT,
      data: { commit: position.commit.toString(), prepare: position.prepare.toString() },
    });
    try {
      const result = await this.client.appendToStream(stream, event, {
        streamState: expectedVersion === undefined ? 'no_stream' : BigInt(expectedVersion - 1),
      });
      // `success` is false only with `throwOnAppendFailure=false` in the connection string.
      if (!result.success) throw new CheckpointConflictError(processor, expectedVersion);
      return { position, version: Number(result.nextExpectedRevision) + 1 };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw new CheckpointConflictError(processor, expectedVersion);
      throw error;
    }
  }
}

function streamOf(processor: string): string {
  return `${CHECKPOINT_CATEGORY}-${processor}`;
}
