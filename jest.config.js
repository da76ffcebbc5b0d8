// Two projects: `unit` needs no infrastructure and runs in parallel; `integration` uses the real
// Kafka broker and PostgreSQL (started by jest.global-setup.js when not given) and runs in band.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/[/]/g, '\\/')}$`,
    path.join('<rootDir>', target),
  ]),
);

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform,
  moduleNameMapper,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/e2e', '<rootDir>/faults'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['**/*.int.spec.ts', '**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest.global-setup.js',
      globalTeardown: '<rootDir>/libs/testing/src/jest.global-teardown.js',
    },
    {
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/faults/**/*.faults.spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest.global-setup.js',
      globalTeardown: '<rootDir>/libs/testing/src/jest.global-teardown.js',
    },
  ],
  // A bound for a broken run only: tests wait on conditions, never on time.
  testTimeout: 120_000,
};
