import type { Frame } from '../goridge/frame.js';

/**
 * A frame to send. `payload` may be a list of parts: they are written back to back after the
 * header without being joined, so a large body is never copied into a frame buffer.
 */
export interface OutgoingFrame {
  /** Byte 1: CONTROL, ERROR and codec bits. */
  flags: number;
  /** Byte 10: STREAM, STOP, PING, PONG bits. Default 0. */
  streamFlags?: number;
  /** Up to ten uint32 options. Default none. */
  options?: readonly number[];
  /** The payload, whole or in parts. Default empty. */
  payload?: Uint8Array | readonly Uint8Array[];
}

/**
 * Receives frames pushed by a relay ({@link StreamRelay.listen}): `frame` for each one in arrival
 * order, as soon as it is decoded, then exactly one of `end` (EOF, or the relay was closed) or
 * `error` (a `FrameError` for an invalid frame stream, a `RelayError` for a failed stream).
 * Called from the input's `data` handler: none of them may throw.
 */
export interface FrameListener {
  frame(frame: Frame): void;
  end(): void;
  error(error: unknown): void;
}

/**
 * The duplex frame channel between this process and rr (pipes, tcp or unix socket). It satisfies
 * the worker's `WorkerTransport`.
 *
 * Reading is push-driven: the relay decodes frames as bytes arrive and queues them, whether or not
 * anyone is iterating at that moment, so a STOP sent while a unit is still being produced is
 * already decoded for a concurrent reader loop. It only stops reading when a large amount of
 * undelivered payload piles up (backpressure on the input).
 */
export interface Relay {
  /** Where the relay goes, for messages: `pipes`, `tcp://host:port`, `unix:///abs/path`. */
  readonly description: string;
  /**
   * Frames from rr in arrival order. The iteration ends at EOF (rr went away) or after
   * {@link close}; it throws a `FrameError` when the input is not a valid frame stream and a
   * `RelayError` when the underlying stream fails. One consumer only: a second call throws.
   */
  frames(): AsyncIterable<Frame>;
  /**
   * Writes one frame. Resolves once every byte of it was handed to the OS (the stream's write
   * callback), so awaiting each send never lets more than one frame queue up in memory; rejects
   * with a `RelayError` when the output is broken or the relay is closed, or a `FrameError` when
   * the frame cannot be encoded. Concurrent sends never interleave.
   */
  send(frame: OutgoingFrame): Promise<void>;
  /** Waits for pending sends, stops reading and releases the streams. Idempotent. */
  close(): Promise<void>;
}
