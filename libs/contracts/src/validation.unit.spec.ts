import { IsString } from 'class-validator';
import { MAX_PAYLOAD_DEPTH, storableText, validatePayload } from './validation';

class Named {
  @IsString()
  name!: string;
}

const nested = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

describe('validatePayload', () => {
  it('names every failing field', () => {
    expect(validatePayload(Named, { name: 7 })).toEqual({ ok: false, errors: [{ field: 'name', message: 'must be a string' }] });
  });

  it('refuses a payload nested thousands of levels deep as invalid input, instead of overflowing the stack', () => {
    // The fuzz test's bodies and records: a JSON parser reads them, the class transformer would not.
    const deep = { name: 'x', extra: nested(50_000) };
    expect(validatePayload(Named, deep)).toEqual({ ok: false, errors: [{ field: '$', message: `is nested deeper than ${MAX_PAYLOAD_DEPTH} levels` }] });
  });

  it('refuses strings no store can keep: NUL characters and unpaired surrogates (JSON escapes both)', () => {
    const parsed = (json: string) => validatePayload(Named, JSON.parse(json));
    expect(parsed('{"name":"a\\u0000b"}')).toEqual({ ok: false, errors: [{ field: 'name', message: 'must not contain NUL characters or unpaired surrogates' }] });
    expect(parsed('{"name":"x","lines":[{"sku":"\\ud800"}]}')).toEqual({ ok: false, errors: [{ field: 'lines[0].sku', message: 'must not contain NUL characters or unpaired surrogates' }] });
    expect(parsed('{"name":"x","note":"\\udc00 alone"}').ok).toBe(false);
    expect(parsed('{"name":"emoji 😀 and accents é"}').ok).toBe(true);
  });

  it('makes text storable by replacing NUL characters and unpaired surrogates, and leaves other text as it is', () => {
    expect(storableText('a\u0000b\ud800c\udc00')).toBe('a\ufffdb\ufffdc\ufffd');
    expect(storableText('😀 é')).toBe('😀 é');
  });

  it("refuses ids that name an object's built-ins, which would read or replace a prototype where the services key state by them", () => {
    const parsed = (json: string) => validatePayload(Named, JSON.parse(json));
    expect(parsed('{"name":"x","lines":[{"lineId":"1","sku":"constructor"}]}')).toEqual({ ok: false, errors: [{ field: 'lines[0].sku', message: "must not be 'constructor': a name JavaScript objects reserve" }] });
    expect(parsed('{"name":"x","nodeId":"__proto__"}').ok).toBe(false);
    expect(parsed('{"name":"x","supplierId":"toString"}').ok).toBe(false);
    // Only as an id: a product may be called "constructor", and an id may merely contain the word.
    expect(parsed('{"name":"constructor","sku":"constructor-kit","note":"__proto__"}').ok).toBe(true);
  });

  it('takes nesting up to the limit', () => {
    expect(validatePayload(Named, { name: 'x', extra: nested(MAX_PAYLOAD_DEPTH - 1) }).ok).toBe(true);
    expect(validatePayload(Named, { name: 'x', extra: nested(MAX_PAYLOAD_DEPTH) }).ok).toBe(false);
  });
});
