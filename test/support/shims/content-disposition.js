// Jest's module loader cannot require() ES modules, and content-disposition@3 (used by
// @fastify/static for download headers, never for the Swagger UI assets our tests load) is ESM-only.
// This CommonJS stand-in covers the one function @fastify/static calls. Tests only.
'use strict';
function create() {
  return function contentDisposition(filename, options) {
    const type = (options && options.type) || 'attachment';
    if (filename === undefined) return type;
    return `${type}; filename="${String(filename).replace(/["\\\r\n]/g, '_')}"`;
  };
}
module.exports = { create, default: create() };
