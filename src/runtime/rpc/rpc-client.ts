import { ProtocolError, RpcConnectionError, RpcError, RpcTimeoutError } from '../errors.js';
import type { Frame } from '../goridge/frame.js';
import { parseRelayAddress, type SocketAddress } from '../relay/relay-address.js';
import { connectSocketRelay, type SocketRelay } from '../relay/socket-relay.js';
import { RpcCodec } from './rpc-codec.js';
import { parseRpcResponse, rpcRequestFrame, type RpcResponse } from './rpc-frame.js';

/** Options of {@link RpcClient}. */
export interface RpcClientOptions {
  /**
   * rr's `rpc.listen`: `tcp://host:port` or `unix://path`. Default `RR_RPC`, else
   * `tcp://127.0.0.1:6001` (rr's own default, which it does not pass on in `RR_RPC`).
   */
  address?: string;
  /** Per-call limit, counted from the call to its answer, connecting included. Default 30 s; 0 = none. */
  timeoutMs?: number;
  /** Give up dialing after this long. Default 5 s. */
  connectTimeoutMs?: number;
  /** Base of a relative unix socket path. Default `process.cwd()`. */
  cwd?: string;
  /** Largest response payload accepted. Default: the frame reader's (2 GiB). */
  maxPayload?: number;
}

/** Options of one call. */
export interface RpcCallOptions {
  /** Overrides {@link RpcClientOptions.timeoutMs} for this call; 0 = none. */
  timeoutMs?: number;
  /** Aborting rejects the call with the signal's reason (a late answer is then ignored). */
  signal?: AbortSignal;
}

export const DEFAULT_RPC_ADDRESS = 'tcp://127.0.0.1:6001';
const MAX_SEQ = 0xffff_ffff;

interface PendingCall {
  settle(outcome: RpcResponse | Error): void;
}

/** One socket and the calls waiting for an answer on it. */
interface Connection {
  readonly relay: SocketRelay;
  readonly pending: Map<number, PendingCall>;
  broken: boolean;
}

/**
 * Client for rr's RPC endpoint (`RR_RPC`), e.g. `resetter.Reset`, `informer.Workers`, `kv.*`.
 *
 * One connection, dialed on the first call and redialed on the first call after it dropped.
 * Calls are pipelined: each gets a sequence number and rr may answer out of order. Errors are
 * typed: `RpcError` (rr answered with an error), `RpcTimeoutError`, `RpcConnectionError` (cannot
 * connect; connection lost or answered with a malformed frame while the call was in flight; client
 * closed), `ProtocolError` (a JSON call's answer is not JSON).
 *
 * ```ts
 * const rpc = new RpcClient();
 * await rpc.call('resetter.Reset', 'http'); // true
 * const reply = fromBinary(ResponseSchema, await rpc.callProto('kv.Has', toBinary(RequestSchema, request)));
 * ```
 */
export class RpcClient {
  /** The address as configured. */
  readonly address: string;
  private readonly target: SocketAddress;
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxPayload: number | undefined;

  private current: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private seq = 0;
  private closed = false;

  constructor(options: RpcClientOptions = {}) {
    this.address = options.address ?? process.env['RR_RPC'] ?? DEFAULT_RPC_ADDRESS;
    let parsed;
    try {
      parsed = parseRelayAddress(this.address, options.cwd);
    } catch (error) {
      throw new RpcConnectionError(this.address, `not an RPC address: expected tcp://host:port or unix://path`, { cause: error });
    }
    if (parsed.kind === 'pipes') throw new RpcConnectionError(this.address, 'not an RPC address: expected tcp://host:port or unix://path');
    this.target = parsed;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.maxPayload = options.maxPayload;
  }

  /** Calls a method with the JSON codec: `arg` is JSON-encoded (none when undefined), the result JSON-decoded. */
  async call<T = unknown>(method: string, arg?: unknown, options?: RpcCallOptions): Promise<T> {
    const body = arg === undefined ? EMPTY : Buffer.from(JSON.stringify(arg), 'utf8');
    const result = await this.invoke(method, RpcCodec.JSON, body, options);
    if (result.length === 0) return undefined as T;
    try {
      return JSON.parse(result.toString('utf8')) as T;
    } catch (error) {
      throw new ProtocolError(`rr RPC ${method} answered with a body that is not JSON: ${JSON.stringify(result.toString('utf8', 0, 200))}`, { cause: error });
    }
  }

  /** Calls a protobuf method (`kv.*`, `jobs.*`): encode the request and decode the result with @bufbuild/protobuf. */
  callProto(method: string, body: Uint8Array, options?: RpcCallOptions): Promise<Uint8Array> {
    return this.invoke(method, RpcCodec.PROTO, body, options);
  }

