import { partialReturnToSupplier } from './partial-return';
import { scorecardFeedback } from './scorecard-feedback';
import { E2eSystem } from './system';

const system = new E2eSystem();

beforeAll(() => system.start(), 240_000);
afterAll(() => system.stop(), 120_000);

describe('end to end: returns and supplier scorecards across the six service processes', () => {
  it('5. a partial return of a multi-supplier order goes back to its supplier: refund of one unit, credit expected from the supplier', () => partialReturnToSupplier(system), 240_000);
  it('6. a supplier that lets its POs time out is flagged and suspended, and sourcing stops choosing it', () => scorecardFeedback(system), 240_000);
});
