import type { UnitHandler } from '../../runtime/worker/worker.js';
import type { UnitOfWork } from '../../runtime/worker/unit-of-work.js';
import { decodeHttpRequest, type HttpRequestMessage } from './proto/http-v1.js';
import type { RequestContext } from './request/request-context.js';
import { createSyncRequestMapper, type HttpRequestOptions } from './request/request-mapper.js';
import { installLightResponse } from './fetch/light-response.js';
import { sendResponse } from './response/send-response.js';
import { HttpClientError } from './errors.js';
import { clientErrorResponse } from './response/error-response.js';

/** What rr told us about a request beyond the Fetch `Request` itself. */
export interface HttpRequestInfo {
  /** The decoded `http.v1.Request` context (remote address, protocol, attributes, uploads...). */
  readonly message: HttpRequestMessage;
  /** The unit of work being served. */
  readonly unit: UnitOfWork;
  /** What the Request cannot carry: client address through trusted proxies, peer, protocol, attributes, form, uploads. */
  readonly context: RequestContext;
}

/** A Fetch-style handler: what Hono's `app.fetch` and most modern frameworks expose. */
export type FetchHandler = (request: Request, info: HttpRequestInfo) => Response | Promise<Response>;

/** Options of {@link createHttpHandler}: the request mapping's, and `overrideGlobalResponse` as for `httpMode`. */
export interface HttpHandlerOptions extends HttpRequestOptions {
  /** Replace `globalThis.Response` with `LightResponse` (default true); see `HttpModeOptions`. */
  overrideGlobalResponse?: boolean;
}

/**
 * Turns a Fetch handler into the unit handler of an `RR_MODE=http` worker. `options` (trusted
 * proxies, upload reading) are validated here, once: a bad value throws `HttpRequestOptionsError`.
 */
export function createHttpHandler(fetch: FetchHandler, options: HttpHandlerOptions = {}): UnitHandler {
  const { overrideGlobalResponse, ...requestOptions } = options;
  const mapRequest = createSyncRequestMapper(requestOptions);
  if (overrideGlobalResponse !== false) installLightResponse();
  return async (unit) => {
    const message = decodeHttpRequest(unit.context);
    let mapped = mapRequest(message, unit.body, () => unit.signal);
    if (mapped instanceof Promise) mapped = await mapped;
    const { request, context } = mapped;
    let response: Response;
    try {
      response = await fetch(request, { message, unit, context });
    } catch (error) {
      if (error instanceof HttpClientError && !unit.answered && !unit.stopped) {
        await sendResponse(unit, clientErrorResponse(error));
        return;
      }
      // Before anything was sent the worker answers with an ERROR frame (rr: 500). After early
      // hints the reply has started, so the 500 must be sent as the final response here.
      if (unit.streaming && !unit.answered && !unit.stopped) {
        await sendResponse(unit, new Response('500 Internal Server Error\n', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
      }
      throw error;
    }
    await sendResponse(unit, response);
  };
}
