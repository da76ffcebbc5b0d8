import { ERASED_PLACEHOLDER, InMemoryKeyVault, PersonalData, subjectOf } from '@oms/privacy';
import { purchaseOrderDecider, type OpenPo } from '../domain/purchase-order';
import type { PoAddress } from '../domain/purchase-order-events';
import { purchaseOrderJson, sealedDocument, withShipToOpened } from './outbound-documents';

const SUBJECT = '7a6b5c4d-3e2f-5a1b-8c9d-0e1f2a3b4c5d';
const SHIP_TO: PoAddress = { name: 'Zebulon Quixote', company: 'Quixote Windmills', line1: '77 Marigold Lane', city: 'Louisville', region: 'KY', postalCode: '40202', country: 'US', phone: '+1 502 555 0177' };

async function poShippingTo(personal: PersonalData, shipTo: object): Promise<OpenPo> {
  const now = new Date('2026-12-01T10:00:00.000Z');
  const events = purchaseOrderDecider.decide(
    {
      type: 'CreatePurchaseOrder',
      data: {
        poId: 'po-1',
        poNumber: '1001-ACME',
        orderId: 'o-1',
        groupId: 'o-1:1:S1',
        supplierId: 'S1',
        currency: 'USD',
        lines: [{ lineNumber: 1, lineId: 'l1', sku: 'A', quantity: 1, unitCost: 100 }],
        shipTo: (await personal.sealAddress(SUBJECT, shipTo)) as PoAddress,
        brandingRef: 'b',
        connector: 'api',
        timeoutPolicy: 'resource',
        confirmBy: now.toISOString(),
        shipBy: now.toISOString(),
        deliverBy: now.toISOString(),
        enforceShipBy: false,
        now,
      },
    },
    purchaseOrderDecider.initialState(),
  );
  return events.reduce(purchaseOrderDecider.evolve, purchaseOrderDecider.initialState()) as OpenPo;
}

describe('documents for the supplier', () => {
  it('open the sealed ship-to for the supplier, leave the PO sealed, and carry only what shipping needs', async () => {
    const personal = new PersonalData(new InMemoryKeyVault());
    // Whatever else a ship-to might carry (an email from an upstream mistake) never reaches the supplier.
    const po = await poShippingTo(personal, { ...SHIP_TO, email: 'zq@example.com' });
    expect(subjectOf(po.po.shipTo.name)).toBe(SUBJECT);
    const opened = await withShipToOpened(personal, po);
    expect(purchaseOrderJson(opened).shipTo).toEqual(SHIP_TO);
    expect(JSON.stringify(purchaseOrderJson(opened))).not.toContain('zq@example.com');
    expect(subjectOf(po.po.shipTo.name)).toBe(SUBJECT);
  });

  it('seal a recorded document under the customer’s key, and read the placeholder after the erasure', async () => {
    const personal = new PersonalData(new InMemoryKeyVault());
    const po = await poShippingTo(personal, SHIP_TO);
    const document = 'ISA*00*…~N1*ST*Zebulon Quixote~N3*77 Marigold Lane~';
    const sealed = await sealedDocument(personal, po.po, document);
    expect(subjectOf(sealed)).toBe(SUBJECT);
    expect(await personal.open(sealed)).toBe(document);
    await personal.erase(SUBJECT, new Date());
    expect(await personal.open(sealed)).toBe(ERASED_PLACEHOLDER);
    expect(purchaseOrderJson(await withShipToOpened(personal, po)).shipTo).toMatchObject({ name: ERASED_PLACEHOLDER, line1: ERASED_PLACEHOLDER, city: 'Louisville' });
  });

  it('leave a document of a PO whose ship-to was never sealed as it is', async () => {
    const personal = new PersonalData(new InMemoryKeyVault());
    const po = { ...(await poShippingTo(personal, SHIP_TO)) };
    const clear = { ...po, po: { ...po.po, shipTo: SHIP_TO } };
    expect(await sealedDocument(personal, clear.po, 'ISA*…')).toBe('ISA*…');
    expect(purchaseOrderJson(await withShipToOpened(personal, clear)).shipTo).toEqual(SHIP_TO);
  });
});
