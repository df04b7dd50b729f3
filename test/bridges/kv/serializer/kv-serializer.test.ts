import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSodiumKeypair } from '../../../../src/bridges/kv/encryption/sodium-keypair.js';
import { KvConfigError, KvDecryptionError, KvKeypairError } from '../../../../src/bridges/kv/errors.js';
import { kvSerializer } from '../../../../src/bridges/kv/serializer/kv-serializer.js';
import type { Serializer } from '../../../../src/bridges/kv/serializer/serializer.js';
import { rejection } from '../../../support/assertions.js';

const text: Serializer = {
  name: 'text',
  serialize: (value) => new TextEncoder().encode(String(value)),
  deserialize: (bytes) => new TextDecoder().decode(bytes),
};

describe('kvSerializer (from the runtime config)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rrr-kv-serializer-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the named serializer, built-in or registered, unsealed without a keypair', async () => {
    expect((await kvSerializer({ runtimeConfig: { kv: { serializer: 'v8' } } })).name).to.equal('v8');
    expect(await kvSerializer({ runtimeConfig: { kv: { serializer: 'text' } }, serializers: { text } })).to.equal(text);
    const error = await rejection(kvSerializer({ runtimeConfig: { kv: { serializer: 'php' } }, serializers: { text } }));
    expect(error).to.be.instanceOf(KvConfigError);
    expect((error as Error).message).to.include('unknown serializer "php"').and.include('"text"');
  });

  it('seals the chosen serializer with kv.keypair_path, resolved against the project dir', async () => {
    await writeSodiumKeypair(join(dir, 'keypair.key'));
    const serializer = await kvSerializer({ runtimeConfig: { kv: { serializer: 'text', keypair_path: 'keypair.key' } }, serializers: { text }, projectDir: dir });
    expect(serializer.name).to.equal('sealed(text)');
    const bytes = serializer.serialize('hello');
    expect(new TextDecoder().decode(bytes)).not.to.include('hello');
    expect(serializer.deserialize(bytes)).to.equal('hello');
    expect(() => serializer.deserialize(text.serialize('hello'.repeat(20)))).to.throw(KvDecryptionError);
  });

  it('fails at boot with the absolute path when the keypair file is missing', async () => {
    const error = await rejection(kvSerializer({ runtimeConfig: { kv: { keypair_path: 'bin/keypair.key' } }, projectDir: dir }));
    expect(error).to.be.instanceOf(KvKeypairError);
    expect((error as KvKeypairError).path).to.equal(join(dir, 'bin/keypair.key'));
  });
});
