import { KvSodiumUnavailableError } from '../errors.js';

/**
 * The part of libsodium the KV encryption uses. Written out rather than taken from the package's
 * types: the package is optional, and apps without it must still type-check.
 */
export interface Sodium {
  readonly crypto_box_SEALBYTES: number;
  crypto_box_keypair(): { publicKey: Uint8Array; privateKey: Uint8Array };
  crypto_box_seal(message: Uint8Array, publicKey: Uint8Array): Uint8Array;
  crypto_box_seal_open(ciphertext: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array;
  crypto_scalarmult_base(secretKey: Uint8Array): Uint8Array;
  memcmp(a: Uint8Array, b: Uint8Array): boolean;
}

/**
 * libsodium (WASM), ready to use. It is an optional peer: loaded only when encryption is asked
 * for, so apps without `kv.keypair_path` never install or load it.
 *
 * @throws KvSodiumUnavailableError when `libsodium-wrappers` is not installed
 */
export async function loadSodium(): Promise<Sodium> {
  let module: { default?: unknown };
  // A variable specifier keeps TypeScript from needing the optional package's types.
  const specifier = 'libsodium-wrappers';
  try {
    module = (await import(specifier)) as { default?: unknown };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new KvSodiumUnavailableError(error);
    throw error;
  }
  // ESM gives the API as the default export; tsx's CJS interop can give it as the namespace.
  const sodium = (module.default ?? module) as Sodium & { ready: Promise<void> };
  await sodium.ready;
  return sodium;
}
