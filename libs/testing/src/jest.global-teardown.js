// Stops what jest.global-setup.js started for this run only (a testcontainers broker). The local
// broker from deploy/kafka-local is left running: it is shared by runs and stopped by its script.
module.exports = async function globalTeardown() {
  const container = globalThis.__OMS_KAFKA_CONTAINER__;
  if (container) await container.stop();
};
