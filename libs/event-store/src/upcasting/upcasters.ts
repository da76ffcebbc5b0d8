import type { JsonObject, JsonValue } from '../port';

/**
 * Event schema versions and the upcasters between them. Every stored event carries its version in
 * `metadata.schemaVersion`; an event without one is version 1 (everything stored before versions
 * were written). A service declares the version it writes of each of its event types, and one
 * upcaster per step from every older version, so code only ever sees the current shape: stored
 * history is never rewritten, it is read forwards.
 */
export const SCHEMA_VERSION_KEY = 'schemaVersion';

/** Turns an event's data from `fromVersion` into `fromVersion + 1`. Pure; returns a new object. */
export interface Upcaster<Type extends string = string> {
  readonly type: Type;
  readonly fromVersion: number;
  /** `metadata` is the stored event's, for upcasters that need when or why it was written. */
  readonly upcast: (data: JsonObject, metadata: JsonObject) => JsonObject;
}

/** What the registry reads and returns: a stored event, or anything shaped like one. */
export interface VersionedEvent {
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly id?: string;
  readonly streamName?: string;
  readonly revision?: number;
}

export interface UpcasterRegistry {
  /** The version this code writes of a type: 1 for a type it has no upcaster for. */
  currentVersion(type: string): number;
  /** Types declared with the version written (`defineUpcasters`' `versions`), or named by an upcaster. */
  readonly versions: ReadonlyMap<string, number>;
  /** The upcasters, by type, in version order. */
  readonly upcasters: ReadonlyMap<string, readonly Upcaster[]>;
  /**
   * The event in the current shape of its type, with `metadata.schemaVersion` the current version
   * (the same object when nothing had to change). A type the registry does not know passes
   * through untouched. Throws EventSchemaVersionError for a version newer than this code knows.
   */
  upcast<E extends VersionedEvent>(event: E): E;
  /** Metadata for appending an event of this type now: the current version unless one is set. */
  stamp(type: string, metadata: JsonObject | undefined): JsonObject;
}

/** The upcasters do not chain (a gap, a duplicate, a version that is no step from the last). */
export class UpcasterDefinitionError extends Error {
  override readonly name = 'UpcasterDefinitionError';
}

/** A stored event this code cannot read: newer than it knows, or with an unreadable version. */
export class EventSchemaVersionError extends Error {
  override readonly name = 'EventSchemaVersionError';
  constructor(
    message: string,
    readonly type: string,
    readonly storedVersion: unknown,
    readonly knownVersion: number,
  ) {
    super(message);
  }
}

export interface DefineUpcastersOptions<Type extends string> {
  /**
   * Every event type the service stores, with the version it writes. Typed as a record of the
   * service's event type union, a new type cannot be left out; raising a version without the
   * upcaster from the one before fails here, at start.
   */
  readonly versions?: Readonly<Record<Type, number>>;
}

const isPositiveInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;

/**
 * A registry of upcasters chained per type: v1 → v2 → v3. Checked when defined: for every type the
 * steps start at 1 and have no gap or duplicate, and a declared version is exactly one past the
 * last step.
 */
