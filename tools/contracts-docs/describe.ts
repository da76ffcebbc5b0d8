import type { Schema } from './class-schemas';

/**
 * Hand-described schemas, for payloads the contracts give only as TypeScript types (or not at all).
 * `described<T>()` takes one schema per property of T, split into required and optional exactly as
 * T declares them: a property added to T, removed from it, or made optional fails `tsc` here, so a
 * hand description cannot drift silently from the type it describes. Nested values may be described
 * loosely; the top level of every payload is checked.
 */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T] & string;
type OptionalKeys<T> = Exclude<keyof T & string, RequiredKeys<T>>;

export interface DescribedFields<T> {
  readonly required: { readonly [K in RequiredKeys<T>]: Schema };
  readonly optional: { readonly [K in OptionalKeys<T>]: Schema };
}

export const described =
  <T>() =>
  (fields: DescribedFields<T>, description?: string): Schema =>
    object(fields.required, fields.optional, description);

/** An object schema: every property of `required` must be present. Unknown properties are allowed. */
export function object(required: Readonly<Record<string, Schema>>, optional: Readonly<Record<string, Schema>> = {}, description?: string): Schema {
  const names = Object.keys(required);
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties: { ...required, ...optional },
    ...(names.length > 0 ? { required: names } : {}),
  };
}

const withDescription = (schema: Schema, description?: string): Schema => (description ? { ...schema, description } : schema);

export const string = (description?: string): Schema => withDescription({ type: 'string' }, description);
export const uuid = (description?: string): Schema => withDescription({ type: 'string', format: 'uuid' }, description);
export const dateTime = (description?: string): Schema => withDescription({ type: 'string', format: 'date-time' }, description);
export const integer = (description?: string): Schema => withDescription({ type: 'integer' }, description);
export const number = (description?: string): Schema => withDescription({ type: 'number' }, description);
export const boolean = (description?: string): Schema => withDescription({ type: 'boolean' }, description);
export const oneOf = (values: readonly string[], description?: string): Schema => withDescription({ type: 'string', enum: [...values] }, description);
export const arrayOf = (items: Schema, description?: string): Schema => withDescription({ type: 'array', items }, description);
export const mapOf = (values: Schema, description?: string): Schema => withDescription({ type: 'object', additionalProperties: values }, description);
/** Integer minor units of the message's currency. */
export const minor = (description?: string): Schema => integer(description ? `${description} (minor units)` : 'minor units');
export const currency = (): Schema => ({ type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency code' });
export const looseObject = (description: string): Schema => ({ type: 'object', description });
export const nullable = (schema: Schema): Schema => ({ oneOf: [schema, { type: 'null' }] });

/** Marks a component schema as hand-described, naming the type `tsc` checks it against. */
export const handDescribed = (schema: Schema, checkedAgainst: string): Schema => ({
  ...schema,
  'x-schema-source': `hand-described in tools/contracts-docs; property names checked by tsc against ${checkedAgainst}`,
});
