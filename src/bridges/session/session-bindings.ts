import { createToken, type Binding, type ServiceId } from '../../container/index.js';
import { HTTP_REQUEST } from '../http/kernel/tokens.js';
import { HTTP_RESPONSE_FINALIZER } from '../http/kernel/response-finalizer.js';
import { SessionAutoCommit } from './session-auto-commit.js';
import { SessionConfigError } from './errors.js';
import { Session } from './session.js';
import type { SessionOptions } from './session-options.js';
import { SessionStorageFactory } from './session-storage-factory.js';

/** The session storage factory binding (a singleton). `SessionStorageFactory` resolves to it too. */
export const SESSION_STORAGE_FACTORY = createToken<SessionStorageFactory>('session.storage_factory');

/** The current request's {@link Session} (request-scoped). The `Session` class resolves to it too. */
export const SESSION = createToken<Session>('session');

/** The {@link SessionAutoCommit} finalizer `sessionBindings()` registers (a singleton, tagged `HTTP_RESPONSE_FINALIZER`). */
export const SESSION_AUTO_COMMIT = createToken<SessionAutoCommit>('session.auto_commit');

/** Options of {@link sessionBindings}. */
export interface SessionBindingsOptions {
  /** The factory to bind, or the options to build one from. */
  factory: SessionStorageFactory | SessionOptions;
  /**
   * The request-scoped id the current Fetch `Request` is provided under. Default `HTTP_REQUEST`,
   * which `httpMode` provides when it is declared (add `httpRequestBinding` to your bindings).
   */
  request?: ServiceId<Request>;
  /**
   * Commit each request's session onto its response (save, `Set-Cookie`, `Cache-Control`) in
   * `httpMode`, before the response's head goes out, whenever the request used its session: see
   * {@link SessionAutoCommit}. Default `true`. `false` leaves it to you (`commitSession` in an
   * `HttpResponseEvent` listener, or `session.commit(response)`), and a session you do not commit
   * is not saved.
   */
  autoCommit?: boolean;
}

/**
 * Container bindings for sessions:
 * - `SESSION_STORAGE_FACTORY` (alias `SessionStorageFactory`): the factory, a singleton;
 * - `SESSION` (alias `Session`): the current request's session, **request-scoped**, built from
 *   the request bound as `HTTP_REQUEST` in that scope, so it can only come from the request being
 *   served. A singleton that injects it fails at `createContainer()` with a
 *   `CaptiveDependencyError` naming the chain: it would otherwise keep the first user's session
 *   and hand it to everybody after;
 * - `SESSION_AUTO_COMMIT`: unless `autoCommit: false`, the finalizer that commits the session of
 *   every request that used it onto its response, so no listener is needed.
 *
 * ```ts
 * const container = createContainer({
 *   services: [ProfileController],
 *   bindings: [httpRequestBinding, ...sessionBindings({ factory: { store } })],
 * });
 * ```
 */
export function sessionBindings(options: SessionBindingsOptions): Binding[] {
  if (options.autoCommit !== undefined && typeof options.autoCommit !== 'boolean') {
    throw new SessionConfigError('autoCommit', `expected true or false, got ${JSON.stringify(options.autoCommit)}`);
  }
  const factory = options.factory instanceof SessionStorageFactory ? options.factory : new SessionStorageFactory(options.factory);
  return [
    // A value binding: the container never disposes it, the store (a Redis client...) stays the app's.
    { id: SESSION_STORAGE_FACTORY, useValue: factory },
    { id: SessionStorageFactory, useExisting: SESSION_STORAGE_FACTORY },
    {
      id: SESSION,
      useFactory: (sessions: SessionStorageFactory, request: Request) => sessions.create(request),
      inject: [SESSION_STORAGE_FACTORY, options.request ?? HTTP_REQUEST],
      scope: 'request',
    },
    { id: Session, useExisting: SESSION },
    ...(options.autoCommit === false ? [] : [{ id: SESSION_AUTO_COMMIT, useValue: new SessionAutoCommit(SESSION), tags: [HTTP_RESPONSE_FINALIZER] }]),
  ];
}
