import type { Readable } from 'node:stream';
import type { RelayOutput } from './frame-writer.js';
import { openPipesRelay } from './pipes-relay.js';
import type { Relay } from './relay.js';
import { parseRelayAddress } from './relay-address.js';
import { connectSocketRelay } from './socket-relay.js';

/** Options of {@link createRelay}. */
export interface CreateRelayOptions {
  /** pipes: where rr's frames come from. Default `process.stdin`. */
  input?: Readable;
  /** pipes: the real stdout (the stdout guard's writer, a Writable or fd 1). See `PipesRelayOptions.output`. */
  output?: RelayOutput;
  /** unix: base of a relative socket path. Default `process.cwd()` (rr's cwd, which workers inherit). */
  cwd?: string;
  /** tcp/unix: give up dialing after this long. Default 10 s. */
  connectTimeoutMs?: number;
  /** Largest payload accepted from rr. */
  maxPayload?: number;
}

/**
 * Opens the relay rr configured for this worker (`server.relay`, passed as `RR_RELAY`): `pipes`,
 * `tcp://host:port` or `unix://path`. Rejects with a `RelayError` naming a value it cannot parse or
 * a socket it cannot reach.
 */
export async function createRelay(spec?: string, options: CreateRelayOptions = {}): Promise<Relay> {
  const address = parseRelayAddress(spec ?? process.env['RR_RELAY'] ?? 'pipes', options.cwd);
  const maxPayload = options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload };
  if (address.kind === 'pipes') {
    return openPipesRelay({
      ...maxPayload,
      ...(options.input ? { input: options.input } : {}),
      ...(options.output !== undefined ? { output: options.output } : {}),
    });
  }
  return connectSocketRelay(address, {
    ...maxPayload,
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
  });
}
