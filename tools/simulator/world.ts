/**
 * The simulated world: what the retailer sells, its warehouse, and the drop-ship suppliers with
 * their habits. Everything the simulator does follows from a world and the run's seed.
 */

export type BehaviourName = 'fast' | 'slow' | 'rejects' | 'silent' | 'partial' | 'bad-tracking' | 'stale-stock';

export interface SupplierBehaviour {
  /** Simulated minutes from dispatch to acknowledgement; absent: the supplier never answers. */
  readonly ackAfterMinutes?: number;
  /** Simulated hours from acknowledgement to shipment. */
  readonly shipAfterHours: number;
  /** Share of PO lines rejected at acknowledgement. */
  readonly rejectShare: number;
  /** Share of POs shipped in part, the rest then cancelled by the supplier. */
  readonly partialShare: number;
  /** Share of shipments sent with a tracking number that fails its carrier's check digit. */
  readonly invalidTrackingShare: number;
  /** How old the supplier's stock feed is when it arrives (0: fresh). */
  readonly staleStockHours: number;
  /** Whether it agrees when asked to cancel units it has not shipped. */
  readonly acceptsCancellation: boolean;
}

export const BEHAVIOURS: Readonly<Record<BehaviourName, SupplierBehaviour>> = {
  fast: { ackAfterMinutes: 10, shipAfterHours: 4, rejectShare: 0, partialShare: 0, invalidTrackingShare: 0, staleStockHours: 0, acceptsCancellation: true },
  slow: { ackAfterMinutes: 45, shipAfterHours: 30, rejectShare: 0, partialShare: 0, invalidTrackingShare: 0, staleStockHours: 0, acceptsCancellation: true },
  rejects: { ackAfterMinutes: 15, shipAfterHours: 6, rejectShare: 0.5, partialShare: 0, invalidTrackingShare: 0, staleStockHours: 0, acceptsCancellation: true },
  silent: { shipAfterHours: 0, rejectShare: 0, partialShare: 0, invalidTrackingShare: 0, staleStockHours: 0, acceptsCancellation: false },
  partial: { ackAfterMinutes: 15, shipAfterHours: 8, rejectShare: 0, partialShare: 0.7, invalidTrackingShare: 0, staleStockHours: 0, acceptsCancellation: true },
  'bad-tracking': { ackAfterMinutes: 20, shipAfterHours: 6, rejectShare: 0, partialShare: 0, invalidTrackingShare: 0.6, staleStockHours: 0, acceptsCancellation: false },
  'stale-stock': { ackAfterMinutes: 20, shipAfterHours: 10, rejectShare: 0, partialShare: 0, invalidTrackingShare: 0, staleStockHours: 72, acceptsCancellation: true },
};

export interface Offer {
  readonly sku: string;
  readonly unitCost: number;
}

export interface SimSupplier {
  readonly supplierId: string;
  readonly name: string;
  /** Short code the gateway puts in PO numbers. */
  readonly code: string;
  readonly behaviour: BehaviourName;
  /** Habits that differ from the behaviour's (a faster shipper, a supplier that always rejects). */
  readonly habits?: Partial<SupplierBehaviour>;
  readonly confirmWithinHours: number;
  readonly shipWithinHours: number;
  readonly acceptsReturns: boolean;
  readonly offers: readonly Offer[];
  readonly stock: number;
  readonly handlingDays: number;
  readonly transitDays: number;
  readonly shipping: { readonly perShipment: number; readonly perUnit: number };
}

export interface SimWarehouse {
  readonly nodeId: string;
  readonly offers: readonly Offer[];
  readonly stock: number;
  /** Share of fulfilment requests the warehouse comes up short on. */
  readonly shortageShare: number;
  readonly shipAfterHours: number;
}

export interface Product {
  readonly sku: string;
  readonly name: string;
  /** Retail price, minor units. */
  readonly price: number;
}

export interface World {
  readonly currency: string;
  /** Sales tax added on top of each line, in basis points. */
  readonly taxBasisPoints: number;
  readonly shippingCharge: number;
  readonly products: readonly Product[];
  readonly warehouses: readonly SimWarehouse[];
  readonly suppliers: readonly SimSupplier[];
  /** The storefront's order mix, as shares that add up to 1. */
  readonly mix: { readonly singleSupplier: number; readonly multiSupplier: number; readonly warehouseAndSupplier: number };
  /** Share of accepted orders the customer cancels a line of. */
  readonly cancelShare: number;
  /** Share of shipments the customer returns a unit of. */
  readonly returnShare: number;
  /** Simulated minutes between acceptance and the customer's cancellation. */
  readonly cancelAfterMinutes: number;
  /** Simulated hours between a shipment and the customer's return request. */
  readonly returnAfterHours: number;
  /** Simulated hours a returned parcel takes to reach its destination. */
  readonly returnTransitHours: number;
  /** Simulated hours from a shipment to its delivery to the customer. */
  readonly deliveryAfterHours: number;
}

