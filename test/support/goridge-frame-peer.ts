/**
 * One end of a goridge byte stream in tests: decodes what the other side writes into a queue of
 * frames and writes frames (or arbitrary bytes) back. Plays rr against a relay, or a client
 * against the test RPC server.
 */
import type { Duplex } from 'node:stream';
import { encodeFrame, type Frame, type FrameInit } from '../../src/runtime/goridge/frame.js';
import { FrameReader } from '../../src/runtime/goridge/frame-reader.js';

export class FramePeer {
  readonly received: Frame[] = [];
  /** Resolves when the other side ended its writing (FIN) or the socket closed. */
  readonly ended: Promise<void>;
  private readonly reader = new FrameReader();
  private readonly waiters: Array<{ count: number; resolve: () => void; reject: (e: unknown) => void }> = [];
  private failure: unknown;
  private endedFlag = false;

  constructor(readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      try {
        this.received.push(...this.reader.push(chunk));
      } catch (error) {
        this.failure = error;
      }
      this.check();
    });
    stream.on('error', (error) => {
      this.failure ??= error;
      this.check();
    });
    this.ended = new Promise((resolve) => {
      const done = () => {
        this.endedFlag = true;
        resolve();
        this.check();
      };
      stream.once('end', done);
      stream.once('close', done);
    });
  }

  send(frame: FrameInit): Promise<void> {
    return this.raw(encodeFrame(frame));
  }

  raw(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.stream.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  /** Resolves with the first `count` frames once that many arrived. */
  async waitFor(count: number, timeoutMs = 2000): Promise<Frame[]> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} frames, got ${this.received.length}`)), timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.check();
    });
    return this.received.slice(0, count);
  }

  private check(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (this.received.length >= waiter.count) waiter.resolve();
      else if (this.failure !== undefined) waiter.reject(this.failure);
      else if (this.endedFlag) waiter.reject(new Error(`stream ended after ${this.received.length} of ${waiter.count} frames`));
      else continue;
      this.waiters.splice(i, 1);
    }
  }
}
