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
 * Responses are sent as they are produced: a `ReadableStream` body goes out chunk by chunk, and is
 * cancelled when the client goes away. `streamResponse` (generators), `jsonStreamResponse` (large
 * JSON), `fileResponse` (files with Range/conditionals) and `earlyHints` (103) build on that; see
 * `./response/`.
 *
 * @module
 */
export { createHttpHandler } from './http-handler.js';
export type { FetchHandler, HttpHandlerOptions, HttpRequestInfo } from './http-handler.js';
export { installLightResponse, LightResponse } from './fetch/light-response.js';
export {
  createRequestMapper,
  DEFAULT_TRUSTED_HEADERS,
  flattenFormTree,
  parseForwardedHeader,
  PRIVATE_RANGES,
  TrustedProxies,
  UploadedFile,
  UploadError,
  uploadErrorMessage,
} from './request/index.js';
export type {
  FormTree,
  FormValue,
  HttpRequestOptions,
  MappedHttpRequest,
  RequestContext,
  RequestMapper,
  TrustedHeader,
  TrustedProxyOptions,
  UploadNode,
  UploadReading,
  UploadTree,
} from './request/index.js';
export {
  clientErrorResponse,
  errorResponse,
  contentDisposition,
  contentTypeFor,
  earlyHints,
  fileResponse,
  headersToMap,
  jsonChunks,
  jsonStreamResponse,
  parseRange,
  sendResponse,
  streamResponse,
  validateResponseHead,
} from './response/index.js';
export type { EarlyHintsInit, EarlyHintsOptions, FileResponseOptions, JsonStreamResponseInit, StreamChunk, StreamSource } from './response/index.js';
export { decodeHttpRequest, decodeHttpResponse, encodeHttpRequest, encodeHttpResponse } from './proto/http-v1.js';
export type { HttpRequestMessage, HttpResponseMessage, ValuesMap } from './proto/http-v1.js';
export {
  Controller,
  createWarmupRequest,
  Delete,
  fetchKernel,
  Get,
  getControllerMetadata,
  HTTP_KERNEL,
  HTTP_REQUEST,
  HTTP_RESPONSE_FINALIZER,
  REQUEST_CONTEXT,
  requestContextBinding,
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
export type { ControllerMetadata, Fetchable, HttpFinalizeContext, HttpMethod, HttpModeOptions, HttpResponseFinalizer, RouteContext, RouteHandler, RouteMetadata, RouterKernelOptions } from './kernel/index.js';
export {
  FileNotFoundError,
  FileOutsideRootError,
  HttpClientError,
  HttpKernelConfigError,
  HttpRequestOptionsError,
  InvalidControllerResultError,
  InvalidResponseHeaderError,
  InvalidResponseStatusError,
  ResponseStreamError,
  UploadUnavailableError,
} from './errors.js';
// Types the public signatures above mention, so users can name them (and the API reference links them).
export type { DispositionType } from './response/content-disposition.js';
export type { ForwardedElement } from './request/parse-forwarded-header.js';
export type { ByteRange, RangeRequest } from './response/byte-ranges.js';
export type { LightParts } from './fetch/light-response.js';
export type { ProxyResolution } from './request/trusted-proxies.js';
export type { JsonChunksOptions } from './response/json-chunks.js';
export type { StatusKind } from './response/validate-response-head.js';
