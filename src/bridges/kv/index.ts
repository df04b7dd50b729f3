/**
 * rr's KV storages (memory, Redis, memcached, BoltDB) as caches shared by every worker: a typed
 * client for the `kv` RPC service, a cache adapter per storage, a Keyv store (so `keyv` and
 * `cache-manager` work on rr), a session store, and auto-registration of every storage under
 * `kv:` in `.rr.yaml` as the container service `cache.adapter.rr_kv.<NAME>`.
 *
 * ```ts
 * import { defineApp, loadRuntimeConfig } from 'roadrunner-runtime';
 * import { createContainer, currentScope } from 'roadrunner-runtime/container';
 * import { HTTP_KERNEL, httpMode, fetchKernel } from 'roadrunner-runtime/http';
 * import { discoverKvStorages, kvBindings, kvCacheId, RrKvKeyvStore, type RrKvCache } from 'roadrunner-runtime/kv';
 * import Keyv from 'keyv';
 *
 * const runtimeConfig = await loadRuntimeConfig();                 // kv.auto_register, rr_config_path
 * const storages = await discoverKvStorages({ runtimeConfig });    // asks rr (rpc.Config), else reads .rr.yaml
 *
 * const container = createContainer({
 *   bindings: [
 *     ...kvBindings({ runtimeConfig, storages }),                  // cache.adapter.rr_kv.local, ...redis
 *     { id: HTTP_KERNEL, useValue: fetchKernel(async (request) => {
 *       const cache = currentScope().get<RrKvCache>(kvCacheId('local'));
 *       const hits = ((await cache.get<number>('hits')) ?? 0) + 1;
 *       await cache.set('hits', hits, 3600);                        // TTL in seconds, or a Date
 *       return Response.json({ hits });
 *     }) },
 *   ],
 * });
 *
 * // The same storage through Keyv (and cache-manager on top of Keyv):
 * const keyv = new Keyv({ store: new RrKvKeyvStore(container.get<RrKvCache>(kvCacheId('redis'))), namespace: 'users' });
 *
 * export default defineApp({ modes: { http: httpMode({ container }) } });
 * ```
 *
 * Nothing connects to rr before a cache is used, so the container builds where rr is not running
 * (an image build, a CLI command). Values are JSON by default (`kv.serializer`: `v8`, `msgpack`
 * or your own), sealed end to end when `kv.keypair_path` names a keypair file (`npx rr-kv-keypair
 * bin/keypair.key` writes one; `discoverKvBindings` loads it at boot). Errors:
 * `KvStorageNotFoundError` (rr has no such storage), `KvConnectionError`, `KvTtlError`,
 * `KvKeyError`, `KvValueError`/`KvDecryptionError` (a value that cannot be written or read back),
 * `KvKeypairError`, `KvDiscoveryError`, all `KvError`s.
 *
 * @module
 */
export { KvClient, type KvClientOptions, type KvExpireItem, type KvSetItem } from './kv-client.js';
export type { KvTtl } from './kv-ttl.js';
export { formatRfc3339, kvTimeout, parseKvTimeout } from './kv-timeout.js';
export { RrKvCache, type RrKvCacheOptions, type RrKvCacheTtl } from './rr-kv-cache.js';
export { RrKvKeyvStore, type KeyvStoreEntry } from './rr-kv-keyv-store.js';
export { KvSessionStore, type KvSessionStoreOptions } from './kv-session-store.js';
export { KV_CACHE_ID_PREFIX, kvCacheId } from './kv-cache-id.js';
export {
  discoverKvStorages,
  type DiscoverKvStoragesOptions,
  type KvStorageDiscovery,
  type KvStorageSource,
} from './discover-kv-storages.js';
export { discoverKvBindings, KV_CACHE_TAG, KV_CLIENT, kvBindings, type KvBindingsOptions } from './kv-bindings.js';
export {
  decodeKvRequest,
  decodeKvResponse,
  encodeKvRequest,
  encodeKvResponse,
  kvItem,
  type KvItemMessage,
  type KvRequestMessage,
  type KvResponseMessage,
} from './proto/kv-v1.js';
export {
  KvClearRefusedError,
  KvConfigError,
  KvConnectionError,
  KvDecryptionError,
  KvDiscoveryError,
  KvError,
  KvKeyError,
  KvKeypairError,
  KvSodiumUnavailableError,
  KvStorageNotFoundError,
  KvTtlError,
  KvValueError,
  type KvErrorDetails,
} from './errors.js';
export type { Serializer } from './serializer/serializer.js';
export { jsonSerializer } from './serializer/json-serializer.js';
export { v8Serializer } from './serializer/v8-serializer.js';
export { resolveSerializer, type RegisteredSerializers, type SerializerChoice } from './serializer/resolve-serializer.js';
export { kvSerializer, type KvSerializerOptions } from './serializer/kv-serializer.js';
export { sealedSerializer } from './encryption/sealed-serializer.js';
export {
  generateSodiumKeypair,
  loadSodiumKeypair,
  SODIUM_KEYPAIR_BYTES,
  type SodiumKeypair,
  writeSodiumKeypair,
} from './encryption/sodium-keypair.js';
// Types the public signatures above mention, so users can name them (and the API reference links them).
export type { MsgpackModule, SerializerPeers } from './serializer/resolve-serializer.js';
