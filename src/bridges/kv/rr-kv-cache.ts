import { KvClearRefusedError, KvConfigError, KvDecryptionError, KvKeyError, KvValueError } from './errors.js';
import { defaultKvSerializer } from './default-kv-serializer.js';
import { KvClient } from './kv-client.js';
import { KV_INDEX_MARKER, KvKeyIndex } from './kv-key-index.js';
import { remainingMsOf } from './kv-timeout.js';
import type { KvTtl } from './kv-ttl.js';
import type { Serializer } from './serializer/serializer.js';

/** Options of {@link RrKvCache}. */
export interface RrKvCacheOptions {
  /** The rr storage: a name under `kv:` in `.rr.yaml`, as rr knows it (lower-cased). Required. */
  storage: string;
  /**
   * The KV client to call rr through, usually shared by every storage (one RPC connection).
   * Default: a client of its own on `address` (dialed at first use).
   */
  client?: KvClient;
  /** rr's `rpc.listen`, when no `client` is given. Default `RR_RPC`, else `tcp://127.0.0.1:6001`. */
  address?: string;
  /** Encodes values to bytes and back. Default: JSON (readable from any language). */
  serializer?: Serializer;
  /**
   * Prepended to every key (`'app1:'` makes `user:1` the rr key `app1:user:1`), so several caches
   * can share one storage. Default `''`. With a prefix, the cache keeps an index of the keys it
   * writes (in the storage, under `<prefix>~rr-kv-index~/`), so `clear()` deletes exactly the keys
   * written under the prefix by every worker and nothing else (limits: docs/kv.md). Without one,
   * `clear()` refuses (`KvClearRefusedError`) unless `ownsStorage` is set.
   */
  prefix?: string;
  /**
   * The storage is this cache's alone: `clear()` empties the whole storage with rr's `kv.Clear`
   * (Redis: `FLUSHDB`), whatever the prefix, and no key index is kept. Default `false`.
   */
  ownsStorage?: boolean;
  /** The clock, in ms, deciding whether a TTL is already expired (then the key is deleted). Default `Date.now`. */
  now?: () => number;
}

/** A TTL for the cache: seconds from now or a Date; `null`/`undefined` = no expiry; `<= 0` or past = delete. */
export type RrKvCacheTtl = KvTtl | null | undefined;

/**
 * A cache on one rr KV storage (memory, Redis, memcached, BoltDB: whatever `.rr.yaml` declares),
 * shared by every worker. Values are encoded by a {@link Serializer} (JSON by default). This is the
 * service auto-registered as `cache.adapter.rr_kv.<NAME>`.
 *
 * PSR-16 semantics, including its one quirk: a TTL `<= 0` (or a Date in the past) **deletes** the
 * key rather than storing it; rr itself would store such an item forever.
 *
 * `clear()` removes only this cache's keys: with a `prefix`, the keys written under it (tracked in
 * a key index the caches keep in the storage); with `ownsStorage: true`, the whole storage; with
 * neither it refuses (`KvClearRefusedError`) rather than flush data it does not own.
 * `clearStorage()` flushes the storage explicitly.
 *
 * Nothing connects until the first call. Errors are the `KvClient`'s (`KvStorageNotFoundError`,
 * `KvConnectionError`, `KvError`), plus `KvValueError` naming the key when the serializer refuses a
 * value or cannot read stored bytes (`KvDecryptionError` for a sealed value that does not open).
 *
 * ```ts
 * const cache = new RrKvCache({ storage: 'local', prefix: 'app:' });
 * await cache.set('user:1', { name: 'Ann' }, 3600);
 * const user = await cache.get<{ name: string }>('user:1');
 * const many = await cache.getMany(['user:1', 'user:2'], null); // Map { 'user:1' => {...}, 'user:2' => null }
 * ```
 */
export class RrKvCache implements AsyncDisposable {
  /** The rr storage name. */
  readonly storage: string;
  /** The key prefix. */
  readonly prefix: string;
  /** How values are encoded. */
  readonly serializer: Serializer;
  /** The KV client calls go through. */
  readonly client: KvClient;
  /** Whether `clear()` may empty the whole storage (see {@link RrKvCacheOptions.ownsStorage}). */
  readonly ownsStorage: boolean;
  readonly #ownsClient: boolean;
  /** The keys this cache wrote, for `clear()`: kept when there is a prefix and the storage is shared. */
  readonly #index: KvKeyIndex | undefined;
  readonly #now: () => number;

