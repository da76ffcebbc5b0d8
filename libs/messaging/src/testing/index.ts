export { readTopic, type ReadRecord } from './read-topic';
export { TopicReader, type SeenMessage } from './topic-reader';
export { groupCaughtUp } from './group-caught-up';
