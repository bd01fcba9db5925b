/** Two projects: unit tests beside the code, e2e tests against a real database. */
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
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
  moduleNameMapper,
};

const e2e = {
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  slowTestThreshold: 30,
};

// JEST_PROJECT=unit|e2e runs one project as the root config, so a path given after `--` filters it
// (with --selectProjects, jest would read the path as another project name).
const only = { unit, e2e }[process.env.JEST_PROJECT ?? ''];
module.exports = only
  ? { testTimeout: 60000, ...only }
  : { testTimeout: 60000, projects: [unit, e2e] };
