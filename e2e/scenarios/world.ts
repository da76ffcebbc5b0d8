import type { SimSupplier, World } from '../../tools/simulator/world';

/**
 * The world of the end-to-end scenarios: each scenario has skus of its own, so what one does
 * (a supplier timing out, a scorecard degrading) cannot change where another's lines go. Habits are
 * quicker than the embedded run's, since the clock runs ×360 (one simulated hour = 10 s).
 */
const quick = { ackAfterMinutes: 5, shipAfterHours: 0.5 };

const supplier = (supplierId: string, code: string, behaviour: SimSupplier['behaviour'], offers: SimSupplier['offers'], extra: Partial<SimSupplier> = {}): SimSupplier => ({
  supplierId,
  name: `${supplierId} Supply Co`,
  code,
  behaviour,
  habits: behaviour === 'silent' ? {} : quick,
  confirmWithinHours: 1,
  shipWithinHours: 48,
  acceptsReturns: true,
  offers,
  stock: 50,
  handlingDays: 1,
  transitDays: 3,
  shipping: { perShipment: 600, perUnit: 50 },
  ...extra,
});

export const E2E_WORLD: World = {
  currency: 'USD',
  taxBasisPoints: 800,
  shippingCharge: 599,
  products: [
    { sku: 'E2E-W1', name: 'Warehouse throw pillow', price: 2000 },
    { sku: 'E2E-A1', name: 'Alpha side table', price: 6000 },
    { sku: 'E2E-B1', name: 'Beta floor lamp', price: 5000 },
    { sku: 'E2E-L1', name: 'Lantern', price: 3500 },
    { sku: 'E2E-R1', name: 'Rattan basket', price: 2750 },
    { sku: 'E2E-D1', name: 'Delta armchair', price: 12000 },
    { sku: 'E2E-D2', name: 'Delta footstool', price: 4500 },
    { sku: 'E2E-S1', name: 'Shaky bookcase', price: 9000 },
  ],
  warehouses: [{ nodeId: 'e2e-wh', offers: [{ sku: 'E2E-W1', unitCost: 800 }], stock: 100, shortageShare: 0, shipAfterHours: 0.5 }],
  suppliers: [
    // 1 (and 5): one order from the warehouse and two suppliers.
    supplier('s1-alpha', 'ALPHA', 'fast', [{ sku: 'E2E-A1', unitCost: 3000 }]),
    supplier('s1-beta', 'BETA', 'fast', [{ sku: 'E2E-B1', unitCost: 2500 }]),
    // 2: the cheaper supplier never answers; the other is there to re-source to.
    supplier('s2-silent', 'SILENT', 'silent', [{ sku: 'E2E-L1', unitCost: 1000 }]),
    supplier('s2-backup', 'BACKUP', 'fast', [{ sku: 'E2E-L1', unitCost: 1500 }]),
    // 3: rejects everything, and nobody else sells its sku.
    supplier('s3-reject', 'REJECT', 'rejects', [{ sku: 'E2E-R1', unitCost: 1200 }], { habits: { ...quick, rejectShare: 1 } }),
    // 4: acknowledges at once, ships only after a day: time for the customer to cancel a line.
    supplier('s4-delta', 'DELTA', 'fast', [
      { sku: 'E2E-D1', unitCost: 6500 },
      { sku: 'E2E-D2', unitCost: 2000 },
    ], { habits: { ackAfterMinutes: 5, shipAfterHours: 24, acceptsCancellation: true } }),
    // 6: the cheaper one stops answering; its scorecard should send the sku to the other.
    supplier('s6-shaky', 'SHAKY', 'silent', [{ sku: 'E2E-S1', unitCost: 4000 }]),
    supplier('s6-steady', 'STEADY', 'fast', [{ sku: 'E2E-S1', unitCost: 4600 }]),
  ],
  mix: { singleSupplier: 1, multiSupplier: 0, warehouseAndSupplier: 0 },
  cancelShare: 0,
  returnShare: 0,
  cancelAfterMinutes: 0,
  returnAfterHours: 0,
  returnTransitHours: 1,
  deliveryAfterHours: 1,
};
