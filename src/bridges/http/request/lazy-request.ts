import { forwardSlots, REQUEST_SLOTS, standInWorks } from '../fetch/undici-slots.js';

/** The Fetch `Request` this process started with (undici's), whatever `globalThis.Request` becomes. */
const NativeRequest = globalThis.Request;

/** What a {@link createLazyRequest} request is made of. */
export interface LazyRequestInit {
  /** Already valid and normalised, as `Request` would make it (`GET`, `POST`...). */
  method: string;
  /** Absolute and serialised (`URL.href`). */
  url: string;
  /**
   * The `URL` that `url` was serialised from, if the caller parsed one: handed over to the first
   * {@link takeParsedUrl} (a router) so the URL is parsed once per request.
   */
  parsedUrl?: URL | undefined;
  /** Builds the headers on first use. */
  headers: () => Headers;
  /**
   * The raw body bytes (read in place, never copied unless asked for an `ArrayBuffer`), or a
   * function building a rebuilt form body; `undefined` for none.
   */
  body: Uint8Array | (() => RequestInit['body']) | undefined;
  /** `request.signal`, or a function making it on first use; `undefined`: a signal that never aborts. */
  signal: AbortSignal | (() => AbortSignal) | undefined;
}

const utf8 = new TextDecoder(); // strips a leading BOM, as the Fetch body methods do
const unusable = () => Promise.reject(new TypeError('Body is unusable: Body has already been read'));

/**
 * A Fetch `Request` that costs almost nothing until it is used: `method`, `url`, `headers` and
 * `signal` are plain fields (headers built on first read), and `text()`, `json()`, `arrayBuffer()`
 * and `bytes()` read rr's frame body in place. Anything else (`body`, `clone()`, `formData()`,
 * `blob()`, `cache`, `mode`..., or undici itself through `new Request(request)` / `fetch(request)`)
 * builds the real undici `Request` once and answers from it: it carries the same method, URL,
 * headers (the entries of `headers` as they are at that moment), body and signal. A rebuilt form
 * body is the real request's from the start of any header or body access: its content type
 * (a multipart boundary) comes from the body.
 *
 * It is an `instanceof Request` (its prototype chain ends in `Request.prototype`), and undici's
 * internal slots are forwarded to the real request (see `undici-slots.ts`), so undici's own code
 * (`new Request(request)`, `fetch(request)`, `Request.prototype.clone.call(request)`) accepts it.
 */
class LazyRequest {
  readonly #method: string;
  readonly #url: string;
  #makeHeaders: (() => Headers) | undefined;
  #headers: Headers | undefined;
  readonly #body: Uint8Array | (() => RequestInit['body']) | undefined;
  #signal: AbortSignal | (() => AbortSignal) | undefined;
  /** True once a fast body read took the bytes. */
  #used = false;
  #real: Request | undefined;
  #parsedUrl: URL | undefined;

  constructor(init: LazyRequestInit) {
    this.#method = init.method;
    this.#url = init.url;
    this.#parsedUrl = init.parsedUrl;
    this.#makeHeaders = init.headers;
    this.#body = init.body;
    this.#signal = init.signal;
  }

  get method(): string {
    return this.#method;
  }

