import { multiSupplierOrder } from './multi-supplier';
import { E2eSystem } from './system';

const system = new E2eSystem();

beforeAll(() => system.start(), 240_000);
afterAll(() => system.stop(), 120_000);

describe('end to end: six services as processes on Kafka and PostgreSQL, with the simulated world', () => {
  it('1. a warehouse + two-supplier order ships three times, completes, and settles', () => multiSupplierOrder(system), 180_000);
});
