import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSodiumKeypair, SODIUM_KEYPAIR_BYTES, writeSodiumKeypair } from '../../../../src/bridges/kv/encryption/sodium-keypair.js';
import { KvKeypairError } from '../../../../src/bridges/kv/errors.js';
import { rejection } from '../../../support/assertions.js';

describe('sodium keypair files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rrr-keypair-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function keypairError(path: string, options: { projectDir?: string } = {}): Promise<KvKeypairError> {
    const error = await rejection(loadSodiumKeypair(path, options));
    expect(error).to.be.instanceOf(KvKeypairError);
    return error as KvKeypairError;
  }

  it('writes a 64-byte owner-only keypair and loads it back, relative to the project dir', async () => {
    const written = await writeSodiumKeypair('keypair.key', { projectDir: dir });
    expect(written).to.equal(join(dir, 'keypair.key'));
    expect((await stat(written)).mode & 0o777).to.equal(0o600);
    const bytes = await readFile(written);
    expect(bytes.length).to.equal(SODIUM_KEYPAIR_BYTES);

    const keypair = await loadSodiumKeypair('keypair.key', { projectDir: dir });
    expect(Buffer.from(keypair.secretKey).equals(bytes.subarray(0, 32))).to.equal(true);
    expect(Buffer.from(keypair.publicKey).equals(bytes.subarray(32))).to.equal(true);
    expect(keypair.source).to.equal(written);
  });

  it('never overwrites an existing file', async () => {
    const path = join(dir, 'keypair.key');
    await writeFile(path, 'precious');
    const error = await rejection(writeSodiumKeypair(path));
    expect(error).to.be.instanceOf(KvKeypairError);
    expect((error as Error).message).to.include(path).and.include('already exists');
    expect(await readFile(path, 'utf8')).to.equal('precious');
  });

  it('names the absolute path of a missing file, a directory, or a file in a missing directory', async () => {
    const missing = await keypairError('bin/keypair.key', { projectDir: dir });
    expect(missing.path).to.equal(join(dir, 'bin/keypair.key'));
    expect(missing.message).to.include(join(dir, 'bin/keypair.key')).and.include('does not exist').and.include('rr-kv-keypair');

    await mkdir(join(dir, 'adir'));
    expect((await keypairError(join(dir, 'adir'))).message).to.include('is a directory');
    expect((await keypairError('')).message).to.include('expected a file path');
  });

  it('refuses a file of the wrong size, and says when it looks base64- or hex-encoded', async () => {
    const written = await readFile(await writeSodiumKeypair(join(dir, 'raw.key')));
    await writeFile(join(dir, 'short.key'), written.subarray(0, 32));
    expect((await keypairError(join(dir, 'short.key'))).message).to.include('holds 32 bytes, a keypair is 64 raw bytes');

    await writeFile(join(dir, 'b64.key'), written.toString('base64') + '\n');
    expect((await keypairError(join(dir, 'b64.key'))).message).to.include('looks base64-encoded');
    await writeFile(join(dir, 'hex.key'), written.toString('hex'));
    expect((await keypairError(join(dir, 'hex.key'))).message).to.include('looks hex-encoded');
  });

  it('refuses 64 bytes whose public half is not the secret half\'s (corrupt or two keys pasted together)', async () => {
    const first = await readFile(await writeSodiumKeypair(join(dir, 'a.key')));
    const second = await readFile(await writeSodiumKeypair(join(dir, 'b.key')));
    await writeFile(join(dir, 'mixed.key'), Buffer.concat([first.subarray(0, 32), second.subarray(32)]));
    expect((await keypairError(join(dir, 'mixed.key'))).message).to.include('bytes 32-63 are not the public key of bytes 0-31');
    // PHP's sodium_crypto_box_keypair() order is secret then public; the reverse is refused too.
    await writeFile(join(dir, 'swapped.key'), Buffer.concat([first.subarray(32), first.subarray(0, 32)]));
    await keypairError(join(dir, 'swapped.key'));
  });
});
