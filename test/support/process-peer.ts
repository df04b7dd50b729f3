/**
 * Plays rr's side of the worker protocol against a real worker process, over the same relays rr
 * uses (pipes, tcp, unix). For integration tests of the process entry (stdout guard, signals, exit
 * codes); the e2e suites run the real `rr serve`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { FrameFlag, StreamFlag } from '../../src/runtime/goridge/flags.js';
import { encodeFrame, type Frame } from '../../src/runtime/goridge/frame.js';
import { FrameReader } from '../../src/runtime/goridge/frame-reader.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const WORKER_ENTRY = join(ROOT, 'src', 'bin', 'worker.ts');
/**
 * How the repository's own processes run TypeScript sources: tsx's loader by absolute path (a
 * process started elsewhere, like rr's temp dir, would not resolve `tsx`). tsx applies
 * tsconfig.json's `paths`, so `import 'roadrunner-runtime'` (the example, the README's apps) gets
 * `src/`, never a `dist/` that may be stale or missing.
 */
export const SOURCE_NODE_ARGS: readonly string[] = ['--import', join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')];

export type RelayKind = 'pipes' | 'tcp' | 'unix';

export interface SpawnOptions {
  app: string;
  mode?: string;
  relay?: RelayKind;
  env?: Record<string, string>;
  /**
   * The worker's working directory (its project dir: where it looks for `roadrunner.yaml`).
   * Default the repository root. `app` stays relative to the repository root.
   */
  cwd?: string;
}

export class ProcessPeer {
  readonly child: ChildProcess;
  stderr = '';
  private readonly frames: Frame[] = [];
  private waiting: (() => void) | undefined;
  private readerError: unknown;
  private input: Readable | undefined;
  private output: Writable | undefined;
  private server: Server | undefined;
  private socket: Socket | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(child: ChildProcess) {
    this.child = child;
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  }

  static async spawn(options: SpawnOptions): Promise<ProcessPeer> {
    const relay = options.relay ?? 'pipes';
    let server: Server | undefined;
    let relaySpec = 'pipes';
    if (relay !== 'pipes') {
      server = createServer();
      if (relay === 'tcp') {
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        const address = server.address() as { port: number };
        relaySpec = `tcp://127.0.0.1:${address.port}`;
      } else {
        const path = join(ROOT, `.rr-test-${process.pid}-${Math.random().toString(36).slice(2)}.sock`);
        server.listen(path);
        await once(server, 'listening');
        relaySpec = `unix://${path}`;
      }
    }
    const child = spawn(process.execPath, [...SOURCE_NODE_ARGS, WORKER_ENTRY, resolve(ROOT, options.app)], {
      cwd: options.cwd ?? ROOT,
      // tsx looks for tsconfig.json from the working directory: point it at the repository's.
      env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), RR_MODE: options.mode ?? 'http', RR_RELAY: relaySpec, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const peer = new ProcessPeer(child);
    if (server) {
      peer.server = server;
      const [socket] = (await Promise.race([once(server, 'connection'), peer.exited.then(() => { throw new Error(`worker exited before connecting: ${peer.stderr}`); })])) as [Socket];
      peer.socket = socket;
      peer.attach(socket, socket);
    } else {
      peer.attach(child.stdout!, child.stdin!);
    }
    return peer;
  }

  /** Raw bytes the worker wrote to its stdout (socket relays: must stay empty). */
  stdoutBytes = 0;

  private attach(input: Readable, output: Writable): void {
    this.input = input;
    this.output = output;
    const reader = new FrameReader();
    if (input !== this.child.stdout) this.child.stdout!.on('data', (chunk: Buffer) => (this.stdoutBytes += chunk.length));
    input.on('data', (chunk: Buffer) => {
      try {
        this.frames.push(...reader.push(chunk));
      } catch (error) {
        this.readerError = error;
      }
      this.waiting?.();
    });
    input.on('end', () => this.waiting?.());
    output.on('error', () => {});
  }

  send(frame: Parameters<typeof encodeFrame>[0]): void {
    this.output!.write(encodeFrame(frame));
  }

  /** The next frame from the worker (rejects after `timeoutMs`). */
  async next(timeoutMs = 15000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.readerError) throw this.readerError;
      const frame = this.frames.shift();
      if (frame) return frame;
      if (Date.now() > deadline) throw new Error(`no frame from the worker within ${timeoutMs} ms; stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The pid handshake, as rr does it; resolves with the pid the worker reported. */
  async handshake(): Promise<number> {
    this.send({ flags: FrameFlag.CONTROL | FrameFlag.CODEC_JSON, payload: Buffer.from(JSON.stringify({ pid: process.pid })) });
    const reply = await this.next();
    if (!(reply.flags & FrameFlag.CONTROL)) throw new Error(`handshake reply is not a CONTROL frame: flags ${reply.flags}`);
    return JSON.parse(reply.payload.toString()).pid;
  }

  request(context: Uint8Array, body: Uint8Array = new Uint8Array(), flags = FrameFlag.CODEC_PROTO): void {
    this.send({ flags, options: [context.length], payload: Buffer.concat([context, body]) });
  }

  controlStop(): void {
    this.send({ flags: FrameFlag.CONTROL | FrameFlag.CODEC_JSON, payload: Buffer.from('{"stop":true}') });
  }

  streamStop(): void {
    this.send({ flags: 0, streamFlags: StreamFlag.STOP });
  }

  /** Closes rr's side of the relay: the worker sees EOF. */
  endInput(): void {
    this.output!.end();
  }

  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
    this.socket?.destroy();
    this.server?.close();
  }
}
