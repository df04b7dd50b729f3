/**
 * Every error the session bridge throws on purpose. Messages never contain a session id: an id is
 * a bearer credential, and error messages end up in logs.
 */
import { RuntimeError } from '../../runtime/errors.js';

/** Base class: `instanceof SessionError` catches everything the session bridge throws deliberately. */
export class SessionError extends RuntimeError {}

/** Invalid session options: a short secret, a bad cookie name, `SameSite=None` without `Secure`... */
export class SessionConfigError extends SessionError {
  /** The option at fault, as a path: `cookie.name`, `secret[1]`, `ttl`. */
  readonly option: string;

  constructor(option: string, problem: string) {
    super('ERR_SESSION_CONFIG', `session option ${option}: ${problem}`);
    this.option = option;
  }
}

/**
 * A value cannot be stored in a session: sessions are serialized as JSON, so only `null`,
 * booleans, finite numbers, strings, arrays and plain objects of those are accepted. Refusing at
 * `set()` (rather than letting `JSON.stringify` silently drop or change the value at save time)
 * keeps a `Date`, `Map` or `undefined` from coming back as something else on the next request.
 */
export class SessionDataError extends SessionError {
  /** Where the offending value sits: `user.roles[2]`. */
  readonly path: string;

  constructor(path: string, problem: string) {
    super('ERR_SESSION_DATA', `session value ${JSON.stringify(path)} cannot be stored: ${problem}`);
    this.path = path;
  }
}

/** The session store failed (a connection error, a malformed record); the cause is the store's error. */
export class SessionStoreError extends SessionError {
  /** The store operation that failed: `get`, `set`, `touch` or `destroy`. */
  readonly operation: string;

  constructor(operation: string, problem: string, options?: { cause?: unknown }) {
    super('ERR_SESSION_STORE', `session store ${operation} failed: ${problem}`, options);
    this.operation = operation;
  }
}

/**
 * `session.id` or `session.isNew` was read before the session was loaded. Until then the id is
 * only what the client claimed, which may be unknown, expired or forged: it is not exposed.
 */
export class SessionNotLoadedError extends SessionError {
  constructor(what: string) {
    super('ERR_SESSION_NOT_LOADED', `session.${what} is only known once the session is loaded: await session.load() (or any accessor) first`);
  }
}

/** The session was changed after `commit()`: the cookie is already decided, so the change would be lost. */
export class SessionCommittedError extends SessionError {
  constructor(operation: string) {
    super('ERR_SESSION_COMMITTED', `session.${operation}() after commit(): the response's cookie is already written, this change would be lost`);
  }
}
