import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

export interface FieldError {
  /** Path in the payload, e.g. `lines[1].quantity` or `shipTo.country`. */
  readonly field: string;
  readonly message: string;
}

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * Validates a parsed JSON payload against a contract class and names every failing field.
 * Unknown properties are tolerated (upstream platforms add fields); wrong types are not.
 */
export function validatePayload<T extends object>(schema: new () => T, payload: unknown): Validated<T> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { ok: false, errors: [{ field: '$', message: 'must be a JSON object' }] };
  }
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
