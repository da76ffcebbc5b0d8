import { acceptedCredentials, supplierDecider, SupplierError, validPrevious, type Credentials, type SupplierCommand, type SupplierEvent, type SupplierSettings, type SupplierState } from './supplier';

const NOW = new Date('2025-03-03T09:00:00.000Z');
const LATER = new Date('2025-03-04T09:00:00.000Z');

const SETTINGS: SupplierSettings = {
  name: 'Acme Kettles',
  code: 'ACME',
  connector: 'edi',
  edi: { supplierId: 'ACME01', supplierQualifier: 'ZZ', ourId: 'OMS01', ourQualifier: 'ZZ' },
  confirmWithinHours: 24,
  shipWithinHours: 72,
  enforceShipBy: true,
  timeoutPolicy: 'resource',
  returnPolicy: { windowDays: 30, acceptsReturns: true },
  chargebacks: { lateShipment: 500 },
  status: 'active',
};
const CREDENTIALS: Credentials = { apiKeyHash: 'a'.repeat(64), apiKeyPrefix: 'sk_abc', webhookSecretCipher: 'cipher-1' };

function run(steps: readonly SupplierCommand[], from: SupplierState = supplierDecider.initialState()): { state: SupplierState; events: SupplierEvent[] } {
  let state = from;
  const events: SupplierEvent[] = [];
  for (const step of steps) {
    const out = supplierDecider.decide(step, state);
    events.push(...out);
    state = out.reduce(supplierDecider.evolve, state);
  }
  return { state, events };
}

function given(...steps: SupplierCommand[]) {
  const past = run(steps);
  return { state: past.state, when: (...next: SupplierCommand[]) => run(next, past.state) };
}

const register = (settings: SupplierSettings = SETTINGS, supplierId = 'S1'): SupplierCommand => ({ type: 'RegisterSupplier', data: { supplierId, settings, now: NOW } });
const change = (settings: Partial<SupplierSettings>): SupplierCommand => ({ type: 'ChangeSettings', data: { settings, now: LATER } });
const issue = (credentials: Credentials = CREDENTIALS, now: Date = LATER, graceHours?: number): SupplierCommand => ({
  type: 'IssueCredentials',
  data: { ...credentials, now, ...(graceHours !== undefined ? { graceHours } : {}) },
});
const retire = (now: Date): SupplierCommand => ({ type: 'RetirePreviousCredentials', data: { now } });
const ROTATED: Credentials = { apiKeyHash: 'b'.repeat(64), apiKeyPrefix: 'sk_def', webhookSecretCipher: 'cipher-2' };
const at = (iso: string) => new Date(iso);

