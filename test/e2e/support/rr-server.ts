/**
 * Starts the real `rr serve` (the pinned version scripts/rr.sh provides) with our worker as
 * `server.command`, for the e2e suites. Everything listens on 127.0.0.1 ports picked free.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RpcClient } from '../../../src/runtime/rpc/rpc-client.js';
import { ROOT, SOURCE_NODE_ARGS, WORKER_ENTRY, type RelayKind } from '../../support/process-peer.js';

const run = promisify(execFile);
export const RR_VERSION = '2025.1.15';

let cachedBinary: string | undefined;

/**
 * The rr binary, built or found by scripts/rr.sh. Throws (never skips) when it cannot be
 * provided: an e2e suite without rr has tested nothing.
 */
export function rrBinary(): string {
  if (cachedBinary) return cachedBinary;
  const result = spawnSync('bash', [join(ROOT, 'scripts', 'rr.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30 * 60_000 });
  if (result.status !== 0) {
    throw new Error(`the e2e suites need rr v${RR_VERSION} and scripts/rr.sh could not provide it:\n${result.stderr}`);
  }
  cachedBinary = result.stdout.trim().split('\n').at(-1)!;
  return cachedBinary;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface RrOptions {
  /** App module served by our worker entry (path relative to the repo root). */
  app?: string;
  /** `server.command` instead of our worker entry serving `app` (a bench's raw worker). */
  command?: string[];
  /** rr's `logs.level`. Default `info` (the suites read rr's logs); benches use `error`. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  relay?: RelayKind;
  workers?: number;
  /** Extra YAML appended to the generated config. */
  extraYaml?: string;
  /** Environment for the workers, written into `server.env` (rr upper-cases the keys). */
  env?: Record<string, string>;
  /**
   * Serve no HTTP: no `http:` section, and rr counts as ready once this pool (e.g. `jobs`, set up in
   * `extraYaml`) has a worker, as `informer.Workers` reports. Default: ready when `GET /` answers 200.
   */
  readyPool?: string;
  /**
   * Ready once rr reports the http workers (`informer.Workers`), without sending any request: for
   * suites that must see the workers before their first request (lazy boot).
   */
  readyWithoutRequests?: boolean;
}

/** Our worker entry serving `app`, run through tsx's loader. */
function workerCommand(app: string | undefined): string[] {
  if (app === undefined) throw new Error('RrServer.start needs an app (served by our worker) or a command');
  return [process.execPath, ...SOURCE_NODE_ARGS, WORKER_ENTRY, join(ROOT, app)];
}

/** A running `rr serve` and the addresses it listens on. */
export class RrServer {
  readonly httpUrl: string;
  readonly rpcAddress: string;
  readonly dir: string;
  logs = '';
  private readonly process: ChildProcess;
  readonly exited: Promise<number | null>;

  private constructor(dir: string, child: ChildProcess, httpUrl: string, rpcAddress: string) {
    this.dir = dir;
    this.process = child;
    this.httpUrl = httpUrl;
    this.rpcAddress = rpcAddress;
    child.stdout!.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  static async start(options: RrOptions): Promise<RrServer> {
    const rr = rrBinary();
    const dir = mkdtempSync(join(tmpdir(), 'rrr-e2e-'));
    const [httpPort, rpcPort, relayPort] = [await freePort(), await freePort(), await freePort()];
    const relay =
      options.relay === 'tcp' ? `tcp://127.0.0.1:${relayPort}` : options.relay === 'unix' ? `unix://${join(dir, 'relay.sock')}` : 'pipes';
    const config = [
      'version: "3"',
      'rpc:',
      `  listen: tcp://127.0.0.1:${rpcPort}`,
      'server:',
      // rr runs in its own temp dir (its .pid file goes there, not into the repo), so the workers
      // start there too: tsx's loader and tsconfig are given by absolute path.
      `  command: ${JSON.stringify(options.command ?? workerCommand(options.app))}`,
      `  relay: ${JSON.stringify(relay)}`,
      '  env:',
      ...Object.entries({ TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), ...options.env }).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`),
      'logs:',
      '  mode: development',
      `  level: ${options.logLevel ?? 'info'}`,
      ...(options.readyPool === undefined
        ? [
            'http:',
            `  address: 127.0.0.1:${httpPort}`,
            '  pool:',
            `    num_workers: ${options.workers ?? 2}`,
            '    allocate_timeout: 60s',
            '    destroy_timeout: 15s',
          ]
        : []),
      options.extraYaml ?? '',
    ].join('\n');
    writeFileSync(join(dir, '.rr.yaml'), config);
    // `-p` writes .pid into the working dir (`-w`), where `rr stop` (run there) reads it.
    const child = spawn(rr, ['serve', '-c', join(dir, '.rr.yaml'), '-w', dir, '-p'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new RrServer(dir, child, `http://127.0.0.1:${httpPort}`, `tcp://127.0.0.1:${rpcPort}`);
    try {
      await server.waitReady(options.readyPool ?? (options.readyWithoutRequests ? 'http' : undefined));
    } catch (error) {
      // An rr that never became ready must not outlive the suite or bench that started it.
      await server.dispose();
      throw error;
    }
    return server;
  }

  private async waitReady(readyPool: string | undefined, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    const rpc = readyPool === undefined ? undefined : new RpcClient({ address: this.rpcAddress, timeoutMs: 5_000 });
    try {
      while (Date.now() < deadline) {
        if (this.process.exitCode !== null) throw new Error(`rr exited with ${this.process.exitCode} during start-up:\n${this.logs}`);
        try {
          if (rpc) {
            const result = (await rpc.call('informer.Workers', readyPool)) as { workers: unknown[] | null };
            // The pool comes up before the http plugin binds its listener: wait for both, still
            // without a request (a TCP connection that is closed at once).
            if ((result.workers ?? []).length > 0 && (readyPool !== 'http' || (await accepts(this.httpUrl)))) return;
            lastError = new Error(`no ${readyPool} workers yet, or the listener is not bound`);
          } else {
            const response = await fetch(`${this.httpUrl}/`);
            await response.arrayBuffer();
            if (response.status === 200) return;
            lastError = new Error(`status ${response.status}`);
          }
        } catch (error) {
          lastError = error;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await rpc?.close();
    }
    throw new Error(`rr did not get ready (${readyPool === undefined ? `serving ${this.httpUrl}` : `${readyPool} workers`}) within ${timeoutMs} ms (${String(lastError)}):\n${this.logs}`);
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** `rr stop`: SIGTERM through the .pid file, then wait for rr to exit. */
  async stop(): Promise<number | null> {
    if (this.process.exitCode !== null) return this.process.exitCode;
    await run(rrBinary(), ['stop'], { cwd: this.dir });
    return this.exited;
  }

  async dispose(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGKILL');
      await this.exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The pids of rr's http workers (`informer.Workers`), ascending. Empty while rr has none, e.g.
 * replacing its only worker: rr then answers `{"workers": null}`.
 */
export async function httpWorkerPids(rpc: RpcClient): Promise<number[]> {
  const result = (await rpc.call('informer.Workers', 'http')) as { workers: Array<{ pid: number }> | null };
  return (result.workers ?? []).map((worker) => worker.pid).sort((a, b) => a - b);
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether a TCP connection to the URL's host and port is accepted (then closed). */
function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
