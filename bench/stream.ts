/**
 * A 1 GiB file streamed through the real rr: `npm run bench:stream` (rr from scripts/rr.sh, so
 * `RR_BINARY=/path/to/rr` works too).
 *
 * rr runs one worker with bench/support/stream-app.ts, which answers `GET /file` with
 * `fileResponse` of a 1 GiB file (sparse, made for the run). This process downloads it through rr
 * and counts the bytes while it samples the worker's resident memory (VmRSS in /proc, every 20 ms).
 * The worker must stream: its RSS may grow by far less than the file (the goal is < 64 MiB).
 */
import { open, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RpcClient } from '../src/runtime/rpc/index.js';
import { httpWorkerPids, RrServer } from '../test/e2e/support/rr-server.js';

const SIZE = 1024 ** 3;
const MiB = 1024 ** 2;
const LIMIT_MIB = 64;

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN) * 1024;
}

const dir = await mkdtemp(join(tmpdir(), 'rrr-bench-stream-'));
const file = join(dir, 'one-gib.bin');
const handle = await open(file, 'w');
await handle.truncate(SIZE);
await handle.close();

const rr = await RrServer.start({ app: 'bench/support/stream-app.ts', workers: 1, logLevel: 'error', env: { STREAM_BENCH_FILE: file } });
const rpc = new RpcClient({ address: rr.rpcAddress });
try {
  const [pid] = await httpWorkerPids(rpc);
  if (pid === undefined) throw new Error('rr reports no http worker');
  // Warm the path (and the JIT) with a small range, then take the baseline.
  await (await fetch(`${rr.httpUrl}/file`, { headers: { range: 'bytes=0-1048575' } })).arrayBuffer();
  const before = rssOf(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);

  const started = process.hrtime.bigint();
  const response = await fetch(`${rr.httpUrl}/file`);
  let received = 0;
  for await (const chunk of response.body!) received += (chunk as Uint8Array).length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, rssOf(pid));

  if (response.status !== 200 || received !== SIZE) throw new Error(`got status ${response.status} and ${received} bytes, expected 200 and ${SIZE}`);
  const growth = (peak - before) / MiB;
  console.log(`downloaded ${received} bytes through rr in ${seconds.toFixed(1)} s (${(received / 1e6 / seconds).toFixed(0)} MB/s)`);
  console.log(`worker RSS: ${(before / MiB).toFixed(0)} MiB before, ${(peak / MiB).toFixed(0)} MiB at the peak`);
  console.log(`stream 1 GiB through rr: worker RSS grew ${growth.toFixed(1)} MiB (goal < ${LIMIT_MIB} MiB: ${growth < LIMIT_MIB ? 'met' : 'NOT met'})`);
} finally {
  await rpc.close();
  await rr.dispose();
  await rm(dir, { recursive: true, force: true });
}
