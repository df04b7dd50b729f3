import { FrameFlag } from '../../../runtime/goridge/flags.js';
import type { UnitOfWork } from '../../../runtime/worker/unit-of-work.js';
import { StreamStoppedError } from '../../../runtime/errors.js';
import { ResponseStreamError } from '../errors.js';
import { encodeHttpResponse } from '../proto/http-v1.js';
import { LightResponse } from '../fetch/light-response.js';
import { completeBodyOf } from './complete-body.js';
import { headersToMap } from './headers-to-map.js';
import { toBytes } from './to-bytes.js';
import { validateResponseHead } from './validate-response-head.js';

/** rr's http plugin accepts response frames whose flags are exactly CODEC_PROTO. */
export const HTTP_CODEC = FrameFlag.CODEC_PROTO;

const EMPTY = new Uint8Array(0);
const RESOLVED = Promise.resolve();
const PENDING = Symbol('pending');

/** One step of reading the body; never a rejected promise, so a look-ahead read can fail quietly until it is looked at. */
type Read = { kind: 'chunk'; bytes: Uint8Array } | { kind: 'done' } | { kind: 'error'; error: unknown };

const nextTick = () => new Promise<typeof PENDING>((resolve) => setImmediate(() => resolve(PENDING)));

/**
 * Sends a Fetch `Response` as rr HTTP frames.
 *
 * - The status and headers are validated first (CR/LF/NUL, token names, 200-599), so a bad one
 *   fails before anything reaches rr: the worker answers with an ERROR frame and rr with a 500.
 * - A body that is complete at once goes out as one frame (a string or bytes body is taken as it
 *   is, without reading its stream: see `LightResponse` and `completeBodyOf`). Any other body is streamed chunk by
 *   chunk as it is produced, never buffered whole: the sender reads one chunk ahead (to tell the
 *   last chunk apart) and awaits each frame's write, so a slow client slows the producer down.
 *   Status and headers ride on the first frame. An empty chunk as the very first chunk sends the
 *   headers at once (handy for event streams); later empty chunks are skipped.
 * - When rr stops the stream (the client went away), the body is cancelled, so a generator's
 *   `finally` runs and a file handle is closed; the worker then closes the stream with one final
 *   frame.
 * - When the body fails before anything was sent, the error is rethrown: the worker answers with
 *   an ERROR frame and rr with its `internal_error_code` (500). When it fails after the headers
 *   went out, there is no second status: the stream is ended with a final frame and a
 *   {@link ResponseStreamError} (cause: the body's error) is thrown for the worker to log and report.
 *
 * Works after {@link earlyHints}: the hints are STREAM frames, this response follows them.
 */
export function sendResponse(unit: UnitOfWork, response: Response): Promise<void> {
  unit.codec = HTTP_CODEC;
  const light = LightResponse.partsOf(response);
  if (light === undefined) return sendFetchResponse(unit, response);
  // No undici Response, Headers or stream was built: status, headers and body go out as they
  // are, and the frame's own promise is returned (no async frame of our own).
  try {
    validateResponseHead(light.status, light.headers);
    const head = encodeHttpResponse({ status: light.status, headers: light.headers });
    if (light.body === undefined) return unit.respond(EMPTY, head);
    if (!unit.stopped) return unit.respond(light.body, head);
    return RESOLVED;
  } catch (error) {
    return Promise.reject(error);
  }
}

async function sendFetchResponse(unit: UnitOfWork, response: Response): Promise<void> {
  const headers = headersToMap(response.headers);
  validateResponseHead(response.status, headers);
  const head = encodeHttpResponse({ status: response.status, headers });
  const body = response.body;
  if (!body) {
    await unit.respond(EMPTY, head);
    return;
  }
  const complete = completeBodyOf(response);
  if (complete !== undefined) {
    // rr stopped the unit already (after early hints): the worker sends the final frame.
    if (!unit.stopped) await unit.respond(complete, head);
    return;
  }

  const reader = body.getReader();
  const cancel = () => void reader.cancel(unit.signal.reason).catch(() => {});
  if (unit.signal.aborted) {
    // rr stopped this unit before we started (after early hints, say): release the body; the
    // worker sends the final frame rr is waiting for.
    cancel();
    return;
  }
  unit.signal.addEventListener('abort', cancel, { once: true });

  let headSent = false;
  let bytesSent = 0;
  const frameContext = () => (headSent ? EMPTY : head);
  const emit = async (bytes: Uint8Array) => {
    if (bytes.length === 0 && headSent) return;
    await unit.stream(bytes, frameContext());
    headSent = true;
    bytesSent += bytes.length;
  };
  const finish = async (bytes: Uint8Array) => {
    await unit.respond(bytes, frameContext());
    headSent = true;
  };
  const fail = async (error: unknown): Promise<never> => {
    if (!headSent && unit.streaming) {
      // Only 1xx hints went out: rr still waits for a final status, and the worker, seeing a
      // unit mid-stream, would not send an ERROR frame. Give the client a plain 500.
      await unit.respond(EMPTY, encodeHttpResponse({ status: 500, headers: {} }));
      throw error;
    }
    if (!headSent) throw error;
    await unit.respond(EMPTY, EMPTY);
    throw new ResponseStreamError(bytesSent, { cause: error });
  };

  try {
    let current = await readNext(reader);
    for (;;) {
      if (current.kind === 'error') return await fail(current.error);
      if (current.kind === 'done') return await finish(EMPTY);
      const upcoming = readNext(reader);
      // Look one tick ahead: a body that is already complete (a string, a buffer) becomes a single
      // frame; a body still being produced is sent now, so the client sees it without waiting.
      const ahead = await Promise.race([upcoming, nextTick()]);
      if (ahead !== PENDING && ahead.kind === 'done') return await finish(current.bytes);
      // A body that fails before anything went out still gets a clean 500 instead of a truncated 200.
      if (ahead !== PENDING && ahead.kind === 'error' && !headSent) return await fail(ahead.error);
      await emit(current.bytes);
      current = await upcoming;
    }
  } catch (error) {
    cancel();
    if (error instanceof StreamStoppedError || unit.signal.aborted) return;
    throw error;
  } finally {
    unit.signal.removeEventListener('abort', cancel);
  }
}

async function readNext(reader: ReadableStreamDefaultReader<unknown>): Promise<Read> {
  try {
    const result = await reader.read();
    return result.done ? { kind: 'done' } : { kind: 'chunk', bytes: toBytes(result.value) };
  } catch (error) {
    return { kind: 'error', error };
  }
}
