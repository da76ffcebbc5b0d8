import { multiSupplierOrder } from './multi-supplier';
import { replayTheTimeOut, supplierTimesOut } from './supplier-time-out';
import { E2eSystem } from './system';

const system = new E2eSystem();

beforeAll(() => system.start(), 240_000);
afterAll(() => system.stop(), 120_000);

describe('end to end: six services as processes on Kafka and PostgreSQL, with the simulated world', () => {
  it('1. a warehouse + two-supplier order ships three times, completes, and settles', () => multiSupplierOrder(system), 180_000);

  it('2. a supplier that never confirms times out, the line is re-sourced and shipped; the CLI replays it', async () => {
    const { orderId, timedOutPoId } = await supplierTimesOut(system);
    await replayTheTimeOut(system, orderId, timedOutPoId);
  }, 180_000);
});
