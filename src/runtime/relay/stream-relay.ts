import type { Readable } from 'node:stream';
import { FrameError, RelayError } from '../errors.js';
import type { Frame } from '../goridge/frame.js';
import { FrameReader } from '../goridge/frame-reader.js';
import { FrameWriter, type RelayOutput } from './frame-writer.js';
import type { FrameListener, OutgoingFrame, Relay } from './relay.js';

/** Options of {@link StreamRelay}. */
export interface StreamRelayOptions {
  /** Where rr's frames come from. */
  input: Readable;
  /** Where frames to rr go. */
  output: RelayOutput;
  /** For messages: `pipes`, `tcp://...`. */
  description: string;
  /** Largest payload accepted from rr, see `FrameReaderOptions.maxPayload`. */
  maxPayload?: number;
  /**
   * Undelivered payload bytes at which reading pauses until the consumer catches up. Default
   * 16 MiB: rr sends one request at a time, so only a consumer that stopped iterating gets there.
   */
  highWaterMark?: number;
  /** Releases the underlying streams once pending sends are written; part of `close()`. */
  shutdown?: () => void | Promise<void>;
}

const DEFAULT_HIGH_WATER_MARK = 16 * 1024 * 1024;

/** A {@link Relay} over a readable and a writable: the shared core of the pipes and socket relays. */
export class StreamRelay implements Relay {
  readonly description: string;
  private readonly input: Readable;
  private readonly writer: FrameWriter;
  private readonly reader: FrameReader;
  private readonly highWaterMark: number;
  private readonly shutdown: (() => void | Promise<void>) | undefined;

  private readonly queue: Frame[] = [];
  private queuedBytes = 0;
  private paused = false;
  private eof = false;
  private failure: FrameError | RelayError | undefined;
  private wake: (() => void) | undefined;
  private iterated = false;
  /** Set by {@link listen}: frames are pushed to it instead of queued. */
  private listener: FrameListener | undefined;
  private listenerSettled = false;
  private closing: Promise<void> | undefined;

  private readonly onData = (chunk: Buffer | string) => this.receive(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  private readonly onEnd = () => this.finish();
  private readonly onError = (error: Error) => this.fail(new RelayError(`${this.description}: reading failed: ${error.message}`, { cause: error }));
  // A stream destroyed without 'end' (socket reset, our own close) is the end of input too.
  private readonly onClose = () => {
    if (!this.eof && !this.failure) this.finish();
  };

  constructor(options: StreamRelayOptions) {
    this.description = options.description;
    this.input = options.input;
    this.writer = new FrameWriter(options.output, options.description);
    this.reader = new FrameReader(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload });
    this.highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    this.shutdown = options.shutdown;
    this.input.on('data', this.onData);
    this.input.on('end', this.onEnd);
    this.input.on('error', this.onError);
    this.input.on('close', this.onClose);
  }

  /** True once the input ended (EOF), broke, or the relay was closed: no more frames will come. */
  get inputEnded(): boolean {
    return this.eof || this.failure !== undefined || this.closing !== undefined;
  }

  frames(): AsyncIterable<Frame> {
    if (this.iterated) throw new RelayError(`${this.description}: frames() or listen() was already called; a relay has one reader`);
    this.iterated = true;
    return this.iterate();
  }

  /**
   * The push alternative to {@link frames} (one or the other, once): each frame goes to
   * `listener.frame` from the input's `data` handler as soon as it is decoded, with no queue,
   * promise or wake-up in between; then `end` (EOF, or {@link close}) or `error`, once. Frames
   * decoded before this call are handed over first. The listener owns what it is given: there is
   * no backpressure on this path (rr sends a worker one unit at a time).
   */
  listen(listener: FrameListener): void {
    if (this.iterated) throw new RelayError(`${this.description}: frames() or listen() was already called; a relay has one reader`);
    this.iterated = true;
    this.listener = listener;
    for (let frame = this.queue.shift(); frame !== undefined && !this.closing; frame = this.queue.shift()) listener.frame(frame);
    this.queue.length = 0;
    this.queuedBytes = 0;
    if (this.paused && !this.inputEnded) {
      this.paused = false;
      this.input.resume();
    }
    this.notify();
  }

  send(frame: OutgoingFrame): Promise<void> {
    return this.writer.send(frame);
  }

  close(): Promise<void> {
    if (this.closing === undefined) {
      this.closing = this.release();
      // release() ran up to its first await before `closing` was set: tell a listener now.
      this.notify();
    }
    return this.closing;
  }

  private async release(): Promise<void> {
    this.writer.close();
    this.stopReading();
    this.notify();
    await this.writer.flush();
    await this.shutdown?.();
  }

  private async *iterate(): AsyncGenerator<Frame> {
    for (;;) {
      // After close() the queued frames are dropped: whoever closed is done serving.
      if (this.closing) return;
      const frame = this.queue.shift();
      if (frame) {
        this.queuedBytes -= frame.payload.length;
        if (this.paused && this.queuedBytes < this.highWaterMark / 2) {
          this.paused = false;
          this.input.resume();
        }
        yield frame;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.eof) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  private receive(chunk: Buffer): void {
    if (this.failure || this.eof || this.closing) return;
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch (error) {
      this.fail(error as FrameError);
      return;
    }
    if (frames.length === 0) return;
    const listener = this.listener;
    if (listener) {
      // A listener may close the relay: frames past that are dropped, as the iteration drops them.
      for (let i = 0; i < frames.length && !this.closing; i++) listener.frame(frames[i]!);
      return;
    }
    for (const frame of frames) {
      this.queue.push(frame);
      this.queuedBytes += frame.payload.length;
    }
    if (!this.paused && this.queuedBytes >= this.highWaterMark) {
      this.paused = true;
      this.input.pause();
    }
    this.notify();
  }

  private finish(): void {
    if (this.failure || this.eof || this.closing) return;
    try {
      this.reader.end();
      this.eof = true;
    } catch (error) {
      this.fail(error as FrameError);
      return;
    }
    this.stopReading();
    this.notify();
  }

  private fail(error: FrameError | RelayError): void {
    if (this.failure || this.eof || this.closing) return;
    this.failure = error;
    // goridge has no resync marker: past a bad frame nothing on this stream can be trusted.
    this.stopReading();
    this.notify();
  }

  private stopReading(): void {
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.off('close', this.onClose);
    this.input.off('error', this.onError);
    // Keep swallowing late errors (a reset after EOF) so they cannot crash the process.
    if (this.input.listenerCount('error') === 0) this.input.on('error', () => {});
    this.input.pause();
  }

  private notify(): void {
    if (this.listener === undefined) {
      this.wake?.();
      return;
    }
    if (this.listenerSettled) return;
    // As the iteration: closing ends it normally, even after a failure.
    if (this.closing || this.eof) {
      this.listenerSettled = true;
      this.listener.end();
    } else if (this.failure) {
      this.listenerSettled = true;
      this.listener.error(this.failure);
    }
  }
}
