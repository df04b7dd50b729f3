import { ScopeRequiredError, ServicesResetter, type Container, type RequestScope } from '../../../container/index.js';
import type { ModeContext, ModeFactory, ModeWorker } from '../../../runtime/app/define-app.js';
import { bootFailed } from '../../../runtime/app/boot-failure.js';
import { scopedMode } from '../../../runtime/app/scoped-mode.js';
import type { Kernel } from '../../../runtime/kernel.js';
import type { UnitOfWork } from '../../../runtime/worker/unit-of-work.js';
import { decodeHttpRequest } from '../proto/http-v1.js';
import { createSyncRequestMapper, type HttpRequestOptions } from '../request/request-mapper.js';
import { installLightResponse } from '../fetch/light-response.js';
import { sendResponse } from '../response/send-response.js';
import { HttpClientError, HttpKernelConfigError } from '../errors.js';
import { clientErrorResponse, errorResponse } from '../response/error-response.js';
import { HTTP_KERNEL, HTTP_REQUEST, REQUEST_CONTEXT } from './tokens.js';
import { answerHttpUnavailable } from './answer-http-unavailable.js';
import { HTTP_RESPONSE_FINALIZER, type HttpFinalizeContext, type HttpResponseFinalizer } from './response-finalizer.js';
import { createWarmupRequest } from './warmup-request.js';

/** Options of {@link httpMode}. */
export interface HttpModeOptions {
  /** The application's container; it binds the kernel under `HTTP_KERNEL`. */
  container: Container;
  /**
   * false builds the container's singletons and boots the kernel before the worker answers rr's
   * handshake; true answers the handshake first and does both on the first request (the worker is
   * ready sooner, the first request is slower). Default: the runtime config's `http.lazy_boot`
   * (itself `false` by default).
   */
  lazyBoot?: boolean;
  /**
   * Send one warm-up request (see `isWarmupRequest`) through the kernel right after it booted, so
   * the first real request finds routes and services ready. A failing warm-up is logged and
   * ignored. Default: the runtime config's `http.early_router_initialization` (itself true when
   * `NODE_ENV=production`, false otherwise).
   */
  earlyRouterInitialization?: boolean;
  /**
   * Production hides error details (messages, stacks, paths) from clients. Default: true unless
   * `NODE_ENV` is `development`: details reach clients only when development is explicitly on.
   */
  production?: boolean;
  /**
   * Who answers a request whose kernel threw (an `HttpClientError` is always answered with its own
   * status):
   * - `'page'` (default): the worker, with a 500 page (development: with the stack), as Symfony's
   *   kernel does; `HttpExceptionEvent` listeners can replace it.
   * - `'rr'`: rr, as for a PHP worker that calls `$worker->error()`: the worker sends an ERROR
   *   frame and rr answers with `http.internal_error_code` (500 unless configured) and an empty
   *   body, or the error text when `pool.debug` is on. `terminate` does not run: there is no
   *   response. (After early hints the worker still answers with its page: the reply has begun.)
   * Either way the error is logged and reported (`reportError`: Sentry, `WorkerErrorEvent`).
   */
  unhandledErrors?: 'page' | 'rr';
  /** How requests are mapped: trusted proxies and headers, upload reading. Validated at boot. */
  request?: HttpRequestOptions;
  /**
   * Replace `globalThis.Response` with `LightResponse` when the mode boots (default true): a
   * handler's `new Response('...')` / `Response.json()` then builds no undici object or stream, and
   * the worker sends it from its fields (about a third of a small response's cost). It behaves as
   * undici's `Response` (`instanceof`, every method); responses from `fetch()` are untouched. The
   * precedent is @hono/node-server's `overrideGlobalObjects`. `false` leaves the global alone.
   */
  overrideGlobalResponse?: boolean;
}

