import type { Readable } from 'node:stream';
import { installStdoutGuard, isStdoutGuarded } from '../stdout-guard.js';
import type { RelayOutput } from './frame-writer.js';
import { StreamRelay } from './stream-relay.js';

/** Options of {@link openPipesRelay}. */
export interface PipesRelayOptions {
  /** Frames from rr. Default `process.stdin`. */
  input?: Readable;
  /**
   * Frames to rr: the real stdout. Pass the writer `installStdoutGuard()` returned (or fd 1), so
   * frames bypass the guard that sends every other stdout write to stderr. Default: the guard's
   * writer when the guard is installed, else `process.stdout`.
   */
  output?: RelayOutput;
  /** Largest payload accepted from rr. */
  maxPayload?: number;
}

/**
 * rr's default relay: rr writes frames to our stdin and reads them from our stdout. Closing it
 * waits for pending frames to be written and stops reading stdin, but leaves stdout open: it is
 * the process's, and Node refuses to end it.
 */
export function openPipesRelay(options: PipesRelayOptions = {}): StreamRelay {
  const input = options.input ?? process.stdin;
  const output = options.output ?? (isStdoutGuarded() ? installStdoutGuard() : process.stdout);
  return new StreamRelay({
    input,
    output,
    description: 'pipes',
    ...(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload }),
    // A paused stdin can still hold the event loop open; the worker is done with it.
    shutdown: () => {
      input.destroy();
    },
  });
}
