/** Two projects: unit tests beside the code, e2e tests against a real database. */
const { esmTransform, transformIgnorePatterns } = require('./test/support/esm-packages');

const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  ...esmTransform,
};
const moduleNameMapper = {
  '^src/(.*)$': '<rootDir>/src/$1',
  '^test/(.*)$': '<rootDir>/test/$1',
  // ESM-only dependency of @fastify/static; see the shim's header.
  '^content-disposition$': '<rootDir>/test/support/shims/content-disposition.js',
};

const unit = {
  displayName: 'unit',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns,
  moduleNameMapper,
};

const e2e = {
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns,
  moduleNameMapper,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  slowTestThreshold: 30,
};

// Jest's default is one worker per core minus one, which is a single worker on a 2-core machine. The
// e2e files spend much of their time waiting on the database and child processes, so two workers
// there finish the suite in about two thirds of the time.
const maxWorkers = Math.max(2, require('node:os').availableParallelism() - 1);

// JEST_PROJECT=unit|e2e runs one project as the root config, so a path given after `--` filters it
// (with --selectProjects, jest would read the path as another project name).
const only = { unit, e2e }[process.env.JEST_PROJECT ?? ''];
module.exports = only
  ? { testTimeout: 60000, maxWorkers, ...only }
  : { testTimeout: 60000, maxWorkers, projects: [unit, e2e] };
