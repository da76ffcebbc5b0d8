import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The shared real-world X12 samples, read as they are (never edited), and copies of them with
 * the few elements a test must change so they answer its own purchase order.
 */
type X12Fixture = '855-node-x12.edi' | '856-gozer-newline-terminated.txt';

/** `$OMS_FIXTURES_DIR`, else `shared/fixtures` beside the repository, else the repository's own copy. */
function fixturesDir(): string {
  const fromEnv = process.env['OMS_FIXTURES_DIR'];
  const candidates = [
    ...(fromEnv ? [path.resolve(fromEnv), path.resolve(fromEnv, 'fixtures')] : []),
    path.resolve(__dirname, '../../../../../../shared/fixtures'),
    path.resolve(__dirname, '../../../../../fixtures'),
  ];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'x12')));
  if (!found) throw new Error(`X12 fixtures not found; looked in ${candidates.join(', ')}`);
  return found;
}

export function x12Fixture(name: X12Fixture): string {
  return readFileSync(path.join(fixturesDir(), 'x12', name), 'utf8');
}

/** ISA06 is fixed-width: 15 characters from offset 35 of the interchange. */
export function withSender(text: string, senderId: string): string {
  if (senderId.length > 15) throw new Error('ISA06 holds at most 15 characters');
  return `${text.slice(0, 35)}${senderId.padEnd(15)}${text.slice(50)}`;
}

/**
 * Rewrites elements of the segments `edit` returns a replacement for; every other byte (segment
 * terminators, newlines, untouched segments) stays as it was. Both samples hold one segment a line.
 */
export function editSegments(text: string, edit: (elements: readonly string[]) => readonly string[] | undefined): string {
  return text
    .split('\n')
    .map((line) => {
      const terminator = line.endsWith('~') ? '~' : '';
      const elements = (terminator ? line.slice(0, -1) : line).split('*');
      const changed = edit(elements);
      return changed ? `${changed.join('*')}${terminator}` : line;
    })
    .join('\n');
}

export const replaced = (elements: readonly string[], at: number, value: string) => elements.map((e, i) => (i === at ? value : e));
