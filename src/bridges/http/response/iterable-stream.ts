import { toBytes } from './to-bytes.js';

/** What a streamed body can be made of: bytes, or strings (sent as UTF-8). */
export type StreamChunk = Uint8Array | string;

/** A body source: an async or sync iterable (a generator, an array, a Node `Readable`) or a `ReadableStream`. */
export type StreamSource = AsyncIterable<StreamChunk> | Iterable<StreamChunk> | ReadableStream<StreamChunk>;

/**
 * A byte `ReadableStream` over an iterable, pulled one chunk per read:
 *
 * - `highWaterMark: 0`, so nothing is produced before the sender asks for it (the producer runs
 *   at the client's pace, and a generator does not start before the response is being sent);
 * - a cancelled stream (the client went away) calls the iterator's `return()`, so a generator's
 *   `finally` runs and whatever it holds is released.
 *
 * `source` may also be a function returning the source, called on the first read (pass a
 * generator function as is).
 */
export function iterableStream(source: StreamSource | (() => StreamSource)): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<unknown> | Iterator<unknown> | undefined;
  const open = () => {
    const resolved = typeof source === 'function' ? source() : source;
    if (Symbol.asyncIterator in resolved) return resolved[Symbol.asyncIterator]();
    if (Symbol.iterator in resolved) return resolved[Symbol.iterator]();
    throw new TypeError('a streamed body must be an async iterable, an iterable or a ReadableStream');
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        iterator ??= open();
        const result = await iterator.next();
        if (result.done) controller.close();
        else controller.enqueue(toBytes(result.value));
      },
      async cancel(reason) {
        // An async generator busy in `next()` queues this `return()` until that step settles, then runs its `finally`.
        await iterator?.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
