import type { FileHandle } from 'node:fs/promises';
import { RuntimeError } from '../../../runtime/errors.js';
import type { ByteRange } from './byte-ranges.js';

/** A piece of a file body: a byte range of the file, or literal bytes (multipart boundaries). */
export type BodySegment = ByteRange | Uint8Array;

/** Options of {@link fileBody}. */
export interface FileBodyOptions {
  /** Bytes read (and sent) at a time. */
  chunkSize: number;
  /** Called once, after the handle was closed: on the end of the body, its cancellation or a read error. */
  onClose?: () => Promise<void> | void;
}

/**
 * A `ReadableStream` that reads the given segments of an open file, one chunk per pull, into a
 * fresh buffer each time (a chunk may still be on its way to rr when the next one is read, so
 * buffers are never reused). With `highWaterMark: 0` nothing is read before the sender asks, so
 * memory stays at a chunk or two whatever the file size.
 *
 * The handle belongs to the stream from now on: it is closed when the last segment was read,
 * when the stream is cancelled (the client went away) and when a read fails.
 */
export function fileBody(handle: FileHandle, segments: readonly BodySegment[], options: FileBodyOptions): ReadableStream<Uint8Array> {
  let index = 0;
  let position = -1;
  let closing: Promise<void> | undefined;
  const release = () =>
    (closing ??= (async () => {
      try {
        await handle.close();
      } finally {
        await options.onClose?.();
      }
    })());

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const segment = segments[index];
            if (segment === undefined) {
              // Close first: the sender learns at once that the body is complete and sends the
              // last chunk as the final frame; the handle is released (and the file deleted) meanwhile.
              controller.close();
              await release();
              return;
            }
            if (segment instanceof Uint8Array) {
              index += 1;
              controller.enqueue(segment);
              return;
            }
            if (position < 0) position = segment.start;
            if (position > segment.end) {
              index += 1;
              position = -1;
              continue;
            }
            const length = Math.min(options.chunkSize, segment.end - position + 1);
            const buffer = Buffer.allocUnsafe(length);
            const { bytesRead } = await handle.read(buffer, 0, length, position);
            if (bytesRead === 0) {
              // The headers already promised these bytes (Content-Length): failing is the only honest end.
              throw new RuntimeError('ERR_FILE_CHANGED', `the file shrank while it was being sent: nothing to read at offset ${position}, expected up to ${segment.end}`);
            }
            position += bytesRead;
            controller.enqueue(bytesRead === length ? buffer : buffer.subarray(0, bytesRead));
            return;
          }
        } catch (error) {
          await release().catch(() => {});
          throw error;
        }
      },
      async cancel() {
        await release();
      },
    },
    { highWaterMark: 0 },
  );
}
