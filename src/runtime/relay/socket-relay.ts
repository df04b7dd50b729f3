import { connect, type Socket } from 'node:net';
import { relative } from 'node:path';
import { RelayError } from '../errors.js';
import { formatRelayAddress, type SocketAddress } from './relay-address.js';
import { StreamRelay } from './stream-relay.js';

/** Options of {@link connectSocketRelay}. */
export interface SocketRelayOptions {
  /** Give up dialing after this long. Default 10 s. */
  connectTimeoutMs?: number;
  /** Largest payload accepted from the peer. */
  maxPayload?: number;
  /** close() waits this long for pending writes to flush before destroying the socket. Default 1 s. */
  closeTimeoutMs?: number;
}

/** A relay over a TCP or unix socket that this process dialed. */
export class SocketRelay extends StreamRelay {
  private readonly socket: Socket;

  constructor(socket: Socket, description: string, options: SocketRelayOptions = {}) {
    const closeTimeoutMs = options.closeTimeoutMs ?? 1000;
    super({
      input: socket,
      output: socket,
      description,
      ...(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload }),
      shutdown: () => endSocket(socket, closeTimeoutMs),
    });
    this.socket = socket;
  }

  /** Lets the process exit while this socket is open (an idle RPC connection must not keep it alive). */
  unref(): void {
    this.socket.unref();
  }

  /** Undoes {@link unref}. */
  ref(): void {
    this.socket.ref();
  }
}

/**
 * Dials rr (`tcp://` or `unix://`, already parsed) and resolves once connected. rr speaks first on
 * a worker relay (the pid request), so nothing is sent here. Rejects with a {@link RelayError}.
 */
export function connectSocketRelay(address: SocketAddress, options: SocketRelayOptions = {}): Promise<SocketRelay> {
  const description = formatRelayAddress(address);
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket = address.kind === 'tcp' ? connect({ host: address.host, port: address.port }) : connect({ path: unixTarget(address) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new RelayError(`${description}: could not connect within ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (error: Error) => {
      clearTimeout(timer);
      reject(new RelayError(`${description}: could not connect: ${error.message}`, { cause: error }));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      // Frames are small request/response units: don't let Nagle hold them back.
      if (address.kind === 'tcp') socket.setNoDelay(true);
      resolve(new SocketRelay(socket, description, options));
    });
  });
}

/**
 * unix socket paths are limited to ~104-108 bytes; a long absolute path may not fit where the
 * relative one rr was given does, so dial the relative form when it names the same file.
 */
function unixTarget(address: Extract<SocketAddress, { kind: 'unix' }>): string {
  if (Buffer.byteLength(address.path) < 100) return address.path;
  const fromCwd = relative(process.cwd(), address.path);
  return Buffer.byteLength(fromCwd) < Buffer.byteLength(address.path) ? fromCwd : address.path;
}

/**
 * Sends our FIN once everything written is flushed, then releases the socket without waiting for
 * the peer's FIN: rr stops reading a worker it told to stop, so waiting would only delay the exit.
 * The timeout covers a peer that no longer reads at all (our writes can never flush).
 */
function endSocket(socket: Socket, timeoutMs: number): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    timer.unref();
    socket.once('close', done);
    socket.once('error', done);
    socket.end(done);
  });
}
