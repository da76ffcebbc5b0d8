import type { Decider } from '@oms/event-store';
import type { Connector, PoAddress, TimeoutPolicy } from './purchase-order-events';

/**
 * A drop-ship supplier as the retailer configured it (`supplier-<supplierId>`). Settings apply to
 * POs created after the change; a PO keeps the deadlines and policy it was created with.
 */
export interface SupplierSettings {
  readonly name: string;
  /** Short code for PO numbers (order number + this suffix). */
  readonly code: string;
  readonly connector: Connector;
  readonly webhookUrl?: string;
  /** EDI: the supplier's interchange id and qualifier (ISA05/06), and ours for it (ISA07/08). */
  readonly edi?: { readonly supplierId: string; readonly supplierQualifier: string; readonly ourId: string; readonly ourQualifier: string };
  readonly confirmWithinHours: number;
  readonly shipWithinHours: number;
  /** Missing ship-by also times the PO out (otherwise only confirm-by does). */
  readonly enforceShipBy: boolean;
  readonly timeoutPolicy: TimeoutPolicy;
  readonly returnAddress?: PoAddress;
  readonly returnPolicy?: { readonly windowDays: number; readonly acceptsReturns: boolean; readonly restockingFeePercent?: number };
  /** Amounts the retailer charges back, per defect kind, in minor units. */
  readonly chargebacks?: { readonly lateShipment?: number; readonly invalidTracking?: number; readonly cancelledAfterAcceptance?: number };
  readonly status: 'active' | 'suspended';
}

export interface Credentials {
  /** SHA-256 of the API key: keys are 32 random bytes, so a fast hash is enough to make a leak useless. */
  readonly apiKeyHash: string;
  /** First characters of the key, to tell keys apart in support without revealing them. */
  readonly apiKeyPrefix: string;
  /** The webhook secret must be usable to sign and verify, so it is encrypted (not hashed). */
  readonly webhookSecretCipher: string;
}

/** The credentials a rotation replaced: still accepted until `validUntil`, so the supplier can switch without downtime. */
export interface PreviousCredentials extends Credentials {
  readonly validUntil: string;
}

export type SupplierEvent =
  | { readonly type: 'SupplierRegistered'; readonly data: { readonly supplierId: string; readonly settings: SupplierSettings; readonly registeredAt: string } }
  | { readonly type: 'SupplierSettingsChanged'; readonly data: { readonly settings: SupplierSettings; readonly changed: readonly string[]; readonly changedAt: string } }
  | {
      readonly type: 'SupplierCredentialsIssued';
      /** `previousValidUntil`: the replaced credentials stay valid until then (absent: they stopped at once). */
      readonly data: Credentials & { readonly issuedAt: string; readonly previousValidUntil?: string };
    }
  | { readonly type: 'SupplierPreviousCredentialsRetired'; readonly data: { readonly apiKeyPrefix: string; readonly retiredAt: string } };

export type SupplierCommand =
  | { readonly type: 'RegisterSupplier'; readonly data: { readonly supplierId: string; readonly settings: SupplierSettings; readonly now: Date } }
  | { readonly type: 'ChangeSettings'; readonly data: { readonly settings: Partial<SupplierSettings>; readonly now: Date } }
  /** `graceHours`: how long the credentials being replaced keep working (0: not at all). */
  | { readonly type: 'IssueCredentials'; readonly data: Credentials & { readonly graceHours?: number; readonly now: Date } }
  | { readonly type: 'RetirePreviousCredentials'; readonly data: { readonly now: Date } };

export type SupplierState =
  | { readonly status: 'none' }
  | {
      readonly status: 'registered';
      readonly supplierId: string;
      readonly settings: SupplierSettings;
      readonly credentials: Credentials | undefined;
      readonly previousCredentials?: PreviousCredentials;
    };

const HOUR = 3_600_000;

