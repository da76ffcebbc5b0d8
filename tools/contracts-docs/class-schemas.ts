import 'reflect-metadata';
import { createRequire } from 'node:module';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { ARRAY_UNIQUE, getMetadataStorage, IS_DATE_STRING, IS_INT, IS_ISO31661_ALPHA_2, IS_ISO4217_CURRENCY_CODE, IS_ISO8601, IS_NUMBER, IS_URL, MAX, MIN } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** A JSON Schema (draft-07 / 2020-12 subset: both AsyncAPI and OpenAPI 3.1 read it). */
export type Schema = { readonly [keyword: string]: unknown };
export type SchemaClass = new () => object;
type AnyClass = abstract new (...args: never[]) => unknown;

export const SCHEMA_REF_PREFIX = '#/components/schemas/';
export const ref = (name: string): Schema => ({ $ref: `${SCHEMA_REF_PREFIX}${name}` });

/**
 * class-validator's own checks turned into JSON Schema keywords where the library's defaults say
 * less or other than the validator does: integers stay integers under `@Min`/`@Max`, ISO codes get
 * their shape, and `@ArrayUnique(selector)` (unique by a key, not by whole item) says which key.
 */
const converters: Record<string, (meta: ValidationMetadata) => Schema> = {
  [IS_INT]: () => ({ type: 'integer' }),
  [IS_NUMBER]: () => ({ type: 'number' }),
  [MIN]: (meta) => ({ minimum: meta.constraints[0] as number }),
  [MAX]: (meta) => ({ maximum: meta.constraints[0] as number }),
  [IS_ISO8601]: () => ({ type: 'string', format: 'date-time' }),
  [IS_DATE_STRING]: () => ({ type: 'string', format: 'date-time' }),
  [IS_URL]: () => ({ type: 'string', format: 'uri' }),
  [IS_ISO4217_CURRENCY_CODE]: () => ({ type: 'string', pattern: '^[A-Za-z]{3}$', description: 'ISO 4217 currency code' }),
  [IS_ISO31661_ALPHA_2]: () => ({ type: 'string', pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 country code' }),
  // The key a selector picks is hidden in a closure; the validation message names it.
  [ARRAY_UNIQUE]: (meta) => (typeof meta.message === 'string' ? { 'x-unique': meta.message } : { uniqueItems: true }),
};

/**
 * Hand-written additions to class-derived schemas, for what class-validator expresses in code the
 * schema library cannot read (`@ValidateIf`, a union-typed property). Keep this short.
 */
const AMENDMENTS: Readonly<Record<string, { readonly note: string; readonly schema?: Schema; readonly properties?: Readonly<Record<string, Schema>> }>> = {
  ReturnRequestV1: {
    note: 'name the order by orderId, or by channel and externalOrderId (@ValidateIf)',
    schema: { anyOf: [{ required: ['orderId'] }, { required: ['channel', 'externalOrderId'] }] },
  },
  LineRefDto: {
    note: 'lineNumber may be a number or a string (@ValidateIf); a line is named by lineId, lineNumber or sku',
    properties: { lineNumber: { oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string' }] } },
  },
};

// class-transformer keeps its `@Type` metadata in a module it does not type at its runtime path.
const { defaultMetadataStorage } = createRequire(__filename)('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadataStorage };

let cache: Record<string, Schema> | undefined;

/** Every class-validator class loaded so far, as JSON Schema, by class name. */
function allClassSchemas(): Record<string, Schema> {
  cache ??= validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: SCHEMA_REF_PREFIX,
    additionalConverters: converters as unknown as ISchemaConverters,
  }) as Record<string, Schema>;
  return cache;
}

/** Class name → class, for every class with validation metadata; two classes of one name would share a schema name, so that fails. */
function classesByName(): Map<string, AnyClass> {
  const byName = new Map<string, AnyClass>();
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<AnyClass | string, ValidationMetadata[]> };
  for (const target of storage.validationMetadatas.keys()) {
    if (typeof target !== 'function') continue;
    const known = byName.get(target.name);
    if (known && known !== target) throw new Error(`Two schema classes are named ${target.name}: schema names must be unique`);
    byName.set(target.name, target);
  }
  return byName;
}

/**
 * The schemas of these classes and of every class they reach (nested `@Type`s, parents), by name,
 * with `x-schema-source` saying where each came from. A subclass that adds no checks of its own
 * gets its parent's schema under its own name.
 */
export function classSchemas(roots: readonly (SchemaClass | string)[]): Record<string, Schema> {
  const all = allClassSchemas();
  const byName = classesByName();
  const out: Record<string, Schema> = {};
  const visit = (name: string, ctor: AnyClass | undefined = byName.get(name)): void => {
    if (out[name]) return;
    const parents = ancestors(ctor);
    const inheritedFrom = all[name] ? undefined : parents.find((parent) => all[parent.name])?.name;
    const raw = all[name] ?? (inheritedFrom ? all[inheritedFrom] : undefined);
    if (!raw) throw new Error(`No class-validator schema for ${name}`);
    const schema = amend([name, ...parents.map((p) => p.name)], tidy(raw) as Schema);
    out[name] = {
      ...schema,
      'x-schema-source': `class-validator class ${name}${inheritedFrom ? ` (the checks of ${inheritedFrom})` : ''}`,
    };
    for (const reached of refsIn(schema)) visit(reached);
  };
  for (const root of roots) {
    if (typeof root === 'string') visit(root);
    else visit(root.name, root);
  }
  return out;
}

/** The class's parents, nearest first. */
function ancestors(ctor: AnyClass | undefined): AnyClass[] {
  const found: AnyClass[] = [];
  for (let parent = ctor ? (Object.getPrototypeOf(ctor) as AnyClass | null) : null; parent?.name; parent = Object.getPrototypeOf(parent) as AnyClass | null) found.push(parent);
  return found;
}

/** Applies the amendments of the class and of its ancestors (a subclass's schema repeats its parents' properties). */
function amend(names: readonly string[], schema: Schema): Schema {
  const amendments = names.flatMap((n) => (AMENDMENTS[n] ? [AMENDMENTS[n]] : [])).reverse();
  if (amendments.length === 0) return schema;
  let amended = schema;
  for (const amendment of amendments) {
    amended = { ...amended, properties: { ...(amended['properties'] as Record<string, Schema>), ...amendment.properties }, ...amendment.schema };
  }
  return { ...amended, 'x-amended': `hand-described in tools/contracts-docs/class-schemas.ts: ${amendments.map((a) => a.note).join('; ')}` };
}

/** `$ref` stands alone in draft-07 (AsyncAPI): drop the `type: object` the library puts beside it. */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if ('$ref' in (value as object)) return Object.fromEntries(entries.filter(([k]) => k === '$ref' || k === 'description'));
  return Object.fromEntries(entries.map(([k, v]) => [k, tidy(v)]));
}

export function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, found));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF_PREFIX)) found.add(v.slice(SCHEMA_REF_PREFIX.length));
      else refsIn(v, found);
    }
  }
  return found;
}
