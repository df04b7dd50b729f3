import { KvDecryptionError } from '../errors.js';
import type { Serializer } from '../serializer/serializer.js';
import type { SodiumKeypair } from './sodium-keypair.js';

/**
 * End-to-end encryption around another serializer: each value is `inner`-serialized, then put in
 * a libsodium sealed box for the keypair's public key, so rr and its storage (Redis, BoltDB...)
 * only ever hold ciphertext. Byte-compatible with RoadRunner's PHP `SodiumSerializer`
 * (`sodium_crypto_box_seal` / `sodium_crypto_box_seal_open`), so PHP and Node workers sharing a
 * storage and a keypair file read each other's values when their inner serializers match (JSON).
 *
 * A value that does not open (tampered, truncated, sealed for another keypair, or stored without
 * encryption) raises {@link KvDecryptionError}; a sealed box is authenticated, so a changed byte
 * can never decrypt to something else.
 *
 * ```ts
 * const serializer = sealedSerializer(jsonSerializer, await loadSodiumKeypair('bin/keypair.key'));
 * const cache = new RrKvCache({ storage: 'redis', serializer });
 * ```
 */
export function sealedSerializer(inner: Serializer, keypair: SodiumKeypair): Serializer {
  const { sodium, publicKey, secretKey } = keypair;
  const name = `sealed(${inner.name})`;
  return {
    name,
    serialize(value: unknown): Uint8Array {
      return sodium.crypto_box_seal(inner.serialize(value), publicKey);
    },
    deserialize(bytes: Uint8Array): unknown {
      if (bytes.length < sodium.crypto_box_SEALBYTES) {
        throw new KvDecryptionError(`${bytes.length} bytes is shorter than any sealed box (${sodium.crypto_box_SEALBYTES} bytes of overhead)`, { serializer: name });
      }
      let opened: Uint8Array;
      try {
        opened = sodium.crypto_box_seal_open(bytes, publicKey, secretKey);
      } catch (error) {
        throw new KvDecryptionError(
          `the sealed box does not open with the keypair from ${keypair.source}: the value was tampered with, or sealed for another keypair, or stored unencrypted`,
          { serializer: name, cause: error },
        );
      }
      return inner.deserialize(opened);
    },
  };
}
