import type { JsonObject } from '../port';
import { combineUpcasters, defineUpcasters, EventSchemaVersionError, NO_UPCASTERS, SCHEMA_VERSION_KEY, UpcasterDefinitionError, type Upcaster } from './upcasters';

/*
 * A cart's `ItemAdded` went through three shapes: v1 `{ sku, cents }`, v2 `{ sku, price: { amount } }`,
 * v3 `{ sku, price: { amount, currency } }` (carts were all in euros before v3).
 */
const v1ToV2: Upcaster = { type: 'ItemAdded', fromVersion: 1, upcast: ({ sku, cents }) => ({ sku: sku!, price: { amount: cents! } }) };
const v2ToV3: Upcaster = { type: 'ItemAdded', fromVersion: 2, upcast: (data) => ({ ...data, price: { ...(data['price'] as JsonObject), currency: 'EUR' } }) };

const stored = (type: string, data: JsonObject, version?: unknown) => ({
  id: 'e-1',
  type,
  data,
  metadata: { causationId: 'm-1', ...(version === undefined ? {} : { [SCHEMA_VERSION_KEY]: version }) } as JsonObject,
  streamName: 'cart-1',
  revision: 3,
});

describe('defineUpcasters', () => {
  const registry = defineUpcasters([v2ToV3, v1ToV2]);

  it('chains v1 → v2 → v3 whatever order the upcasters are given in, and says which version it now is', () => {
    const read = registry.upcast(stored('ItemAdded', { sku: 'MUG', cents: 1200 }));
    expect(read.data).toEqual({ sku: 'MUG', price: { amount: 1200, currency: 'EUR' } });
    expect(read.metadata).toEqual({ causationId: 'm-1', schemaVersion: 3 });
    expect(read).toMatchObject({ id: 'e-1', streamName: 'cart-1', revision: 3 });
  });

  it('starts from the version stored: a v2 event takes only the last step', () => {
    expect(registry.upcast(stored('ItemAdded', { sku: 'MUG', price: { amount: 900 } }, 2)).data).toEqual({ sku: 'MUG', price: { amount: 900, currency: 'EUR' } });
  });

  it('reads an event without a version as version 1 (stored before versions were written)', () => {
    expect(registry.upcast(stored('ItemAdded', { sku: 'MUG', cents: 5 })).data).toEqual({ sku: 'MUG', price: { amount: 5, currency: 'EUR' } });
  });

  it('gives back the very event when it is current, and leaves the stored one as it was', () => {
    const current = stored('ItemAdded', { sku: 'MUG', price: { amount: 1, currency: 'USD' } }, 3);
    expect(registry.upcast(current)).toBe(current);
    const old = stored('ItemAdded', Object.freeze({ sku: 'MUG', cents: 7 }));
    registry.upcast(old);
    expect(old.data).toEqual({ sku: 'MUG', cents: 7 });
    expect(old.metadata).toEqual({ causationId: 'm-1' });
  });

  it('passes a type it does not know through untouched, whatever version it says', () => {
    const unknown = stored('CartOpened', { by: 'x' }, 7);
    expect(registry.upcast(unknown)).toBe(unknown);
    expect(registry.currentVersion('CartOpened')).toBe(1);
  });

  it('refuses an event newer than this code knows, naming it, its stream and the versions', () => {
    expect(() => registry.upcast(stored('ItemAdded', { sku: 'MUG' }, 4))).toThrow(EventSchemaVersionError);
    expect(() => registry.upcast(stored('ItemAdded', { sku: 'MUG' }, 4))).toThrow(
      'Event ItemAdded e-1 in cart-1@3 is stored as schema version 4, but this code knows ItemAdded only up to version 3',
    );
  });

  it('refuses a version that is not a whole number from 1', () => {
    for (const bad of ['2', 0, 1.5, null]) expect(() => registry.upcast(stored('ItemAdded', { sku: 'MUG' }, bad))).toThrow(EventSchemaVersionError);
  });

  it('writes the current version of a type (1 for one without upcasters), unless the event already names one', () => {
    expect(registry.currentVersion('ItemAdded')).toBe(3);
    expect(registry.stamp('ItemAdded', { causationId: 'm' })).toEqual({ causationId: 'm', schemaVersion: 3 });
    expect(registry.stamp('CartOpened', undefined)).toEqual({ schemaVersion: 1 });
    expect(registry.stamp('ItemAdded', { schemaVersion: 1 })).toEqual({ schemaVersion: 1 });
    expect(NO_UPCASTERS.stamp('Anything', {})).toEqual({ schemaVersion: 1 });
  });

  describe('is checked when defined', () => {
    it('refuses a gap in the versions', () => {
      expect(() => defineUpcasters([v2ToV3])).toThrow(new UpcasterDefinitionError('Upcasters of ItemAdded have a gap: none from version 1 to 2, yet one from 2'));
      expect(() => defineUpcasters([v1ToV2, { ...v2ToV3, fromVersion: 3 }])).toThrow(UpcasterDefinitionError);
    });

    it('refuses two upcasters from the same version, and versions that are not whole numbers from 1', () => {
      expect(() => defineUpcasters([v1ToV2, { ...v1ToV2 }])).toThrow('Two upcasters of ItemAdded from version 1');
      expect(() => defineUpcasters([{ ...v1ToV2, fromVersion: 0 }])).toThrow(UpcasterDefinitionError);
    });

    it('holds declared versions to the upcasters: a raised version needs its upcaster, an upcaster its version', () => {
      expect(defineUpcasters([v1ToV2], { versions: { ItemAdded: 2, CartOpened: 1 } }).versions).toEqual(new Map([['ItemAdded', 2], ['CartOpened', 1]]));
      expect(() => defineUpcasters([v1ToV2], { versions: { ItemAdded: 3 } })).toThrow('ItemAdded is declared at version 3 but upcasters reach only 2: add the upcaster from version 2 to 3');
      expect(() => defineUpcasters([], { versions: { CartOpened: 2 } })).toThrow(UpcasterDefinitionError);
      expect(() => defineUpcasters([v1ToV2, v2ToV3], { versions: { ItemAdded: 2 } })).toThrow('ItemAdded is declared at version 2 but has upcasters up to version 3: declare 3');
      expect(() => defineUpcasters([v1ToV2], { versions: { CartOpened: 1 } })).toThrow('Upcasters for types not declared in versions: ItemAdded');
    });
  });

  it('hands each upcaster the stored metadata', () => {
    const seen: JsonObject[] = [];
    const withMeta = defineUpcasters([{ type: 'ItemAdded', fromVersion: 1, upcast: (data, metadata) => (seen.push(metadata), data) }]);
    withMeta.upcast(stored('ItemAdded', { sku: 'MUG' }));
    expect(seen).toEqual([{ causationId: 'm-1' }]);
  });
});

describe('combineUpcasters', () => {
  it('knows every type of the registries it combines', () => {
    const combined = combineUpcasters(defineUpcasters([v1ToV2, v2ToV3]), defineUpcasters([], { versions: { OrderPlaced: 1 } }));
    expect(combined.currentVersion('ItemAdded')).toBe(3);
    expect(combined.versions.get('OrderPlaced')).toBe(1);
    expect(combined.upcast(stored('ItemAdded', { sku: 'MUG', cents: 1 })).data).toEqual({ sku: 'MUG', price: { amount: 1, currency: 'EUR' } });
  });

  it('refuses a type two registries know differently, rather than guess whose it is', () => {
    expect(() => combineUpcasters(defineUpcasters([v1ToV2]), defineUpcasters([], { versions: { ItemAdded: 1 } }))).toThrow(UpcasterDefinitionError);
    expect(() => combineUpcasters(defineUpcasters([v1ToV2]), defineUpcasters([v1ToV2]))).toThrow('ItemAdded has upcasters in two registries');
  });
});