export function defineUpcasters<Type extends string = string>(upcasters: readonly Upcaster<Type>[], options: DefineUpcastersOptions<Type> = {}): UpcasterRegistry {
  const byType = new Map<string, Upcaster[]>();
  for (const upcaster of upcasters) {
    if (!isPositiveInteger(upcaster.fromVersion)) throw new UpcasterDefinitionError(`Upcaster of ${upcaster.type}: fromVersion must be a whole number from 1, not ${String(upcaster.fromVersion)}`);
    byType.set(upcaster.type, [...(byType.get(upcaster.type) ?? []), upcaster]);
  }
  const versions = new Map<string, number>();
  for (const [type, steps] of byType) {
    steps.sort((a, b) => a.fromVersion - b.fromVersion);
    steps.forEach((step, index) => {
      if (step.fromVersion !== index + 1) {
        const expected = index + 1;
        throw new UpcasterDefinitionError(
          step.fromVersion < expected
            ? `Two upcasters of ${type} from version ${step.fromVersion}`
            : `Upcasters of ${type} have a gap: none from version ${expected} to ${expected + 1}, yet one from ${step.fromVersion}`,
        );
      }
    });
    versions.set(type, steps.length + 1);
  }
  for (const [type, declared] of Object.entries(options.versions ?? {}) as [string, unknown][]) {
    if (!isPositiveInteger(declared)) throw new UpcasterDefinitionError(`${type}: the version written must be a whole number from 1, not ${String(declared)}`);
    const chained = versions.get(type) ?? 1;
    if (declared !== chained) {
      throw new UpcasterDefinitionError(
        declared > chained
          ? `${type} is declared at version ${declared} but upcasters reach only ${chained}: add the upcaster from version ${chained} to ${chained + 1}`
          : `${type} is declared at version ${declared} but has upcasters up to version ${chained}: declare ${chained}`,
      );
    }
    versions.set(type, declared);
  }
  if (options.versions) {
    const undeclared = [...byType.keys()].filter((type) => !(type in options.versions!));
    if (undeclared.length > 0) throw new UpcasterDefinitionError(`Upcasters for types not declared in versions: ${undeclared.join(', ')}`);
  }
  return registryOf(versions, byType);
}

/**
 * One registry over several services' events, for a store that holds them all (one KurrentDB).
 * Types are global there: a type two registries know at different versions, or upcast both, is
 * refused rather than guessed.
 */
export function combineUpcasters(...registries: readonly UpcasterRegistry[]): UpcasterRegistry {
  const versions = new Map<string, number>();
  const byType = new Map<string, readonly Upcaster[]>();
  for (const registry of registries) {
    for (const [type, version] of registry.versions) {
      const known = versions.get(type);
      if (known !== undefined && known !== version) throw new UpcasterDefinitionError(`${type} is at version ${known} in one registry and ${version} in another`);
      versions.set(type, version);
    }
    for (const [type, steps] of registry.upcasters) {
      if (byType.has(type)) throw new UpcasterDefinitionError(`${type} has upcasters in two registries`);
      byType.set(type, steps);
    }
  }
  return registryOf(versions, byType);
}

/** For a service that has never changed an event's shape: every type at version 1. */
export const NO_UPCASTERS: UpcasterRegistry = defineUpcasters([]);

function registryOf(versions: ReadonlyMap<string, number>, byType: ReadonlyMap<string, readonly Upcaster[]>): UpcasterRegistry {
  const currentVersion = (type: string) => versions.get(type) ?? 1;
  return {
    currentVersion,
    versions,
    upcasters: byType,
    stamp(type, metadata) {
      if (metadata && metadata[SCHEMA_VERSION_KEY] !== undefined) return metadata;
      return { ...metadata, [SCHEMA_VERSION_KEY]: currentVersion(type) };
    },
    upcast<E extends VersionedEvent>(event: E): E {
      const current = versions.get(event.type);
      if (current === undefined) return event;
      const stored: JsonValue | undefined = event.metadata[SCHEMA_VERSION_KEY];
      const version = stored === undefined ? 1 : stored;
      if (version === current) return event;
      if (!isPositiveInteger(version)) {
        throw new EventSchemaVersionError(`${describe(event)} has schema version ${JSON.stringify(stored)}: a version is a whole number from 1`, event.type, stored, current);
      }
      if (version > current) {
        throw new EventSchemaVersionError(
          `${describe(event)} is stored as schema version ${version}, but this code knows ${event.type} only up to version ${current}: it was written by newer code (run that code, or add the upcasters)`,
          event.type,
          version,
          current,
        );
      }
      let data = event.data;
      for (const step of (byType.get(event.type) ?? []).slice(version - 1)) data = step.upcast(data, event.metadata);
      return { ...event, data, metadata: { ...event.metadata, [SCHEMA_VERSION_KEY]: current } };
    },
  };
}

function describe(event: VersionedEvent): string {
  const where = event.streamName !== undefined ? ` in ${event.streamName}${event.revision !== undefined ? `@${event.revision}` : ''}` : '';
  return `Event ${event.type}${event.id ? ` ${event.id}` : ''}${where}`;
}
