import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedKeyVault } from './embedded-key-vault';
import { InMemoryKeyVault } from './memory-key-vault';
import { keyVaultContract } from './testing/key-vault.contract';

const dir = mkdtempSync(join(tmpdir(), 'key-vault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

keyVaultContract('in-memory', async () => new InMemoryKeyVault());
keyVaultContract(
  'embedded',
  async () => EmbeddedKeyVault.open(dir),
  async (vault) => {
    await vault.close();
    return EmbeddedKeyVault.open(dir);
  },
);

describe('embedded key vault file', () => {
  it('is readable by its owner only and holds no key of an erased subject', async () => {
    const own = mkdtempSync(join(tmpdir(), 'key-vault-file-'));
    try {
      const vault = EmbeddedKeyVault.open(own);
      const subject = '0d4f7a8e-1111-5222-8333-944455556666';
      const key = await vault.keyFor(subject);
      const file = join(own, 'subject-keys.json');
      expect(statSync(file).mode & 0o077).toBe(0);
      expect(readFileSync(file, 'utf8')).toContain(key.toString('base64'));
      await vault.erase(subject, new Date());
      expect(readFileSync(file, 'utf8')).not.toContain(key.toString('base64'));
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