/**
 * The `RR_MODE=http` worker: each request gets its own scope (with the Fetch `Request` bound as
 * `HTTP_REQUEST`), goes through the kernel bound as `HTTP_KERNEL`, then through the response
 * finalizers tagged `HTTP_RESPONSE_FINALIZER` (the session bridge's auto-commit), and the response is
 * streamed to rr; then `terminate` runs, services are reset and the scope is disposed.
 *
 * Failures never take the worker down: a throwing kernel gives a 500 (development: with the
 * stack), and a kernel or container that fails to boot gives a 503 on every request, with the cause
 * logged once, instead of a crash loop.
 */
export function httpMode(options: HttpModeOptions): ModeFactory {
  return async (context) => {
    const production = options.production ?? context.env['NODE_ENV'] !== 'development';
    const lazyBoot = options.lazyBoot ?? context.config.http.lazy_boot;
    const warmUp = options.earlyRouterInitialization ?? context.config.http.early_router_initialization;
    const unhandledErrors = options.unhandledErrors ?? 'page';
    if (unhandledErrors !== 'page' && unhandledErrors !== 'rr') {
      throw new HttpKernelConfigError(`httpMode: unhandledErrors must be "page" or "rr", got ${JSON.stringify(unhandledErrors)}`);
    }
    const { container } = options;
    const mapRequest = createSyncRequestMapper(options.request);
    if (options.overrideGlobalResponse !== false) installLightResponse();

    let kernel: Kernel<RequestScope> | undefined;
    let finalizers: readonly HttpResponseFinalizer[] = [];
    let unavailable: ModeWorker | undefined;
    // The container's singletons and the kernel's boot: once, before the handshake or (lazy_boot)
    // on the first request. A failure is remembered: the worker answers 503 until it is replaced.
    let booting: Promise<ModeWorker | undefined> | undefined;
    /** True once the boot succeeded: requests then go straight to the scope, with no await. */
    let ready = false;
    const ensureBooted = (): Promise<ModeWorker | undefined> =>
      (booting ??= (async () => {
        try {
          container.boot();
          kernel = container.get(HTTP_KERNEL);
          finalizers = collectFinalizers(container);
          await kernel.boot();
        } catch (error) {
          await context.reportError(error);
          return (unavailable = await bootFailed(error, { mode: context.mode, logError: context.logError, answer: answerHttpUnavailable }));
        }
        if (warmUp) await warmUpKernel(context, container, kernel);
        ready = true;
        return undefined;
      })());

    // The container is booted above, so the scopes need not boot it.
    const scoped = scopedMode(context, { container, lazyBoot: true, handle: (unit, scope) => serve(unit, scope, kernel!), shutdown: async () => kernel?.shutdown?.() });
    const provideRequest = container.has(HTTP_REQUEST);
    const provideContext = container.has(REQUEST_CONTEXT);
    async function serve(unit: UnitOfWork, scope: RequestScope, kernel: Kernel<RequestScope>): Promise<void> {
      // Awaited only when it is a promise (uploads to read): each await costs, per request.
      let mapped = mapRequest(decodeHttpRequest(unit.context), unit.body, () => unit.signal);
      if (mapped instanceof Promise) mapped = await mapped;
      const { request, context: requestContext } = mapped;
      if (provideRequest) scope.provide(HTTP_REQUEST, request);
      if (provideContext) scope.provide(REQUEST_CONTEXT, requestContext);

      let response: Response | undefined;
      let failed = false;
      let failure: unknown;
      try {
        response = await kernel.handle(request, scope);
      } catch (error) {
        failed = true;
        failure = error;
        response = await answerFailure(unit, request, error);
        if (response === undefined) return;
      }
      if (finalizers.length > 0) {
        try {
          response = await finalize(finalizers, response, failed ? { request, scope, error: failure } : { request, scope });
        } catch (error) {
          // The response is dropped for the error page: release its body (a file, a generator).
          await response.body?.cancel().catch(() => {});
          response = await answerFailure(unit, request, error);
          if (response === undefined) return;
        }
      }
      await sendResponse(unit, response);
      if (kernel.terminate === undefined) return;
      try {
        await kernel.terminate(request, response, scope);
      } catch (error) {
        context.log(`roadrunner-runtime: terminate after ${request.method} ${pathOf(request.url)} failed: ${describe(error)}`);
        await context.reportError(error);
      }
    }

    /**
     * The response for a request whose kernel (or a finalizer) threw: the client error's own
     * response, or, logged and reported, the error page; `undefined` when rr answers instead
     * (`unhandledErrors: 'rr'`: an ERROR frame was sent).
     */
    async function answerFailure(unit: UnitOfWork, request: Request, error: unknown): Promise<Response | undefined> {
      if (unit.stopped) throw error;
      if (error instanceof HttpClientError) return clientErrorResponse(error);
      // Method and path only: query strings carry tokens.
      context.log(`roadrunner-runtime: ${request.method} ${pathOf(request.url)} failed: ${describe(error)}`);
      await context.reportError(error);
      // After early hints the reply has started: only a final response can end it.
      if (unhandledErrors === 'rr' && !unit.streaming) {
        await unit.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        return undefined;
      }
      return errorResponse(error, { production });
    }

    if (!lazyBoot) await ensureBooted();
    return {
      container,
      handle(unit) {
        if (ready) return scoped.handle(unit);
        return ensureBooted().then((failed) => (failed ? failed.handle(unit) : scoped.handle(unit)));
      },
      afterUnit: (unit) => (unavailable ? Promise.resolve() : scoped.afterUnit!(unit)),
      shutdown: () => scoped.shutdown!(),
    };
  };
}

