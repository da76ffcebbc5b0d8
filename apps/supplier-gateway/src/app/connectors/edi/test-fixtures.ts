import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { X12Envelope } from './envelope';

/**
 * Test support only. The public samples live in shared/ beside the repository (see
 * shared/fixtures/README.md); from this folder the repository root is six levels up.
 */
const FIXTURES = path.join(__dirname, '../../../../../../../shared/fixtures/x12');

export function readFixture(name: '850-node-x12.edi' | '855-node-x12.edi' | '856-gozer-newline-terminated.txt'): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** A fixed-width 4010 ISA with '*' and '>' and no terminator. */
export const TEST_ISA = 'ISA*00*          *00*          *ZZ*SUPPLIER       *ZZ*OMS            *240115*0930*U*00401*000000042*0*P*>';

/**
 * An interchange around hand-written transaction sets ("BSN*00*..." lines without terminators),
 * with correct counts, so a test shows only the segments it is about.
 */
export function interchangeOf(functionalId: string, sets: readonly { readonly type: string; readonly body: readonly string[] }[]): string {
  const lines = [TEST_ISA, `GS*${functionalId}*SUPPLIER*OMS*20240115*0930*7*X*004010`];
  sets.forEach((set, index) => {
    const control = String(index + 1).padStart(4, '0');
    lines.push(`ST*${set.type}*${control}`, ...set.body, `SE*${set.body.length + 2}*${control}`);
  });
  lines.push(`GE*${sets.length}*7`, 'IEA*1*000000042');
  return lines.map((line) => `${line}~`).join('\n') + '\n';
}

/** The envelope the rendering tests write with: fixed clock and control numbers. */
export const ENVELOPE: X12Envelope = {
  sender: { qualifier: 'ZZ', id: 'OMSRETAIL' },
  receiver: { qualifier: '12', id: '5551234567' },
  interchangeControlNumber: 1234,
  groupControlNumber: 56,
  transactionSetControlNumber: 7,
  createdAt: new Date('2024-01-15T09:30:00Z'),
  usage: 'T',
};
