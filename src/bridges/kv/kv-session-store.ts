import { toSessionData, type SessionData } from '../session/session-data.js';
import type { SessionStore } from '../session/session-store.js';
import { KvConfigError } from './errors.js';
import type { RrKvCache } from './rr-kv-cache.js';

/** Options of {@link KvSessionStore}. */
export interface KvSessionStoreOptions {
  /**
   * Prepended to session ids to make the rr keys (after the cache's own prefix), so sessions can
   * share a storage with other data. Default `'session:'`.
   */
  keyPrefix?: string;
}

/**
 * Sessions on an rr KV storage, for the session bridge's `SessionStorageFactory`: every worker
 * sees the same sessions, and they survive worker restarts (and rr restarts, with a Redis or
 * BoltDB storage). Each session is one key whose rr TTL is the session's lifetime; `touch` renews
 * it with `kv.MExpire` without rewriting the data.
 *
 * Put sessions on a `redis` or `boltdb` storage, not `memory`: rr's memory driver (2025.1.x)
 * replaces a key by deleting then inserting it, so a request that reads a session while another
 * request of the same user saves it can find no session at all (the user looks logged out), and
 * `kv.MExpire` racing a save can leave the key empty. Redis and BoltDB write atomically.
 *
 * Data goes through the cache's serializer (JSON by default; sealed when the cache encrypts). What
 * is read back is validated as session data, so a foreign value under a session key fails the
 * request with a `SessionDataError` instead of reaching the application; rr failures become the
 * session's `SessionStoreError`.
 *
 * ```ts
 * const sessions = new SessionStorageFactory({
 *   store: new KvSessionStore(container.get<RrKvCache>(kvCacheId('sessions'))),
 *   cookie: { maxAge: 14 * 86400 },
 * });
 * ```
 */
export class KvSessionStore implements SessionStore {
  /** The cache sessions are kept in. */
  readonly cache: RrKvCache;
  readonly #keyPrefix: string;

  constructor(cache: RrKvCache, options: KvSessionStoreOptions = {}) {
    if (typeof cache?.get !== 'function' || typeof cache.set !== 'function' || typeof cache.expire !== 'function') {
      throw new KvConfigError('cache', 'expected an RrKvCache (for example the container service kvCacheId(NAME))');
    }
    const keyPrefix = options.keyPrefix ?? 'session:';
    if (typeof keyPrefix !== 'string') throw new KvConfigError('keyPrefix', `expected a string, got ${typeof keyPrefix}`);
    this.cache = cache;
    this.#keyPrefix = keyPrefix;
  }

  async get(id: string): Promise<SessionData | undefined> {
    const record = await this.cache.get(this.#keyPrefix + id);
    return record === undefined || record === null ? undefined : toSessionData(record);
  }

  async set(id: string, data: SessionData, ttlSeconds: number): Promise<void> {
    await this.cache.set(this.#keyPrefix + id, data, ttlSeconds);
  }

  async touch(id: string, _data: SessionData, ttlSeconds: number): Promise<void> {
    // One kv.MExpire, no read: a session that expired in between comes back as an empty rr value,
    // which the cache reads as missing, so the next request simply starts a new session.
    await this.cache.expire(this.#keyPrefix + id, ttlSeconds);
  }

  async destroy(id: string): Promise<void> {
    await this.cache.delete(this.#keyPrefix + id);
  }
}