/** The response finalizers registered under {@link HTTP_RESPONSE_FINALIZER}, checked once at boot. */
function collectFinalizers(container: Container): HttpResponseFinalizer[] {
  let found: unknown[];
  try {
    found = container.getTagged(HTTP_RESPONSE_FINALIZER);
  } catch (error) {
    if (error instanceof ScopeRequiredError) {
      throw new HttpKernelConfigError(`a service tagged HTTP_RESPONSE_FINALIZER is request-scoped (${error.message}); finalizers are collected once at boot: make it a singleton, it receives the request's scope`);
    }
    throw error;
  }
  return found.map((finalizer, index) => {
    if (typeof (finalizer as Partial<HttpResponseFinalizer> | null)?.finalizeResponse !== 'function') {
      throw new HttpKernelConfigError(`the service #${index + 1} tagged HTTP_RESPONSE_FINALIZER has no finalizeResponse(response, context) method`);
    }
    return finalizer as HttpResponseFinalizer;
  });
}

/** Runs the finalizers in order; each gets the previous one's response. */
async function finalize(finalizers: readonly HttpResponseFinalizer[], response: Response, context: HttpFinalizeContext): Promise<Response> {
  for (const finalizer of finalizers) {
    const next: unknown = await finalizer.finalizeResponse(response, context);
    if (!(next instanceof Response)) {
      throw new HttpKernelConfigError(`${finalizer.constructor === Object || !finalizer.constructor?.name ? 'a response finalizer' : finalizer.constructor.name}.finalizeResponse() returned ${next === null ? 'null' : typeof next}, expected the Response to send`);
    }
    response = next;
  }
  return response;
}

/** Runs the warm-up request in a scope of its own, then resets what it touched. */
async function warmUpKernel(context: ModeContext, container: Container, kernel: Kernel<RequestScope>): Promise<void> {
  const request = createWarmupRequest();
  const scope = container.createScope();
  try {
    if (container.has(HTTP_REQUEST)) scope.provide(HTTP_REQUEST, request);
    const response = await scope.run(() => kernel.handle(request, scope));
    await response.body?.cancel();
  } catch (error) {
    context.log(`roadrunner-runtime: early router initialization: the warm-up request failed (ignored): ${describe(error)}`);
  } finally {
    await new ServicesResetter(container).reset().catch((error) => context.log(`roadrunner-runtime: reset after warm-up failed: ${describe(error)}`));
    await scope.dispose().catch(() => {});
  }
}

/** The path of a request URL, for logs: never its query string. */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const end = url.search(/[?#]/);
  return start === -1 ? '/' : url.slice(start, end === -1 ? undefined : end);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