  constructor(options: RrKvCacheOptions) {
    if (typeof options?.storage !== 'string' || options.storage.trim() === '') {
      throw new KvConfigError('storage', `expected the name of an rr KV storage (a non-empty string), got ${JSON.stringify(options?.storage)}`);
    }
    if (options.prefix !== undefined && typeof options.prefix !== 'string') {
      throw new KvConfigError('prefix', `expected a string, got ${typeof options.prefix}`);
    }
    const serializer = options.serializer ?? defaultKvSerializer();
    if (typeof serializer?.serialize !== 'function' || typeof serializer.deserialize !== 'function') {
      throw new KvConfigError('serializer', 'expected a Serializer: { name, serialize(value): Uint8Array, deserialize(bytes): unknown }');
    }
    this.storage = options.storage;
    this.prefix = options.prefix ?? '';
    this.serializer = serializer;
    this.#ownsClient = options.client === undefined;
    this.client = options.client ?? new KvClient(options.address === undefined ? {} : { address: options.address });
    this.#now = options.now ?? Date.now;
    if (options.ownsStorage !== undefined && typeof options.ownsStorage !== 'boolean') {
      throw new KvConfigError('ownsStorage', `expected true or false, got ${typeof options.ownsStorage}`);
    }
    this.ownsStorage = options.ownsStorage ?? false;
    this.#index =
      this.prefix === '' || this.ownsStorage
        ? undefined
        : new KvKeyIndex({ client: this.client, storage: this.storage, prefix: this.prefix, now: this.#now });
  }

  /** The value under `key`, or `defaultValue` (default `undefined`) when there is none. */
  async get<T = unknown>(key: string): Promise<T | undefined>;
  async get<T = unknown, D = T>(key: string, defaultValue: D): Promise<T | D>;
  async get(key: string, defaultValue?: unknown): Promise<unknown> {
    const rrKey = this.#key(key);
    const values = await this.client.mGet(this.storage, [rrKey]);
    return this.#decode(key, values.get(rrKey), defaultValue);
  }

  /**
   * Stores `value` under `key`. `ttl`: seconds from now or a Date; absent/`null` = no expiry; `<= 0`
   * or a past Date deletes the key instead (PSR-16).
   */
  async set(key: string, value: unknown, ttl?: RrKvCacheTtl): Promise<void> {
    await this.setMany([[key, value]], ttl);
  }

  /** Whether `key` exists (an expired key does not). */
  async has(key: string): Promise<boolean> {
    const rrKey = this.#key(key);
    return (await this.client.has(this.storage, [rrKey])).get(rrKey) === true;
  }

  /** Which of `keys` exist, in one call, in the order asked. */
  async hasMany(keys: Iterable<string>): Promise<Map<string, boolean>> {
    const asked = [...keys];
    const found = await this.client.has(this.storage, unique(asked.map((key) => this.#key(key))));
    return new Map(asked.map((key) => [key, found.get(this.#key(key)) === true]));
  }

  /** Removes `key`; removing a missing key is not an error. */
  async delete(key: string): Promise<void> {
    await this.deleteMany([key]);
  }

  /**
   * Removes this cache's keys and nothing else:
   * - with a `prefix`, every key written under it through an `RrKvCache` (by any worker), found
   *   through the key index the caches keep in the storage (limits: docs/kv.md);
   * - with `ownsStorage: true`, the whole storage (rr's `kv.Clear`; Redis: `FLUSHDB`).
   *
   * @throws KvClearRefusedError when the cache has no prefix and does not own the storage: the
   *   only way to clear it would flush every other user of the storage. Nothing is deleted.
   */
  async clear(): Promise<void> {
    if (this.ownsStorage) {
      await this.client.clear(this.storage);
      return;
    }
    if (this.#index === undefined) throw new KvClearRefusedError(this.storage);
    await this.#index.clear();
  }

  /**
   * Empties the **whole storage** (rr's `kv.Clear`; Redis: `FLUSHDB` of its database), every
   * prefix, session and other application's data included: the explicit way to flush a storage
   * this cache shares.
   */
  async clearStorage(): Promise<void> {
    await this.client.clear(this.storage);
  }

  /**
   * The values of `keys` in one call, in the order asked: a key that is missing maps to
   * `defaultValue` (default `undefined`).
   */
  async getMany<T = unknown>(keys: Iterable<string>): Promise<Map<string, T | undefined>>;
  async getMany<T = unknown, D = T>(keys: Iterable<string>, defaultValue: D): Promise<Map<string, T | D>>;
  async getMany(keys: Iterable<string>, defaultValue?: unknown): Promise<Map<string, unknown>> {
    const asked = [...keys];
    const values = await this.client.mGet(this.storage, unique(asked.map((key) => this.#key(key))));
    const result = new Map<string, unknown>();
    for (const key of asked) result.set(key, this.#decode(key, values.get(this.#key(key)), defaultValue));
    return result;
  }

  /**
   * Stores several values in one call, all with the same `ttl` (see {@link set}; `<= 0` deletes
   * them all). Accepts a Map, `[key, value]` pairs or a plain object.
   */
  async setMany(entries: Iterable<readonly [string, unknown]> | Readonly<Record<string, unknown>>, ttl?: RrKvCacheTtl): Promise<void> {
    const pairs = isIterable(entries) ? [...entries] : Object.entries(entries);
    if (pairs.length === 0) return;
    if (ttl !== undefined && ttl !== null && remainingMsOf(ttl, this.#now(), { method: 'kv.Set', storage: this.storage }) <= 0) {
      await this.deleteMany(pairs.map(([key]) => key));
      return;
    }
    // Encoded before the call: a value the serializer refuses fails the call before anything is written.
    const items = pairs.map(([key, value]) => ({ key: this.#key(key), value: this.#encode(key, value), ttl: ttl ?? null }));
    if (this.#index === undefined) {
      await this.client.set(this.storage, items);
      return;
    }
    // The index record goes in its own call, in parallel: one round trip, and only for keys it does not cover yet.
    await Promise.all([this.client.set(this.storage, items), this.#index.written(pairs.map(([key]) => key), this.#expiresAt(ttl))]);
  }

  /** Removes several keys in one call. */
  async deleteMany(keys: Iterable<string>): Promise<void> {
    const asked = unique([...keys]);
    await this.client.delete(this.storage, asked.map((key) => this.#key(key)));
    this.#index?.deleted(asked);
  }

  /**
   * Gives `key` a new expiry without rewriting its value (`kv.MExpire`); `<= 0` deletes it. Meant
   * for keys that exist and already have a TTL: rr's memory driver stores an empty value for a
   * missing key (which {@link get} then reads as missing) and blanks a key stored without TTL.
   */
  async expire(key: string, ttl: KvTtl): Promise<void> {
    if (remainingMsOf(ttl, this.#now(), { method: 'kv.MExpire', storage: this.storage }) <= 0) {
      await this.delete(key);
      return;
    }
    const rrKey = this.#key(key);
    if (this.#index === undefined) {
      await this.client.mExpire(this.storage, [{ key: rrKey, ttl }]);
      return;
    }
    // A longer life than the index record promised would let the key outlive its entry there.
    await Promise.all([this.client.mExpire(this.storage, [{ key: rrKey, ttl }]), this.#index.written([key], this.#expiresAt(ttl))]);
  }

  /**
   * When `key` expires: a Date, `null` when it has no expiry, `undefined` when it does not exist
   * (Redis also omits keys without expiry; memcached has no TTL call). rr's memory driver answers
   * the expiry given when the key was set, even after {@link expire} changed it.
   */
  async expiresAt(key: string): Promise<Date | null | undefined> {
    const rrKey = this.#key(key);
    return (await this.client.ttl(this.storage, [rrKey])).get(rrKey);
  }

  /** Closes the KV client when this cache made it; a shared one is left to its owner. */
  async close(): Promise<void> {
    if (this.#ownsClient) await this.client.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #key(key: string): string {
    if (key.includes(KV_INDEX_MARKER)) {
      throw new KvKeyError(key, `keys containing ${KV_INDEX_MARKER} are reserved for the key index that clear() uses`, { storage: this.storage });
    }
    return this.prefix + key;
  }

  /** When a TTL ends, in ms; `null` for none. */
  #expiresAt(ttl: RrKvCacheTtl): number | null {
    if (ttl === undefined || ttl === null) return null;
    return ttl instanceof Date ? ttl.getTime() : this.#now() + ttl * 1000;
  }

  #encode(key: string, value: unknown): Uint8Array {
    try {
      return this.serializer.serialize(value);
    } catch (error) {
      throw new KvValueError(`cannot store key ${JSON.stringify(key)} in storage "${this.storage}": the ${this.serializer.name} serializer refused the value: ${messageOf(error)}`, {
        key,
        storage: this.storage,
        serializer: this.serializer.name,
        method: 'kv.Set',
        cause: error,
      });
    }
  }

  #decode(key: string, bytes: Uint8Array | undefined, defaultValue: unknown): unknown {
    // Zero bytes are never something a serializer wrote (JSON, v8, msgpack and sealed boxes all
    // write at least one byte); rr's memory driver leaves them behind after kv.MExpire on a missing
    // key. Reading them as "no value" is the only answer that is not an error for the caller.
    if (bytes === undefined || bytes.length === 0) return defaultValue;
    try {
      return this.serializer.deserialize(bytes);
    } catch (error) {
      const details = { key, storage: this.storage, serializer: this.serializer.name, method: 'kv.MGet', cause: error };
      if (error instanceof KvDecryptionError) throw new KvDecryptionError(error.problem, { ...details, cause: error.cause });
      throw new KvValueError(
        `cannot read key ${JSON.stringify(key)} in storage "${this.storage}" with the ${this.serializer.name} serializer (${bytes.length} bytes): ${messageOf(error)}`,
        details,
      );
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function unique(keys: string[]): string[] {
  return [...new Set(keys)];
}

function isIterable(value: unknown): value is Iterable<readonly [string, unknown]> {
  return typeof (value as Iterable<unknown>)?.[Symbol.iterator] === 'function';
}
