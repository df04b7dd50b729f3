import type { UnitHandler } from '../../runtime/worker/worker.js';
import type { UnitOfWork } from '../../runtime/worker/unit-of-work.js';
import { decodeHttpRequest, type HttpRequestMessage } from './proto/http-v1.js';
import { requestFromMessage } from './request-from-message.js';
import { sendResponse } from './send-response.js';

/** What rr told us about a request beyond the Fetch `Request` itself. */
export interface HttpRequestInfo {
  /** The decoded `http.v1.Request` context (remote address, protocol, attributes, uploads...). */
  readonly message: HttpRequestMessage;
  /** The unit of work being served. */
  readonly unit: UnitOfWork;
}

/** A Fetch-style handler: what Hono's `app.fetch` and most modern frameworks expose. */
export type FetchHandler = (request: Request, info: HttpRequestInfo) => Response | Promise<Response>;

/** Turns a Fetch handler into the unit handler of an `RR_MODE=http` worker. */
export function createHttpHandler(fetch: FetchHandler): UnitHandler {
  return async (unit) => {
    const message = decodeHttpRequest(unit.context);
    const request = requestFromMessage(message, unit.body, unit.signal);
    const response = await fetch(request, { message, unit });
    await sendResponse(unit, response);
  };
}
