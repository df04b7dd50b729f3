import { FrameFlag, StreamFlag } from '../goridge/flags.js';
import type { OutgoingFrame } from '../relay/relay.js';
import { ProtocolError, StreamStoppedError } from '../errors.js';

/** How a unit hands frames to the worker; implemented by {@link Worker}. */
export interface FrameSink {
  send(frame: OutgoingFrame): Promise<void>;
}

/** Options for one reply frame. */
export interface ReplyOptions {
  /** Frame flags (the codec): HTTP needs exactly `FrameFlag.CODEC_PROTO`; default {@link UnitOfWork.codec}. */
  flags?: number;
}

const STOP_CONTEXT = Buffer.from('{"stop":true}');
const EMPTY = Buffer.alloc(0);
const NO_OPTIONS: ReplyOptions = {};

/** The sink's send, with a synchronous throw (a custom transport's) turned into a rejection. */
function send(sink: FrameSink, frame: OutgoingFrame): Promise<void> {
  try {
    return sink.send(frame);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * One request from rr (an HTTP request, a job, a Centrifugo message): its context and body, the
 * ways to answer it, and an `AbortSignal` that fires when rr sends STOP (the client went away).
 *
 * A unit is answered exactly once: by {@link respond}, {@link error} or {@link requestReplacement},
 * or by a series of {@link stream} frames closed by {@link respond}. A second answer throws.
 */
export class UnitOfWork {
  /** The frame's context part (option 0 bytes): protobuf for HTTP, JSON for jobs... */
  readonly context: Buffer;
  /** The frame's body part. */
  readonly body: Buffer;
  /** Flags of the request frame (rr's codec for this plugin). */
  readonly flags: number;
  /**
   * Flags used for this unit's reply frames unless a call says otherwise, including the final frame
   * the worker sends on its own after a STOP. Mode handlers set it (HTTP: `CODEC_PROTO`).
   */
  codec: number;

  private readonly sink: FrameSink;
  // Made on first use of `signal`: an AbortSignal costs more than the rest of a unit's bookkeeping.
  private abort: AbortController | undefined;
  private stopReason: { reason: unknown } | undefined;
  private state: 'open' | 'streaming' | 'done' = 'open';

  constructor(sink: FrameSink, frame: { flags: number; context: Buffer; body: Buffer }) {
    this.sink = sink;
    this.flags = frame.flags;
    this.codec = frame.flags & ~FrameFlag.CONTROL & ~FrameFlag.ERROR;
    this.context = frame.context;
    this.body = frame.body;
  }

  /** Fires when rr stops the stream (client disconnected) or the worker is shutting down mid-unit. */
  get signal(): AbortSignal {
    if (!this.abort) {
      this.abort = new AbortController();
      if (this.stopReason) this.abort.abort(this.stopReason.reason);
    }
    return this.abort.signal;
  }

  /** True once rr stopped this unit: what `signal.aborted` says, without making the signal. */
  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  /** True once the final frame (or an error or stop reply) was sent. */
  get answered(): boolean {
    return this.state === 'done';
  }

  /** True once at least one STREAM frame was sent. */
  get streaming(): boolean {
    return this.state === 'streaming';
  }

  // The sends below are not async functions: they return the sink's promise itself (one promise
  // fewer per frame), and refusals become rejections, never synchronous throws.

  /** Sends the final (or only) frame of the reply. */
  respond(body: Uint8Array = EMPTY, context: Uint8Array = EMPTY, options: ReplyOptions = NO_OPTIONS): Promise<void> {
    const refused = this.claim('respond', 'done');
    if (refused) return Promise.reject(refused);
    return send(this.sink, this.frame(context, body, options, 0));
  }

  /**
   * Sends a non-final frame (STREAM bit): more follow. Throws {@link StreamStoppedError} once rr
   * has stopped the stream, so a producer stops at its next chunk.
   */
  stream(body: Uint8Array, context: Uint8Array = EMPTY, options: ReplyOptions = NO_OPTIONS): Promise<void> {
    if (this.stopReason) return Promise.reject(new StreamStoppedError());
    const refused = this.claim('stream', 'streaming');
    if (refused) return Promise.reject(refused);
    return send(this.sink, this.frame(context, body, options, StreamFlag.STREAM));
  }

  /** Answers with an ERROR frame: rr reports a failure for this unit (HTTP: 500) and keeps the worker. */
  error(message: string): Promise<void> {
    const refused = this.claim('error', 'done');
    if (refused) return Promise.reject(refused);
    return send(this.sink, { flags: FrameFlag.ERROR, payload: Buffer.from(message) });
  }

  /**
   * Answers `{"stop":true}`: rr takes this worker out of the pool, re-dispatches this same unit to
   * another worker, then sends the CONTROL stop. Only valid before anything else was sent.
   */
  requestReplacement(): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new ProtocolError('cannot ask rr to replace the worker: this unit already started its reply'));
    this.state = 'done';
    return send(this.sink, { flags: 0, options: [STOP_CONTEXT.length], payload: STOP_CONTEXT });
  }

  /** Called by the worker when rr sends STOP for this unit. */
  stop(reason: unknown = new StreamStoppedError()): void {
    if (this.stopReason) return;
    this.stopReason = { reason };
    this.abort?.abort(reason);
  }

  /** Moves to `next`, or returns the error to reject with when the unit was already answered. */
  private claim(action: string, next: 'streaming' | 'done'): ProtocolError | undefined {
    if (this.state === 'done') return new ProtocolError(`cannot ${action}: this unit was already answered`);
    this.state = next;
    return undefined;
  }

  private frame(context: Uint8Array, body: Uint8Array, options: ReplyOptions, streamFlags: number): OutgoingFrame {
    // Context and body go out as two parts of one frame: a large body is never copied.
    return { flags: options.flags ?? this.codec, streamFlags, options: [context.length], payload: [context, body] };
  }
}
