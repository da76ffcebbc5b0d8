export { eventStoreContract, type ContractFixture, type ContractOptions } from './event-store.contract';
export { runDecider } from './run-decider';
export { CorpusRecorder, committedCorpusFile, corpusGaps, eventShapes, loadCorpus, storedVersion, writeCorpus, type CorpusEntry, type CorpusEvent, type CorpusFile } from './corpus';
