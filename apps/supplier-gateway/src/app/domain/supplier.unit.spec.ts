import { supplierDecider, SupplierError, type Credentials, type SupplierCommand, type SupplierEvent, type SupplierSettings, type SupplierState } from './supplier';

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
const issue = (credentials: Credentials = CREDENTIALS, now: Date = LATER): SupplierCommand => ({ type: 'IssueCredentials', data: { ...credentials, now } });

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

  it.each<[string, SupplierCommand]>([
    ['ChangeSettings', change({ name: 'x' })],
    ['IssueCredentials', issue()],
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
