import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

export interface FieldError {
  /** Path in the payload, e.g. `lines[1].quantity` or `shipTo.country`. */
  readonly field: string;
  readonly message: string;
}

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * Deeper than any contract nests (an order's line discounts are four levels down). The class
 * transformer and validator recurse into every property, known or not: a payload nested thousands
 * of levels deep would overflow the stack and fail as an error instead of as invalid input.
 */
export const MAX_PAYLOAD_DEPTH = 32;

/**
 * Validates a parsed JSON payload against a contract class and names every failing field.
 * Unknown properties are tolerated (upstream platforms add fields); wrong types are not, nor
 * nesting deeper than MAX_PAYLOAD_DEPTH, nor strings a store cannot keep, nor ids that name an
 * object's built-ins.
 */
export function validatePayload<T extends object>(schema: new () => T, payload: unknown): Validated<T> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { ok: false, errors: [{ field: '$', message: 'must be a JSON object' }] };
  }
  const unstorable = unstorableInput(payload, MAX_PAYLOAD_DEPTH);
  if (unstorable) return { ok: false, errors: [unstorable] };
  const instance = plainToInstance(schema, payload, { enableImplicitConversion: false });
  const errors = validateSync(instance, { forbidUnknownValues: true, whitelist: false });
  if (errors.length === 0) return { ok: true, value: instance };
  return { ok: false, errors: errors.flatMap((e) => flatten(e, '')) };
}

function flatten(error: ValidationError, prefix: string): FieldError[] {
  const segment = /^\d+$/.test(error.property) ? `[${error.property}]` : prefix ? `.${error.property}` : error.property;
  const field = `${prefix}${segment}`;
  // class-validator's default messages start with the property name; the field already says it.
  const own = Object.values(error.constraints ?? {}).map((message) => ({
    field,
    message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
  }));
  return [...own, ...(error.children ?? []).flatMap((child) => flatten(child, field))];
}

/**
 * The first thing no store can keep and no validator should walk into: nesting deeper than
 * `limit` (checked without recursion), or a string with a NUL character or an unpaired surrogate
 * (JSON escapes both; PostgreSQL's jsonb refuses them, so an append would fail as an error).
 */
function unstorableInput(value: object, limit: number): FieldError | undefined {
  const pending: [unknown, string, number][] = [[value, '', 1]];
  while (pending.length > 0) {
    const [v, path, depth] = pending.pop()!;
    if (typeof v === 'string') {
      if (!isStorableText(v)) return { field: storableText(path) || '$', message: 'must not contain NUL characters or unpaired surrogates' };
      if (RESERVED_KEYS.has(v) && KEY_FIELDS.has(path.slice(path.lastIndexOf('.') + 1))) return { field: path, message: `must not be '${v}': a name JavaScript objects reserve` };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return { field: '$', message: `is nested deeper than ${limit} levels` };
    for (const [key, child] of Object.entries(v)) pending.push([child, Array.isArray(v) ? `${path}[${key}]` : path ? `${path}.${key}` : key, depth + 1]);
  }
  return undefined;
}

/**
 * Fields whose values the services use as keys of their state (stock per sku, units per line,
 * offers per node…). A value JavaScript objects reserve — `__proto__`, `constructor`, `toString` —
 * would read or replace an object's prototype there instead of an entry, so it is refused as an id.
 */
const KEY_FIELDS: ReadonlySet<string> = new Set(['sku', 'lineId', 'nodeId', 'supplierId', 'groupId', 'shipmentId', 'partId', 'returnId', 'poId']);
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', ...Object.getOwnPropertyNames(Object.prototype)]);

function isStorableText(s: string): boolean {
  return storableText(s) === s;
}

/**
 * The text with every NUL character and unpaired surrogate replaced by U+FFFD: what an edge may
 * echo of a bad input (in a rejection it records) without the record failing to be stored.
 */
export function storableText(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const paired = c >= 0xd800 && c <= 0xdbff && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
    if (paired) {
      i++;
      continue;
    }
    if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) {
      out += `${s.slice(from, i)}\ufffd`;
      from = i + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}
