import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads environment variables into a validated settings object. Every bad or missing variable is
 * named in one error, so an operator fixes them all at once instead of one per restart.
 */
export function loadEnv<T extends object>(
  schema: new () => T,
  env: Readonly<Record<string, string | undefined>> = process.env,
): T {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const settings = plainToInstance(schema, present, { exposeDefaultValues: true, enableImplicitConversion: false });
  const errors = validateSync(settings, { whitelist: false, forbidUnknownValues: false, stopAtFirstError: true });
  if (errors.length > 0) throw new ConfigurationError(errors.flatMap(describe));
  return settings;
}

function describe(error: ValidationError): string[] {
  const given = error.value === undefined ? 'not set' : `got "${redact(error.property, error.value)}"`;
  return Object.values(error.constraints ?? {}).map((message) => `${error.property}: ${message} (${given})`);
}

function redact(name: string, value: unknown): string {
  if (/PASSWORD|SECRET|TOKEN|KEY/i.test(name)) return '***';
  return String(value)
    .replace(/(\/\/[^:/@\s]+):.*@(?=[^@]*$)/, '$1:***@') // user:password@ — up to the last @
    .replace(/(password\s*=\s*)\S+/gi, '$1***'); // libpq key=value form
}
