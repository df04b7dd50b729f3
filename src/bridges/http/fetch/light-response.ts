import type { ValuesMap } from '../proto/http-v1.js';
import { forwardSlots, RESPONSE_SLOTS } from './undici-slots.js';

/** The Fetch `Response` this process started with (undici's), whatever `globalThis.Response` becomes. */
export const NativeResponse = globalThis.Response;

/** RFC 9110 `token`, what a header name may be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What undici refuses in a header value once trimmed. */
const BAD_VALUE = /[\0\r\n]/;
/** RFC 9110 `reason-phrase`. */
const REASON = /^[\t\x20-\x7e\x80-\xff]*$/;
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

const utf8 = new TextDecoder();
const unusable = () => Promise.reject(new TypeError('Body is unusable: Body has already been read'));

/** The parts sendResponse takes from a {@link LightResponse} without building any stream. */
export interface LightParts {
  status: number;
  headers: ValuesMap;
  /** `undefined`: no body. */
  body: Uint8Array | undefined;
}

type Source = string | Uint8Array | null;

/**
 * A Fetch `Response` for the bodies handlers answer with nearly always (a string, bytes, JSON,
 * none) that builds neither undici's `Response` nor its body stream unless something asks for
 * them: the worker sends status, headers and body straight from the fields. Everything else
 * (a stream, a Blob, FormData, `Headers` or pairs as `headers`, an invalid init) is an undici
 * `Response` from the start, held inside and answered from, so it behaves exactly as before,
 * errors included. `body`, `clone()`, `blob()` and `formData()` build the undici `Response` once.
 *
 * It is an `instanceof Response` (prototype chain and `Symbol.hasInstance`), and responses from
 * anywhere else (`fetch()`) stay `instanceof Response` too. Installed as `globalThis.Response`
 * by the HTTP modes (the precedent of @hono/node-server; opt out with `overrideGlobalResponse: false`).
 */
export class LightResponse {
  #status = 200;
  #statusText = '';
  #pairs: Array<[string, string]> | undefined;
  #headers: Headers | undefined;
  #source: Source = null;
  #used = false;
  #real: Response | undefined;

  constructor(body?: unknown, init?: ResponseInit) {
    const source = sourceOf(body);
    if (source === undefined || !this.#accept(source, init, 'text/plain;charset=UTF-8')) this.#real = new NativeResponse(body as ConstructorParameters<typeof Response>[0], init);
  }

  /** `Response.json()`, light when `init` is. */
  static json(data: unknown, init?: ResponseInit): Response {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError('Value is not JSON serializable');
    const response = new LightResponse();
    return response.#accept(text, init, 'application/json') ? (response as unknown as Response) : NativeResponse.json(data, init);
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep the ordinary check; Response itself also claims undici's own responses.
    return this === LightResponse ? value instanceof NativeResponse : Function.prototype[Symbol.hasInstance].call(this, value);
  }

  get status(): number {
    return this.#real ? this.#real.status : this.#status;
  }

  get statusText(): string {
    return this.#real ? this.#real.statusText : this.#statusText;
  }

  get ok(): boolean {
    const status = this.status;
    return status >= 200 && status <= 299;
  }

  get type(): Response['type'] {
    return this.#real ? this.#real.type : 'default';
  }

  get url(): string {
    return this.#real ? this.#real.url : '';
  }

  get redirected(): boolean {
    return this.#real ? this.#real.redirected : false;
  }

  get headers(): Headers {
    if (this.#real) return this.#real.headers;
    return (this.#headers ??= new Headers(this.#pairs));
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#materialise().body;
  }

  get bodyUsed(): boolean {
    return this.#real ? this.#real.bodyUsed : this.#used;
  }

  text(): Promise<string> {
    const source = this.#take();
    if (source === undefined) return this.#materialise().text();
    if (source === null) return unusable();
    return Promise.resolve(typeof source === 'string' ? source : utf8.decode(source));
  }

  json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text) as unknown);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const source = this.#take();
    if (source === undefined) return this.#materialise().arrayBuffer();
    if (source === null) return unusable();
    return Promise.resolve(bytesOf(source, true).buffer as ArrayBuffer);
  }

