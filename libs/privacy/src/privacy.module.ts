import { Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { SERVICE_ENV } from '@oms/platform';
import { resolve, join } from 'node:path';
import { EmbeddedKeyVault } from './embedded-key-vault';
import type { KeyVault } from './key-vault';
import { InMemoryKeyVault } from './memory-key-vault';
import { PersonalData } from './personal-data';
import { PostgresKeyVault } from './postgres-key-vault';
import { keyVaultKind, type PrivacyEnv } from './privacy-env';

export const KEY_VAULT = Symbol('KEY_VAULT');

/**
 * Vaults that live in this process are shared by every service in it — the embedded run's six
 * services are one process, and an erasure by one must hold for all — and closed by the last user.
 */
const shared = new Map<string, { vault: KeyVault; users: number }>();

function sharedVault(id: string, open: () => KeyVault): KeyVault {
  const entry = shared.get(id) ?? { vault: open(), users: 0 };
  entry.users += 1;
  shared.set(id, entry);
  return {
    kind: entry.vault.kind,
    keyFor: (s) => entry.vault.keyFor(s),
    lookup: (s) => entry.vault.lookup(s),
    erase: (s, at) => entry.vault.erase(s, at),
    close: async () => {
      entry.users -= 1;
      if (entry.users === 0 && shared.get(id) === entry) shared.delete(id);
    },
  };
}

/** The key vault a service's configuration names. */
export async function openKeyVault(env: PrivacyEnv): Promise<KeyVault> {
  const kind = keyVaultKind(env);
  switch (kind) {
    case 'postgres':
      return PostgresKeyVault.open({ connectionString: env.PRIVACY_VAULT_URL ?? env.DATABASE_URL!, schema: env.PRIVACY_VAULT_SCHEMA });
    case 'embedded': {
      const dir = resolve(env.PRIVACY_VAULT_DIR ?? join(env.DATA_DIR, 'privacy'));
      return sharedVault(`embedded:${dir}`, () => EmbeddedKeyVault.open(dir));
    }
    case 'memory':
      return sharedVault('memory', () => new InMemoryKeyVault());
    default: {
      const never: never = kind;
      throw new Error(`Unknown PRIVACY_VAULT ${String(never)}`);
    }
  }
}

@Injectable()
class KeyVaultLifecycle implements OnModuleDestroy {
  constructor(@Inject(KEY_VAULT) private readonly vault: KeyVault) {}

  async onModuleDestroy(): Promise<void> {
    await this.vault.close();
  }
}

/** `PersonalData` (and the `KEY_VAULT` under it) for a service whose environment extends `PrivacyEnv`. */
@Module({
  providers: [
    { provide: KEY_VAULT, inject: [SERVICE_ENV], useFactory: (env: PrivacyEnv) => openKeyVault(env) },
    { provide: PersonalData, inject: [KEY_VAULT], useFactory: (vault: KeyVault) => new PersonalData(vault) },
    KeyVaultLifecycle,
  ],
  exports: [KEY_VAULT, PersonalData],
})
export class PrivacyModule {}
