import { createHash } from 'node:crypto';

/**
 * Decisions the simulator makes about a thing (a PO, an order, a line) are a pure function of the
 * run's seed and the thing's id: a restarted simulation decides the same again, so nothing is done
 * twice differently and a scenario can be replayed.
 */
export function unitInterval(seed: string, ...parts: readonly string[]): number {
  const digest = createHash('sha256').update([seed, ...parts].join('\u0000')).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}

export function chance(share: number, seed: string, ...parts: readonly string[]): boolean {
  return share > 0 && unitInterval(seed, ...parts) < share;
}

export function pick<T>(items: readonly T[], seed: string, ...parts: readonly string[]): T {
  if (items.length === 0) throw new Error('Nothing to pick from');
  return items[Math.floor(unitInterval(seed, ...parts) * items.length)]!;
}

/** An integer in [min, max], inclusive. */
export function between(min: number, max: number, seed: string, ...parts: readonly string[]): number {
  return min + Math.floor(unitInterval(seed, ...parts) * (max - min + 1));
}
