/**
 * Every error the Centrifugo bridge throws on purpose. `instanceof CentrifugoError` catches all of
 * them: a proxy request that cannot be decoded, a reply that cannot be encoded, a refusal a
 * listener throws on purpose, an API call Centrifugo (or rr) refused.
 */
import { RuntimeError } from '../../runtime/errors.js';
import { CentrifugoErrorCode } from './codes.js';

/** Base class of the Centrifugo bridge's errors. */
export class CentrifugoError extends RuntimeError {}

/**
 * A proxy request from rr that the bridge cannot read: its context is not rr's metadata JSON, its
 * `type` is missing or not one the bridge serves, or its protobuf body is malformed. The request
 * becomes an `InvalidEvent` carrying this error; `requestType` is rr's `type` when there was one.
 */
export class CentrifugoDecodeError extends CentrifugoError {
  /** rr's request type (`connect`, `subrefresh`...), when the context named one. */
  readonly requestType: string | undefined;

  constructor(message: string, requestType?: string, options?: { cause?: unknown }) {
    super('ERR_CENTRIFUGO_DECODE', requestType === undefined ? message : `${requestType} request: ${message}`, options);
    this.requestType = requestType;
  }
}

/**
 * Thrown by a listener to refuse a request with a Centrifugo error code (instead of calling
 * `event.error()`): the client gets `{ code, message, temporary }`, nothing is logged or reported
 * as a failure. Codes 400-1999 are the application's; see `CentrifugoErrorCode` for Centrifugo's.
 *
 * ```ts
 * if (!room.allows(event.user)) throw new CentrifugoClientError(403, 'not a member of this room');
 * ```
 */
export class CentrifugoClientError extends CentrifugoError {
  /** The code the client receives. */
  readonly replyCode: number;
  /** Whether the client may retry. */
  readonly temporary: boolean;

  constructor(code: number, message: string, options: { temporary?: boolean; cause?: unknown } = {}) {
    super('ERR_CENTRIFUGO_CLIENT', message, options.cause === undefined ? undefined : { cause: options.cause });
    this.replyCode = code;
    this.temporary = options.temporary ?? false;
  }
}

/**
 * The client's `data` (or `meta`) is not what the listener accepts: not JSON, or refused by the
 * zod schema given to `event.parseData(schema)`. The client gets code 107 (bad request); the
 * message names the fields at fault (`issues`), never their values.
 */
export class CentrifugoDataError extends CentrifugoClientError {
  /** `path: problem` for each field the schema refused; empty when the bytes are not JSON at all. */
  readonly issues: readonly string[];

  constructor(message: string, issues: readonly string[] = [], options?: { cause?: unknown }) {
    super(CentrifugoErrorCode.badRequest, message, options);
    this.issues = issues;
  }
}

/**
 * What a listener set cannot be sent to Centrifugo: a result with a missing `user`, a value JSON
 * cannot encode (a `BigInt`, a cycle), an `expireAt` that is not a unix time in seconds, an error
 * code that is not a uint32. Handled as a failing listener: the client gets an internal error.
 */
export class CentrifugoReplyError extends CentrifugoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CENTRIFUGO_REPLY', message, options);
  }
}

/** Invalid options given to the bridge (`centrifugeMode`, `CentrifugoApi`); the message names the option. */
export class CentrifugoConfigError extends CentrifugoError {
  constructor(message: string) {
    super('ERR_CENTRIFUGO_CONFIG', message);
  }
}

/**
 * A server API call failed. This class covers failures rr reported (rr's centrifuge plugin could
 * not call Centrifugo's gRPC API, e.g. `grpc_api_address` points nowhere); its subclasses say when
 * Centrifugo itself refused the call, or when rr could not be reached.
 */
export class CentrifugoApiError extends CentrifugoError {
  /** The API method (`publish`, `presence`...). */
  readonly method: string;

  constructor(method: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'ERR_CENTRIFUGO_API', `Centrifugo API ${method}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.method = method;
  }
}

/**
 * Centrifugo answered the API call with an error, e.g. 102 (unknown channel: no namespace
 * matches), 108 (not available: presence is off for the channel's namespace).
 */
export class CentrifugoApiReplyError extends CentrifugoApiError {
  /** Centrifugo's error code (see `CentrifugoErrorCode`). */
  readonly replyCode: number;

  constructor(method: string, replyCode: number, replyMessage: string) {
    super(method, `Centrifugo answered error ${replyCode} (${replyMessage})`, { code: 'ERR_CENTRIFUGO_API_REPLY' });
    this.replyCode = replyCode;
  }
}

/**
 * The API call could not be delivered: rr's RPC (`RR_RPC`) is unreachable or did not answer in
 * time, or rr could not reach Centrifugo's gRPC API (`centrifuge.grpc_api_address`). The cause is
 * the RPC client's error.
 */
export class CentrifugoApiConnectionError extends CentrifugoApiError {
  constructor(method: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(method, `could not reach Centrifugo through rr: ${detail}`, { cause, code: 'ERR_CENTRIFUGO_API_CONNECTION' });
  }
}
