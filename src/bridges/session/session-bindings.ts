import { createToken, type Binding, type ServiceId } from '../../container/index.js';
import { HTTP_REQUEST } from '../http/kernel/tokens.js';
import { Session } from './session.js';
import type { SessionOptions } from './session-options.js';
import { SessionStorageFactory } from './session-storage-factory.js';

/** The session storage factory binding (a singleton). `SessionStorageFactory` resolves to it too. */
export const SESSION_STORAGE_FACTORY = createToken<SessionStorageFactory>('session.storage_factory');

/** The current request's {@link Session} (request-scoped). The `Session` class resolves to it too. */
export const SESSION = createToken<Session>('session');

/** Options of {@link sessionBindings}. */
export interface SessionBindingsOptions {
  /** The factory to bind, or the options to build one from. */
  factory: SessionStorageFactory | SessionOptions;
  /**
   * The request-scoped id the current Fetch `Request` is provided under. Default `HTTP_REQUEST`,
   * which `httpMode` provides when it is declared (add `httpRequestBinding` to your bindings).
   */
  request?: ServiceId<Request>;
}

/**
 * Container bindings for sessions:
 * - `SESSION_STORAGE_FACTORY` (alias `SessionStorageFactory`): the factory, a singleton;
 * - `SESSION` (alias `Session`): the current request's session, **request-scoped**, built from
 *   the request bound as `HTTP_REQUEST` in that scope, so it can only come from the request being
 *   served. A singleton that injects it fails at `createContainer()` with a
 *   `CaptiveDependencyError` naming the chain: it would otherwise keep the first user's session
 *   and hand it to everybody after.
 *
 * ```ts
 * const container = createContainer({
 *   services: [ProfileController],
 *   bindings: [httpRequestBinding, ...sessionBindings({ factory: { store } })],
 * });
 * ```
 */
export function sessionBindings(options: SessionBindingsOptions): Binding[] {
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
  ];
}
