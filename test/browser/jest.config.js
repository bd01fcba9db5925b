/**
 * Browser tests: playwright-core driving Debian's Chromium (/usr/bin/chromium) against the real app.
 * Same transform and module mapping as the root config; the e2e global setup, so `DATABASE_URL`
 * runs them on PostgreSQL (a migrated template copied per test file) and its absence on PGlite.
 */
const { resolve } = require('node:path');
const { esmTransform, transformIgnorePatterns } = require('../support/esm-packages');

module.exports = {
  displayName: 'browser',
  rootDir: resolve(__dirname, '..', '..'),
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
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
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  // One Chromium at a time is plenty for a few flows and keeps small CI machines calm.
  maxWorkers: 1,
};
