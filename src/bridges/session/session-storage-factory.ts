import { Session } from './session.js';
import { overrideSessionOptions, resolveSessionOptions, type ResolvedSessionOptions, type SessionCreateOptions, type SessionOptions } from './session-options.js';
import type { SessionStore } from './session-store.js';

/**
 * Makes each request's {@link Session} from that request alone. It keeps only configuration and
 * the store, both fixed at construction, so one instance is safely shared by every request of a
 * worker (it is the container's singleton `SESSION_STORAGE_FACTORY`).
 *
 * ```ts
 * const sessions = new SessionStorageFactory({ store: new MemorySessionStore(), cookie: { maxAge: 3600 } });
 * const session = sessions.create(request);
 * await session.set('userId', 42);
 * return session.commit(new Response('ok'));
 * ```
 */
export class SessionStorageFactory {
  readonly #options: ResolvedSessionOptions;

  /** @throws SessionConfigError naming the option at fault */
  constructor(options: SessionOptions) {
    this.#options = resolveSessionOptions(options);
  }

  /** The store sessions are kept in. */
  get store(): SessionStore {
    return this.#options.store;
  }

  /** The cookie's name. */
  get cookieName(): string {
    return this.#options.name;
  }

  /**
   * The session of `request`, read from its cookie. Nothing is read from the store yet (see
   * {@link Session}).
   *
   * @param options per-request changes to the factory's options (another `maxAge` for "remember
   *   me", say); the store and the secret cannot change per request.
   * @throws SessionConfigError when `options` are invalid
   */
  create(request: Request, options?: SessionCreateOptions): Session {
    return new Session(request, options === undefined ? this.#options : overrideSessionOptions(this.#options, options));
  }
}
