/**
 * The response side of the HTTP bridge: how a Fetch `Response` becomes rr frames
 * ({@link sendResponse}), and `Response` factories for what a plain `new Response` does badly on a
 * worker: streamed bodies, streamed JSON, files with ranges and conditionals, and 103 Early Hints.
 *
 * @module
 */
export { sendResponse, HTTP_CODEC } from './send-response.js';
export { headersToMap } from './headers-to-map.js';
export { validateResponseHead, validateHeader } from './validate-response-head.js';
export type { StatusKind } from './validate-response-head.js';
export { streamResponse } from './stream-response.js';
export { iterableStream } from './iterable-stream.js';
export type { StreamChunk, StreamSource } from './iterable-stream.js';
export { jsonStreamResponse } from './json-stream-response.js';
export type { JsonStreamResponseInit } from './json-stream-response.js';
export { jsonChunks } from './json-chunks.js';
export type { JsonChunksOptions } from './json-chunks.js';
export { fileResponse } from './file-response.js';
export type { FileResponseOptions } from './file-response.js';
export { parseRange } from './byte-ranges.js';
export type { ByteRange, RangeRequest } from './byte-ranges.js';
export { contentDisposition } from './content-disposition.js';
export type { DispositionType } from './content-disposition.js';
export { contentTypeFor, DEFAULT_CONTENT_TYPE } from './content-type-for.js';
export { evaluatePreconditions, ifRangeMatches } from './evaluate-preconditions.js';
export type { PreconditionOutcome, Validators } from './evaluate-preconditions.js';
export { earlyHints } from './early-hints.js';
export type { EarlyHintsInit, EarlyHintsOptions } from './early-hints.js';
export { clientErrorResponse, errorResponse } from './error-response.js';
