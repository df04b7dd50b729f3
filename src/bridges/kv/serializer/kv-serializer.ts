import type { RuntimeConfig } from '../../../runtime/config/runtime-config.js';
import { loadSodiumKeypair } from '../encryption/sodium-keypair.js';
import { sealedSerializer } from '../encryption/sealed-serializer.js';
import { resolveSerializer, type RegisteredSerializers } from './resolve-serializer.js';
import type { Serializer } from './serializer.js';

/** Options of {@link kvSerializer}. */
export interface KvSerializerOptions {
  /** The runtime config: its `kv.serializer` and `kv.keypair_path`. Default: JSON, no encryption. */
  runtimeConfig?: { kv?: Partial<Pick<RuntimeConfig['kv'], 'serializer' | 'keypair_path'>> };
  /** Directory `kv.keypair_path` is relative to (the bundle's `kernel.project_dir`). Default `process.cwd()`. */
  projectDir?: string;
  /** Serializers `kv.serializer` may name besides the built-in ones. */
  serializers?: RegisteredSerializers;
}

/**
 * The serializer the runtime config asks for, checked at boot: `kv.serializer` resolved (see
 * {@link resolveSerializer}), sealed with the keypair file when `kv.keypair_path` is set (see
 * {@link sealedSerializer}). Run it at boot, so a missing keypair or an unknown serializer stops the
 * worker before it serves anything, with the path or name in the error.
 *
 * @throws KvConfigError for an unknown serializer or one missing a method
 * @throws KvKeypairError for a missing, unreadable or malformed keypair file (absolute path in the message)
 * @throws KvSodiumUnavailableError when a keypair is set and `libsodium-wrappers` is not installed
 */
export async function kvSerializer(options: KvSerializerOptions = {}): Promise<Serializer> {
  const kv = options.runtimeConfig?.kv ?? {};
  const serializer = resolveSerializer(kv.serializer, options.serializers);
  if (kv.keypair_path === undefined || kv.keypair_path === null) return serializer;
  const keypair = await loadSodiumKeypair(kv.keypair_path, options.projectDir === undefined ? {} : { projectDir: options.projectDir });
  return sealedSerializer(serializer, keypair);
}
