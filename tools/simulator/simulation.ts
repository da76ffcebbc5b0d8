import { CATALOG_EVENTS, TOPICS } from '@oms/contracts';
import type { MessagingRuntime } from '@oms/messaging';
import { randomUUID } from 'node:crypto';
import { SimulatedCarrier, type Parcel } from './carrier';
import { listen, message, stableId, type SimulatorLinks } from './links';
import { SimulatedReceiving, type ExpectedParcel } from './receiving';
import type { Scheduled } from './schedule';
import { SimulatedStorefront, type CustomerAction } from './storefront';
import { SimulationSummary, SUMMARY_TOPICS } from './summary';
import { SimulatedSupplier } from './supplier';
import { SimulatedWarehouse, type WarehouseTask } from './warehouse';
import type { ScenarioName, World } from './world';

const HOUR = 3_600_000;

/** What a stopped simulation needs to carry on where it was (kept in the data folder). */
export interface SimulatorState {
  readonly seed: string;
  readonly scenario: ScenarioName;
  readonly placed: number;
  /** Simulated time when it stopped: a resumed run's clock continues from here. */
  readonly simulatedTime: string;
  readonly customerActions: readonly Scheduled<CustomerAction>[];
  readonly warehouseTasks: readonly Scheduled<WarehouseTask>[];
  readonly parcels: readonly Scheduled<ExpectedParcel>[];
  readonly deliveries?: readonly Scheduled<Parcel>[];
  readonly orders?: readonly string[];
}

export interface SimulationOptions {
  readonly world: World;
  readonly scenario: ScenarioName;
  /** Names this run: order numbers, tracking numbers and every random choice follow from it. */
  readonly seed: string;
  /** Orders per minute of wall-clock time. 0 places none (scenario tests place their own). */
  readonly ratePerMinute: number;
  readonly links: SimulatorLinks;
  readonly saved?: SimulatorState;
  /** Wall-clock milliseconds between two steps of the simulated world. */
  readonly tickMs?: number;
  /** Fold the topics into a live summary. */
  readonly summary?: boolean;
  /** Where returns end up when a supplier takes none back (printed on the packing slip too). */
  readonly returnAddress?: Record<string, string>;
}

const DEFAULT_RETURN_ADDRESS = { name: 'Returns Dept', line1: '9 Dock Rd', city: 'Reno', region: 'NV', postalCode: '89501', country: 'US' };

/**
 * The outside world of the OMS in one object: catalog and stock feeds, a storefront with its
 * customers, the warehouse system, the drop-ship suppliers, the carriers and the receiving docks
 * for returns.
 * It talks to the services only through their topics and HTTP APIs.
 */
export class Simulation {
  readonly storefront: SimulatedStorefront;
  readonly warehouse: SimulatedWarehouse;
  readonly receiving: SimulatedReceiving;
  readonly carrier: SimulatedCarrier;
  readonly suppliers: SimulatedSupplier[];
  readonly summary = new SimulationSummary();
  private readonly runtimes: MessagingRuntime[] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private lastFeeds = 0;
  private startedWall = Date.now();
  private readonly placedAtStart: number;
  tickError: Error | undefined;

  private constructor(private readonly options: SimulationOptions) {
    const { world, links, seed, saved } = options;
    this.placedAtStart = saved?.placed ?? 0;
    this.storefront = new SimulatedStorefront(world, links, seed, this.placedAtStart, saved?.customerActions, new Set(saved?.orders ?? []));
    this.warehouse = new SimulatedWarehouse(world.warehouses, links, seed, saved?.warehouseTasks);
    this.receiving = new SimulatedReceiving(links, seed, world.returnTransitHours, 0.1, saved?.parcels);
    this.carrier = new SimulatedCarrier(links, world.deliveryAfterHours, saved?.deliveries);
    this.suppliers = world.suppliers.map((s) => new SimulatedSupplier(s, links, seed, options.returnAddress ?? { ...DEFAULT_RETURN_ADDRESS, name: `${s.name} Returns` }));
  }

  /** Registers the suppliers, publishes the catalog and stock, starts every actor and the clock. */
  static async start(options: SimulationOptions): Promise<Simulation> {
    const simulation = new Simulation(options);
    await simulation.begin();
    return simulation;
  }

