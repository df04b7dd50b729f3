import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { SETTLED } from '../../container/index.js';
import { RelayError } from '../errors.js';
import { encodeFrameFromParts, encodeFrameHeader } from '../goridge/frame.js';
import type { ProtocolOutput } from '../stdout-guard.js';
import type { OutgoingFrame } from './relay.js';

/**
 * Where frames are written: a Writable, the stdout guard's real-stdout writer (whose `write`
 * bypasses the guard), or a file descriptor.
 */
export type RelayOutput = Writable | ProtocolOutput | number;

/**
 * Payloads up to this size are copied into the header's buffer so the frame is one write; larger
 * ones are written as header + parts (one writev while corked), never copied.
 */
const COPY_LIMIT = 64 * 1024;

const NO_OPTIONS: readonly number[] = [];
const NO_PARTS: readonly Uint8Array[] = [];

type WriteFn = (chunk: Uint8Array, callback: (error?: Error | null) => void) => boolean;

/** Writes frames to one output without interleaving them, tracking their completion and failure. */
export class FrameWriter {
  private readonly stream: Writable;
  private readonly write: WriteFn;
  private readonly description: string;
  private failure: RelayError | undefined;
  private closed = false;
  /** Frames handed to the stream whose write callback has not come yet. */
  private pending = 0;
  /** {@link flush} callers waiting for `pending` to reach zero. */
  private drained: Array<() => void> = [];

  constructor(output: RelayOutput, description: string) {
    this.description = description;
    if (typeof output === 'number') {
      this.stream = createWriteStream('', { fd: output, autoClose: false });
      this.write = this.stream.write.bind(this.stream) as WriteFn;
    } else if (output instanceof Writable) {
      this.stream = output;
      this.write = output.write.bind(output) as WriteFn;
    } else {
      this.stream = output.stream;
      this.write = output.write;
    }
    // Without a listener an EPIPE (rr went away) would crash the process as an uncaught error.
    // The listener stays for the stream's life: late errors after close() must not crash either.
    this.stream.on('error', (error) => {
      this.failure ??= new RelayError(`${description}: writing failed: ${error.message}`, { cause: error });
    });
  }

  /** Encodes and writes one frame; see `Relay.send`. */
  send(frame: OutgoingFrame): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new RelayError(`${this.description}: the relay is closed`));
    let chunks: Uint8Array[];
    try {
      chunks = frameChunks(frame);
    } catch (error) {
      return Promise.reject(error);
    }
    this.pending += 1;
    let remaining = chunks.length;
    let settled = false;
    // Set only when the write did not finish before send returned (a full pipe, an async stream).
    let waiting: { resolve: () => void; reject: (error: unknown) => void } | undefined;
    const callback = (error?: Error | null) => {
      if (settled) return;
      if (error) {
        settled = true;
        this.failure ??= new RelayError(`${this.description}: writing failed: ${error.message}`, { cause: error });
        this.written();
        waiting?.reject(this.failure);
      } else if (--remaining === 0) {
        settled = true;
        this.written();
        waiting?.resolve();
      }
    };
    // Corked, the parts leave in one writev; and being written synchronously, no other
    // frame's bytes can land between them. A frame in one chunk (the usual reply) needs no cork.
    const corked = chunks.length > 1;
    if (corked) this.stream.cork();
    try {
      for (const chunk of chunks) this.write(chunk, callback);
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
    } finally {
      if (corked) this.stream.uncork();
    }
    if (!settled && this.stream.writableLength === 0 && this.stream.writable) {
      // Already handed to the OS (a pipe with room writes synchronously): the stream calls back
      // on a later tick, but nothing is left to wait for.
      settled = true;
      this.written();
    }
    if (settled) return this.failure === undefined ? SETTLED : Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => (waiting = { resolve, reject }));
  }

  /** Resolves once every frame sent so far was written (or failed). */
  flush(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  // A counter, not a set of the sends' promises: tracking each one cost a Set entry and a
  // then() per frame.
  private written(): void {
    if (--this.pending > 0 || this.drained.length === 0) return;
    const drained = this.drained;
    this.drained = [];
    for (const resolve of drained) resolve();
  }

  /** Refuses further sends. Pending ones still complete. */
  close(): void {
    this.closed = true;
  }
}

/** Header (and options) plus payload, as the chunks to write. */
function frameChunks(frame: OutgoingFrame): Uint8Array[] {
  const payload = frame.payload;
  const parts: readonly Uint8Array[] = payload === undefined ? NO_PARTS : isPartList(payload) ? payload : [payload];
  let length = 0;
  for (const part of parts) length += part.length;
  if (length <= COPY_LIMIT) return [encodeFrameFromParts(frame.flags, frame.streamFlags ?? 0, frame.options ?? NO_OPTIONS, parts)];
  const header = encodeFrameHeader(frame.flags, frame.streamFlags ?? 0, frame.options ?? NO_OPTIONS, length);
  const chunks: Uint8Array[] = [header];
  for (const part of parts) if (part.length > 0) chunks.push(part);
  return chunks;
}

function isPartList(payload: Uint8Array | readonly Uint8Array[]): payload is readonly Uint8Array[] {
  return Array.isArray(payload);
}