export const SCENARIOS = ['mixed', 'happy', 'chaos'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const SCENARIO_HELP: Readonly<Record<ScenarioName, string>> = {
  mixed: 'every supplier behaviour at once: fast, slow, rejecting, silent (time-outs), partial, bad tracking, stale stock',
  happy: 'every supplier fast and reliable, no warehouse shortages: the straight path',
  chaos: 'the mixed world with more cancellations, returns and warehouse shortages',
};

const supplier = (
  supplierId: string,
  name: string,
  code: string,
  behaviour: BehaviourName,
  offers: readonly Offer[],
  extra: Partial<SimSupplier> = {},
): SimSupplier => ({
  supplierId,
  name,
  code,
  behaviour,
  confirmWithinHours: 1,
  shipWithinHours: 48,
  acceptsReturns: true,
  offers,
  stock: 400,
  handlingDays: 1,
  transitDays: 3,
  shipping: { perShipment: 600, perUnit: 50 },
  ...extra,
});

/**
 * Several skus are sold by two nodes so a rejection, time-out or shortage has somewhere to go: the
 * cheaper node (the one sourcing picks first) is the one with the bad habit.
 */
const MIXED: World = {
  currency: 'USD',
  taxBasisPoints: 800,
  shippingCharge: 599,
  products: [
    { sku: 'MUG-STONE', name: 'Stoneware mug', price: 1499 },
    { sku: 'TOWEL-LINEN', name: 'Linen tea towel', price: 2499 },
    { sku: 'CANDLE-CEDAR', name: 'Cedar candle', price: 1899 },
    { sku: 'BLANKET-KNIT', name: 'Knit blanket', price: 5999 },
    { sku: 'LAMP-ARC', name: 'Arc floor lamp', price: 8999 },
    { sku: 'CHAIR-OAK', name: 'Oak dining chair', price: 15999 },
    { sku: 'RUG-WOOL', name: 'Wool rug 5x8', price: 12999 },
    { sku: 'VASE-GLASS', name: 'Glass vase', price: 3499 },
    { sku: 'SHELF-PINE', name: 'Pine wall shelf', price: 6999 },
    { sku: 'CLOCK-WALL', name: 'Wall clock', price: 4599 },
    { sku: 'PLANTER-CLAY', name: 'Clay planter', price: 2999 },
  ],
  warehouses: [
    {
      nodeId: 'wh-reno',
      offers: [
        { sku: 'MUG-STONE', unitCost: 500 },
        { sku: 'TOWEL-LINEN', unitCost: 900 },
        { sku: 'CANDLE-CEDAR', unitCost: 700 },
        { sku: 'BLANKET-KNIT', unitCost: 2500 },
      ],
      stock: 500,
      shortageShare: 0.05,
      shipAfterHours: 3,
    },
  ],
  suppliers: [
    supplier('acme-home', 'Acme Home Goods', 'ACME', 'fast', [
      { sku: 'LAMP-ARC', unitCost: 4900 },
      { sku: 'CHAIR-OAK', unitCost: 9000 },
      { sku: 'BLANKET-KNIT', unitCost: 3000 },
    ]),
    supplier('brightline', 'Brightline Rugs', 'BRT', 'slow', [
      { sku: 'RUG-WOOL', unitCost: 7000 },
      { sku: 'PLANTER-CLAY', unitCost: 1400 },
    ]),
    supplier('cobalt-glass', 'Cobalt Glassworks', 'CBT', 'rejects', [{ sku: 'VASE-GLASS', unitCost: 1500 }]),
    supplier('dormant-lighting', 'Dormant Lighting', 'DRM', 'silent', [{ sku: 'LAMP-ARC', unitCost: 4200 }], { acceptsReturns: false }),
    supplier('evergreen-wood', 'Evergreen Woodcraft', 'EVG', 'partial', [
      { sku: 'SHELF-PINE', unitCost: 3800 },
      { sku: 'VASE-GLASS', unitCost: 1700 },
    ]),
    supplier('fable-clocks', 'Fable Clocks', 'FBL', 'bad-tracking', [{ sku: 'CLOCK-WALL', unitCost: 2200 }]),
    supplier('granite-garden', 'Granite Garden', 'GRN', 'stale-stock', [{ sku: 'PLANTER-CLAY', unitCost: 1200 }], { acceptsReturns: false }),
  ],
  mix: { singleSupplier: 0.45, multiSupplier: 0.3, warehouseAndSupplier: 0.25 },
  cancelShare: 0.08,
  returnShare: 0.12,
  cancelAfterMinutes: 20,
  returnAfterHours: 6,
  returnTransitHours: 12,
  deliveryAfterHours: 36,
};

export function worldFor(scenario: ScenarioName): World {
  switch (scenario) {
    case 'mixed':
      return MIXED;
    case 'happy':
      return {
        ...MIXED,
        suppliers: MIXED.suppliers.map((s) => ({ ...s, behaviour: 'fast' as const })),
        warehouses: MIXED.warehouses.map((w) => ({ ...w, shortageShare: 0 })),
        cancelShare: 0,
      };
    case 'chaos':
      return {
        ...MIXED,
        warehouses: MIXED.warehouses.map((w) => ({ ...w, shortageShare: 0.25 })),
        cancelShare: 0.2,
        returnShare: 0.3,
      };
    default: {
      const never: never = scenario;
      throw new Error(`Unknown scenario ${String(never)}`);
    }
  }
}

export function habitsOf(supplier: SimSupplier): SupplierBehaviour {
  return { ...BEHAVIOURS[supplier.behaviour], ...supplier.habits };
}

/** Which nodes sell a sku (warehouses first). */
export function sellersOf(world: World, sku: string): string[] {
  return [
    ...world.warehouses.filter((w) => w.offers.some((o) => o.sku === sku)).map((w) => w.nodeId),
    ...world.suppliers.filter((s) => s.offers.some((o) => o.sku === sku)).map((s) => s.supplierId),
  ];
}
