import { createToken, type Binding, type Token } from '../../container/index.js';
import type { RrConfig, RrKvStorage } from '../../runtime/config/rr-config.js';
import type { RuntimeConfig } from '../../runtime/config/runtime-config.js';
import type { RpcClient } from '../../runtime/rpc/rpc-client.js';
import { discoverKvStorages, type DiscoverKvStoragesOptions, type KvStorageDiscovery } from './discover-kv-storages.js';
import { KvConfigError } from './errors.js';
import { kvCacheId } from './kv-cache-id.js';
import { KvClient } from './kv-client.js';
import { RrKvCache } from './rr-kv-cache.js';
import { kvSerializer } from './serializer/kv-serializer.js';
import { resolveSerializer, type RegisteredSerializers } from './serializer/resolve-serializer.js';
import type { Serializer } from './serializer/serializer.js';

/** The KV client every auto-registered cache shares (one RPC connection); a singleton the container disposes. */
export const KV_CLIENT: Token<KvClient> = createToken<KvClient>('kv.client');

/** Tag of every auto-registered cache: `container.getTagged(KV_CACHE_TAG)` lists them. */
export const KV_CACHE_TAG: Token<RrKvCache> = createToken<RrKvCache>('cache.adapter.rr_kv');

/** Options of {@link kvBindings}. */
export interface KvBindingsOptions {
  /**
   * The runtime config: `kv.auto_register: false` registers nothing; `kv.serializer` picks the
   * serializer (see `resolveSerializer`). `kv.keypair_path` needs the keypair loaded, which is
   * asynchronous: use {@link discoverKvBindings}, or pass `serializer: await kvSerializer({ runtimeConfig })`;
   * kvBindings refuses it rather than store values unencrypted. Default: auto-register on, JSON
   * (`kv.serializer: null`; msgpack only when named), no encryption.
   */
  runtimeConfig?: { kv?: Partial<Pick<RuntimeConfig['kv'], 'auto_register' | 'serializer' | 'keypair_path'>> };
  /**
   * The storages to register: what {@link discoverKvStorages} found (preferred: it asks the running
   * rr), or a list of storages or names. When absent, `rrConfig`'s `kv:` section is used.
   */
  storages?: KvStorageDiscovery | readonly (RrKvStorage | string)[];
  /** A loaded `.rr.yaml` (`loadRrConfig()`), used when `storages` is absent; also gives `rpc.listen`. */
  rrConfig?: RrConfig;
  /**
   * The RPC client the caches call rr through, owned by the caller (never closed by the container).
   * Default: one client for all caches, made on `address`, dialed at first use, closed when the
   * container is disposed.
   */
  rpc?: RpcClient;
  /**
   * rr's RPC address for the default client. Default `RR_RPC` (set by rr in workers), else the
   * address discovery used, else `rrConfig`'s `rpc.listen`, else `tcp://127.0.0.1:6001`.
   */
  address?: string;
  /** Encodes cache values, overriding `kv.serializer` and `kv.keypair_path`. Default: what the runtime config asks for. */
  serializer?: Serializer;
  /** Serializers `kv.serializer` may name besides `json`, `v8` and `msgpack`. */
  serializers?: RegisteredSerializers;
  /**
   * Key prefix of every registered cache (see `RrKvCacheOptions.prefix`). Default `''`: then
   * `clear()` on a registered cache refuses, unless `ownsStorage` is set.
   */
  prefix?: string;
  /**
   * The storages belong to these caches alone: their `clear()` empties the whole storage (see
   * `RrKvCacheOptions.ownsStorage`). Default `false`.
   */
  ownsStorage?: boolean;
}

/**
 * Container bindings for rr's KV storages: for each storage, the singleton {@link RrKvCache}
 * `cache.adapter.rr_kv.<NAME>` (build ids with {@link kvCacheId}, tagged {@link KV_CACHE_TAG}), plus
 * the {@link KV_CLIENT} they share. Synchronous, and free of I/O: the storage list is given (find it
 * with {@link discoverKvStorages} first, or pass a loaded `rrConfig`), and nothing connects to rr
 * until a cache is first used, so a container can be built where rr is not running.
 *
 * With `kv.auto_register: false` it returns no binding at all.
 *
 * ```ts
 * const runtimeConfig = await loadRuntimeConfig();
 * const container = createContainer({
 *   bindings: [...kvBindings({ runtimeConfig, storages: await discoverKvStorages({ runtimeConfig }) })],
 * });
 * const cache = container.get<RrKvCache>(kvCacheId('local'));
 * ```
 *
 * @throws KvConfigError when neither `storages` nor `rrConfig` is given, a storage name is empty,
 *   `kv.serializer` names no known serializer, or `kv.keypair_path` is set and no `serializer` is given
 */