  /** See {@link takeParsedUrl}. */
  static takeParsedUrl(request: object): URL | undefined {
    if (!(#parsedUrl in request)) return undefined;
    const url = (request as LazyRequest).#parsedUrl;
    (request as LazyRequest).#parsedUrl = undefined;
    return url;
  }

  get url(): string {
    return this.#url;
  }

  get headers(): Headers {
    // A rebuilt form's content type (a multipart boundary) is the real request's to set.
    if (typeof this.#body === 'function') return this.#materialise().headers;
    return this.#givenHeaders();
  }

  get signal(): AbortSignal {
    return this.#ownSignal() ?? this.#materialise().signal;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#materialise().body;
  }

  get bodyUsed(): boolean {
    return this.#used || (this.#real?.bodyUsed ?? false);
  }

  text(): Promise<string> {
    const bytes = this.#take();
    if (bytes === undefined) return this.#materialise().text();
    if (bytes === null) return unusable();
    return Promise.resolve(utf8.decode(bytes));
  }

  json(): Promise<unknown> {
    const bytes = this.#take();
    if (bytes === undefined) return this.#materialise().json();
    if (bytes === null) return unusable();
    try {
      return Promise.resolve(JSON.parse(utf8.decode(bytes)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take();
    if (bytes === undefined) return this.#materialise().arrayBuffer();
    if (bytes === null) return unusable();
    return Promise.resolve(copyOf(bytes).buffer as ArrayBuffer);
  }

  bytes(): Promise<Uint8Array> {
    const bytes = this.#take();
    if (bytes === undefined) return (this.#materialise() as Request & { bytes(): Promise<Uint8Array> }).bytes();
    if (bytes === null) return unusable();
    return Promise.resolve(copyOf(bytes));
  }

  blob(): Promise<Blob> {
    return this.#materialise().blob();
  }

  formData(): Promise<FormData> {
    return this.#materialise().formData();
  }

  clone(): Request {
    return this.#materialise().clone();
  }

  /**
   * The raw body for a fast read, marking it used: `null` when it was already used, `undefined`
   * when the read must go through the real request (it exists, or the body is a rebuilt form).
   * No body reads as empty, any number of times, as in the Fetch API.
   */
  #take(): Uint8Array | null | undefined {
    if (this.#real !== undefined || typeof this.#body === 'function') return undefined;
    if (this.#body === undefined) return EMPTY;
    if (this.#used) return null;
    this.#used = true;
    return this.#body;
  }

  #givenHeaders(): Headers {
    if (this.#headers === undefined) {
      this.#headers = this.#makeHeaders!();
      this.#makeHeaders = undefined;
    }
    return this.#headers;
  }

  #ownSignal(): AbortSignal | undefined {
    if (typeof this.#signal === 'function') this.#signal = this.#signal();
    return this.#signal;
  }

  #materialise(): Request {
    if (this.#real !== undefined) return this.#real;
    const real = realRequest(this.#method, this.#url, this.#givenHeaders(), this.#used ? EMPTY : this.#body, this.#ownSignal());
    // The bytes went to a fast read: the real body must be used too (bodyUsed, clone() refusing).
    if (this.#used) void real.arrayBuffer().catch(() => {});
    this.#real = real;
    return real;
  }

  static {
    Object.setPrototypeOf(this.prototype, NativeRequest.prototype);
    forwardSlots(this.prototype, REQUEST_SLOTS, (standIn) => (standIn as LazyRequest).#materialise());
  }
}

const EMPTY = new Uint8Array(0);

function copyOf(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/** A body as a one-chunk stream: a `Uint8Array` body would be copied by the Request. */
function streamOf(body: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (body.length > 0) controller.enqueue(body);
      controller.close();
    },
  });
}

/**
 * True when this Node's undici accepts lazy requests (checked once, at load). When false, every
 * request is built eagerly as a real undici `Request`: slower, never wrong.
 */
export const LAZY_REQUESTS: boolean = standInWorks(
  () =>
    new LazyRequest({
      method: 'POST',
      url: 'http://probe.invalid/',
      headers: () => new Headers({ 'x-probe': '1' }),
      body: new TextEncoder().encode('probe'),
      signal: undefined,
    }) as unknown as Request,
);

/**
 * The parsed `URL` of a request made by {@link createLazyRequest}, equal to `new URL(request.url)`;
 * `undefined` for any other request, or when it was taken before. The caller owns the object (it
 * may change it), so it is handed out once: a second caller parses `request.url` itself.
 */
export function takeParsedUrl(request: Request): URL | undefined {
  return LazyRequest.takeParsedUrl(request);
}

/** A Fetch `Request` built from `init`: lazy where this Node allows it (see {@link LAZY_REQUESTS}). */
export function createLazyRequest(init: LazyRequestInit): Request {
  if (LAZY_REQUESTS) return new LazyRequest(init) as unknown as Request;
  return realRequest(init.method, init.url, init.headers(), init.body, typeof init.signal === 'function' ? init.signal() : init.signal);
}

/** The undici `Request` for these parts; its `signal` follows `signal` (undici makes its own that does). */
function realRequest(method: string, url: string, headers: Headers, body: LazyRequestInit['body'], signal: AbortSignal | undefined): Request {
  const init: RequestInit & { duplex: 'half' } = { method, headers, duplex: 'half' };
  if (signal !== undefined) init.signal = signal;
  if (typeof body === 'function') init.body = body() ?? null;
  else if (body !== undefined) init.body = streamOf(body);
  return new NativeRequest(url, init);
}
