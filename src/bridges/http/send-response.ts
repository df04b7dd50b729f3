import { FrameFlag } from '../../runtime/goridge/flags.js';
import type { UnitOfWork } from '../../runtime/worker/unit-of-work.js';
import { StreamStoppedError } from '../../runtime/errors.js';
import { encodeHttpResponse, type ValuesMap } from './proto/http-v1.js';

/** rr's http plugin accepts response frames whose flags are exactly CODEC_PROTO. */
const HTTP_CODEC = FrameFlag.CODEC_PROTO;

/** Collects a Fetch `Headers` into rr's multi-value map, keeping each `Set-Cookie` separate. */
export function headersToMap(headers: Headers): ValuesMap {
  const map: ValuesMap = {};
  headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    (map[name] ??= []).push(value);
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) map['set-cookie'] = cookies;
  return map;
}

const nextTick = () => new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')));

/**
 * Sends a Fetch `Response` as rr HTTP frames. A body that is complete at once goes out as one
 * frame; any other body is streamed chunk by chunk as it is produced (never buffered whole), the
 * status and headers riding on the first frame. When rr stops the stream, the body is cancelled
 * (a generator's `finally` runs) and the worker closes the stream with one final frame.
 */
export async function sendResponse(unit: UnitOfWork, response: Response): Promise<void> {
  unit.codec = HTTP_CODEC;
  const context = encodeHttpResponse({ status: response.status, headers: headersToMap(response.headers) });
  if (!response.body) {
    await unit.respond(undefined, context);
    return;
  }

  const reader = response.body.getReader();
  const cancel = () => void reader.cancel(unit.signal.reason).catch(() => {});
  unit.signal.addEventListener('abort', cancel, { once: true });
  try {
    let pendingContext: Uint8Array | undefined = context;
    let read = reader.read();
    for (;;) {
      const result = await read;
      if (result.done) {
        await unit.respond(undefined, pendingContext);
        return;
      }
      read = reader.read();
      // Look one tick ahead: a body that is already complete (a string, a buffer) becomes a single
      // frame; a body still being produced is sent now, so the client sees it without waiting.
      const next = await Promise.race([read, nextTick()]);
      if (next !== 'pending' && next.done) {
        await unit.respond(result.value, pendingContext);
        return;
      }
      await unit.stream(result.value, pendingContext);
      pendingContext = undefined;
    }
  } catch (error) {
    if (error instanceof StreamStoppedError || unit.signal.aborted) return;
    cancel();
    throw error;
  } finally {
    unit.signal.removeEventListener('abort', cancel);
  }
}
