import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * A dependency loaded on first use, synchronously, instead of by a static import: a static import
 * is loaded (and its whole module graph compiled) by every worker that imports our entry points,
 * used or not, and worker boot time and idle memory grow with it (`npm run bench:boot`). zod and
 * yaml are needed only when there is a config to validate, mime-types, etag and the proxy parsers
 * only when a request or a response uses them.
 *
 * The specifier is resolved as `import` resolves it (`import.meta.resolve`, so a package with an ES
 * and a CommonJS build gives its ES one) and loaded with `require`, which loads ES modules too
 * since Node 20.19 (our `engines`): the instance is the one `import(specifier)` gives, shared with an
 * app that imports the same package. For a CommonJS package it is its `module.exports`, which is
 * what a default import of it gives.
 */
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(resolveAsImport(specifier)) as T);
}

function resolveAsImport(specifier: string): string {
  // Sources compiled to CommonJS (tsx running them under mocha) have no import.meta.resolve; their
  // static imports became require() calls too, so require's own resolution is what they had.
  if (typeof import.meta.resolve !== 'function') return require.resolve(specifier);
  return fileURLToPath(import.meta.resolve(specifier));
}
