import { EventEmitter } from 'node:events';
import { RrKvCache, type RrKvCacheOptions } from './rr-kv-cache.js';

/** One entry of {@link RrKvKeyvStore.setMany}, as Keyv passes it. */
export interface KeyvStoreEntry {
  key: string;
  value: unknown;
  /** Milliseconds, as everywhere in Keyv. */
  ttl?: number;
}

/**
 * A Keyv storage adapter (keyv >= 5, and `cache-manager` >= 6 through Keyv) on an rr KV storage, so
 * code written against Keyv shares rr's cache with every worker:
 *
 * ```ts
 * import Keyv from 'keyv';
 * import { createCache } from 'cache-manager';
 *
 * const store = new RrKvKeyvStore(container.get(kvCacheId('local')));   // or new RrKvKeyvStore({ storage: 'local' })
 * const keyv = new Keyv({ store, namespace: 'users' });
 * const cache = createCache({ stores: [new Keyv({ store })] });
 * ```
 *
 * How it meets Keyv's contract (`KeyvStoreAdapter`, checked structurally by the tests so keyv stays
 * out of this package's dependencies):
 * - **Namespaces**: Keyv prefixes keys itself (`users:42`) and assigns `store.namespace`; the store
 *   keeps the keys as given, so they are not prefixed twice. The cache's own `prefix` still
 *   applies underneath.
 * - **Values** are what Keyv hands over (its serialized string, or `{ value, expires }` when Keyv
 *   serialization is off), encoded again by the cache's serializer; Keyv checks `expires` itself.
 * - **TTLs** arrive in milliseconds and are given to rr, whose resolution is one second (rounded
 *   up), so rr drops the item soon after Keyv stops returning it.
 * - **`clear()` is the cache's `clear()`**: with a cache `prefix`, it deletes the keys written under
 *   that prefix (every Keyv namespace on this cache included) and nothing else in the storage;
 *   without one it refuses (`KvClearRefusedError`) unless the cache was made with
 *   `ownsStorage: true`. Give each namespace that must be cleared on its own a cache prefix of
 *   its own.
 * - **Errors** are thrown (Keyv turns them into its `error` event and, for reads, misses).
 */
export class RrKvKeyvStore extends EventEmitter {
  /** The cache the store reads and writes through. */
  readonly cache: RrKvCache;
  /** Keyv reads adapter options from here; `dialect` names the backend. */
  readonly opts: { dialect: 'rr-kv'; storage: string; prefix: string };
  /** Set by Keyv; informational (keys arrive already prefixed with it). */
  namespace?: string | undefined;

  constructor(cache: RrKvCache | RrKvCacheOptions) {
    super();
    this.cache = cache instanceof RrKvCache ? cache : new RrKvCache(cache);
    this.opts = { dialect: 'rr-kv', storage: this.cache.storage, prefix: this.cache.prefix };
  }

  /** The stored value, or `undefined`. */
  async get<Value>(key: string): Promise<Value | undefined> {
    const value = await this.cache.get<Value>(key);
    // Keyv treats null and undefined alike; undefined is what its contract names.
    return value === null ? undefined : value;
  }

  /** Values in the order of `keys`, `undefined` for the missing ones. */
  async getMany<Value>(keys: string[]): Promise<Array<Value | undefined>> {
    const values = await this.cache.getMany<Value>(keys);
    return keys.map((key) => values.get(key) ?? undefined);
  }

  /** Stores `value`; `ttl` in ms (absent or 0 = no expiry, as Keyv means it). */
  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    await this.cache.set(key, value, secondsOf(ttl));
    return true;
  }

  /** Stores several entries, each with its own TTL (grouped so equal TTLs share one rr call); throws if any write fails. */
  async setMany(entries: KeyvStoreEntry[]): Promise<void> {
    const byTtl = new Map<number | undefined, Array<[string, unknown]>>();
    for (const entry of entries) {
      const ttl = secondsOf(entry.ttl);
      const group = byTtl.get(ttl) ?? [];
      group.push([entry.key, entry.value]);
      byTtl.set(ttl, group);
    }
    await Promise.all([...byTtl].map(([ttl, pairs]) => this.cache.setMany(pairs, ttl)));
  }

  /** Deletes `key`; `true` when it existed (one extra rr call: `kv.Delete` does not say). */
  async delete(key: string): Promise<boolean> {
    const existed = await this.cache.has(key);
    await this.cache.delete(key);
    return existed;
  }

  /** Deletes `keys`; `true` when every one of them existed. */
  async deleteMany(keys: string[]): Promise<boolean> {
    const existed = await this.cache.hasMany(keys);
    await this.cache.deleteMany(keys);
    return keys.every((key) => existed.get(key) === true);
  }

  /** Whether `key` exists in rr. */
  has(key: string): Promise<boolean> {
    return this.cache.has(key);
  }

  /** Whether each of `keys` exists, in order. */
  async hasMany(keys: string[]): Promise<boolean[]> {
    const existed = await this.cache.hasMany(keys);
    return keys.map((key) => existed.get(key) === true);
  }

  /** The cache's `clear()`: its prefix's keys, or the whole storage it owns (see the class comment). */
  clear(): Promise<void> {
    return this.cache.clear();
  }

  /** Closes the cache's KV client if the cache owns it (a container-bound cache's is shared and stays open). */
  disconnect(): Promise<void> {
    return this.cache.close();
  }
}

/** Keyv's milliseconds to the cache's seconds: `undefined`/0 = none, negatives stay negative (delete). */
function secondsOf(ttl: number | undefined): number | undefined {
  if (ttl === undefined || ttl === 0) return undefined;
  return ttl / 1000;
}
