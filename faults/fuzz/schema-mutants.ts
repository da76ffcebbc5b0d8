import fc from 'fast-check';

/** The subset of JSON Schema that `docs/api/*.yaml` uses for bodies and payloads. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: JsonSchema | boolean;
  readonly items?: JsonSchema;
  readonly allOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly 'x-unique'?: string;
}

export type Schemas = Readonly<Record<string, JsonSchema>>;

/**
 * A JSON token JSON.stringify cannot write (`1e400` reads as Infinity, `NaN` is not JSON at all):
 * `toJsonText` puts it in the text as is.
 */
export class RawToken {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold raw tokens. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawToken) {
      raws.push(v.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  });
  return (text ?? 'null').replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)]!);
}

/** Follows `$ref`s and merges `allOf` (properties and required lists); `oneOf` is left to the caller. */
export function resolve(schema: JsonSchema, schemas: Schemas): JsonSchema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = schemas[name];
    if (!target) throw new Error(`No schema ${name}`);
    return resolve(target, schemas);
  }
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map((s) => resolve(s, schemas));
  const properties: Record<string, JsonSchema> = {};
  const required = new Set<string>();
  for (const part of parts) {
    for (const [k, v] of Object.entries(part.properties ?? {})) properties[k] = properties[k] ? { ...properties[k], ...v } : v;
    for (const r of part.required ?? []) required.add(r);
  }
  return { type: 'object', properties, required: [...required] };
}

/** The branches of a schema: its `oneOf` alternatives, or itself. */
export function branches(schema: JsonSchema, schemas: Schemas): JsonSchema[] {
  const resolved = resolve(schema, schemas);
  return resolved.oneOf ? resolved.oneOf.flatMap((b) => branches(b, schemas)) : [resolved];
}

const DATE = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

/**
 * A value close to valid for the schema: every required property, some optional ones, strings of
 * the right shape. It need not be valid (a random currency is rarely ISO 4217): it is the ground a
 * mutation makes certainly invalid.
 */
export function nearValid(schema: JsonSchema, schemas: Schemas, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, schemas);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.oneOf) return fc.oneof(...branches(s, schemas).map((b) => nearValid(b, schemas, depth)));
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type ?? (s.properties ? 'object' : undefined)) {
    case 'string':
      return stringFor(s);
    case 'integer':
      return fc.integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 100_000, (s.minimum ?? 0) + 100_000) });
    case 'number':
      return fc.double({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 1_000, (s.minimum ?? 0) + 1_000), noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(s.items && depth < 6 ? nearValid(s.items, schemas, depth + 1) : fc.string(), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)) });
    case 'object': {
      if (!s.properties || depth >= 6) {
        const values = typeof s.additionalProperties === 'object' ? nearValid(s.additionalProperties, schemas, depth + 1) : fc.string();
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), values, { maxKeys: 3 });
      }
      const model = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, nearValid(v, schemas, depth + 1)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in model) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === 'date-time') return DATE;
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'email') return fc.emailAddress();
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 30, Math.max(min, 30));
  if (s.pattern) {
    const re = new RegExp(s.pattern);
    const fits = (v: string) => v.length >= min && v.length <= (s.maxLength ?? Infinity);
    try {
      return fc.stringMatching(re).filter(fits);
    } catch {
      // fast-check cannot generate from every regex (lookaheads): draw plain strings the pattern takes.
      return fc.string({ minLength: Math.max(1, min), maxLength: max }).filter((v) => fits(v) && re.test(v));
    }
  }
  return fc.string({ minLength: min, maxLength: max });
}

/** One change that makes a value certainly invalid for its schema, and what it did. */
interface Mutation {
  readonly what: string;
  /** The replacement value; `DELETE` removes the property. */
  readonly value: unknown;
}
const DELETE = Symbol('delete');

/** Strings that fail a pattern, a format or a length: the first that really fails is used. */
const BAD_STRINGS = ['', ' ', 'not valid', '../../etc/passwd', '💥💥', '\u0000', 'ZZZ-999', '<script>', "' OR 1=1 --", 'a'.repeat(400)];

