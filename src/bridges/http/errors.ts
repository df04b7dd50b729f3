import { ConfigError, RuntimeError } from '../../runtime/errors.js';

/** The HTTP kernel is set up wrongly: a controller without routes, a route to a missing method, a duplicate route. */
export class HttpKernelConfigError extends RuntimeError {
  constructor(message: string) {
    super('ERR_HTTP_KERNEL_CONFIG', message);
  }
}

/** A controller method returned something that is not a Fetch `Response`. */
export class InvalidControllerResultError extends RuntimeError {
  constructor(controller: string, method: string, got: unknown) {
    super('ERR_HTTP_CONTROLLER_RESULT', `${controller}.${method} returned ${got === null ? 'null' : typeof got}, expected a Response`);
  }
}

/**
 * A response header the application set cannot be sent to rr: its name is not an HTTP token, or
 * its value holds CR, LF, NUL, another control character, or a character above U+00FF (header
 * bytes travel as Latin-1). Refusing it keeps a value taken from user input from splitting the
 * response into attacker-controlled headers.
 */
export class InvalidResponseHeaderError extends RuntimeError {
  /** The offending header's name, as the application wrote it. */
  readonly header: string;

  constructor(header: string, problem: string) {
    super('ERR_INVALID_RESPONSE_HEADER', `response header ${JSON.stringify(header)} cannot be sent: ${problem}`);
    this.header = header;
  }
}

/** A response status rr cannot send: not an integer, outside 100-599, or a 1xx where a final status is needed. */
export class InvalidResponseStatusError extends RuntimeError {
  readonly status: number;

  constructor(status: number, expected: string) {
    super('ERR_INVALID_RESPONSE_STATUS', `response status ${status} cannot be sent: expected ${expected}`);
    this.status = status;
  }
}

/**
 * A response body failed after its status and headers had reached rr. The client already has
 * them, so the stream was ended with a final frame (the client sees a truncated body); the cause
 * is the body's error.
 */
export class ResponseStreamError extends RuntimeError {
  /** Body bytes sent before the failure. */
  readonly bytesSent: number;

  constructor(bytesSent: number, options: { cause: unknown }) {
    const cause = options.cause instanceof Error ? `${options.cause.name}: ${options.cause.message}` : String(options.cause);
    super('ERR_RESPONSE_STREAM', `the response body failed after ${bytesSent} bytes were sent; the stream was ended early: ${cause}`, options);
    this.bytesSent = bytesSent;
  }
}

const HTTP_CLIENT_ERROR = Symbol.for('roadrunner-runtime.http-client-error');

/**
 * An error that is the client's doing and maps to a 4xx status. The HTTP bridge answers it with
 * that status and a short fixed body (never the message, which may name server paths), and does
 * not report it as a server error.
 */
export abstract class HttpClientError extends RuntimeError {
  /** The HTTP status (400-499) to answer with. */
  abstract readonly status: number;

  // Branded with a registry symbol so `instanceof` also holds across two loaded copies of this
  // module (an app's ESM import beside a CommonJS require of the same package).
  readonly [HTTP_CLIENT_ERROR] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep the ordinary prototype check: a 403 error is not a 404 error.
    if (this !== HttpClientError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[HTTP_CLIENT_ERROR] === true;
  }
}

/** A file response names a file that does not exist or is not a regular file. Answered with {@link status} (404). */
export class FileNotFoundError extends HttpClientError {
  /** The path the application asked for. */
  readonly path: string;
  readonly status = 404;

  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super('ERR_FILE_NOT_FOUND', `file response: ${JSON.stringify(path)} ${detail}`, options);
    this.path = path;
  }
}

/**
 * A file response's path leads outside the `root` it was given: through `..` segments, or through a
 * symlink whose target lies outside. Answered with {@link status} (403): the request is refused,
 * whatever exists out there.
 */
export class FileOutsideRootError extends HttpClientError {
  /** The path the application asked for. */
  readonly path: string;
  /** The root it had to stay in. */
  readonly root: string;
  readonly status = 403;

  constructor(path: string, root: string, how: string) {
    super('ERR_FILE_OUTSIDE_ROOT', `file response: ${JSON.stringify(path)} ${how} outside its root ${JSON.stringify(root)}`);
    this.path = path;
    this.root = root;
  }
}

/**
 * An option of the HTTP request mapping is invalid: a trusted proxy that is neither an IP, a CIDR
 * nor a keyword, an unknown trusted header, an unknown upload mode. `path` names the option
 * (`trustedProxies[1]`) and `value` is what was given.
 */
export class HttpRequestOptionsError extends ConfigError {
  /** The offending value, as given. */
  readonly value: unknown;

  constructor(path: string, value: unknown, expected: string, options?: { cause?: unknown }) {
    super(`${path}: expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`, { path }, options);
    this.value = value;
  }
}

/**
 * rr reported an upload as successful (error 0) but its temp file cannot be opened. rr writes
 * uploads to `http.uploads.dir` and the worker reads them from there, so both must see the same
 * directory: same host or container, and no private `/tmp` (systemd `PrivateTmp`) between them.
 * Failing the request is deliberate: a form that silently lost a file is worse.
 */
export class UploadUnavailableError extends RuntimeError {
  /** The form field of the upload (`avatar`, `files[]`). */
  readonly field: string;
  /** The temp file rr named. */
  readonly tmpName: string;

  constructor(field: string, tmpName: string, options?: { cause?: unknown }) {
    const why = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(
      'ERR_HTTP_UPLOAD_UNAVAILABLE',
      `upload ${JSON.stringify(field)}: rr's temp file ${JSON.stringify(tmpName)} cannot be read${why}; rr and the worker must share http.uploads.dir (same host or container, no private /tmp)`,
      options,
    );
    this.field = field;
    this.tmpName = tmpName;
  }
}