export function kvBindings(options: KvBindingsOptions): Binding[] {
  if (options.runtimeConfig?.kv?.auto_register === false) return [];
  const names = storageNames(options);
  if (names.length === 0) return [];

  const serializer = options.serializer ?? serializerFromConfig(options);
  const discovered = isDiscovery(options.storages) ? options.storages : undefined;
  // Discovery already chose between RR_RPC and the config's rpc.listen; reuse its answer.
  const address = options.address ?? discovered?.rpcAddress ?? (process.env['RR_RPC'] || undefined) ?? options.rrConfig?.rpcAddress();
  const clientBinding: Binding<KvClient> =
    options.rpc === undefined
      ? { id: KV_CLIENT, useFactory: () => new KvClient(address === undefined ? {} : { address }) }
      : // A shared RpcClient: the KvClient does not own it, so disposing the container leaves it open.
        { id: KV_CLIENT, useFactory: (): KvClient => new KvClient({ rpc: options.rpc! }) };

  const prefix = options.prefix;
  const ownsStorage = options.ownsStorage;
  return [
    clientBinding,
    ...names.map(
      (storage): Binding<RrKvCache> => ({
        id: kvCacheId(storage),
        useFactory: (client: KvClient) =>
          new RrKvCache({
            storage,
            client,
            serializer,
            ...(prefix === undefined ? {} : { prefix }),
            ...(ownsStorage === undefined ? {} : { ownsStorage }),
          }),
        inject: [KV_CLIENT],
        tags: [KV_CACHE_TAG],
      }),
    ),
  ];
}

/**
 * {@link discoverKvStorages} then {@link kvBindings}, for apps that build their container in an
 * async boot function anyway. Unlike kvBindings it also honours `kv.keypair_path`: the keypair is
 * loaded (and checked) here, at boot, relative to `projectDir`.
 *
 * @throws KvDiscoveryError, KvConfigError, KvKeypairError, KvSodiumUnavailableError
 */
export async function discoverKvBindings(options: Omit<KvBindingsOptions, 'storages'> & DiscoverKvStoragesOptions): Promise<Binding[]> {
  if (options.runtimeConfig?.kv?.auto_register === false) return [];
  const serializer =
    options.serializer ??
    (await kvSerializer({
      ...(options.runtimeConfig === undefined ? {} : { runtimeConfig: options.runtimeConfig }),
      ...(options.projectDir === undefined ? {} : { projectDir: options.projectDir }),
      ...(options.serializers === undefined ? {} : { serializers: options.serializers }),
    }));
  const storages = await discoverKvStorages(options);
  return kvBindings({ ...options, storages, serializer });
}

/**
 * A config asking for sealed values must not quietly get plain ones: the data would be readable
 * by whoever can read the storage.
 */
function serializerFromConfig(options: KvBindingsOptions): Serializer {
  const kv = options.runtimeConfig?.kv;
  if (kv?.keypair_path !== undefined && kv.keypair_path !== null) {
    throw new KvConfigError(
      'serializer',
      `the runtime config sets kv.keypair_path (${kv.keypair_path}): use discoverKvBindings(), or pass kvBindings({ serializer: await kvSerializer({ runtimeConfig }) })`,
    );
  }
  return resolveSerializer(kv?.serializer, options.serializers);
}

function storageNames(options: KvBindingsOptions): string[] {
  const given = options.storages;
  let list: readonly (RrKvStorage | string)[];
  if (given === undefined) {
    if (options.rrConfig === undefined) {
      throw new KvConfigError('storages', 'give the storages (await discoverKvStorages(...)) or a loaded rrConfig (await loadRrConfig(...))');
    }
    list = options.rrConfig.kvStorages();
  } else {
    list = isDiscovery(given) ? given.storages : given;
  }
  const names = list.map((storage, index) => {
    const name = typeof storage === 'string' ? storage : storage?.name;
    if (typeof name !== 'string' || name.trim() === '') {
      throw new KvConfigError(`storages[${index}]`, `expected a storage name (a non-empty string), got ${JSON.stringify(name)}`);
    }
    // rr lower-cases storage names (viper): the RPC calls must use that form.
    return name.toLowerCase();
  });
  return [...new Set(names)];
}

function isDiscovery(value: KvBindingsOptions['storages']): value is KvStorageDiscovery {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'storages' in value;
}
