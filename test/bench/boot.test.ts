/**
 * `npm run bench:boot` runs to its last line with one start per worker (its numbers are for people,
 * never asserted: the machine is shared).
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/process-peer.js';

const run = promisify(execFile);

describe('bench:boot', function () {
  // It compiles the package and the README app into a temp dir first.
  this.timeout(300_000);

  it('prints the three workers side by side and ends with the boot line', async () => {
    const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bench/boot.ts', '--runs', '1', '--settle-ms', '50'], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = stdout.trim().split('\n');
    expect(stdout).to.match(/^raw goridge worker\s+\d+\.\d\s+1\.00\s+\d+\.\d$/m);
    expect(stdout).to.match(/^compiled worker \+ README app \(node\)\s+\d+\.\d\s+\d+\.\d\d\s+\d+\.\d$/m);
    expect(stdout).to.match(/^compiled worker \+ README app \(tsx\)\s+\d+\.\d\s+\d+\.\d\d\s+\d+\.\d$/m);
    expect(lines.at(-1)).to.match(/^boot: \d+\.\d ms to handshake, \d+\.\d MiB idle RSS \(raw worker: \d+\.\d ms, \d+\.\d MiB\)$/);
  });
});
