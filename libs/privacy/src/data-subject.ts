import { v5 as uuidv5 } from 'uuid';

const DATA_SUBJECT_NAMESPACE = '5b0e4f1c-2d7a-4c39-9e61-8f3a2b7d4c05';

/**
 * The data subject of a customer's personal data: UUIDv5 of the channel and the platform's customer
 * id — or, for a guest, the email address (trimmed, lower-cased) — so every order of one customer
 * maps to one subject and one erasure covers them all. With neither, the order is its own subject.
 * The same email as a guest and later with an account id are two subjects: erase both.
 */
export function customerSubjectId(channel: string, customer: { readonly id?: string; readonly email?: string }, orderRef: string): string {
  const id = customer.id?.trim();
  const email = customer.email?.trim().toLowerCase();
  const who = id ? `id:${id}` : email ? `email:${email}` : `order:${orderRef}`;
  return uuidv5(`${channel}\n${who}`, DATA_SUBJECT_NAMESPACE);
}
