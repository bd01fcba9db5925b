// The ES-module-only packages our CommonJS tests reach through require(): the NestJS 12 packages,
// and path-to-regexp 9 that @fastify/middie (under @nestjs/platform-fastify) requires. Jest runs
// them through esm-to-cjs.transform.js (see its header); the rest of node_modules runs as published.
// Shared by the root, faults and browser Jest configurations.
'use strict';
const packages = ['@nestjs', 'path-to-regexp'].join('|');

module.exports = {
  esmTransform: {
    [`/node_modules/(${packages})/.+\\.js$`]: '<rootDir>/test/support/esm-to-cjs.transform.js',
  },
  // A file is left alone unless its innermost node_modules folder holds one of the packages.
  transformIgnorePatterns: [`/node_modules/(?!(${packages})/)(?!.*/node_modules/)`],
};
