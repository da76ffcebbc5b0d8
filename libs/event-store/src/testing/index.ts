export { eventStoreContract, type ContractFixture, type ContractOptions } from './event-store.contract';
export { runDecider } from './run-decider';
