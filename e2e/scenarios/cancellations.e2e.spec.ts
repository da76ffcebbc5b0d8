import { customerCancelsALine } from './customer-cancels';
import { rejectedNoAlternative } from './rejected-no-alternative';
import { E2eSystem } from './system';

const system = new E2eSystem();

beforeAll(() => system.start(), 240_000);
afterAll(() => system.stop(), 120_000);

describe('end to end: cancellations across the six services, with the simulated world', () => {
  it('3. the only seller rejects a line: it is cancelled and refunded exactly, the rest ships and completes', () => rejectedNoAlternative(system), 180_000);

  it('4. the customer cancels a line after acknowledgement: the supplier accepts, the line is cancelled and refunded', () => customerCancelsALine(system), 180_000);
});
