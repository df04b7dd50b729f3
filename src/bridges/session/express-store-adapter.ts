import { SessionConfigError, SessionDataError, SessionStoreError } from './errors.js';
import { toSessionData, type SessionData } from './session-data.js';
import type { SessionStore } from './session-store.js';

/** Node-style callback the express-session store contract uses. */
export type ExpressStoreCallback = (error?: unknown, value?: unknown) => void;

/**
 * The express-session store contract (`connect-redis`, `connect-mongo`, `connect-pg-simple`,
 * `memorystore`...): callback methods; `touch` optional. Only what the adapter calls is listed.
 */
export interface ExpressSessionStoreLike {
  get(sid: string, callback: ExpressStoreCallback): unknown;
  set(sid: string, session: ExpressSessionRecord, callback: ExpressStoreCallback): unknown;
  destroy(sid: string, callback: ExpressStoreCallback): unknown;
  touch?(sid: string, session: ExpressSessionRecord, callback: ExpressStoreCallback): unknown;
}

/** The `cookie` part of a record, as express-session writes it; stores read their expiry from it. */
export interface ExpressSessionCookie {
  originalMaxAge: number;
  /** ISO date. connect-redis and others compute the key's TTL from it. */
  expires: string;
  path: string;
  httpOnly: boolean;
}

/** What the adapter hands a store: a `cookie` plus the session data (see {@link ExpressStoreAdapterOptions.layout}). */
export interface ExpressSessionRecord {
  cookie: ExpressSessionCookie;
  [key: string]: unknown;
}

/** Options of {@link ExpressStoreAdapter}. */
export interface ExpressStoreAdapterOptions {
  /**
   * How data sits in the record.
   * - `'nested'` (default): `{ cookie, data: {...} }`. Every key is free to use.
   * - `'flat'`: `{ cookie, ...data }`, the record shape express-session itself writes, for a store
   *   shared with an Express app during a migration. The key `cookie` is then reserved: saving a
   *   session that holds one fails with a `SessionDataError`.
   */
  layout?: 'nested' | 'flat';
  /** The clock, in milliseconds, for the record's `cookie.expires`. Default `Date.now`. */
  now?: () => number;
}

/**
 * Plugs any express-session store into sessions: promisifies its callbacks and writes records
 * whose `cookie.expires` carries the TTL, which is where those stores take the expiry from.
 *
 * ```ts
 * import { RedisStore } from 'connect-redis';
 * import { createClient } from 'redis';
 *
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 * const store = new ExpressStoreAdapter(new RedisStore({ client, prefix: 'sess:' }));
 * ```
 *
 * The store is shared by every rr worker, which is what production needs; the Redis client stays
 * yours to close.
 */
export class ExpressStoreAdapter implements SessionStore {
  readonly #store: ExpressSessionStoreLike;
  readonly #flat: boolean;
  readonly #now: () => number;

  constructor(store: ExpressSessionStoreLike, options: ExpressStoreAdapterOptions = {}) {
    if (!store || typeof store.get !== 'function' || typeof store.set !== 'function' || typeof store.destroy !== 'function') {
      throw new SessionConfigError('store', 'expected an express-session store (get, set and destroy methods)');
    }
    this.#store = store;
    this.#flat = options.layout === 'flat';
    this.#now = options.now ?? Date.now;
  }

  /** The wrapped store. */
  get store(): ExpressSessionStoreLike {
    return this.#store;
  }

  async get(id: string): Promise<SessionData | undefined> {
    const record = await call('get', (callback) => this.#store.get(id, callback));
    if (record === undefined || record === null) return undefined;
    if (typeof record !== 'object') throw new SessionStoreError('get', `the store returned ${typeof record}, expected a session object`);
    const { cookie: _cookie, ...rest } = record as Record<string, unknown>;
    try {
      return toSessionData(this.#flat ? rest : rest['data']);
    } catch (error) {
      const hint = this.#flat ? '' : " (records are { cookie, data }; a store written by express-session needs layout: 'flat')";
      throw new SessionStoreError('get', `the stored session is malformed${hint}: ${(error as Error).message}`, { cause: error });
    }
  }

  async set(id: string, data: SessionData, ttlSeconds: number): Promise<void> {
    const record = this.#record(data, ttlSeconds);
    await call('set', (callback) => this.#store.set(id, record, callback));
  }

  async touch(id: string, data: SessionData, ttlSeconds: number): Promise<void> {
    const store = this.#store;
    if (typeof store.touch !== 'function') return;
    const record = this.#record(data, ttlSeconds);
    await call('touch', (callback) => store.touch!(id, record, callback));
  }

  async destroy(id: string): Promise<void> {
    await call('destroy', (callback) => this.#store.destroy(id, callback));
  }

  #record(data: SessionData, ttlSeconds: number): ExpressSessionRecord {
    const cookie: ExpressSessionCookie = {
      originalMaxAge: ttlSeconds * 1000,
      expires: new Date(this.#now() + ttlSeconds * 1000).toISOString(),
      path: '/',
      httpOnly: true,
    };
    if (!this.#flat) return { cookie, data };
    if (Object.hasOwn(data, 'cookie')) {
      throw new SessionDataError('cookie', "the key is reserved with ExpressStoreAdapter's flat layout (express-session keeps the cookie there)");
    }
    return { ...data, cookie };
  }
}

/**
 * Calls a callback-style store method and settles on whichever comes first: the callback, a
 * synchronous throw, or the rejection of a promise some stores also return. A fulfilled promise
 * does not settle anything: an `async` method may resolve before its callback fires (an old-style
 * client inside), and express-session itself only ever listens to the callback. Later signals are
 * ignored, so a store calling back twice cannot double-settle.
 */
function call(operation: string, invoke: (callback: ExpressStoreCallback) => unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      reject(new SessionStoreError(operation, error instanceof Error ? error.message : String(error), { cause: error }));
    };
    const succeed = (value: unknown): void => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    try {
      const returned = invoke((error, value) => (error ? fail(error) : succeed(value)));
      if (returned !== null && typeof returned === 'object' && typeof (returned as PromiseLike<unknown>).then === 'function') {
        (returned as PromiseLike<unknown>).then(undefined, fail);
      }
    } catch (error) {
      fail(error);
    }
  });
}
