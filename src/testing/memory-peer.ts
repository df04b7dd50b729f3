import { FrameFlag, StreamFlag } from '../runtime/goridge/flags.js';
import { decodeFrame, encodeFrame, type Frame, type FrameInit } from '../runtime/goridge/frame.js';
import type { OutgoingFrame } from '../runtime/relay/relay.js';
import type { WorkerTransport } from '../runtime/worker/worker.js';

/**
 * An in-memory goridge peer that plays rr's side against a `Worker`: it feeds frames to the
 * worker's transport and collects what the worker sends, with no process or socket in between.
 * Every frame goes through the goridge codec both ways, so what the worker sees and sends is
 * byte for byte what would cross the pipe. `startTestWorker` drives one; use it directly to test
 * the wire itself (the e2e suites run the real `rr serve`).
 */
export class MemoryPeer {
  /** Every frame the worker sent, in order. */
  readonly sent: Frame[] = [];
  private readonly inbox: Frame[] = [];
  private ended = false;
  private failure: unknown;
  private wakeReader: (() => void) | undefined;
  private readonly waiters: Array<{ predicate: () => boolean; resolve: () => void }> = [];
  /** True once the worker closed its transport (its loop ended). */
  closed = false;

  /** The transport to hand to the worker. */
  readonly transport: WorkerTransport = {
    frames: () => this.frames(),
    send: async (frame: OutgoingFrame) => {
      // Round-trip through the codec so tests see exactly what would cross the wire.
      const payload = Array.isArray(frame.payload) ? Buffer.concat(frame.payload as Uint8Array[]) : (frame.payload as Uint8Array | undefined);
      const { payload: _, ...rest } = frame;
      this.sent.push(decodeFrame(encodeFrame(payload === undefined ? rest : { ...rest, payload })));
      this.check();
    },
    close: async () => {
      this.closed = true;
      this.end();
    },
  };

  /** rr → worker: any frame. */
  push(frame: FrameInit): void {
    this.inbox.push(decodeFrame(encodeFrame(frame)));
    this.wakeReader?.();
  }

  /** rr → worker: the pid handshake (CONTROL, JSON). */
  pid(): void {
    this.push({ flags: FrameFlag.CONTROL | FrameFlag.CODEC_JSON, payload: Buffer.from('{"pid":4242}') });
  }

  /** rr → worker: one unit of work, `context` then `body` in one frame (option 0 = context length). */
  request(context: string | Uint8Array, body: string | Uint8Array = '', flags: number = FrameFlag.CODEC_RAW): void {
    const ctx = typeof context === 'string' ? Buffer.from(context) : Buffer.from(context);
    const payload = Buffer.concat([ctx, typeof body === 'string' ? Buffer.from(body) : Buffer.from(body)]);
    this.push({ flags, options: [ctx.length], payload });
  }

  /** rr → worker: the CONTROL stop (finish the current unit, then exit). */
  controlStop(): void {
    this.push({ flags: FrameFlag.CONTROL | FrameFlag.CODEC_JSON, payload: Buffer.from('{"stop":true}') });
  }

  /** rr → worker: STOP for the unit being streamed (its client went away). */
  streamStop(): void {
    this.push({ flags: 0, streamFlags: StreamFlag.STOP });
  }

  /** EOF on the worker's input. */
  end(): void {
    this.ended = true;
    this.wakeReader?.();
  }

  /** Breaks the worker's input with an error (as a malformed frame would). */
  fail(error: unknown): void {
    this.failure = error;
    this.wakeReader?.();
  }

  /** Resolves once the worker has sent `count` frames in total. */
  async waitForSent(count: number): Promise<Frame[]> {
    await new Promise<void>((resolve) => {
      this.waiters.push({ predicate: () => this.sent.length >= count, resolve });
      this.check();
    });
    return this.sent.slice(0, count);
  }

  private check(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.predicate()) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  private async *frames(): AsyncGenerator<Frame> {
    for (;;) {
      const frame = this.inbox.shift();
      if (frame) {
        yield frame;
        continue;
      }
      if (this.failure !== undefined) throw this.failure;
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
      this.wakeReader = undefined;
    }
  }
}

/** Splits a worker response frame into its context and body, as text. */
export function frameParts(frame: Frame): { context: string; body: string } {
  const length = frame.options[0] ?? 0;
  return { context: frame.payload.subarray(0, length).toString(), body: frame.payload.subarray(length).toString() };
}
