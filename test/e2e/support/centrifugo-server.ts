/**
 * Starts the real Centrifugo (v6.9.1, built by scripts/centrifugo.sh) for the Centrifugo bridge's
 * e2e suite, with every proxy pointed at rr's centrifuge plugin (gRPC) and its gRPC server API
 * on for rr's `centrifuge.*` RPC methods. Ports are picked free; the config is checked with
 * `centrifugo checkconfig --strict` first (v6 ignores unknown keys with only a warning, so a
 * v4/v5 key would otherwise leave a proxy silently off).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../support/process-peer.js';
import { freePort } from './rr-server.js';

const run = promisify(execFile);
export const CENTRIFUGO_VERSION = '6.9.1';

let cachedBinary: string | undefined;

/** The Centrifugo binary from scripts/centrifugo.sh. Throws (never skips) when it cannot be provided. */
export function centrifugoBinary(): string {
  if (cachedBinary) return cachedBinary;
  const result = spawnSync('bash', [join(ROOT, 'scripts', 'centrifugo.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30 * 60_000 });
  if (result.status !== 0) {
    throw new Error(`the Centrifugo e2e suite needs Centrifugo v${CENTRIFUGO_VERSION} and scripts/centrifugo.sh could not provide it:\n${result.stderr}`);
  }
  cachedBinary = result.stdout.trim().split('\n').at(-1)!;
  return cachedBinary;
}

/** The ports Centrifugo and rr meet on. */
export interface CentrifugoPorts {
  /** Centrifugo's HTTP server: websocket connections and /health. */
  http: number;
  /** Centrifugo's gRPC server API, which rr's `centrifuge.grpc_api_address` points at. */
  grpcApi: number;
  /** rr's proxy listener (`centrifuge.proxy_address`), which every Centrifugo proxy calls. */
  proxy: number;
}

export async function centrifugoPorts(): Promise<CentrifugoPorts> {
  return { http: await freePort(), grpcApi: await freePort(), proxy: await freePort() };
}

/** The `centrifuge:` section of rr's config for these ports. */
export function rrCentrifugeYaml(ports: CentrifugoPorts, workers = 2): string {
  return [
    'centrifuge:',
    `  proxy_address: tcp://127.0.0.1:${ports.proxy}`,
    `  grpc_api_address: 127.0.0.1:${ports.grpcApi}`,
    '  pool:',
    `    num_workers: ${workers}`,
    '    allocate_timeout: 60s',
    '    destroy_timeout: 15s',
  ].join('\n');
}

/** Centrifugo v6 config: every proxy through rr, presence and history on the `chat` namespace. */
export function centrifugoConfig(ports: CentrifugoPorts): object {
  const endpoint = `grpc://127.0.0.1:${ports.proxy}`;
  // Generous: two cores shared by several suites; the worker's answer must arrive within it.
  const proxy = { endpoint, timeout: '15s', include_connection_meta: true };
  return {
    log: { level: 'info' },
    http_server: { address: '127.0.0.1', port: ports.http },
    health: { enabled: true },
    usage_stats: { disabled: true },
    http_api: { disabled: true },
    grpc_api: { enabled: true, address: '127.0.0.1', port: ports.grpcApi },
    client: {
      // Empty: only requests without an Origin header, as Node's ws client sends them.
      allowed_origins: [],
      // Subscription expiry is checked with each presence update (27 s by default) after a grace
      // delay (25 s): shortened so the sub-refresh proxy is called within seconds.
      presence_update_interval: '1s',
      expired_sub_close_delay: '1s',
      proxy: {
        connect: { enabled: true, endpoint, timeout: '15s' },
        refresh: { enabled: true, ...proxy },
      },
    },
    channel: {
      proxy: { subscribe: proxy, publish: proxy, sub_refresh: proxy },
      without_namespace: { subscribe_proxy_enabled: true, publish_proxy_enabled: true, sub_refresh_proxy_enabled: true, presence: true },
      namespaces: [
        {
          name: 'chat',
          presence: true,
          history_size: 10,
          history_ttl: '300s',
          subscribe_proxy_enabled: true,
          publish_proxy_enabled: true,
          sub_refresh_proxy_enabled: true,
        },
      ],
    },
    rpc: { proxy, without_namespace: { proxy_enabled: true } },
  };
}

/** A running Centrifugo. */
export class CentrifugoServer {
  logs = '';
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly process: ChildProcess,
    readonly dir: string,
    readonly ports: CentrifugoPorts,
  ) {
    process.stdout!.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
    process.stderr!.on('data', (chunk: Buffer) => (this.logs += chunk.toString()));
    this.exited = once(process, 'exit').then(([code]) => code as number | null);
  }

  /** The websocket endpoint for the `centrifuge` client. */
  get websocketUrl(): string {
    return `ws://127.0.0.1:${this.ports.http}/connection/websocket`;
  }

  static async start(ports: CentrifugoPorts, config: object = centrifugoConfig(ports)): Promise<CentrifugoServer> {
    const binary = centrifugoBinary();
    const dir = mkdtempSync(join(tmpdir(), 'rrr-centrifugo-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(config, null, 2));
    try {
      await run(binary, ['checkconfig', '--strict', '-c', file]);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`centrifugo checkconfig --strict refused the test config: ${stdout ?? ''}${stderr ?? ''}`);
    }
    const child = spawn(binary, ['-c', file], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new CentrifugoServer(child, dir, ports);
    await server.waitHealthy();
    return server;
  }

  private async waitHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error(`centrifugo exited with ${this.process.exitCode} during start-up:\n${this.logs}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.ports.http}/health`);
        await response.arrayBuffer();
        if (response.status === 200) return;
        lastError = new Error(`status ${response.status}`);
      } catch (error) {
        lastError = error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`centrifugo was not healthy within ${timeoutMs} ms (${String(lastError)}):\n${this.logs}`);
  }

  async dispose(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
