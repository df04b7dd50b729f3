import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SOURCE_NODE_ARGS } from '../../../support/process-peer.js';

const bin = join(ROOT, 'src', 'bin', 'rr-kv-keypair.ts');

/** Runs the installed command the way a user does, from their project directory. */
function cli(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [...SOURCE_NODE_ARGS, bin, ...args], { cwd, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('rr-kv-keypair (bin)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rrr-kv-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a new owner-only 64-byte keypair and says how to use it', async () => {
    const run = cli(dir, 'keypair.key');
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include(`wrote a new keypair to ${join(dir, 'keypair.key')} (mode 0600)`).and.include('kv.keypair_path: keypair.key');
    expect((await readFile(join(dir, 'keypair.key'))).length).to.equal(64);
    expect((await stat(join(dir, 'keypair.key'))).mode & 0o777).to.equal(0o600);

    const check = cli(dir, '--check', 'keypair.key');
    expect(check.code, check.stderr).to.equal(0);
    expect(check.stdout).to.match(/a valid keypair; public key [0-9a-f]{64}/);
  });

  it('refuses to overwrite a keypair (exit 1, file unchanged)', async () => {
    expect(cli(dir, 'keypair.key').code).to.equal(0);
    const before = await readFile(join(dir, 'keypair.key'));
    const again = cli(dir, 'keypair.key');
    expect(again.code).to.equal(1);
    expect(again.stderr).to.include('already exists');
    expect(again.stdout).to.equal('');
    expect((await readFile(join(dir, 'keypair.key'))).equals(before)).to.equal(true);
  });

  it('exits 1 with the reason for a file that is not a keypair, and 2 for wrong arguments', async () => {
    await writeFile(join(dir, 'bad.key'), 'not a key');
    const check = cli(dir, '--check', 'bad.key');
    expect(check.code).to.equal(1);
    expect(check.stderr).to.include(join(dir, 'bad.key')).and.include('holds 9 bytes');

    const none = cli(dir);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.include('missing the keypair file path').and.include('Usage: rr-kv-keypair');
    expect(cli(dir, 'a.key', 'b.key').code).to.equal(2);
    expect(cli(dir, '--help').stdout).to.include('sodium_crypto_box_keypair()');
  });
});