/** Invalid replacements for a value of this schema (never null for an optional property: absent is valid). */
function badValues(s: JsonSchema, required: boolean, sample: unknown): Mutation[] {
  const out: Mutation[] = [];
  const type = s.type ?? (s.properties ? 'object' : s.enum || s.const !== undefined ? 'string' : undefined);
  if (required) out.push({ what: 'missing', value: DELETE }, { what: 'null', value: null });
  switch (type) {
    case 'string': {
      out.push({ what: 'number for string', value: 42 }, { what: 'boolean for string', value: true }, { what: 'object for string', value: { $gt: '' } }, { what: 'array for string', value: ['x'] });
      if (s.enum || s.const !== undefined) out.push({ what: 'not in enum', value: `not-${String(s.enum?.[0] ?? s.const)}` });
      if (s.maxLength !== undefined) out.push({ what: 'too long', value: 'x'.repeat(s.maxLength + 1) });
      if ((s.minLength ?? 0) >= 1) out.push({ what: 'empty', value: '' });
      if (s.format === 'date-time') out.push({ what: 'bad date', value: 'yesterday' }, { what: 'impossible date', value: '2024-02-30T25:61:00Z' });
      if (s.format === 'uuid') out.push({ what: 'bad uuid', value: 'not-a-uuid' }, { what: 'uuid-ish', value: '123e4567-e89b-12d3-a456-42661417400' });
      if (s.format === 'email') out.push({ what: 'bad email', value: 'not an email' });
      if (s.pattern) {
        const re = new RegExp(s.pattern);
        const bad = BAD_STRINGS.find((b) => !re.test(b) && (s.maxLength === undefined || b.length <= s.maxLength));
        if (bad !== undefined) out.push({ what: 'pattern', value: bad });
      }
      break;
    }
    case 'integer':
    case 'number': {
      out.push({ what: 'string for number', value: '7' }, { what: 'NaN string', value: 'NaN' }, { what: 'boolean for number', value: false }, { what: 'object for number', value: { amount: 1 } }, { what: 'Infinity', value: new RawToken('1e400') });
      if (type === 'integer') out.push({ what: 'float', value: 10.5 }, { what: 'tiny float', value: 0.0001 });
      if (s.minimum !== undefined) out.push({ what: 'below minimum', value: s.minimum - (type === 'integer' ? 1 : 0.5) }, { what: 'very negative', value: -9_007_199_254_740_991 });
      if (s.maximum !== undefined) out.push({ what: 'above maximum', value: s.maximum + 1 }, { what: 'huge', value: 1e300 });
      break;
    }
    case 'boolean':
      out.push({ what: 'string for boolean', value: 'true' }, { what: 'number for boolean', value: 1 });
      break;
    case 'array': {
      out.push({ what: 'object for array', value: { 0: 'x' } }, { what: 'string for array', value: 'all of them' }, { what: 'number for array', value: 3 });
      if ((s.minItems ?? 0) >= 1) out.push({ what: 'empty array', value: [] });
      if (Array.isArray(sample) && sample.length > 0) {
        if (s.maxItems !== undefined && s.maxItems <= 600) out.push({ what: 'too many items', value: Array.from({ length: s.maxItems + 1 }, () => sample[0]) });
        if (s['x-unique']) out.push({ what: 'duplicate items', value: [sample[0], sample[0], ...sample.slice(1)] });
      }
      if (s.items) out.push({ what: 'bad items', value: [42, 'x', null] });
      break;
    }
    case 'object':
      if (s.properties && Object.keys(s.properties).length > 0) out.push({ what: 'string for object', value: 'x' }, { what: 'number for object', value: 12 }, { what: 'boolean for object', value: true });
      break;
    default:
      break;
  }
  return out;
}

/** Every place in the value a mutation can go: a property the schema knows, at any depth. */
interface Site {
  readonly path: readonly (string | number)[];
  readonly schema: JsonSchema;
  readonly required: boolean;
  readonly sample: unknown;
}

function sites(value: unknown, schema: JsonSchema, schemas: Schemas, path: readonly (string | number)[] = []): Site[] {
  const s = resolve(schema, schemas);
  if (s.oneOf) {
    const branch = branches(s, schemas).find((b) => b.properties && value !== null && typeof value === 'object' && matchesConst(b, value as Record<string, unknown>, schemas));
    return branch ? sites(value, branch, schemas, path) : [];
  }
  const out: Site[] = [];
  if (s.properties && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    // Properties an `anyOf` names are checked only in some cases (`@ValidateIf`): no certain mutation.
    const conditional = new Set((s.anyOf ?? []).flatMap((a) => a.required ?? []));
    for (const [key, child] of Object.entries(s.properties)) {
      if (conditional.has(key)) continue;
      const required = (s.required ?? []).includes(key);
      if (!(key in record) && !required) continue;
      const resolved = resolve(child, schemas);
      out.push({ path: [...path, key], schema: resolved, required, sample: record[key] });
      if (key in record) out.push(...sites(record[key], resolved, schemas, [...path, key]));
    }
  }
  if (s.items && Array.isArray(value) && value.length > 0) out.push(...sites(value[0], s.items, schemas, [...path, 0]));
  return out;
}

function matchesConst(branch: JsonSchema, value: Record<string, unknown>, schemas: Schemas): boolean {
  const b = resolve(branch, schemas);
  return Object.entries(b.properties ?? {}).every(([k, p]) => {
    const c = resolve(p, schemas).const;
    return c === undefined || value[k] === c;
  });
}

function setAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? setAt(v, rest, replacement) : v));
  const record = { ...(value as Record<string, unknown>) };
  const next = setAt(record[head as string], rest, replacement);
  if (next === DELETE) delete record[head as string];
  else record[head as string] = next;
  return record;
}

export interface Mutant {
  readonly value: unknown;
  /** e.g. `lines[0].quantity: float`. */
  readonly what: string;
}

/**
 * A near-valid value with exactly one certain violation of the schema: a required property
 * missing or null, a wrong type, a number out of bounds or not an integer, a string too long or
 * off its pattern, an empty or oversized array, duplicate ids where they must be unique.
 */
export function mutant(schema: JsonSchema, schemas: Schemas): fc.Arbitrary<Mutant> {
  return nearValid(schema, schemas).chain((base) => {
    const options = sites(base, schema, schemas).flatMap((site) => badValues(site.schema, site.required, site.sample).map((m) => ({ site, m })));
    if (options.length === 0) return fc.constant({ value: 'not an object', what: '$: string for object' });
    return fc.constantFrom(...options).map(({ site, m }) => ({ value: setAt(base, site.path, m.value), what: `${site.path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.')}: ${m.what}` }));
  });
}
