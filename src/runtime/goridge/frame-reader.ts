import { FrameError } from '../errors.js';
import { FRAME_HEADER_SIZE } from './flags.js';
import { type Frame, frameAt, readFrameHeader } from './frame.js';

/** Options of {@link FrameReader}. */
export interface FrameReaderOptions {
  /**
   * Largest payload accepted, in bytes. A header announcing more is rejected at once rather than
   * buffered. Default: 2 GiB, above rr's own `http.max_request_size` default (1000 MB).
   */
  maxPayload?: number;
}

const DEFAULT_MAX_PAYLOAD = 2 * 1024 ** 3;

/**
 * Turns a byte stream (stdin, a socket) into frames, whatever the chunking: frames may be split
 * across chunks or several may arrive in one. After an error the stream is out of sync for good
 * (goridge has no resync marker), so every later `push` throws the same error.
 */
export class FrameReader {
  private readonly maxPayload: number;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private consumed = 0;
  private failure: FrameError | undefined;

  constructor(options: FrameReaderOptions = {}) {
    this.maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  }

  /** Bytes received but not yet returned as part of a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Adds a chunk and returns every frame it completes, in order. */
  push(chunk: Buffer): Frame[] {
    if (this.failure) throw this.failure;
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Frame[] = [];
    try {
      for (let frame = this.next(); frame; frame = this.next()) frames.push(frame);
    } catch (error) {
      this.failure = error as FrameError;
      this.chunks = [];
      this.buffered = 0;
      throw error;
    }
    return frames;
  }

  /** Call at end of stream: throws if a partial frame was left behind. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.buffered > 0) {
      throw new FrameError('truncated', `stream ended inside a frame: ${this.buffered} bytes of an unfinished frame were left`, this.consumed);
    }
  }

  private next(): Frame | undefined {
    if (this.buffered < FRAME_HEADER_SIZE) return undefined;
    const head = this.contiguous(FRAME_HEADER_SIZE);
    const header = readFrameHeader(head, 0, this.consumed);
    if (header.payloadLength > this.maxPayload) {
      throw new FrameError('too-large', `frame announces a ${header.payloadLength}-byte payload, over the ${this.maxPayload}-byte limit`, this.consumed);
    }
    const total = header.headerSize + header.payloadLength;
    if (this.buffered < total) return undefined;
    const buf = this.contiguous(total);
    const frame = frameAt(buf, 0, header);
    this.drop(total);
    return frame;
  }

  /** Makes the first `length` buffered bytes one buffer (copying only when they span chunks). */
  private contiguous(length: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= length) return first;
    const merged = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [merged];
    return merged;
  }

  private drop(length: number): void {
    const first = this.chunks[0]!;
    this.buffered -= length;
    this.consumed += length;
    if (first.length === length) this.chunks.shift();
    else this.chunks[0] = first.subarray(length);
  }
}
