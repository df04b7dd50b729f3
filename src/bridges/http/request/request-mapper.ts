import { ProtocolError } from '../../../runtime/errors.js';
import { HttpRequestOptionsError } from '../errors.js';
import type { HttpRequestMessage } from '../proto/http-v1.js';
import { headersFromMessage } from './headers-from-message.js';
import { createLazyRequest, type LazyRequestInit } from './lazy-request.js';
import { readUploads, type ReadUploads, type UploadReading } from './read-uploads.js';
import { rebuildFormBody } from './rebuild-form-body.js';
import type { FormTree, RequestContext, UploadedFile, UploadTree } from './request-context.js';
import { TrustedProxies, type ProxyResolution, type TrustedProxyOptions } from './trusted-proxies.js';

/** Options of the request mapping (and of `createHttpHandler`). */
export interface HttpRequestOptions extends TrustedProxyOptions {
  /**
   * How uploaded files are read from rr's temp files, which rr deletes when the request ends:
   * `lazy` (default) reads on demand, memory-bounded, until the reply ends; `eager` reads them all
   * into memory before the handler runs. See {@link UploadReading}.
   */
  readUploads?: UploadReading;
}

/** A Fetch `Request` and what it cannot carry. */
export interface MappedHttpRequest {
  request: Request;
  context: RequestContext;
}

/**
 * Maps one rr request. `body` is the frame body; `signal` becomes `request.signal` (pass the
 * unit's: it aborts when rr stops the unit), or give a function returning it, called only when
 * `request.signal` is read: most handlers never read it, and making an AbortSignal costs.
 * Throws {@link ProtocolError} on a malformed URI, form or uploads tree, and
 * `UploadUnavailableError` when an upload's temp file cannot be opened.
 */
export type RequestMapper = (message: HttpRequestMessage, body: Uint8Array, signal?: AbortSignal | (() => AbortSignal)) => Promise<MappedHttpRequest>;

/** A {@link RequestMapper} that answers synchronously unless it has uploads to read (the worker's own: one promise fewer per request). */
export type SyncRequestMapper = (message: HttpRequestMessage, body: Uint8Array, signal?: AbortSignal | (() => AbortSignal)) => MappedHttpRequest | Promise<MappedHttpRequest>;

// The Fetch API refuses a body on these; rr forwards one if the client sent it, and it is dropped.
const NO_BODY = new Set(['GET', 'HEAD']);

/**
 * Validates the options (throwing {@link HttpRequestOptionsError} that names a bad value) and
 * returns the function that maps each rr request to a Fetch `Request` plus its {@link RequestContext}:
 *
 * - method, and the absolute URL from rr's `uri` with scheme, host and port corrected through
 *   trusted proxies; every header value (Latin-1 byte strings), `Host` restored, `Cookie` lines
 *   joined with `; `;
 * - a raw body read in place from the frame body (no copy); the `Request` is lazy: see
 *   `createLazyRequest`;
 * - a form rr parsed (`parsed: true`) rebuilt as a `URLSearchParams` or `FormData` body, so
 *   `request.formData()` works; uploads as `File`s read from rr's temp files (see `readUploads`).
 *
 * The mapper keeps nothing between requests: everything comes from the request and the options.
 */
export function createRequestMapper(options: HttpRequestOptions = {}): RequestMapper {
  const map = createSyncRequestMapper(options);
  return async (message, body, signal) => map(message, body, signal);
}

/** {@link createRequestMapper}, answering without a promise when the request has no uploads. */
export function createSyncRequestMapper(options: HttpRequestOptions = {}): SyncRequestMapper {
  const proxies = TrustedProxies.from(options);
  // With no trusted proxy the URL is rr's and the client is the peer: nothing needs the headers.
  const trustsNobody = trustsNoProxy(options.trustedProxies);
  const reading = options.readUploads ?? 'lazy';
  if (reading !== 'lazy' && reading !== 'eager') throw new HttpRequestOptionsError('readUploads', reading, '"lazy" or "eager"');

  const map = (
    message: HttpRequestMessage,
    body: Uint8Array,
    signal: AbortSignal | (() => AbortSignal) | undefined,
    original: URL,
    method: string,
    form: FormTree | undefined,
    uploads: ReadUploads | undefined,
  ): MappedHttpRequest => {
    const files = uploads?.files ?? [];

    let formKind: 'urlencoded' | 'multipart' | undefined;
    if (form !== undefined || uploads !== undefined) {
      const contentType = Object.entries(message.header).find(([name]) => name.toLowerCase() === 'content-type')?.[1].join(', ') ?? '';
      formKind = uploads !== undefined || contentType.includes('multipart/form-data') ? 'multipart' : 'urlencoded';
    }
    let headers: () => Headers = () => headersFromMessage(message, original.host, formKind !== undefined);

    let parsedUrl = original;
    let proxy: ProxyResolution | undefined;
    if (!trustsNobody) {
      const built = headers();
      headers = () => built;
      proxy = proxies.resolve(message.remoteAddr, built, original);
      parsedUrl = proxy.url;
    }

    let requestBody: LazyRequestInit['body'];
    if (!NO_BODY.has(method)) {
      if (formKind !== undefined) requestBody = () => rebuildFormBody(formKind, form ?? {}, files);
      else if (body.length > 0) requestBody = body;
    }
    // The router takes `parsedUrl` over instead of parsing the URL again; nothing here reads it later
    // (the context keeps `original` only to resolve a client address, which never reads its path).
    const request = createLazyRequest({ method, url: parsedUrl.href, parsedUrl, headers, body: requestBody, signal });
    return { request, context: new MappedRequestContext(message, proxies, original, proxy, form, uploads?.tree, files) };
  };

  return (message, body, signal) => {
    const original = parseUri(message.uri);
    const method = normaliseMethod(message.method);
    const form = message.parsed ? parseFormTree(body) : undefined;
    if (message.uploads && message.uploads.length > 0) {
      return readUploads(message.uploads, reading).then((uploads) => map(message, body, signal, original, method, form, uploads));
    }
    return map(message, body, signal, original, method, form, undefined);
  };
}

