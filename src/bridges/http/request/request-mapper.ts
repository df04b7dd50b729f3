import { ProtocolError } from '../../../runtime/errors.js';
import { HttpRequestOptionsError } from '../errors.js';
import type { HttpRequestMessage } from '../proto/http-v1.js';
import { headersFromMessage } from './headers-from-message.js';
import { readUploads, type UploadReading } from './read-uploads.js';
import { rebuildFormBody } from './rebuild-form-body.js';
import type { FormTree, RequestContext } from './request-context.js';
import { TrustedProxies, type TrustedProxyOptions } from './trusted-proxies.js';

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

// The Fetch API refuses a body on these; rr forwards one if the client sent it, and it is dropped.
const NO_BODY = new Set(['GET', 'HEAD']);

/**
 * Validates the options (throwing {@link HttpRequestOptionsError} that names a bad value) and
 * returns the function that maps each rr request to a Fetch `Request` plus its {@link RequestContext}:
 *
 * - method, and the absolute URL from rr's `uri` with scheme, host and port corrected through
 *   trusted proxies; every header value (Latin-1 byte strings), `Host` restored, `Cookie` lines
 *   joined with `; `;
 * - a raw body as a stream over the frame body (no copy);
 * - a form rr parsed (`parsed: true`) rebuilt as a `URLSearchParams` or `FormData` body, so
 *   `request.formData()` works; uploads as `File`s read from rr's temp files (see `readUploads`).
 *
 * The mapper keeps nothing between requests: everything comes from the request and the options.
 */
export function createRequestMapper(options: HttpRequestOptions = {}): RequestMapper {
  const proxies = TrustedProxies.from(options);
  const reading = options.readUploads ?? 'lazy';
  if (reading !== 'lazy' && reading !== 'eager') throw new HttpRequestOptionsError('readUploads', reading, '"lazy" or "eager"');

  return async (message, body, signal) => {
    const original = parseUri(message.uri);
    const method = message.method || 'GET';
    const form = message.parsed ? parseFormTree(body) : undefined;
    const uploads = message.uploads && message.uploads.length > 0 ? await readUploads(message.uploads, reading) : undefined;

    const contentType = Object.entries(message.header).find(([name]) => name.toLowerCase() === 'content-type')?.[1].join(', ') ?? '';
    const kind = form === undefined && uploads === undefined ? 'raw' : uploads !== undefined || contentType.includes('multipart/form-data') ? 'multipart' : 'urlencoded';
    const headers = headersFromMessage(message, original.host, kind !== 'raw');
    const proxy = proxies.resolve(message.remoteAddr, headers, original);

    let requestBody: RequestInit['body'];
    if (!NO_BODY.has(method)) {
      if (kind !== 'raw') requestBody = rebuildFormBody(kind, form ?? {}, uploads?.files ?? []);
      else if (body.length > 0) requestBody = streamOf(body);
    }
    // rr's string when no proxy changed it: the Request parses its input again anyway.
    const url = proxy.url === original ? message.uri : proxy.url.href;
    const request = new WorkerRequest(url, { method, headers, body: requestBody, duplex: 'half' }, signal);

    const files = uploads?.files ?? [];
    const context: RequestContext = {
      clientAddress: proxy.clientAddress,
      peerAddress: message.remoteAddr,
      fromTrustedProxy: proxy.fromTrustedProxy,
      protocol: message.protocol,
      attributes: Object.fromEntries(Object.entries(message.attributes).flatMap(([name, values]) => (values.length > 0 ? [[name, values[0]!]] : []))),
      attributeValues: Object.fromEntries(Object.entries(message.attributes)),
      cookies: Object.fromEntries(Object.entries(message.cookies).flatMap(([name, values]) => (values.length > 0 ? [[name, values[0]!]] : []))),
      form,
      uploads: uploads?.tree,
      files,
      uploadErrors: files.filter((file) => file.error !== 0),
    };
    return { request, context };
  };
}

/**
 * A Fetch `Request` whose `signal` is the unit's own. Handing the signal to the constructor instead
 * makes undici build a second signal that follows it (a listener, a weak ref and a finalizer per
 * request: as much as the whole Request costs otherwise). A `clone()` has the same signal; only
 * `new Request(request)` and `fetch(request)` copy undici's inner one, which never aborts, so pass
 * `signal: request.signal` to an upstream `fetch` that should stop when the client goes away.
 */
class WorkerRequest extends Request {
  #signal: AbortSignal | (() => AbortSignal) | undefined;

  constructor(input: string, init: RequestInit, signal: AbortSignal | (() => AbortSignal) | undefined) {
    super(input, init);
    this.#signal = signal;
  }

  /** The given signal, made now if it was given as a function; undefined when none was given. */
  get #ownSignal(): AbortSignal | undefined {
    if (typeof this.#signal === 'function') this.#signal = this.#signal();
    return this.#signal;
  }

  static {
    // Defined on the prototype: Node's typings declare both as properties, not methods.
    const base = Request.prototype;
    Object.defineProperties(this.prototype, {
      signal: {
        configurable: true,
        get(this: WorkerRequest): AbortSignal {
          return this.#ownSignal ?? (Reflect.get(base, 'signal', this) as AbortSignal);
        },
      },
      clone: {
        configurable: true,
        writable: true,
        value(this: WorkerRequest): Request {
          const clone = base.clone.call(this);
          const signal = this.#ownSignal;
          if (signal) Object.defineProperty(clone, 'signal', { value: signal });
          return clone;
        },
      },
    });
  }
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

/** The frame body as a one-chunk stream: a `Uint8Array` body would be copied by the Request. */
function streamOf(body: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
}
