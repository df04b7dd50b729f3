import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ROOT } from '../../support/process-peer.js';

describe('Sentry bridge: @sentry/node stays an optional peer', () => {
  it('no module of the bridge imports @sentry/* statically (only a lazy import() when configured)', () => {
    const dir = join(ROOT, 'src', 'bridges', 'sentry');
    const files = readdirSync(dir).filter((name) => name.endsWith('.ts'));
    expect(files).to.include('with-sentry.ts');
    for (const name of files) {
      // Comments (the usage examples) may name the package; code may not.
      const code = readFileSync(join(dir, name), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      // Static imports and re-exports, type-only ones included: those would make apps without the
      // package fail to type-check or to load. A literal import() would make tsc resolve its types.
      expect(code, name).to.not.match(/^\s*(?:import|export|\})[^'"`\n]*from\s+['"]@sentry\//m);
      expect(code, name).to.not.match(/^\s*import\s+['"]@sentry\//m);
      expect(code, name).to.not.match(/\bimport\(\s*['"]@sentry\//);
    }
  });

  it('declares @sentry/node as an optional peer dependency', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
      dependencies?: Record<string, string>;
    };
    expect(pkg.peerDependencies?.['@sentry/node']).to.be.a('string');
    expect(pkg.peerDependenciesMeta?.['@sentry/node']?.optional).to.equal(true);
    expect(pkg.dependencies ?? {}).to.not.have.property('@sentry/node');
  });
});
