/** Writable sinks for relay tests: capture bytes and the chunks each write call handed over. */
import { Writable } from 'node:stream';

export interface CapturedWrite {
  /** Chunks in the order they reached the sink, grouped per _write/_writev call. */
  calls: Buffer[][];
  bytes(): Buffer;
}

/** A Writable that records every chunk; `delayMs` holds each write's completion back. */
export function captureSink(options: { delayMs?: number; highWaterMark?: number; fail?: Error } = {}): Writable & CapturedWrite {
  const calls: Buffer[][] = [];
  const finish = (callback: (error?: Error | null) => void) => {
    if (options.fail) callback(options.fail);
    else if (options.delayMs) setTimeout(callback, options.delayMs);
    else callback();
  };
  const sink = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      calls.push([chunk]);
      finish(callback);
    },
    writev(chunks, callback) {
      calls.push(chunks.map((c) => c.chunk as Buffer));
      finish(callback);
    },
  });
  return Object.assign(sink, { calls, bytes: () => Buffer.concat(calls.flat()) });
}