/**
 * The context of one mapped request. The client address (through trusted proxies), attributes and
 * cookies are worked out when first read: most handlers read none of them.
 */
class MappedRequestContext implements RequestContext {
  readonly peerAddress: string;
  readonly protocol: string;
  readonly form: FormTree | undefined;
  readonly uploads: UploadTree | undefined;
  readonly files: readonly UploadedFile[];
  readonly #message: HttpRequestMessage;
  readonly #proxies: TrustedProxies;
  readonly #url: URL;
  #proxy: ProxyResolution | undefined;
  #attributes: Readonly<Record<string, string>> | undefined;
  #cookies: Readonly<Record<string, string>> | undefined;

  constructor(
    message: HttpRequestMessage,
    proxies: TrustedProxies,
    url: URL,
    proxy: ProxyResolution | undefined,
    form: FormTree | undefined,
    uploads: UploadTree | undefined,
    files: readonly UploadedFile[],
  ) {
    this.peerAddress = message.remoteAddr;
    this.protocol = message.protocol;
    this.form = form;
    this.uploads = uploads;
    this.files = files;
    this.#message = message;
    this.#proxies = proxies;
    this.#url = url;
    this.#proxy = proxy;
  }

  get clientAddress(): string {
    return this.#resolution().clientAddress;
  }

  get fromTrustedProxy(): boolean {
    return this.#resolution().fromTrustedProxy;
  }

  get attributes(): Readonly<Record<string, string>> {
    return (this.#attributes ??= firstValues(this.#message.attributes));
  }

  get attributeValues(): Readonly<Record<string, readonly string[]>> {
    return { ...this.#message.attributes };
  }

  get cookies(): Readonly<Record<string, string>> {
    return (this.#cookies ??= firstValues(this.#message.cookies));
  }

  get uploadErrors(): readonly UploadedFile[] {
    return this.files.filter((file) => file.error !== 0);
  }

  /** Without trusted proxies (otherwise it was resolved up front): no header is read. */
  #resolution(): ProxyResolution {
    return (this.#proxy ??= this.#proxies.resolve(this.#message.remoteAddr, NO_HEADERS, this.#url));
  }

  static {
    // Enumerable like the plain fields, so spreading or logging a context shows every field.
    for (const name of ['clientAddress', 'fromTrustedProxy', 'attributes', 'attributeValues', 'cookies', 'uploadErrors']) {
      Object.defineProperty(this.prototype, name, { ...Object.getOwnPropertyDescriptor(this.prototype, name), enumerable: true });
    }
  }
}

const NO_HEADERS = new Headers();

function firstValues(map: Readonly<Record<string, readonly string[]>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of Object.keys(map)) {
    const values = map[name]!;
    if (values.length > 0) result[name] = values[0]!;
  }
  return result;
}

/** True when `trustedProxies` names no proxy at all (read as `TrustedProxies.from` reads it). */
function trustsNoProxy(value: HttpRequestOptions['trustedProxies']): boolean {
  if (value === undefined) return true;
  if (typeof value === 'string') return value.split(',').every((entry) => entry.trim() === '');
  return Array.isArray(value) && value.length === 0;
}

const COMMON_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);

/**
 * rr's method as `new Request()` makes it: the common ones as they are; anything else (lower
 * case, an extension method, a forbidden one) through the Fetch API's own rules, which normalise
 * it or throw their `TypeError`.
 */
function normaliseMethod(method: string): string {
  if (method === '') return 'GET';
  if (COMMON_METHODS.has(method)) return method;
  return new Request('http://method.invalid/', { method }).method;
}

function parseUri(uri: string): URL {
  try {
    return new URL(uri);
  } catch (error) {
    throw new ProtocolError(`http.v1.Request uri is not an absolute URL: ${JSON.stringify(uri)}`, { cause: error });
  }
}

/** rr's form tree: JSON in the frame body, empty when the form was empty (PHP reads that as `{}`). */
function parseFormTree(body: Uint8Array): FormTree {
  if (body.length === 0) return {};
  let tree: unknown;
  try {
    tree = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    throw new ProtocolError(`http.v1.Request says the body is a parsed form, but it is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) throw new ProtocolError('http.v1.Request says the body is a parsed form, but it is not a JSON object');
  return tree as FormTree;
}

