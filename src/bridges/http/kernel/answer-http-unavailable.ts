import type { UnitOfWork } from '../../../runtime/worker/unit-of-work.js';
import { sendResponse } from '../response/send-response.js';

/**
 * The HTTP answer of a worker that failed to boot (its module, config, container or kernel): the
 * same `503 Service Unavailable` every time, with a short safe body and no detail of the cause,
 * which the worker logged once at error level. rr keeps the worker (no crash loop) until it is
 * reset or replaced.
 */
export function answerHttpUnavailable(unit: UnitOfWork): Promise<void> {
  return sendResponse(
    unit,
    new Response('503 Service Unavailable\n', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' } }),
  );
}