describe('supplier decider', () => {
  describe('RegisterSupplier', () => {
    it('registers the supplier with its settings and no credentials yet', () => {
      const { events, state } = given().when(register());
      expect(events).toEqual([{ type: 'SupplierRegistered', data: { supplierId: 'S1', settings: SETTINGS, registeredAt: NOW.toISOString() } }]);
      expect(state).toEqual({ status: 'registered', supplierId: 'S1', settings: SETTINGS, credentials: undefined });
    });

    it('refuses registering a supplier twice, even with other settings', () => {
      const registered = given(register());
      expect(() => registered.when(register())).toThrow(SupplierError);
      expect(() => registered.when(register({ ...SETTINGS, name: 'Other' }, 'S2'))).toThrow(/S1 is already registered/);
    });
  });

  describe('ChangeSettings', () => {
    it('records the new settings and only the keys that changed', () => {
      const { events, state } = given(register()).when(change({ name: 'Acme Kettles Ltd', confirmWithinHours: 24, shipWithinHours: 48, status: 'suspended' }));
      const settings: SupplierSettings = { ...SETTINGS, name: 'Acme Kettles Ltd', shipWithinHours: 48, status: 'suspended' };
      expect(events).toEqual([{ type: 'SupplierSettingsChanged', data: { settings, changed: ['name', 'shipWithinHours', 'status'], changedAt: LATER.toISOString() } }]);
      expect(state).toMatchObject({ status: 'registered', supplierId: 'S1', settings });
    });

    it('compares nested settings by value', () => {
      const po = given(register());
      expect(po.when(change({ edi: { ...SETTINGS.edi! } })).events).toEqual([]);
      expect(po.when(change({ edi: { ...SETTINGS.edi!, ourId: 'OMS02' } })).events).toMatchObject([{ data: { changed: ['edi'] } }]);
      // A setting that was not set before is a change.
      expect(po.when(change({ webhookUrl: 'https://acme.example/hooks' })).events).toMatchObject([{ data: { changed: ['webhookUrl'] } }]);
    });

    it('records nothing when nothing changes', () => {
      const registered = given(register());
      expect(registered.when(change({})).events).toEqual([]);
      const same = registered.when(change({ name: SETTINGS.name, enforceShipBy: true, returnPolicy: { windowDays: 30, acceptsReturns: true } }));
      expect(same.events).toEqual([]);
      expect(same.state).toEqual(registered.state);
    });

    it('changes only the settings given: a field the request names but leaves undefined keeps its value', () => {
      // A validated PATCH body has every optional field as a key; `{ status: 'suspended' }` once
      // stored settings with nothing but the status.
      const { events, state } = given(register()).when(change({ status: 'suspended', name: undefined, code: undefined, confirmWithinHours: undefined } as Partial<SupplierSettings>));
      expect(events).toEqual([{ type: 'SupplierSettingsChanged', data: { settings: { ...SETTINGS, status: 'suspended' }, changed: ['status'], changedAt: LATER.toISOString() } }]);
      expect(state).toMatchObject({ settings: { ...SETTINGS, status: 'suspended' } });
    });

    it('folds a change stored before that fix onto the settings it wiped', () => {
      const registered = given(register()).state;
      const lossy = { type: 'SupplierSettingsChanged', data: { settings: { status: 'suspended' } as SupplierSettings, changed: ['status'], changedAt: LATER.toISOString() } } as SupplierEvent;
      expect(supplierDecider.evolve(registered, lossy)).toMatchObject({ settings: { ...SETTINGS, status: 'suspended' } });
    });

    it('builds on the settings as last changed', () => {
      const { events, state } = given(register(), change({ shipWithinHours: 48 })).when(change({ shipWithinHours: 48, timeoutPolicy: 'cancel' }));
      expect(events).toMatchObject([{ data: { changed: ['timeoutPolicy'], settings: { ...SETTINGS, shipWithinHours: 48, timeoutPolicy: 'cancel' } } }]);
      expect(state).toMatchObject({ settings: { shipWithinHours: 48, timeoutPolicy: 'cancel' } });
    });
  });

  describe('IssueCredentials', () => {
    it('issues credentials and keeps them in state', () => {
      const { events, state } = given(register()).when(issue());
      expect(events).toEqual([{ type: 'SupplierCredentialsIssued', data: { ...CREDENTIALS, issuedAt: LATER.toISOString() } }]);
      expect(state).toEqual({ status: 'registered', supplierId: 'S1', settings: SETTINGS, credentials: CREDENTIALS });
    });

    it('replaces the credentials issued before', () => {
      const rotated: Credentials = { apiKeyHash: 'b'.repeat(64), apiKeyPrefix: 'sk_def', webhookSecretCipher: 'cipher-2' };
      const { events, state } = given(register(), issue()).when(issue(rotated, new Date('2025-03-05T09:00:00.000Z')));
      expect(events).toEqual([{ type: 'SupplierCredentialsIssued', data: { ...rotated, issuedAt: '2025-03-05T09:00:00.000Z' } }]);
      expect(state).toMatchObject({ credentials: rotated });
    });
  });

  describe('rotation with a grace period', () => {
    const ROTATED_AT = at('2025-03-05T09:00:00.000Z');
    const rotated = () => given(register(), issue()).when(issue(ROTATED, ROTATED_AT, 24));

    it('keeps the replaced credentials valid until the grace period ends, recorded on the rotation', () => {
      const { events, state } = rotated();
      expect(events).toEqual([{ type: 'SupplierCredentialsIssued', data: { ...ROTATED, issuedAt: ROTATED_AT.toISOString(), previousValidUntil: '2025-03-06T09:00:00.000Z' } }]);
      expect(state).toMatchObject({ credentials: ROTATED, previousCredentials: { ...CREDENTIALS, validUntil: '2025-03-06T09:00:00.000Z' } });
      expect(acceptedCredentials(state, at('2025-03-06T08:59:59.999Z'))).toEqual([ROTATED, { ...CREDENTIALS, validUntil: '2025-03-06T09:00:00.000Z' }]);
    });

    it('accepts only the new credentials once the grace period is over', () => {
      const { state } = rotated();
      expect(acceptedCredentials(state, at('2025-03-06T09:00:00.000Z'))).toEqual([ROTATED]);
      expect(validPrevious(state, at('2025-03-07T00:00:00.000Z'))).toBeUndefined();
    });

    it('retires the replaced credentials early, once', () => {
      const past = rotated();
      const retiredAt = at('2025-03-05T10:00:00.000Z');
      const { events, state } = given(register(), issue(), issue(ROTATED, ROTATED_AT, 24)).when(retire(retiredAt));
      expect(events).toEqual([{ type: 'SupplierPreviousCredentialsRetired', data: { apiKeyPrefix: CREDENTIALS.apiKeyPrefix, retiredAt: retiredAt.toISOString() } }]);
      expect(state).not.toHaveProperty('previousCredentials');
      expect(acceptedCredentials(state, retiredAt)).toEqual([ROTATED]);
      // Nothing left to retire: again, or after the grace period, or before any rotation.
      expect(supplierDecider.decide(retire(retiredAt), state)).toEqual([]);
      expect(supplierDecider.decide(retire(at('2025-03-06T09:00:00.000Z')), past.state)).toEqual([]);
      expect(given(register(), issue()).when(retire(retiredAt)).events).toEqual([]);
    });

    it('keeps at most two sets valid: a second rotation in the grace period drops the oldest', () => {
      const third: Credentials = { apiKeyHash: 'c'.repeat(64), apiKeyPrefix: 'sk_ghi', webhookSecretCipher: 'cipher-3' };
      const { state } = given(register(), issue(), issue(ROTATED, ROTATED_AT, 24)).when(issue(third, at('2025-03-05T12:00:00.000Z'), 24));
      expect(acceptedCredentials(state, at('2025-03-05T12:00:00.000Z')).map((c) => c.apiKeyPrefix)).toEqual(['sk_ghi', 'sk_def']);
    });

    it('gives no grace without a grace period, or when there was nothing to replace', () => {
      expect(given(register(), issue()).when(issue(ROTATED, ROTATED_AT, 0)).state).not.toHaveProperty('previousCredentials');
      const first = given(register()).when(issue(CREDENTIALS, ROTATED_AT, 24));
      expect(first.events[0]!.data).not.toHaveProperty('previousValidUntil');
      expect(acceptedCredentials(first.state, ROTATED_AT)).toEqual([CREDENTIALS]);
    });

    it('folds a rotation recorded before grace periods existed as an immediate replacement', () => {
      const { state } = given(register(), issue());
      const old = supplierDecider.evolve(state, { type: 'SupplierCredentialsIssued', data: { ...ROTATED, issuedAt: ROTATED_AT.toISOString() } });
      expect(acceptedCredentials(old, ROTATED_AT)).toEqual([ROTATED]);
    });
  });

  it.each<[string, SupplierCommand]>([
    ['ChangeSettings', change({ name: 'x' })],
    ['IssueCredentials', issue()],
    ['RetirePreviousCredentials', retire(LATER)],
  ])('refuses %s before the supplier is registered', (_name, command) => {
    expect(() => given().when(command)).toThrow(SupplierError);
    expect(() => given().when(command)).toThrow('No such supplier');
  });

  it('ignores settings or credentials events folded onto an unregistered supplier', () => {
    const none = supplierDecider.initialState();
    expect(supplierDecider.evolve(none, { type: 'SupplierSettingsChanged', data: { settings: SETTINGS, changed: ['name'], changedAt: LATER.toISOString() } })).toEqual(none);
    expect(supplierDecider.evolve(none, { type: 'SupplierCredentialsIssued', data: { ...CREDENTIALS, issuedAt: LATER.toISOString() } })).toEqual(none);
  });
});
