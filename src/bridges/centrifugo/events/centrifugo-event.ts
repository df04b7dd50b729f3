import type { z } from 'zod';
import { StoppableEvent } from '../../../runtime/events/stoppable-event.js';
import { CentrifugoDataError, CentrifugoReplyError } from '../errors.js';
import type { ProxyRequestBase } from '../proto/proxy-v1.js';

/** gRPC metadata Centrifugo sent with the call (lower-case keys, several values each), plus rr's `type`. */
export type CentrifugoMetadata = Readonly<Record<string, readonly string[]>>;

/** An error reply: the client's call fails with `code`; `temporary` lets it retry. */
export interface CentrifugoErrorReply {
  readonly code: number;
  readonly message: string;
  readonly temporary: boolean;
}

/** A disconnect reply: the client connection is closed with `code` and `reason`. */
export interface CentrifugoDisconnectReply {
  readonly code: number;
  readonly reason: string;
}

/** What a listener answered: a result, an error or a disconnect. */
export type CentrifugoReply<Result> =
  | { readonly kind: 'result'; readonly result: Result }
  | { readonly kind: 'error'; readonly error: CentrifugoErrorReply }
  | { readonly kind: 'disconnect'; readonly disconnect: CentrifugoDisconnectReply };

/** The proxy calls, as event `type`s (`sub_refresh` whether rr spelled it `subrefresh` or not). */
export type CentrifugoRequestType = 'connect' | 'refresh' | 'subscribe' | 'publish' | 'rpc' | 'sub_refresh';

/**
 * Base of the events the answerable failure replies share (`InvalidEvent` included): the metadata,
 * the reply set so far, and the error and disconnect builders.
 */
export abstract class CentrifugoReplyEvent<Result> extends StoppableEvent {
  /** gRPC metadata of the call (see {@link CentrifugoMetadata}); empty when rr's context was unreadable. */
  readonly metadata: CentrifugoMetadata;
  #reply: CentrifugoReply<Result> | undefined;

  constructor(metadata: CentrifugoMetadata) {
    super();
    this.metadata = metadata;
  }

  /** What listeners answered so far; `undefined` means the bridge's default reply for this event. */
  get reply(): CentrifugoReply<Result> | undefined {
    return this.#reply;
  }

  /** Whether a listener answered (result, error or disconnect). */
  get hasReply(): boolean {
    return this.#reply !== undefined;
  }

  /**
   * Fails the client's call with an error code (see `CentrifugoErrorCode`; 400-1999 are yours).
   * Replaces any reply set before; call `stopPropagation()` too to keep later listeners out.
   */
  error(code: number, message: string, options: { temporary?: boolean } = {}): void {
    checkCode(code, 'error code');
    this.#reply = { kind: 'error', error: { code, message: String(message), temporary: options.temporary ?? false } };
  }

  /**
   * Closes the client's connection with a disconnect code (see `CentrifugoDisconnectCode`;
   * 4000-4499 reconnect, 4500-4999 do not). Replaces any reply set before.
   */
  disconnect(code: number, reason: string): void {
    checkCode(code, 'disconnect code');
    this.#reply = { kind: 'disconnect', disconnect: { code, reason: String(reason) } };
  }

  /** Sets (or, with `undefined`, clears) the reply as a whole, e.g. one built by another event. */
  setReply(reply: CentrifugoReply<Result> | undefined): void {
    this.#reply = reply;
  }

  protected setResult(result: Result): void {
    this.#reply = { kind: 'result', result };
  }
}

/**
 * Base of the six proxy events: the decoded request, who sent it, and the reply builders. A
 * listener answers with {@link respond} (the call's result), {@link error} or {@link disconnect};
 * when none does, the bridge sends the documented default reply for the event's type.
 */
export abstract class CentrifugoEvent<Request extends ProxyRequestBase, Result> extends CentrifugoReplyEvent<Result> {
  /** The proxy call this event carries. */
  abstract readonly type: CentrifugoRequestType;
  /** The protobuf request as Centrifugo sent it (payload fields as raw bytes). */
  readonly request: Request;

  constructor(request: Request, metadata: CentrifugoMetadata) {
    super(metadata);
    this.request = request;
  }

  /** Centrifugo's id of the client connection. */
  get client(): string {
    return this.request.client;
  }

  /** The client's transport: `websocket`, `http_stream`, `sse`... */
  get transport(): string {
    return this.request.transport;
  }

  /** Answers the call with its result. Replaces any reply set before. */
  respond(result: Result): void {
    if (result === null || typeof result !== 'object') throw new CentrifugoReplyError(`${this.constructor.name}.respond() needs a result object, got ${result === null ? 'null' : typeof result}`);
    this.setResult(result);
  }
}

/**
 * Validates a decoded payload with a zod schema, for `parseData`/`parseMeta` on the events.
 * Refused data is a {@link CentrifugoDataError} (the client gets 107, bad request), whose message
 * names the fields at fault but not their values.
 */
export function parseWithSchema<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${[field, ...issue.path.map(String)].join('.')}: ${issue.message}`);
  throw new CentrifugoDataError(`bad request: ${issues.join('; ')}`, issues, { cause: parsed.error });
}

function checkCode(code: number, what: string): void {
  if (!Number.isInteger(code) || code < 0 || code > 0xffff_ffff) throw new CentrifugoReplyError(`${what} must be an integer from 0 to 4294967295, got ${String(code)}`);
}
