import type { ServiceId } from '../../container/index.js';
import { HttpClientError } from '../http/errors.js';
import type { HttpFinalizeContext, HttpResponseFinalizer } from '../http/kernel/response-finalizer.js';
import type { Session } from './session.js';

/**
 * Commits the request's session onto every response `httpMode` sends, so an app needs no listener
 * for it. `sessionBindings()` registers it (opt out with `autoCommit: false`).
 *
 * - Only a session the request resolved is committed (`scope.peek`): a request that never asked
 *   for its session costs nothing and gets no `Set-Cookie`.
 * - Responses from controllers, `HttpResponseEvent` and `HttpExceptionEvent` listeners, and a
 *   thrown `HttpClientError`'s response are committed, before their head (and a streamed body)
 *   goes out.
 * - The worker's 500 page for an unhandled error is not: what a failed request changed is not
 *   saved (as with `withSession`), the way a failed transaction is rolled back. Only `regenerate()`
 *   and `destroy()`, which act on the store at once, have happened.
 * - A session committed by hand earlier (`commitSession`, `session.commit`) is left alone: a
 *   second commit changes nothing.
 */
export class SessionAutoCommit implements HttpResponseFinalizer {
  readonly #session: ServiceId<Session>;

  /** @param session the request-scoped id the session is bound under (`SESSION`). */
  constructor(session: ServiceId<Session>) {
    this.#session = session;
  }

  // Not async: a request that did not use its session is passed through without a promise.
  finalizeResponse(response: Response, context: HttpFinalizeContext): Response | Promise<Response> {
    const session = context.scope.peek(this.#session);
    if (session === undefined) return response;
    if ('error' in context && !(context.error instanceof HttpClientError)) return response;
    return session.commit(response);
  }
}