/** The replaced credentials, while their grace period lasts. */
export function validPrevious(state: SupplierState, now: Date): PreviousCredentials | undefined {
  if (state.status !== 'registered' || !state.previousCredentials) return undefined;
  return now.getTime() < Date.parse(state.previousCredentials.validUntil) ? state.previousCredentials : undefined;
}

/** Every set of credentials a supplier may authenticate with now: the current ones, then the replaced ones in their grace period. */
export function acceptedCredentials(state: SupplierState, now: Date): Credentials[] {
  if (state.status !== 'registered') return [];
  const previous = validPrevious(state, now);
  return [...(state.credentials ? [state.credentials] : []), ...(previous ? [previous] : [])];
}

export class SupplierError extends Error {
  override readonly name = 'SupplierError';
}

export const supplierDecider: Decider<SupplierCommand, SupplierState, SupplierEvent> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterSupplier':
        if (state.status === 'registered') throw new SupplierError(`Supplier ${state.supplierId} is already registered`);
        return [{ type: 'SupplierRegistered', data: { supplierId: command.data.supplierId, settings: command.data.settings, registeredAt: command.data.now.toISOString() } }];
      case 'ChangeSettings': {
        if (state.status !== 'registered') throw new SupplierError('No such supplier');
        // Only the settings given change: a validated body names every optional field, undefined
        // when not sent, and those must not wipe what is set.
        const given = Object.fromEntries(Object.entries(command.data.settings).filter(([, value]) => value !== undefined)) as Partial<SupplierSettings>;
        const settings = { ...state.settings, ...given };
        const changed = (Object.keys(given) as (keyof SupplierSettings)[]).filter(
          (k) => JSON.stringify(state.settings[k]) !== JSON.stringify(settings[k]),
        );
        return changed.length === 0 ? [] : [{ type: 'SupplierSettingsChanged', data: { settings, changed, changedAt: command.data.now.toISOString() } }];
      }
      case 'IssueCredentials': {
        if (state.status !== 'registered') throw new SupplierError('No such supplier');
        const { now, graceHours, ...credentials } = command.data;
        // Only the credentials in force get a grace period: two valid at once at most.
        const previousValidUntil = state.credentials && graceHours && graceHours > 0 ? new Date(now.getTime() + graceHours * HOUR).toISOString() : undefined;
        return [{ type: 'SupplierCredentialsIssued', data: { ...credentials, issuedAt: now.toISOString(), ...(previousValidUntil ? { previousValidUntil } : {}) } }];
      }
      case 'RetirePreviousCredentials': {
        if (state.status !== 'registered') throw new SupplierError('No such supplier');
        const previous = validPrevious(state, command.data.now);
        return previous ? [{ type: 'SupplierPreviousCredentialsRetired', data: { apiKeyPrefix: previous.apiKeyPrefix, retiredAt: command.data.now.toISOString() } }] : [];
      }
      default: {
        const never: never = command;
        return never;
      }
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'SupplierRegistered':
        return { status: 'registered', supplierId: event.data.supplierId, settings: event.data.settings, credentials: undefined };
      case 'SupplierSettingsChanged':
        // Merged: changes stored before the fix above lack the settings they wiped, which were
        // never meant to change.
        return state.status === 'registered' ? { ...state, settings: { ...state.settings, ...event.data.settings } } : state;
      case 'SupplierCredentialsIssued': {
        if (state.status !== 'registered') return state;
        const { issuedAt: _issuedAt, previousValidUntil, ...credentials } = event.data;
        const { previousCredentials: _replaced, ...rest } = state;
        return { ...rest, credentials, ...(previousValidUntil && state.credentials ? { previousCredentials: { ...state.credentials, validUntil: previousValidUntil } } : {}) };
      }
      case 'SupplierPreviousCredentialsRetired': {
        if (state.status !== 'registered') return state;
        const { previousCredentials: _retired, ...rest } = state;
        return rest;
      }
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};
