/**
 * The contract between the runtime and an application: what the HTTP bridge drives for every
 * request. Type-only; a Hono app, a hand-written router or an Express adapter implements it. The
 * container binds the kernel under its own id, and the bridge resolves it from there.
 *
 * Lifecycle, per worker process:
 *
 * 1. `boot()` once, before the first request (or on the first request with `http.lazy_boot`).
 * 2. For each request: a request scope is opened, `handle(request, scope)` returns the response,
 *    the response is sent to rr (streamed when its body is a stream), then `terminate(request,
 *    response, scope)` runs, then services are reset and the scope is disposed.
 * 3. `shutdown()` once when the worker stops (rr asked, relay closed, SIGTERM).
 *
 * @typeParam Scope the request scope the container opens per unit of work; `unknown` here because
 *   the runtime does not depend on the container's types.
 */
export interface Kernel<Scope = unknown> {
  /**
   * Prepares everything that does not depend on a request: routes, connections, warm caches.
   * Called once; a rejection fails the worker's start (rr logs it and restarts the worker).
   */
  boot(): Promise<void>;

  /**
   * Turns one request into a response. `request` is a Fetch `Request` built from rr's message
   * (its `signal` aborts when the client goes away); `scope` is the request scope to resolve
   * per-request services from. A rejection becomes a 500 reply; the worker keeps serving.
   * The response body may be a stream: it is sent chunk by chunk, never buffered whole.
   */
  handle(request: Request, scope: Scope): Promise<Response>;

  /**
   * After the response was handed to rr: work that must not delay the client (flush logs, send
   * mail). Runs before services are reset, inside the same scope. A rejection is
   * reported but does not affect the (already sent) response.
   */
  terminate?(request: Request, response: Response, scope: Scope): Promise<void>;

  /** Releases what `boot` acquired. Called once when the worker stops; it is not called after a crash. */
  shutdown?(): Promise<void>;
}
