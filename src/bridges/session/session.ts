import { SessionCommittedError, SessionDataError, SessionNotLoadedError, SessionStoreError } from './errors.js';
import { readRequestCookies } from './read-request-cookies.js';
import { serializeSessionCookie } from './serialize-session-cookie.js';
import { toSessionData, toSessionValue, type JsonValue, type SessionData } from './session-data.js';
import { generateSessionId, isValidSessionId } from './session-id.js';
import type { ResolvedSessionOptions } from './session-options.js';

/**
 * One request's session, built by `SessionStorageFactory.create(request)` from that request's
 * cookie and nothing else: no process-wide "current session" exists, so two requests served by the
 * same worker, one after the other or interleaved, can never see each other's data.
 *
 * Lazy: creating it only reads the cookie header. The store is read on the first accessor
 * (`get`, `set`, `has`, `all`, `delete`, `clear`, `regenerate`, `destroy`, `load`); a request that
 * never touches its session costs no store round trip and gets no `Set-Cookie`.
 *
 * The id in the cookie is adopted only if it has the exact shape of a generated id (and a valid
 * signature, with `secret`) **and** the store knows it. Anything else starts a new session under
 * a fresh id, so a client cannot choose its own id (session fixation).
 *
 * Values are JSON (see {@link JsonValue}); `get` returns frozen copies: change a value by `set`ting
 * a new one.
 *
 * End each request with {@link commit}, which saves and writes the cookie onto the response.
 */
export class Session {
  readonly #options: ResolvedSessionOptions;
  /** Whether this request's cookie gets `Secure` (`'auto'` decided from the request URL). */
  readonly #secure: boolean;
  /** Whether the request carried a cookie with the session's name at all, valid or not. */
  readonly #clientHasCookie: boolean;
  /** The id the client holds: the first well-formed (and correctly signed) cookie value. Not yet trusted. */
  readonly #clientId: string | undefined;

  #loading: Promise<void> | undefined;
  #loaded = false;
  #id = '';
  #isNew = true;
  #data = new Map<string, JsonValue>();
  /** The store holds a record under {@link #id}: the session outlives this request. */
  #stored = false;
  /** Data changed since it was last read from or written to the store. */
  #dirty = false;
  /** The store's expiry was already renewed during this request. */
  #renewed = false;
  #committed = false;

  /**
   * Use `SessionStorageFactory.create(request)`, which resolves the options once. Only the cookie
   * header and the URL's scheme are kept from `request`, never the request itself.
   */
  constructor(request: Request, options: ResolvedSessionOptions) {
    this.#options = options;
    this.#secure = options.secure === 'auto' ? request.url.startsWith('https:') : options.secure;
    const values = readRequestCookies(request, options.name);
    this.#clientHasCookie = values.length > 0;
    const signer = options.signer;
    for (const value of values) {
      const id = signer === undefined ? (isValidSessionId(value) ? value : undefined) : signer.unsign(value);
      if (id !== undefined) {
        this.#clientId = id;
        break;
      }
    }
  }

  /** True once the store was read (or the session started fresh). */
  get loaded(): boolean {
    return this.#loaded;
  }

