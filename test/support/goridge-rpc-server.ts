/**
 * An in-test stand-in for rr's RPC endpoint: a net.Server speaking goridge RPC the way rr's Go
 * codec does (options [seq, len(method)], payload = method ‖ body, ERROR flag on failure; answers
 * written in completion order, so async handlers answer out of order).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameFlag } from '../../src/runtime/goridge/flags.js';
import { encodeFrame, type Frame } from '../../src/runtime/goridge/frame.js';
import { FrameReader } from '../../src/runtime/goridge/frame-reader.js';

export interface RpcRequest {
  seq: number;
  method: string;
  flags: number;
  options: number[];
  body: Buffer;
  /** Which accepted connection (0-based) it came on. */
  connection: number;
}

/** What a handler answers: a body (encoded per codec), an error text, raw bytes to write instead, or nothing. */
export type RpcReply = { body?: Uint8Array } | { error: string } | { raw: Uint8Array } | { none: true } | { closeConnection: true };

export type RpcHandler = (request: RpcRequest) => RpcReply | Promise<RpcReply>;

export interface RpcServerOptions {
  /** Listen on a unix socket at this path instead of tcp 127.0.0.1:0. */
  unixPath?: string;
}

export class GoridgeRpcServer {
  readonly requests: RpcRequest[] = [];
  /** Every byte received, per connection, to compare with golden vectors. */
  readonly received: Buffer[][] = [];
  /** Seqs in the order their answers were written. */
  readonly answered: number[] = [];
  readonly handlers = new Map<string, RpcHandler>();
  private readonly sockets = new Set<Socket>();
  private accepted = 0;

  private constructor(
    private readonly server: Server,
    readonly address: string,
  ) {}

  static async start(options: RpcServerOptions = {}): Promise<GoridgeRpcServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (options.unixPath) server.listen(options.unixPath, resolve);
      else server.listen(0, '127.0.0.1', resolve);
    });
    const address = options.unixPath ? `unix://${options.unixPath}` : `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const rpc = new GoridgeRpcServer(server, address);
    server.on('connection', (socket) => rpc.accept(socket));
    return rpc;
  }

  /** Connections accepted so far. */
  get connections(): number {
    return this.accepted;
  }

  /** Registers a JSON-style handler that maps the decoded argument to a result. */
  json(method: string, fn: (arg: unknown) => unknown | Promise<unknown>): void {
    this.handlers.set(method, async (request) => {
      const arg = request.body.length === 0 ? undefined : JSON.parse(request.body.toString());
      return { body: Buffer.from(JSON.stringify(await fn(arg))) };
    });
  }

  /** Drops every open connection abruptly (as an rr restart would). */
  destroyConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.destroyConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const connection = this.accepted++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    const reader = new FrameReader();
    this.received[connection] = [];
    socket.on('data', (chunk: Buffer) => {
      this.received[connection]!.push(chunk);
      let frames: Frame[];
      try {
        frames = reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const frame of frames) void this.handle(socket, frame, connection);
    });
  }

  private async handle(socket: Socket, frame: Frame, connection: number): Promise<void> {
    if (frame.options.length !== 2) {
      // rr's codec drops the connection on a request without exactly two options.
      socket.destroy();
      return;
    }
    const [seq, methodLength] = frame.options as [number, number];
    const method = frame.payload.toString('utf8', 0, methodLength);
    const request: RpcRequest = { seq, method, flags: frame.flags, options: frame.options, body: Buffer.from(frame.payload.subarray(methodLength)), connection };
    this.requests.push(request);
    const handler = this.handlers.get(method);
    let reply: RpcReply;
    try {
      reply = handler ? await handler(request) : { error: `rpc: can't find method ${method}` };
    } catch (error) {
      reply = { error: error instanceof Error ? error.message : String(error) };
    }
    if (socket.destroyed) return;
    this.answered.push(seq);
    const name = Buffer.from(method);
    if ('none' in reply) return;
    if ('closeConnection' in reply) {
      socket.destroy();
      return;
    }
    if ('raw' in reply) {
      socket.write(reply.raw);
      return;
    }
    const codec = frame.flags & (FrameFlag.CODEC_PROTO | FrameFlag.CODEC_JSON | FrameFlag.CODEC_RAW);
    const out =
      'error' in reply
        ? encodeFrame({ flags: codec | FrameFlag.ERROR, options: [seq, name.length], payload: Buffer.concat([name, Buffer.from(reply.error)]) })
        : encodeFrame({ flags: codec, options: [seq, name.length], payload: Buffer.concat([name, reply.body ?? Buffer.alloc(0)]) });
    socket.write(out);
  }
}

/** A fresh directory for unix sockets; remove it with the returned function. */
export function socketDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rrr-sock-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
