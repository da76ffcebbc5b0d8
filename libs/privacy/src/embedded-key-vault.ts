import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InMemoryKeyVault, type StoredSubject } from './memory-key-vault';
import type { KeyVault } from './key-vault';

const FILE = 'subject-keys.json';

/**
 * The embedded run's vault: the keys in memory, written to `<dir>/subject-keys.json` (owner-only)
 * after every change and before the change is used, by rename so a crash leaves the old or the new
 * file, never half of one. One process owns the folder, as the embedded store owns its own.
 */
export class EmbeddedKeyVault extends InMemoryKeyVault {
  override readonly kind: KeyVault['kind'] = 'embedded';

  private constructor(subjects: Map<string, StoredSubject>, file: string) {
    super(subjects, (all) => {
      const next = `${file}.next`;
      writeFileSync(next, JSON.stringify({ version: 1, subjects: Object.fromEntries(all) }), { mode: 0o600 });
      renameSync(next, file);
    });
  }

  static open(dir: string): EmbeddedKeyVault {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(resolve(dir), FILE);
    const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { subjects: Record<string, StoredSubject> }).subjects : {};
    return new EmbeddedKeyVault(new Map(Object.entries(saved)), file);
  }
}
