/**
 * Every error the runtime throws on purpose. Each one says what was wrong and where, and carries
 * a stable `code` so callers can branch without matching on messages.
 */

/** Base class: `instanceof RuntimeError` catches everything the runtime throws deliberately. */
export class RuntimeError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Why a byte sequence is not a goridge frame. */
export type FrameErrorReason =
  | 'version'
  | 'header-length'
  | 'crc'
  | 'too-large'
  | 'options'
  | 'truncated';

/** A malformed goridge frame: bad version, header length, CRC, size or options. */
export class FrameError extends RuntimeError {
  readonly reason: FrameErrorReason;
  /** Offset of the frame's first byte in the stream it was read from, when known. */
  readonly offset: number | undefined;

  constructor(reason: FrameErrorReason, message: string, offset?: number) {
    super(`ERR_FRAME_${reason.toUpperCase().replace('-', '_')}`, offset === undefined ? message : `${message} (frame at stream offset ${offset})`);
    this.reason = reason;
    this.offset = offset;
  }
}

/** A frame that is well formed but breaks the worker protocol (wrong options, unexpected control payload...). */
export class ProtocolError extends RuntimeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_PROTOCOL', message, options);
  }
}

/** The relay to rr (pipes, tcp or unix socket) could not be opened, or broke. */
export class RelayError extends RuntimeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_RELAY', message, options);
  }
}

/** An RPC call failed on the rr side: rr answered with an ERROR frame. */
export class RpcError extends RuntimeError {
  readonly method: string;

  constructor(method: string, message: string) {
    super('ERR_RPC', `rr RPC ${method} failed: ${message}`);
    this.method = method;
  }
}

/** An RPC call got no answer in time. */
export class RpcTimeoutError extends RuntimeError {
  readonly method: string;

  constructor(method: string, timeoutMs: number) {
    super('ERR_RPC_TIMEOUT', `rr RPC ${method} got no answer within ${timeoutMs} ms`);
    this.method = method;
  }
}

/** The RPC connection (RR_RPC) could not be made or was lost while a call was in flight. */
export class RpcConnectionError extends RuntimeError {
  readonly address: string;

  constructor(address: string, message: string, options?: { cause?: unknown }) {
    super('ERR_RPC_CONNECTION', `rr RPC connection to ${address}: ${message}`, options);
    this.address = address;
  }
}

/** A configuration file or value is invalid. The message names the file, the key path and what was expected. */
export class ConfigError extends RuntimeError {
  readonly file: string | undefined;
  readonly path: string;

  constructor(message: string, details: { file?: string; path?: string } = {}, options?: { cause?: unknown }) {
    super('ERR_CONFIG', message, options);
    this.file = details.file;
    this.path = details.path ?? '';
  }
}

/** `RR_MODE` names a mode no worker is registered for. */
export class UnsupportedModeError extends RuntimeError {
  readonly mode: string;

  constructor(mode: string, known: readonly string[]) {
    super(
      'ERR_UNSUPPORTED_MODE',
      mode === ''
        ? `RR_MODE is not set: this process must be started by rr (server.command); known modes: ${known.join(', ') || 'none registered'}`
        : `RR_MODE=${mode} is not supported by this application; registered modes: ${known.join(', ') || 'none'}`,
    );
    this.mode = mode;
  }
}

/** The application failed to boot (kernel construction, container warm-up, config). */
export class BootError extends RuntimeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_BOOT', message, options);
  }
}

/** A unit of work was cancelled because rr asked the worker to stop producing (stream STOP). */
export class StreamStoppedError extends RuntimeError {
  constructor() {
    super('ERR_STREAM_STOPPED', 'rr stopped the stream: the client went away');
  }
}

/**
 * An event listener is declared or bound wrongly: `@AsEventListener` names a method the class
 * lacks, a class passed to `registerListeners` carries no `@AsEventListener`, or the instance a
 * container resolved has no such method. Errors thrown by listeners themselves are never wrapped.
 */
export class EventListenerError extends RuntimeError {
  constructor(message: string) {
    super('ERR_EVENT_LISTENER', message);
  }
}
