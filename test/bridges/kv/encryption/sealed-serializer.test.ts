import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealedSerializer } from '../../../../src/bridges/kv/encryption/sealed-serializer.js';
import { loadSodiumKeypair, writeSodiumKeypair, type SodiumKeypair } from '../../../../src/bridges/kv/encryption/sodium-keypair.js';
import { KvDecryptionError } from '../../../../src/bridges/kv/errors.js';
import { jsonSerializer } from '../../../../src/bridges/kv/serializer/json-serializer.js';
import type { Serializer } from '../../../../src/bridges/kv/serializer/serializer.js';
import { v8Serializer } from '../../../../src/bridges/kv/serializer/v8-serializer.js';

const SEAL_OVERHEAD = 48; // ephemeral public key (32) + Poly1305 tag (16)

describe('sealedSerializer', () => {
  let dir: string;
  let keypair: SodiumKeypair;
  let other: SodiumKeypair;
  let sealed: Serializer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rrr-sealed-'));
    keypair = await loadSodiumKeypair(await writeSodiumKeypair(join(dir, 'a.key')));
    other = await loadSodiumKeypair(await writeSodiumKeypair(join(dir, 'b.key')));
    sealed = sealedSerializer(jsonSerializer, keypair);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function decryptionError(bytes: Uint8Array, serializer = sealed): KvDecryptionError {
    try {
      serializer.deserialize(bytes);
    } catch (error) {
      expect(error).to.be.instanceOf(KvDecryptionError);
      return error as KvDecryptionError;
    }
    expect.fail('expected a KvDecryptionError');
  }

  it('round-trips values through the inner serializer, and hides them', () => {
    const value = { card: '4111 1111 1111 1111', n: 42 };
    const bytes = sealed.serialize(value);
    const plain = jsonSerializer.serialize(value);
    expect(bytes.length).to.equal(plain.length + SEAL_OVERHEAD);
    expect(Buffer.from(bytes).includes(Buffer.from('4111'))).to.equal(false);
    expect(sealed.deserialize(bytes)).to.deep.equal(value);
    expect(sealed.name).to.equal('sealed(json)');

    const sealedV8 = sealedSerializer(v8Serializer, keypair);
    const map = new Map([['when', new Date(0)]]);
    expect(sealedV8.deserialize(sealedV8.serialize(map))).to.deep.equal(map);
  });

  it('seals the same value differently each time (an ephemeral key per value)', () => {
    expect(Buffer.from(sealed.serialize('same')).equals(Buffer.from(sealed.serialize('same')))).to.equal(false);
  });

  it('raises KvDecryptionError for any flipped byte: ephemeral key, tag or ciphertext', () => {
    const bytes = sealed.serialize({ amount: 100 });
    for (const index of [0, 31, 32, 47, 48, bytes.length - 1]) {
      const tampered = Uint8Array.from(bytes);
      tampered[index]! ^= 0x01;
      const error = decryptionError(tampered);
      expect(error.message).to.include('does not open with the keypair from').and.include(keypair.source);
      expect(error.code).to.equal('ERR_KV_DECRYPTION');
    }
  });

  it('raises KvDecryptionError for a value sealed for another keypair, stored unencrypted, or truncated', () => {
    decryptionError(sealedSerializer(jsonSerializer, other).serialize('secret'));
    decryptionError(jsonSerializer.serialize('a plain value written without encryption, long enough to look like a box'));
    expect(decryptionError(sealed.serialize('x').subarray(0, 20)).message).to.include('20 bytes is shorter than any sealed box');
  });
});
