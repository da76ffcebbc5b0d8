import { SupplierProfileUpdatedV1, TOPICS, validatePayload } from '@oms/contracts';
import type { RecordedEvent } from '@oms/event-store';
import { gatewayMessages } from './gateway-messages';

const registered = (settings: Record<string, unknown>): RecordedEvent =>
  ({
    id: '5d0c7c5e-7a36-4a53-9d5e-0d2f6e1b2c3a',
    type: 'SupplierRegistered',
    data: { supplierId: 'acme', settings, registeredAt: '2026-11-25T10:00:00.000Z' },
    metadata: {},
    streamName: 'supplier-acme',
    revision: 0,
    position: { commit: 1n, prepare: 1n },
    recordedAt: new Date('2026-11-25T10:00:00.000Z'),
  }) as unknown as RecordedEvent;

describe('supplier profiles on supplier.profiles.v1', () => {
  const settings = { name: 'Acme', code: 'ACME', connector: 'webhook', webhookUrl: 'https://acme.example/po', confirmWithinHours: 24, shipWithinHours: 72, timeoutPolicy: 'resource', enforceShipBy: false };

  it('meets the contract its consumers validate, and leaves out where we call the supplier', () => {
    const [message] = gatewayMessages(registered({ ...settings, status: 'suspended' }));
    expect(message!.topic).toBe(TOPICS.supplierProfiles.name);
    expect(validatePayload(SupplierProfileUpdatedV1, message!.payload)).toMatchObject({ ok: true });
    expect(message!.payload).toMatchObject({ supplierId: 'acme', status: 'suspended', asOf: '2026-11-25T10:00:00.000Z' });
    expect(message!.payload).not.toHaveProperty('webhookUrl');
  });

  it('gives a supplier stored without a status (registered before defaults were kept) the status it had: active', () => {
    const [message] = gatewayMessages(registered(settings));
    expect(validatePayload(SupplierProfileUpdatedV1, message!.payload)).toMatchObject({ ok: true });
    expect(message!.payload).toMatchObject({ status: 'active' });
  });
});
