import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

const REJECTION_NAMESPACE = '9c3e1f27-8d44-4b6a-a1c2-7e5f6d8b9a01';

/** The same (channel, external order id) is the same order: the rule is part of the contracts. */
export { orderIdFor } from '@oms/contracts';

export function rejectionIdFor(causationId: string): string {
  return uuidv5(causationId, REJECTION_NAMESPACE);
}

/** A hash of the order's content, independent of key order, to tell a retry from a changed order. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
