/**
 * The real Temporal dev server (`temporal server start-dev` of the Temporal CLI v1.5.1 that
 * scripts/temporal.sh provides), started by the suites themselves: the TS SDK's own launcher
 * gives up after 5 s and would download a binary. In-memory, headless, on a free port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../../support/process-peer.js';
import { freePort } from './rr-server.js';

let cachedBinary: string | undefined;

/**
 * The Temporal CLI: $TEMPORAL_BINARY (the test command sets it), else scripts/temporal.sh. Throws
 * (never skips) when it cannot be provided.
 */
export function temporalBinary(): string {
  if (cachedBinary) return cachedBinary;
  if (process.env.TEMPORAL_BINARY) return (cachedBinary = process.env.TEMPORAL_BINARY);
  const result = spawnSync('bash', [join(ROOT, 'scripts', 'temporal.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60 * 60_000 });
  if (result.status !== 0) throw new Error(`the Temporal suites need the Temporal CLI and scripts/temporal.sh could not provide it:\n${result.stderr}`);
  cachedBinary = result.stdout.trim().split('\n').at(-1)!;
  return cachedBinary;
}

/** A running `temporal server start-dev`. */
export class TemporalDevServer {
  logs = '';
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    /** `127.0.0.1:<port>` of its frontend. */
    readonly address: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  static async start(): Promise<TemporalDevServer> {
    const port = await freePort();
    const child = spawn(
      temporalBinary(),
      [
        'server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn',
        // As the SDK's launcher does: no version check against the internet.
        '--dynamic-config-value', 'frontend.enableServerVersionCheck=false',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TEMPORAL_VERSION_CHECK_DISABLED: '1' } },
    );
    const server = new TemporalDevServer(child, `127.0.0.1:${port}`);
    await server.waitReady(port);
    return server;
  }

  /** Waits for the frontend port, then for the server to answer a real call (the namespace exists). */
  private async waitReady(port: number, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await accepts(port))) {
      if (this.child.exitCode !== null) throw new Error(`the Temporal dev server exited with ${this.child.exitCode}:\n${this.logs}`);
      if (Date.now() > deadline) throw new Error(`the Temporal dev server did not listen on ${port} within ${timeoutMs} ms:\n${this.logs}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { Connection } = await import('@temporalio/client');
    for (;;) {
      const connection = await Connection.connect({ address: this.address, connectTimeout: 5000 }).catch(() => undefined);
      try {
        if (connection) {
          await connection.workflowService.describeNamespace({ namespace: 'default' });
          return;
        }
      } catch {
        // not ready yet
      } finally {
        await connection?.close();
      }
      if (Date.now() > deadline) throw new Error(`the Temporal dev server did not serve the default namespace within ${timeoutMs} ms:\n${this.logs}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(killer);
    }
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
