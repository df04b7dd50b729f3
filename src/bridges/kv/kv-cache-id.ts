/** The common start of the container ids of the auto-registered KV caches. */
export const KV_CACHE_ID_PREFIX = 'cache.adapter.rr_kv.';

/**
 * The container id of the cache on rr storage `storage`: `cache.adapter.rr_kv.<NAME>`, the id the
 * Symfony bundle uses. The name is lower-cased, as rr (viper) lower-cases every config key, so
 * `kvCacheId('Local')` and `kvCacheId('local')` name the same service.
 *
 * ```ts
 * const cache = currentScope().get<RrKvCache>(kvCacheId('local'));
 * ```
 */
export function kvCacheId(storage: string): string {
  return `${KV_CACHE_ID_PREFIX}${storage.toLowerCase()}`;
}
