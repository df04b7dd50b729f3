import { createToken, type RequestScope, type Token } from '../../../container/index.js';

/** What a {@link HttpResponseFinalizer} is told about the response it finalizes. */
export interface HttpFinalizeContext {
  /** The request being answered. */
  readonly request: Request;
  /** The request's scope: `scope.peek(id)` tells what the request used without building anything. */
  readonly scope: RequestScope;
  /**
   * The kernel's error when `response` is the worker's own error page (a thrown `HttpClientError`
   * or an unhandled error); absent for every response the kernel returned, including those made
   * by `HttpExceptionEvent` listeners.
   */
  readonly error?: unknown;
}

/**
 * The last step before a response's head goes out to rr: `httpMode` hands every response it is
 * about to send (the kernel's, an exception listener's, its own error pages) to each finalizer
 * registered under {@link HTTP_RESPONSE_FINALIZER}, in registration order, and sends what the last
 * one returns. Streamed bodies have not started yet, so headers can still be added. This is how
 * the session bridge saves a used session and sets its cookie without a listener in the app.
 *
 * Return the response to send (the same one, changed in place, or a copy when its headers are
 * immutable). A finalizer that throws fails the request as a throwing kernel would (500, logged
 * and reported), and the finalizers are not run again on that error response.
 */
export interface HttpResponseFinalizer {
  finalizeResponse(response: Response, context: HttpFinalizeContext): Response | Promise<Response>;
}

/**
 * The tag that registers a {@link HttpResponseFinalizer}. Finalizers are collected from the root
 * container once, at boot, so they must be singletons (or values); they get the request's scope
 * as an argument instead.
 *
 * ```ts
 * bindings: [{ id: 'app.server_timing', useValue: serverTiming, tags: [HTTP_RESPONSE_FINALIZER] }]
 * ```
 */
export const HTTP_RESPONSE_FINALIZER: Token<HttpResponseFinalizer> = createToken<HttpResponseFinalizer>('http.response_finalizer');