  /**
   * The session id: the cookie's, if the store knew it, otherwise a fresh one. Changes on
   * {@link regenerate} and {@link destroy}.
   * @throws SessionNotLoadedError before the session is loaded: the client's claim is not an id yet
   */
  get id(): string {
    if (!this.#loaded) throw new SessionNotLoadedError('id');
    return this.#id;
  }

  /**
   * True when no existing session was adopted: first visit, expired, unknown or forged id, or
   * {@link destroy}ed during this request.
   * @throws SessionNotLoadedError before the session is loaded
   */
  get isNew(): boolean {
    if (!this.#loaded) throw new SessionNotLoadedError('isNew');
    return this.#isNew;
  }

  /** Reads the session from the store (once; every accessor does it first). */
  async load(): Promise<this> {
    await (this.#loading ??= this.#load());
    return this;
  }

  /**
   * The value under `key`, deep-frozen, or `undefined`. The type parameter is a convenience cast:
   * the store holds whatever was `set`, validate it if it matters.
   */
  async get<T extends JsonValue = JsonValue>(key: string): Promise<T | undefined> {
    await this.load();
    return this.#data.get(key) as T | undefined;
  }

  async has(key: string): Promise<boolean> {
    await this.load();
    return this.#data.has(key);
  }

  /** Every value, as one frozen object. */
  async all(): Promise<SessionData> {
    await this.load();
    return snapshot(this.#data);
  }

  /**
   * Stores `value` (a frozen deep copy of it) under `key`.
   * @throws SessionDataError when the value is not JSON-safe (a `Date`, `Map`, `undefined`, `NaN`, a class instance, a cycle...)
   * @throws SessionCommittedError after {@link commit}
   */
  async set(key: string, value: JsonValue): Promise<void> {
    this.#writable('set');
    if (typeof key !== 'string') throw new SessionDataError(String(key), 'keys must be strings');
    const copy = toSessionValue(key, value);
    await this.load();
    this.#writable('set');
    this.#data.set(key, copy);
    this.#dirty = true;
  }

  /** Removes `key`; resolves to whether it was there. */
  async delete(key: string): Promise<boolean> {
    this.#writable('delete');
    await this.load();
    this.#writable('delete');
    const had = this.#data.delete(key);
    if (had) this.#dirty = true;
    return had;
  }

  /** Removes every value but keeps the session and its id (use {@link destroy} to end it). */
  async clear(): Promise<void> {
    this.#writable('clear');
    await this.load();
    this.#writable('clear');
    if (this.#data.size > 0) this.#dirty = true;
    this.#data.clear();
  }

  /**
   * Moves the data to a new id and deletes the old id from the store at once. Call it whenever
   * the privilege level changes (login, logout, sudo mode): an id somebody planted or observed
   * before the login is then worth nothing.
   */
  async regenerate(): Promise<void> {
    this.#writable('regenerate');
    await this.load();
    this.#writable('regenerate');
    const old = this.#stored ? this.#id : undefined;
    this.#id = generateSessionId();
    this.#stored = false;
    this.#dirty = true;
    if (old !== undefined) await this.#store('destroy', (store) => store.destroy(old));
  }

  /**
   * Ends the session: deletes it from the store and, unless something is stored again afterwards
   * (which starts a brand-new session under a new id, e.g. a "logged out" flash message), makes
   * {@link commit} send an expired cookie.
   */
  async destroy(): Promise<void> {
    this.#writable('destroy');
    await this.load();
    this.#writable('destroy');
    const old = this.#stored ? this.#id : undefined;
    this.#startFresh();
    if (old !== undefined) await this.#store('destroy', (store) => store.destroy(old));
  }

  /**
   * Writes the session to the store if it holds anything worth keeping: a changed session is
   * saved with the TTL, an unchanged one has its expiry renewed (`touch`), a new empty one is not
   * saved at all. Does nothing if the session was never used. {@link commit} calls it.
   */
  async save(): Promise<void> {
    if (!this.#loaded) return;
    if (!this.#stored && this.#data.size === 0) return;
    const { ttl } = this.#options;
    const id = this.#id;
    const data = snapshot(this.#data);
    if (this.#dirty || !this.#stored) {
      this.#dirty = false;
      try {
        await this.#store('set', (store) => store.set(id, data, ttl));
      } catch (error) {
        this.#dirty = true;
        throw error;
      }
      // Not stored under the new id if regenerate()/destroy() changed it meanwhile.
      if (this.#id === id) this.#stored = true;
      this.#renewed = true;
    } else if (!this.#renewed) {
      this.#renewed = true;
      const store = this.#options.store;
      if (store.touch) await this.#store('touch', () => store.touch!(id, data, ttl));
    }
  }

  /**
   * Saves the session, then writes what the client needs onto the response:
   * - `Set-Cookie` with the id when the session is new, got a new id, or (`rolling`) was used;
   * - an expired `Set-Cookie` when the client's cookie no longer names a session (destroyed, or
   *   unknown/forged and nothing was stored);
   * - nothing at all when the session was never used in this request;
   * - `Cache-Control: private, no-cache` when the session was used (option `privateCache`).
   *
   * Response headers are changed in place; a response whose headers are immutable (e.g.
   * `Response.redirect()`) is copied first, so always use the returned one. A `Headers` object is
   * changed in place (for frameworks that collect headers themselves). After commit, changes to
   * the session throw `SessionCommittedError`; a second commit changes nothing.
   */
  async commit(response: Response): Promise<Response>;
  async commit(headers: Headers): Promise<Headers>;
  async commit(target: Response | Headers): Promise<Response | Headers> {
    if (this.#committed) return target;
    await this.save();
    this.#committed = true;
    if (!this.#loaded) return target;
    const cookie = this.#setCookie();
    const apply = (headers: Headers): void => {
      if (cookie !== undefined) headers.append('set-cookie', cookie);
      if (this.#options.privateCache) {
        const cacheControl = headers.get('cache-control');
        if (cacheControl === null || !/\b(?:private|no-store)\b/i.test(cacheControl)) headers.set('cache-control', 'private, no-cache');
      }
    };
    if (target instanceof Headers) {
      apply(target);
      return target;
    }
    return withHeaders(target, apply);
  }

  /** The `Set-Cookie` value this request needs, if any (after {@link save}). */
  #setCookie(): string | undefined {
    const options = this.#options;
    const now = Date.now();
    if (this.#stored) {
      if (this.#id === this.#clientId && !options.rolling) return undefined;
      const value = options.signer === undefined ? this.#id : options.signer.sign(this.#id);
      return serializeSessionCookie(options, { value, secure: this.#secure, now });
    }
    // Nothing is stored for this client: whatever cookie it sent names no session, so clear it.
    if (this.#clientHasCookie) return serializeSessionCookie(options, { value: '', secure: this.#secure, expire: true, now });
    return undefined;
  }

  async #load(): Promise<void> {
    const claimed = this.#clientId;
    if (claimed !== undefined) {
      const record = await this.#store('get', (store) => store.get(claimed));
      if (record !== undefined && record !== null) {
        let data: SessionData;
        try {
          data = toSessionData(record);
        } catch (error) {
          throw new SessionStoreError('get', `the stored session is malformed: ${(error as Error).message}`, { cause: error });
        }
        this.#id = claimed;
        this.#isNew = false;
        this.#stored = true;
        this.#data = new Map(Object.entries(data));
        this.#loaded = true;
        return;
      }
    }
    this.#startFresh();
    this.#loaded = true;
  }

  /** A new, empty session under a fresh id, never the one the client sent. */
  #startFresh(): void {
    this.#id = generateSessionId();
    this.#isNew = true;
    this.#stored = false;
    this.#dirty = false;
    this.#data = new Map();
  }

  #writable(operation: string): void {
    if (this.#committed) throw new SessionCommittedError(operation);
  }

  /** Runs a store call, wrapping its failure in a {@link SessionStoreError}. */
  async #store<T>(operation: string, call: (store: ResolvedSessionOptions['store']) => Promise<T>): Promise<T> {
    try {
      return await call(this.#options.store);
    } catch (error) {
      if (error instanceof SessionStoreError || error instanceof SessionDataError) throw error;
      throw new SessionStoreError(operation, error instanceof Error ? error.message : String(error), { cause: error });
    }
  }
}

function snapshot(data: ReadonlyMap<string, JsonValue>): SessionData {
  return Object.freeze(Object.fromEntries(data));
}

/** Applies header changes to `response`, copying it first when its headers are immutable. */
function withHeaders(response: Response, apply: (headers: Headers) => void): Response {
  try {
    apply(response.headers);
    return response;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  const copy = new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
  apply(copy.headers);
  return copy;
}
