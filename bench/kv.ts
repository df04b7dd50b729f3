/**
 * KV cache throughput through the real rr: `npm run bench:kv` (rr from scripts/rr.sh, so
 * `RR_BINARY=/path/to/rr` works too).
 *
 * One `rr serve` with an in-memory kv storage and nothing else; this process is its RPC client.
 * Two loops run side by side in alternating rounds, each doing set, get, set, get, ... one call in
 * flight at a time, as a request handler does:
 *   - ours: `RrKvCache.set` / `RrKvCache.get` (JSON serializer, key prefix, KvClient, RpcClient);
 *   - raw:  the same two kv.v1 requests encoded once up front, written to a plain socket, and
 *           answered frames only counted, not decoded: the floor any client pays for rr's RPC.
 * The ratio is ours / raw (1.0 = our layers cost nothing measurable). A round of each loop runs for
 * ROUND_MS; the medians over ROUNDS rounds are reported.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KvClient, RrKvCache } from '../src/bridges/kv/index.js';
import { encodeKvRequest, kvItem } from '../src/bridges/kv/proto/kv-v1.js';
import { FRAME_HEADER_SIZE, FrameFlag } from '../src/runtime/goridge/flags.js';
import { encodeFrame } from '../src/runtime/goridge/frame.js';
import { freePort, rrBinary } from '../test/e2e/support/rr-server.js';

const ROUNDS = 7;
const ROUND_MS = 700;
const STORAGE = 'bench';
const KEY = 'user:42';
const VALUE = { id: 42, name: 'Ada Lovelace', roles: ['admin', 'editor'], lastSeen: '2026-12-01T06:00:00Z' };

async function startRr(): Promise<{ address: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rrr-bench-kv-'));
  const port = await freePort();
  const config = ['version: "3"', 'rpc:', `  listen: tcp://127.0.0.1:${port}`, 'logs:', '  level: error', 'kv:', `  ${STORAGE}:`, '    driver: memory', '    config: {}'];
  writeFileSync(join(dir, '.rr.yaml'), config.join('\n'));
  const child = spawn(rrBinary(), ['serve', '-c', join(dir, '.rr.yaml'), '-w', dir], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let logs = '';
  child.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const address = `tcp://127.0.0.1:${port}`;
  const probe = new KvClient({ address, timeoutMs: 1_000 });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rr exited with ${child.exitCode} during start-up:\n${logs}`);
    try {
      await probe.has(STORAGE, ['probe']);
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`rr's kv did not answer within 60 s (${String(error)}):\n${logs}`);
      await sleep(100);
    }
  }
  await probe.close();
  return {
    address,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A goridge RPC caller with nothing but a socket: pre-encoded requests in, whole frames counted out. */
class RawRpcLoop {
  #buffered: Buffer = Buffer.alloc(0);
  #waiting: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
      this.#drainFrames();
    });
  }

  static async open(address: string): Promise<RawRpcLoop> {
    const url = new URL(address);
    const socket = connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    await once(socket, 'connect');
    return new RawRpcLoop(socket);
  }

  /** One request whose whole answer arrived; an ERROR frame would mean the bench is broken. */
  call(frame: Buffer): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting = resolve;
      this.socket.write(frame);
    });
  }

  #drainFrames(): void {
    while (this.#buffered.length >= FRAME_HEADER_SIZE) {
      const headerSize = (this.#buffered[0]! & 0x0f) * 4;
      const total = headerSize + this.#buffered.readUInt32LE(2);
      if (this.#buffered.length < total) return;
      if (this.#buffered[1]! & FrameFlag.ERROR) throw new Error(`rr answered the raw loop with an error: ${this.#buffered.toString('utf8', headerSize)}`);
      this.#buffered = this.#buffered.subarray(total);
      const resolve = this.#waiting;
      this.#waiting = undefined;
      resolve?.();
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

function rawFrame(method: string, body: Uint8Array): Buffer {
  const name = Buffer.from(method);
  return encodeFrame({ flags: FrameFlag.CODEC_PROTO, options: [1, name.length], payload: Buffer.concat([name, body]) });
}

/** Runs set/get pairs for ROUND_MS and returns calls per second. */
async function opsPerSecond(setOnce: () => Promise<unknown>, getOnce: () => Promise<unknown>): Promise<number> {
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < ROUND_MS) {
    for (let i = 0; i < 50; i++) {
      await setOnce();
      await getOnce();
    }
    calls += 100;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return calls / (elapsedMs / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const rr = await startRr();
try {
  const client = new KvClient({ address: rr.address });
  const cache = new RrKvCache({ storage: STORAGE, client, prefix: 'app:' });
  const raw = await RawRpcLoop.open(rr.address);
  const serialized = new TextEncoder().encode(JSON.stringify(VALUE));
  const rawSet = rawFrame('kv.Set', encodeKvRequest({ storage: STORAGE, items: [kvItem({ key: `app:${KEY}`, value: serialized })] }));
  const rawGet = rawFrame('kv.MGet', encodeKvRequest({ storage: STORAGE, items: [kvItem({ key: `app:${KEY}` })] }));

  const ours = () => opsPerSecond(() => cache.set(KEY, VALUE), () => cache.get(KEY));
  const floor = () => opsPerSecond(() => raw.call(rawSet), () => raw.call(rawGet));
  await ours(); // warm-up: JIT, connections, rr's storage
  await floor();
  if (JSON.stringify(await cache.get(KEY)) !== JSON.stringify(VALUE)) throw new Error('the cache did not read back what it stored');

  const oursRounds: number[] = [];
  const rawRounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    oursRounds.push(await ours());
    rawRounds.push(await floor());
  }
  raw.close();
  await client.close();

  const oursOps = median(oursRounds);
  const rawOps = median(rawRounds);
  console.log(`RrKvCache set/get (json, prefix)  ${oursOps.toFixed(0).padStart(8)} ops/s  (rounds: ${oursRounds.map((n) => n.toFixed(0)).join(' ')})`);
  console.log(`raw goridge RPC kv.Set/kv.MGet    ${rawOps.toFixed(0).padStart(8)} ops/s  (rounds: ${rawRounds.map((n) => n.toFixed(0)).join(' ')})`);
  console.log(`kv get/set ops/s through rr: ${oursOps.toFixed(0)}, ratio to a raw RPC call loop: ${(oursOps / rawOps).toFixed(2)}`);
} finally {
  await rr.stop();
}
