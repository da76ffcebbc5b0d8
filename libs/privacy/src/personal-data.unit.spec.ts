import { OrderAcceptedSchemaV1, personalTextPattern, SEALED_VALUE_PATTERN, validatePayload } from '@oms/contracts';
import { orderAcceptedPayload } from '@oms/testing';
import { randomUUID } from 'node:crypto';
import { customerSubjectId } from './data-subject';
import { SubjectErasedError } from './key-vault';
import { InMemoryKeyVault } from './memory-key-vault';
import { ERASED_PLACEHOLDER, PersonalData, UnknownSubjectKeyError } from './personal-data';
import { isSealed, openWithKey, sealWithKey, subjectOf, UnreadableSealedValueError } from './sealing';

const ANN = { name: 'Zebulon Quixote', company: 'Quixote & Sons', line1: '77 Marigold Lane', line2: 'Flat 2', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US', phone: '+1 502 555 0177' };

function fresh() {
  const vault = new InMemoryKeyVault();
  return { vault, personal: new PersonalData(vault), subject: randomUUID() };
}

describe('sealed values', () => {
  const key = Buffer.alloc(32, 7);
  const subject = '2b7c1f0e-9a8d-5c4b-8e3f-1a2b3c4d5e6f';

  it('has the wire format of the contracts and names its subject', () => {
    const sealed = sealWithKey(subject, key, 'Zebulon Quixote');
    expect(sealed).toMatch(/^pii:v1:2b7c1f0e-9a8d-5c4b-8e3f-1a2b3c4d5e6f:[A-Za-z0-9+/]+=*$/);
    expect(sealed).toMatch(SEALED_VALUE_PATTERN);
    expect(subjectOf(sealed)).toBe(subject);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('Zebulon');
    expect(openWithKey(sealed, key)).toBe('Zebulon Quixote');
  });

  it('seals one value of one subject to one text, and anything else to another', () => {
    const once = sealWithKey(subject, key, 'Zebulon Quixote');
    expect(sealWithKey(subject, key, 'Zebulon Quixote')).toBe(once);
    expect(sealWithKey(subject, key, 'Zebulon Quixotf')).not.toBe(once);
    expect(sealWithKey(subject, Buffer.alloc(32, 8), 'Zebulon Quixote')).not.toBe(once);
  });

  it('opens nothing altered, moved under another subject, or under another key', () => {
    const sealed = sealWithKey(subject, key, 'Zebulon Quixote');
    const body = sealed.slice(-20);
    const flipped = sealed.slice(0, -20) + (body[0] === 'A' ? 'B' : 'A') + body.slice(1);
    expect(() => openWithKey(flipped, key)).toThrow(UnreadableSealedValueError);
    expect(() => openWithKey(sealed.replace(subject, randomUUID()), key)).toThrow(UnreadableSealedValueError);
    expect(() => openWithKey(sealed, Buffer.alloc(32, 8))).toThrow(UnreadableSealedValueError);
    expect(() => openWithKey('Zebulon Quixote', key)).toThrow(UnreadableSealedValueError);
  });

  it('passes the consumer-side limits of the contracts even for the longest values the input takes', () => {
    const longest = sealWithKey(subject, key, '€'.repeat(200));
    expect(personalTextPattern(200).test(longest)).toBe(true);
    expect(personalTextPattern(40).test(sealWithKey(subject, key, '+'.repeat(40)))).toBe(true);
    expect(personalTextPattern(40).test('+'.repeat(41))).toBe(false);
    expect(personalTextPattern(200).test('pii:v1:not-sealed')).toBe(false);
  });
});

describe('PersonalData', () => {
  it('seals the personal fields of an address and a customer, and leaves what routing needs clear', async () => {
    const { personal, subject } = fresh();
    const sealed = await personal.sealAddress(subject, ANN);
    for (const field of ['name', 'company', 'line1', 'line2', 'phone'] as const) expect(subjectOf(sealed[field])).toBe(subject);
    expect(sealed).toMatchObject({ city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US' });
    expect(JSON.stringify(sealed)).not.toMatch(/Zebulon|Quixote|Marigold|555/);
    const customer = await personal.sealCustomer(subject, { id: 'c-9', email: 'zq@example.com', firstName: 'Zebulon', lastName: 'Quixote' });
    expect(customer.id).toBe('c-9');
    expect(JSON.stringify(customer)).not.toMatch(/Zebulon|Quixote|zq@/);
    expect(await personal.openDeep({ shipTo: sealed, customer })).toEqual({ shipTo: ANN, customer: { id: 'c-9', email: 'zq@example.com', firstName: 'Zebulon', lastName: 'Quixote' } });
  });

  it('seals a sealed value no further, and leaves absent fields absent', async () => {
    const { personal, subject } = fresh();
    const once = await personal.sealAddress(subject, { name: 'Zebulon Quixote', line1: '77 Marigold Lane', city: 'Louisville', country: 'US' });
    expect(await personal.sealAddress(subject, once)).toEqual(once);
    expect(once).not.toHaveProperty('phone');
    expect(await personal.seal(subject, once.name)).toBe(once.name);
  });

  it('passes values that were never sealed through when opening', async () => {
    const { personal } = fresh();
    expect(await personal.openDeep({ name: 'Ann', n: 3, list: ['x', null] })).toEqual({ name: 'Ann', n: 3, list: ['x', null] });
  });

  it('reads erased data as the placeholder everywhere, seals nothing more for the subject, and leaves other subjects readable', async () => {
    const { personal, subject } = fresh();
    const other = randomUUID();
    const mine = await personal.sealAddress(subject, ANN);
    const theirs = await personal.sealAddress(other, { ...ANN, name: 'Ann Other' });
    const document = { events: [{ shipTo: mine }, { shipTo: theirs }], note: `sent to ${mine.name}` };
    await personal.erase(subject, new Date());
    const opened = await personal.openDeep(document);
    expect(opened.events[0]!.shipTo).toEqual({ ...ANN, name: ERASED_PLACEHOLDER, company: ERASED_PLACEHOLDER, line1: ERASED_PLACEHOLDER, line2: ERASED_PLACEHOLDER, phone: ERASED_PLACEHOLDER });
    expect(opened.events[1]!.shipTo.name).toBe('Ann Other');
    // A sealed value inside a longer text is not a sealed value: left as it is, still unreadable.
    expect(opened.note).toBe(document.note);
    await expect(personal.seal(subject, 'Zebulon Quixote')).rejects.toThrow(SubjectErasedError);
    expect(await personal.status(subject)).toBe('erased');
    expect(await personal.status(other)).toBe('active');
  });

  it('refuses to guess when the vault never knew the subject (a service pointed at the wrong vault)', async () => {
    const { personal, subject } = fresh();
    const sealed = await personal.seal(subject, 'Zebulon Quixote');
    await expect(new PersonalData(new InMemoryKeyVault()).open(sealed)).rejects.toThrow(UnknownSubjectKeyError);
  });

  it('keeps sealed orders acceptable to every consumer of OrderAccepted', async () => {
    const { personal, subject } = fresh();
    const payload = orderAcceptedPayload({ orderId: randomUUID(), channel: 'web', lines: [{ lineId: 'l1', sku: 'S', quantity: 1 }], unitPrice: 100 });
    const sealed = { ...payload, shipTo: await personal.sealAddress(subject, { ...ANN, name: 'Ö'.repeat(200), phone: '+'.repeat(40) }) };
    expect(validatePayload(OrderAcceptedSchemaV1, sealed)).toMatchObject({ ok: true });
    expect(validatePayload(OrderAcceptedSchemaV1, { ...payload, shipTo: { ...payload.shipTo, phone: '+'.repeat(41) } })).toMatchObject({ ok: false });
  });
});

describe('customerSubjectId', () => {
  it('maps one customer of one channel to one subject, by id, else by email as written any way', () => {
    const byEmail = customerSubjectId('web', { email: 'ZQ@Example.com ' }, 'o-1');
    expect(customerSubjectId('web', { email: 'zq@example.com' }, 'o-2')).toBe(byEmail);
    expect(customerSubjectId('shop', { email: 'zq@example.com' }, 'o-2')).not.toBe(byEmail);
    expect(customerSubjectId('web', { id: 'c-1', email: 'zq@example.com' }, 'o-1')).toBe(customerSubjectId('web', { id: 'c-1' }, 'o-9'));
    expect(customerSubjectId('web', { id: 'c-1' }, 'o-1')).not.toBe(byEmail);
    expect(customerSubjectId('web', {}, 'o-1')).not.toBe(customerSubjectId('web', {}, 'o-2'));
    expect(byEmail).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
