// Jest transform for the ES-module-only packages listed in esm-packages.js (NestJS 12 is published
// as ES modules only, "type": "module"). Our tests are CommonJS (ts-jest, "module": "commonjs").
// Jest 30 require()s ES modules natively only on Node 24.9+ (it needs vm.SourceTextModule
// #hasAsyncGraph); on older Node it runs a required file as CommonJS through the configured
// transform, so this one compiles the package files to CommonJS with TypeScript's transpiler,
// the same way Nest 11 was itself built. When Jest loads a file as an ES module
// (supportsStaticESM: Node 24.9+, or an import()), the source passes through unchanged.
// Tests only; the application runs the packages as published, through Node's require(esm).
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const ts = require('typescript');

const self = readFileSync(__filename);

/**
 * `import.meta` has no CommonJS form; these are its uses in the packages. A module's own
 * `const require = createRequire(import.meta.url)` would clash with CommonJS's `require`, which
 * already is that function.
 */
function replaceImportMeta(source) {
  return source
    .replace(/^(?:const|let|var) require = createRequire\(import\.meta\.url\);?$/gm, '')
    .replace(/\bimport\.meta\.resolve\(/g, 'require.resolve(')
    .replace(/\bimport\.meta\.url\b/g, "require('node:url').pathToFileURL(__filename).href")
    .replace(/\bimport\.meta\.dirname\b/g, '__dirname')
    .replace(/\bimport\.meta\.filename\b/g, '__filename');
}

/** Node's rule: a .js file is an ES module when the nearest package.json says "type": "module". */
function isEsm(filename) {
  for (let dir = dirname(filename); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
  }
  return false;
}

module.exports = {
  process(source, filename, options) {
    if (options.supportsStaticESM || !isEsm(filename)) return { code: source };
    const output = ts.transpileModule(replaceImportMeta(source), {
      fileName: filename,
      compilerOptions: {
        allowJs: true,
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        sourceMap: true,
      },
    });
    return { code: output.outputText, map: output.sourceMapText };
  },

  getCacheKey(source, filename, options) {
    return createHash('sha1')
      .update(self)
      .update(ts.version)
      .update(String(Boolean(options.supportsStaticESM)))
      .update(filename)
      .update(source)
      .digest('hex');
  },
};
