/**
 * The HTTP bridge: serves rr's `http` pool with a Fetch handler.
 *
 * ```ts
 * import { defineApp } from 'roadrunner-runtime';
 * import { createHttpHandler } from 'roadrunner-runtime/http';
 *
 * export default defineApp({
 *   modes: { http: () => ({ handle: createHttpHandler((request) => new Response('hello')) }) },
 * });
 * ```
 *
 * Responses are sent as they are produced: a `ReadableStream` body (or `ReadableStream.from` an
 * async generator) goes out chunk by chunk, and is cancelled when the client goes away.
 *
 * @module
 */
export { createHttpHandler } from './http-handler.js';
export type { FetchHandler, HttpRequestInfo } from './http-handler.js';
export { requestFromMessage } from './request-from-message.js';
export { headersToMap, sendResponse } from './send-response.js';
export { decodeHttpRequest, decodeHttpResponse, encodeHttpRequest, encodeHttpResponse } from './proto/http-v1.js';
export type { HttpRequestMessage, HttpResponseMessage, ValuesMap } from './proto/http-v1.js';
export {
  Controller,
  createWarmupRequest,
  Delete,
  errorResponse,
  fetchKernel,
  Get,
  getControllerMetadata,
  HTTP_KERNEL,
  HTTP_REQUEST,
  HttpExceptionEvent,
  httpMode,
  httpRequestBinding,
  HttpRequestEvent,
  HttpResponseEvent,
  HttpTerminateEvent,
  isWarmupRequest,
  Patch,
  Post,
  Put,
  Route,
  RouterKernel,
  WARMUP_URL,
} from './kernel/index.js';
export type { ControllerMetadata, Fetchable, HttpMethod, HttpModeOptions, RouteContext, RouteHandler, RouteMetadata, RouterKernelOptions } from './kernel/index.js';
export { HttpKernelConfigError, InvalidControllerResultError } from './errors.js';
