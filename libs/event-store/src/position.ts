import type { Position } from './port';

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** `"<commit>/<prepare>"`, a stable text form for logs, headers and JSON. */
export function formatPosition(p: Position): string {
  return `${p.commit}/${p.prepare}`;
}

export function parsePosition(text: string): Position {
  const match = /^(-?\d+)\/(-?\d+)$/.exec(text.trim());
  if (!match) throw new Error(`Invalid position "${text}": expected "<commit>/<prepare>"`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}
