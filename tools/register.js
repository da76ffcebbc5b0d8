// Runs TypeScript sources directly (decorator metadata for NestJS DI, tsconfig path aliases)
// through SWC, so the embedded run, service processes and benchmarks need no build step.
const path = require('node:path');
process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