  private async begin(): Promise<void> {
    const { links, seed } = this.options;
    for (const supplier of this.suppliers) await supplier.register();
    await this.publishFeeds(links.clock.now());
    await this.storefront.start(`simulator-${seed}-storefront`);
    await this.warehouse.start(`simulator-${seed}-wms`);
    await this.receiving.start(`simulator-${seed}-receiving`);
    await this.carrier.start(`simulator-${seed}-carrier`);
    if (this.options.summary !== false) {
      // The summary is rebuilt from the topics at every start: a group of its own each time.
      const runtime = await links.messaging(`simulator-${seed}-summary-${randomUUID()}`, SUMMARY_TOPICS);
      this.runtimes.push(runtime);
      await listen(runtime, Object.fromEntries(SUMMARY_TOPICS.map((t) => [t.name, (m) => this.summary.apply(t.name, m.type, m.payload, m.eventId)])));
    }
    this.startedWall = Date.now();
    this.running = true;
    this.loop = this.run();
  }

  /** Catalog offers of every node and the warehouses' stock (suppliers send their own). */
  private async publishFeeds(now: Date): Promise<void> {
    const { world, links } = this.options;
    const asOf = now.toISOString();
    const feeds = [
      ...world.warehouses.map((w) =>
        message(TOPICS.catalogOffers.name, w.nodeId, CATALOG_EVENTS.nodeOffersPublished, {
          nodeId: w.nodeId,
          node: { kind: 'warehouse', region: 'US-West', handlingDays: 1, transitDays: 2, shipping: { perShipment: 450, perUnit: 40 }, dropShipAllowed: false },
          currency: world.currency,
          offers: w.offers,
          snapshot: true,
          asOf,
        }, now, stableId('offers', w.nodeId, asOf)),
      ),
      ...world.suppliers.map((s) =>
        message(TOPICS.catalogOffers.name, s.supplierId, CATALOG_EVENTS.nodeOffersPublished, {
          nodeId: s.supplierId,
          node: { kind: 'supplier', handlingDays: s.handlingDays, transitDays: s.transitDays, shipping: s.shipping, dropShipAllowed: true },
          currency: world.currency,
          offers: s.offers,
          snapshot: true,
          asOf,
        }, now, stableId('offers', s.supplierId, asOf)),
      ),
      ...world.warehouses.map((w) =>
        message(TOPICS.inventoryStock.name, w.nodeId, CATALOG_EVENTS.stockReported, { nodeId: w.nodeId, mode: 'snapshot', items: w.offers.map((o) => ({ sku: o.sku, quantity: w.stock })), asOf }, now, stableId('stock', w.nodeId, asOf)),
      ),
    ];
    await links.publisher.publish(feeds);
    this.lastFeeds = now.getTime();
  }

  /** Orders the storefront should have placed by now at the configured rate. */
  ordersDue(): number {
    return this.placedAtStart + Math.floor(((Date.now() - this.startedWall) / 60_000) * this.options.ratePerMinute);
  }

  /** One step of the world at the simulated time now. */
  async step(): Promise<void> {
    const now = this.options.links.clock.now();
    if (now.getTime() - this.lastFeeds >= 2 * HOUR) await this.publishFeeds(now);
    await this.storefront.tick(now, this.ordersDue());
    await Promise.all(this.suppliers.map((s) => s.tick(now)));
    await this.warehouse.tick(now);
    await this.receiving.tick(now);
    await this.carrier.tick(now);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.step();
        this.tickError = undefined;
      } catch (error) {
        // A service that is restarting or briefly unreachable: try again on the next step.
        this.tickError = error as Error;
        this.options.links.log(`simulator step failed: ${(error as Error).message}`);
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, this.options.tickMs ?? 250);
      });
    }
  }

  state(): SimulatorState {
    return {
      seed: this.options.seed,
      scenario: this.options.scenario,
      placed: this.storefront.placedTotal,
      simulatedTime: this.options.links.clock.now().toISOString(),
      customerActions: this.storefront.actions.toJSON(),
      warehouseTasks: this.warehouse.tasks.toJSON(),
      parcels: this.receiving.parcels.toJSON(),
      deliveries: this.carrier.parcels.toJSON(),
      orders: [...this.storefront.orders],
    };
  }

  async stop(): Promise<SimulatorState> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.storefront.close();
    await this.warehouse.close();
    await this.receiving.close();
    await this.carrier.close();
    for (const runtime of this.runtimes) await runtime.close();
    return this.state();
  }
}