  bytes(): Promise<Uint8Array> {
    const source = this.#take();
    if (source === undefined) return (this.#materialise() as Response & { bytes(): Promise<Uint8Array> }).bytes();
    if (source === null) return unusable();
    return Promise.resolve(bytesOf(source, true));
  }

  blob(): Promise<Blob> {
    return this.#materialise().blob();
  }

  formData(): Promise<FormData> {
    return this.#materialise().formData();
  }

  clone(): Response {
    return this.#materialise().clone();
  }

  /** Status, headers and body for the wire, or `undefined` when the body must be read as a stream. */
  static partsOf(response: Response): LightParts | undefined {
    if (!(#real in response)) return undefined;
    const light = response as unknown as LightResponse;
    if (light.#real !== undefined || light.#used) return undefined;
    const headers: ValuesMap = Object.create(null) as ValuesMap;
    if (light.#headers !== undefined) {
      // Handed out, so maybe changed: it is the truth now.
      light.#headers.forEach((value, name) => {
        if (name !== 'set-cookie') (headers[name] ??= []).push(value);
      });
      const cookies = light.#headers.getSetCookie();
      if (cookies.length > 0) headers['set-cookie'] = cookies;
    } else {
      for (const [name, value] of light.#pairs!) {
        const values = headers[name];
        if (values === undefined) headers[name] = [value];
        else if (name === 'set-cookie') values.push(value);
        else values[0] = `${values[0]}, ${value}`;
      }
    }
    const source = light.#source;
    // `status` read the public way: code may shadow it on the object (rr's scenarios do, with 610).
    return { status: response.status, headers, body: source === null ? undefined : bytesOf(source, false) };
  }

  /** Takes `init` when every part of it is plain and valid; false leaves the work to undici. */
  #accept(source: Source, init: ResponseInit | undefined, defaultType: string): boolean {
    let status = 200;
    let statusText = '';
    const pairs: Array<[string, string]> = [];
    let hasType = false;
    if (init !== undefined && init !== null) {
      if (typeof init !== 'object') return false;
      if (init.status !== undefined) {
        status = init.status;
        if (!Number.isInteger(status) || status < 200 || status > 599) return false;
        if (source !== null && NULL_BODY_STATUS.has(status)) return false;
      }
      if (init.statusText !== undefined) {
        if (typeof init.statusText !== 'string' || !REASON.test(init.statusText)) return false;
        statusText = init.statusText;
      }
      const headers = init.headers;
      if (headers !== undefined) {
        if (headers === null || typeof headers !== 'object' || Array.isArray(headers) || headers instanceof Headers) return false;
        const prototype = Object.getPrototypeOf(headers) as unknown;
        if (prototype !== Object.prototype && prototype !== null) return false;
        for (const name of Object.keys(headers)) {
          const raw = (headers as Record<string, unknown>)[name];
          if (typeof raw !== 'string' || !TOKEN.test(name)) return false;
          const value = raw.replace(HTTP_WHITESPACE, '');
          if (BAD_VALUE.test(value)) return false;
          const lower = name.toLowerCase();
          if (lower === 'content-type') hasType = true;
          pairs.push([lower, value]);
        }
      }
    }
    if (!hasType && typeof source === 'string') pairs.push(['content-type', defaultType]);
    this.#status = status;
    this.#statusText = statusText;
    this.#pairs = pairs;
    this.#source = source;
    return true;
  }

  /** The source for a fast read (marking it used); `null`: already used; `undefined`: ask undici. */
  #take(): Source | undefined {
    if (this.#real !== undefined) return undefined;
    if (this.#source === null) return EMPTY;
    if (this.#used) return null;
    this.#used = true;
    return this.#source;
  }

  #materialise(): Response {
    if (this.#real !== undefined) return this.#real;
    const real = new NativeResponse(this.#used ? new Uint8Array(0) : this.#source, { status: this.#status, statusText: this.#statusText, headers: this.headers });
    if (this.#used) void real.arrayBuffer().catch(() => {});
    this.#real = real;
    return real;
  }

  static {
    Object.setPrototypeOf(this, NativeResponse);
    Object.setPrototypeOf(this.prototype, NativeResponse.prototype);
    forwardSlots(this.prototype, RESPONSE_SLOTS, (standIn) => (standIn as LightResponse).#materialise());
  }
}

const EMPTY = new Uint8Array(0);

/** A body the light response takes as it is: `undefined` for any other kind. Bytes are copied, as undici does. */
function sourceOf(body: unknown): Source | undefined {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
  return undefined;
}

function bytesOf(source: string | Uint8Array, copy: boolean): Uint8Array {
  if (typeof source === 'string') return Buffer.from(source, 'utf8');
  if (!copy) return source;
  const bytes = new Uint8Array(source.byteLength);
  bytes.set(source);
  return bytes;
}

/** True when undici accepts a light response as `this` of its own methods (checked once, at load). */
function lightWorks(): boolean {
  try {
    const cloned = NativeResponse.prototype.clone.call(new LightResponse('probe', { status: 201, headers: { 'x-probe': '1' } }) as unknown as Response);
    return cloned.status === 201 && cloned.headers.get('x-probe') === '1' && cloned.body instanceof ReadableStream;
  } catch {
    return false;
  }
}

/** True when this Node's undici accepts light responses; when false the global is never replaced. */
export const LIGHT_RESPONSES: boolean = lightWorks();

/**
 * Makes `globalThis.Response` the {@link LightResponse} (once; idempotent). Code that kept a
 * reference to the original, and responses made before, are unaffected: they are undici's.
 * Returns false (and changes nothing) on a Node whose undici refuses light responses.
 */
export function installLightResponse(): boolean {
  if (!LIGHT_RESPONSES) return false;
  if (globalThis.Response !== (LightResponse as unknown as typeof Response)) {
    Object.defineProperty(globalThis, 'Response', { value: LightResponse, writable: true, configurable: true, enumerable: false });
  }
  return true;
}
