import { iterableStream } from './iterable-stream.js';
import { jsonChunks, type JsonChunksOptions } from './json-chunks.js';

/** Options of {@link jsonStreamResponse}: the `Response` init plus the encoder's. */
export interface JsonStreamResponseInit extends ResponseInit, JsonChunksOptions {}

/**
 * A JSON `Response` written while its data is produced, never built in memory: the Node
 * counterpart of Symfony's `StreamedJsonResponse`. Any array, iterable, async iterable or promise,
 * at any depth, is written as it yields (see {@link jsonChunks} for the exact rules):
 *
 * ```ts
 * return jsonStreamResponse({ total: await countRows(), items: db.streamRows() });
 * ```
 *
 * `Content-Type` defaults to `application/json`. When the client goes away, the generators
 * feeding the body are stopped (their `finally` runs). A producer that throws mid-way leaves the
 * client with truncated (invalid) JSON, which is the only honest signal once a 200 went out.
 */
export function jsonStreamResponse(value: unknown, init: JsonStreamResponseInit = {}): Response {
  const { flushSize, ...responseInit } = init;
  const headers = new Headers(responseInit.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return new Response(iterableStream(() => jsonChunks(value, { flushSize })), { ...responseInit, headers });
}
