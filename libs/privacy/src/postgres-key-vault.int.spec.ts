import { databaseUrl, dropSchema, uniqueName } from '@oms/testing';
import { PostgresKeyVault } from './postgres-key-vault';
import { keyVaultContract } from './testing/key-vault.contract';

const schema = uniqueName('vault').replace(/[^a-z0-9_]/g, '_');
afterAll(() => dropSchema(schema));

keyVaultContract(
  'PostgreSQL',
  () => PostgresKeyVault.open({ connectionString: databaseUrl(), schema }),
  async (vault) => {
    await vault.close();
    return PostgresKeyVault.open({ connectionString: databaseUrl(), schema });
  },
);

describe('PostgreSQL key vault', () => {
  it('lets several services open one schema at once', async () => {
    const shared = uniqueName('vault_many').replace(/[^a-z0-9_]/g, '_');
    try {
      const vaults = await Promise.all(Array.from({ length: 4 }, () => PostgresKeyVault.open({ connectionString: databaseUrl(), schema: shared })));
      const subject = '6f1e2d3c-4b5a-5968-8776-655443322110';
      const [first, ...others] = vaults;
      const key = await first!.keyFor(subject);
      for (const other of others) expect((await other.keyFor(subject)).equals(key)).toBe(true);
      await others[0]!.erase(subject, new Date());
      expect((await first!.lookup(subject)).status).toBe('erased');
      await Promise.all(vaults.map((v) => v.close()));
    } finally {
      await dropSchema(shared);
    }
  });
});
