import * as contracts from '@oms/contracts';
import { validatePayload } from '@oms/contracts';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as finance from '../../apps/finance-reconciler/src/app/api/finance.dto';
import * as privacy from '../../apps/order-intake/src/app/api/privacy.dto';
import * as admin from '../../apps/supplier-gateway/src/app/api/admin.dto';
import * as supplierApi from '../../apps/supplier-gateway/src/app/api/supplier-api.dto';
import { mutant, nearValid, RawToken, toJsonText, type Schemas } from './schema-mutants';

const openapi = parse(readFileSync(join(__dirname, '../../docs/api/openapi.yaml'), 'utf8')) as { components: { schemas: Schemas } };
const schemas = openapi.components.schemas;
const classes = new Map<string, new () => object>(
  [contracts, finance, privacy, admin, supplierApi].flatMap((m) => Object.entries(m).filter((e): e is [string, new () => object] => typeof e[1] === 'function')),
);
const validated = Object.entries(schemas).flatMap(([name, schema]) => {
  const source = (schema as { 'x-schema-source'?: string })['x-schema-source'] ?? '';
  const cls = classes.get(name);
  return source.startsWith('class-validator') && cls ? [[name, cls] as const] : [];
});

describe('schema mutants (the fuzz test’s bad bodies)', () => {
  it('finds the class behind every class-validator schema', () => {
    expect(validated.length).toBeGreaterThan(30);
  });

  it.each(validated)('every mutant of %s is refused by the class the services validate with', (name, cls) => {
    const accepted: string[] = [];
    fc.assert(
      fc.property(mutant(schemas[name]!, schemas), (m) => {
        // Through the wire: raw tokens become what JSON.parse makes of them.
        const result = validatePayload(cls, JSON.parse(toJsonText(m.value)));
        if (result.ok) accepted.push(`${m.what}: ${toJsonText(m.value).slice(0, 300)}`);
        return !result.ok;
      }),
      { seed: 11, numRuns: 150 },
    );
    expect(accepted).toEqual([]);
  });

  it('writes raw tokens into the JSON text as they are', () => {
    expect(toJsonText({ amount: new RawToken('1e400'), n: [new RawToken('NaN')] })).toBe('{"amount":1e400,"n":[NaN]}');
  });

  it('makes near-valid values that are mostly valid (so a mutant is refused for its mutation)', () => {
    const values = fc.sample(nearValid(schemas['ShipmentDto']!, schemas), { seed: 3, numRuns: 50 });
    const valid = values.filter((v) => validatePayload(supplierApi.ShipmentDto, v).ok);
    expect(valid.length).toBeGreaterThan(25);
  });
});
