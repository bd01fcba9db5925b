/**
 * The fault suite (`npm run test:faults`): outages, slow database, restarts, several instances and
 * graceful shutdown. Each file owns its databases (a private PostgreSQL instance or a fresh database on
 * the shared cluster), so there is no global setup; run it in band.
 */
const { resolve } = require('node:path');
const { esmTransform, transformIgnorePatterns } = require('../support/esm-packages');

const rootDir = resolve(__dirname, '..', '..');

module.exports = {
  displayName: 'faults',
  rootDir,
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
    ...esmTransform,
  },
  transformIgnorePatterns,
  moduleNameMapper: {
    '^src/(.*)$': '<rootDir>/src/$1',
    '^test/(.*)$': '<rootDir>/test/$1',
    // ESM-only dependency of @fastify/static; see the shim's header.
    '^content-disposition$': '<rootDir>/test/support/shims/content-disposition.js',
  },
  testTimeout: 120_000,
  // The files start servers and PostgreSQL instances: one at a time on a small machine.
  maxWorkers: 1,
  slowTestThreshold: 60,
};
