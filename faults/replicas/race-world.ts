import type { SimSupplier, World } from '../../tools/simulator/world';

/** The supplier whose POs are raced: it never answers on its own, so every answer is the test's. */
export const SILENT = 'race-silent';
/** Where sourcing sends what the silent supplier rejects, cancels or lets time out. */
export const BACKUP = 'race-backup';
export const RACED_SKU = 'RACE-LAMP';
/** Two simulated hours: 20 s at ×360, time enough to race a PO well before its deadline. */
export const CONFIRM_WITHIN_HOURS = 2;

const supplier = (supplierId: string, code: string, behaviour: SimSupplier['behaviour'], unitCost: number, habits: SimSupplier['habits'], confirmWithinHours: number): SimSupplier => ({
  supplierId,
  name: `${supplierId} Supply Co`,
  code,
  behaviour,
  habits,
  confirmWithinHours,
  shipWithinHours: 48,
  acceptsReturns: true,
  offers: [{ sku: RACED_SKU, unitCost }],
  stock: 1_000_000,
  handlingDays: 1,
  transitDays: 3,
  shipping: { perShipment: 600, perUnit: 50 },
});

/**
 * One sku, sold by a cheaper supplier that never answers (sourcing picks it first) and a quick one
 * to re-source to. The warehouse sells something else: the system needs one, the race does not.
 */
export const RACE_WORLD: World = {
  currency: 'USD',
  taxBasisPoints: 800,
  shippingCharge: 599,
  products: [
    { sku: RACED_SKU, name: 'Raced lamp', price: 4000 },
    { sku: 'RACE-PILLOW', name: 'Warehouse pillow', price: 1500 },
  ],
  warehouses: [{ nodeId: 'race-wh', offers: [{ sku: 'RACE-PILLOW', unitCost: 600 }], stock: 1_000_000, shortageShare: 0, shipAfterHours: 0.5 }],
  suppliers: [
    supplier(SILENT, 'SILENT', 'silent', 1000, {}, CONFIRM_WITHIN_HOURS),
    // Its POs must never time out in a run, however loaded the machine: a second re-plan would
    // find no one left and cancel the line, which is not what the race is about.
    supplier(BACKUP, 'BACKUP', 'fast', 1800, { ackAfterMinutes: 5, shipAfterHours: 0.5, staleStockHours: 0 }, 48),
  ],
  mix: { singleSupplier: 1, multiSupplier: 0, warehouseAndSupplier: 0 },
  cancelShare: 0,
  returnShare: 0,
  cancelAfterMinutes: 0,
  returnAfterHours: 0,
  returnTransitHours: 1,
  deliveryAfterHours: 1,
};
