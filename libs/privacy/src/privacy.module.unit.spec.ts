import { loadEnv } from '@oms/platform';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrivacyEnv, keyVaultKind } from './privacy-env';
import { openKeyVault } from './privacy.module';

const SUBJECT = '3c2b1a09-8f7e-5d6c-9b4a-392817161514';
const env = (vars: Record<string, string>) => loadEnv(PrivacyEnv, { MESSAGING_TRANSPORT: 'in-process', ...vars });

describe('the key vault a service is configured with', () => {
  it('goes with the event store unless named, and needs a database for PostgreSQL', () => {
    expect(keyVaultKind(env({ EVENT_STORE: 'embedded' }))).toBe('embedded');
    expect(keyVaultKind(env({ DATABASE_URL: 'postgres://db/oms' }))).toBe('postgres');
    expect(keyVaultKind(env({ EVENT_STORE: 'embedded', PRIVACY_VAULT: 'memory' }))).toBe('memory');
    expect(() => env({ EVENT_STORE: 'kurrentdb', EVENTSTORE_URL: 'kurrentdb://127.0.0.1:2113' })).toThrow(/PRIVACY_VAULT_URL/);
    expect(() => env({ DATABASE_URL: 'postgres://db/oms', PRIVACY_VAULT_URL: 'mysql://x' })).toThrow(/PRIVACY_VAULT_URL/);
    expect(env({ EVENT_STORE: 'kurrentdb', EVENTSTORE_URL: 'kurrentdb://127.0.0.1:2113', PRIVACY_VAULT_URL: 'postgres://kms/keys' }).PRIVACY_VAULT_URL).toBe('postgres://kms/keys');
  });

  it('is one vault for every service of one process: an erasure by one holds for the others', async () => {
    const intake = await openKeyVault(env({ EVENT_STORE: 'embedded', PRIVACY_VAULT: 'memory' }));
    const gateway = await openKeyVault(env({ EVENT_STORE: 'embedded', PRIVACY_VAULT: 'memory' }));
    const key = await intake.keyFor(SUBJECT);
    expect(await gateway.lookup(SUBJECT)).toEqual({ status: 'active', key });
    await intake.erase(SUBJECT, new Date());
    expect((await gateway.lookup(SUBJECT)).status).toBe('erased');
    await intake.close();
    await gateway.close();
  });

  it('keeps the embedded vault in its folder, across restarts of the process’s services', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-module-'));
    try {
      const settings = env({ EVENT_STORE: 'embedded', PRIVACY_VAULT_DIR: dir });
      const first = await openKeyVault(settings);
      const key = await first.keyFor(SUBJECT);
      await first.close();
      const again = await openKeyVault(settings);
      expect(again.kind).toBe('embedded');
      expect((await again.keyFor(SUBJECT)).equals(key)).toBe(true);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
