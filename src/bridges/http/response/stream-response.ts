import { iterableStream, type StreamSource } from './iterable-stream.js';

/**
 * A `Response` whose body is produced as it is sent: each chunk an async generator (or any
 * iterable, or `ReadableStream`) yields goes to rr as a frame of its own, at the client's pace.
 * When the client goes away, the generator is stopped through `return()`, so its `finally` runs.
 *
 * ```ts
 * return streamResponse(async function* () {
 *   for await (const row of db.rows()) yield `${row.name}\n`;
 * }, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
 * ```
 *
 * Chunks may be `Uint8Array`s or strings (UTF-8). No `Content-Type` is set by default (Go sniffs
 * one from the first bytes); no `Content-Length` either, so the client gets a chunked response.
 *
 * @param source a generator function (started on the first read), an async or sync iterable, or a `ReadableStream`
 * @param init status and headers, as for `new Response`
 */
export function streamResponse(source: StreamSource | (() => StreamSource), init?: ResponseInit): Response {
  return new Response(iterableStream(source), init);
}
