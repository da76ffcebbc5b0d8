import { randomUUID } from 'node:crypto';
import { SubjectErasedError, type KeyVault } from '../key-vault';

/** What every key vault must do; run against each implementation (in-memory, embedded, PostgreSQL). */
export function keyVaultContract(name: string, open: () => Promise<KeyVault>, reopen?: (vault: KeyVault) => Promise<KeyVault>): void {
  describe(`${name} key vault`, () => {
    let vault: KeyVault;
    beforeAll(async () => {
      vault = await open();
    });
    afterAll(async () => {
      await vault.close();
    });

    it('creates a subject key on first use and gives the same key after', async () => {
      const subject = randomUUID();
      expect(await vault.lookup(subject)).toEqual({ status: 'unknown' });
      const key = await vault.keyFor(subject);
      expect(key).toHaveLength(32);
      expect((await vault.keyFor(subject)).equals(key)).toBe(true);
      const found = await vault.lookup(subject);
      expect(found.status).toBe('active');
      expect(found.status === 'active' && found.key.equals(key)).toBe(true);
      expect((await vault.keyFor(randomUUID())).equals(key)).toBe(false);
    });

    it('gives concurrent first uses of one subject one key', async () => {
      const subject = randomUUID();
      const keys = await Promise.all(Array.from({ length: 8 }, () => vault.keyFor(subject)));
      expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(1);
    });

    it('erases a key for good: no lookup finds it and no first use makes a new one', async () => {
      const subject = randomUUID();
      await vault.keyFor(subject);
      const at = new Date('2026-12-01T10:00:00.000Z');
      expect(await vault.erase(subject, at)).toEqual({ subjectId: subject, erasedAt: at.toISOString(), alreadyErased: false });
      expect(await vault.lookup(subject)).toEqual({ status: 'erased', erasedAt: at.toISOString() });
      await expect(vault.keyFor(subject)).rejects.toThrow(SubjectErasedError);
      // Again: nothing changes, and the first erasure's time stands.
      expect(await vault.erase(subject, new Date('2026-12-02T10:00:00.000Z'))).toEqual({ subjectId: subject, erasedAt: at.toISOString(), alreadyErased: true });
    });

    it('keeps a subject erased before it ever had a key from getting one', async () => {
      const subject = randomUUID();
      await vault.erase(subject, new Date('2026-12-01T10:00:00.000Z'));
      await expect(vault.keyFor(subject)).rejects.toThrow(SubjectErasedError);
      expect((await vault.lookup(subject)).status).toBe('erased');
    });

    it('refuses a subject id that is not a UUID', async () => {
      await expect(vault.keyFor("x'; DROP TABLE subject_keys; --")).rejects.toThrow(/UUID/);
    });

    if (reopen) {
      it('keeps keys and erasures across a restart', async () => {
        const kept = randomUUID();
        const erased = randomUUID();
        const key = await vault.keyFor(kept);
        await vault.keyFor(erased);
        await vault.erase(erased, new Date('2026-12-01T10:00:00.000Z'));
        vault = await reopen(vault);
        expect((await vault.keyFor(kept)).equals(key)).toBe(true);
        expect((await vault.lookup(erased)).status).toBe('erased');
      });
    }
  });
}