  /** Calls a method with the raw codec: bytes in, bytes out (e.g. `rpc.Config`). */
  callRaw(method: string, body: Uint8Array = EMPTY, options?: RpcCallOptions): Promise<Uint8Array> {
    return this.invoke(method, RpcCodec.RAW, body, options);
  }

  /** Sends one call with an explicit codec and resolves with the encoded result. */
  invoke(method: string, codec: RpcCodec, body: Uint8Array, options: RpcCallOptions = {}): Promise<Buffer> {
    if (this.closed) return Promise.reject(new RpcConnectionError(this.address, 'the client is closed'));
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);

    return new Promise<Buffer>((resolve, reject) => {
      let connection: Connection | undefined;
      let seq = 0;
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => finish(signal!.reason);
      const finish = (outcome: RpcResponse | Error | unknown) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (connection) {
          connection.pending.delete(seq);
          if (connection.pending.size === 0) connection.relay.unref();
        }
        if (isResponse(outcome)) {
          if (outcome.error !== undefined) reject(new RpcError(method, outcome.error));
          else resolve(outcome.body);
        } else {
          reject(outcome);
        }
      };
      if (timeoutMs > 0) timer = setTimeout(() => finish(new RpcTimeoutError(method, timeoutMs)), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });

      this.connection().then(
        (conn) => {
          if (done) return;
          connection = conn;
          seq = this.nextSeq(conn);
          conn.pending.set(seq, { settle: finish });
          conn.relay.ref();
          let frame;
          try {
            frame = rpcRequestFrame(seq, method, codec, body);
          } catch (error) {
            finish(error);
            return;
          }
          conn.relay.send(frame).catch((error: unknown) => this.drop(conn, 'writing a call failed', error));
        },
        (error: unknown) => finish(error),
      );
    });
  }

  /** Rejects calls in flight with `RpcConnectionError` and closes the connection. Later calls reject. */
  async close(): Promise<void> {
    this.closed = true;
    const connection = this.current ?? (await this.connecting?.catch(() => undefined));
    if (connection) await this.drop(connection, 'the client was closed');
  }

  private connection(): Promise<Connection> {
    if (this.current && !this.current.broken) return Promise.resolve(this.current);
    this.connecting ??= this.dial().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async dial(): Promise<Connection> {
    let relay: SocketRelay;
    try {
      relay = await connectSocketRelay(this.target, {
        connectTimeoutMs: this.connectTimeoutMs,
        ...(this.maxPayload === undefined ? {} : { maxPayload: this.maxPayload }),
      });
    } catch (error) {
      throw new RpcConnectionError(this.address, `cannot connect: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const connection: Connection = { relay, pending: new Map(), broken: false };
    if (this.closed) {
      await relay.close();
      throw new RpcConnectionError(this.address, 'the client is closed');
    }
    // Idle, the connection must not keep the process alive; a call in flight refs it.
    relay.unref();
    this.current = connection;
    void this.listen(connection);
    return connection;
  }

  private async listen(connection: Connection): Promise<void> {
    try {
      for await (const frame of connection.relay.frames()) this.dispatch(connection, frame);
      await this.drop(connection, 'rr closed the connection');
    } catch (error) {
      await this.drop(connection, 'the connection broke', error);
    }
  }

  private dispatch(connection: Connection, frame: Frame): void {
    let response: RpcResponse;
    try {
      response = parseRpcResponse(frame);
    } catch (error) {
      void this.drop(connection, 'rr sent a malformed response frame', error);
      return;
    }
    // No pending call: it timed out or was aborted, and this is its late answer.
    connection.pending.get(response.seq)?.settle(response);
  }

  /** Marks the connection dead, rejects its calls in flight, and closes it. */
  private async drop(connection: Connection, reason: string, cause?: unknown): Promise<void> {
    if (connection.broken) return;
    connection.broken = true;
    if (this.current === connection) this.current = undefined;
    const calls = [...connection.pending.values()];
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    const error = new RpcConnectionError(
      this.address,
      `${reason}${detail}${calls.length > 0 ? ` (${calls.length} call${calls.length === 1 ? '' : 's'} in flight)` : ''}`,
      cause === undefined ? undefined : { cause },
    );
    for (const call of calls) call.settle(error);
    await connection.relay.close().catch(() => undefined);
  }

  private nextSeq(connection: Connection): number {
    do {
      this.seq = this.seq >= MAX_SEQ ? 1 : this.seq + 1;
    } while (connection.pending.has(this.seq));
    return this.seq;
  }
}

const EMPTY = Buffer.alloc(0);

function isResponse(outcome: unknown): outcome is RpcResponse {
  return typeof outcome === 'object' && outcome !== null && 'seq' in outcome && 'body' in outcome && !(outcome instanceof Error);
}
