/**
 * The API reference (`npm run docs:api`) builds from the TSDoc of every entry point without a
 * warning: no public signature mentions a type users cannot import, and no `{@link}` points at
 * something unexported. TypeDoc comes from the cache beside rr (scripts/api-docs.sh installs it
 * from npm on first use).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { ROOT } from './support/process-peer.js';

describe('docs:api', function () {
  this.timeout(300_000);

  it('builds the API reference of every entry point with no warning or error', () => {
    const run = spawnSync('bash', [join(ROOT, 'scripts', 'api-docs.sh'), '--emit', 'none', '--treatWarningsAsErrors'], { cwd: ROOT, encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    expect(run.status, output).to.equal(0);
    expect(output).to.not.match(/\[(warning|error)\]/);
  });
});
