/**
 * What a microsecond of worker CPU costs under rr on this machine: `npm run bench:rr-cost`.
 *
 * The raw goridge worker (bench/support/raw-goridge-worker.mjs) is run under the real rr with 1
 * worker, answering every request after that many microseconds of hot arithmetic (the worker times
 * its own loop at start-up: cache-resident code, no allocation), for each value of BENCH_RR_COST_US (default
 * 0,10,30), in alternating rounds. It prints req/s and the worker's CPU per request from /proc.
 *
 * Read it next to bench:http: if 10 us of hot work adds about 10 us of worker CPU under rr, but
 * our handler's ~12 us in process (bench/support/in-process.ts) shows up as ~80 us under rr, the
 * difference is not our instruction count but what our code touches per request (code, objects,
 * allocations) after rr and the load client have run on the same cores: cold caches.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { RpcClient } from '../src/runtime/rpc/rpc-client.js';
import { ROOT } from '../test/support/process-peer.js';
import { httpWorkerPids, RrServer } from '../test/e2e/support/rr-server.js';
import { totalCpuMicros } from './support/proc-cpu.js';

const BUSY = (process.env.BENCH_RR_COST_US ?? '0,10,30').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_RR_COST_ROUNDS ?? 3);
const ROUND_S = 5;

interface AutocannonResult {
  requests: { total: number };
  non2xx: number;
  errors: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: { url: string; connections: number; duration: number }) => Promise<AutocannonResult>;

const targets: Array<{ busy: number; server: RrServer; rpc: RpcClient; rounds: Array<{ rps: number; cpuUs: number }> }> = [];
try {
  for (const busy of BUSY) {
    const server = await RrServer.start({
      command: [process.execPath, join(ROOT, 'bench', 'support', 'raw-goridge-worker.mjs')],
      env: { RAW_BUSY_US: String(busy) },
      workers: 1,
      logLevel: 'error',
    });
    targets.push({ busy, server, rpc: new RpcClient({ address: server.rpcAddress }), rounds: [] });
  }
  for (const target of targets) await autocannon({ url: `${target.server.httpUrl}/`, connections: 32, duration: 2 });
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of targets) {
      const pids = await httpWorkerPids(target.rpc);
      const before = totalCpuMicros(pids);
      const result = await autocannon({ url: `${target.server.httpUrl}/`, connections: 32, duration: ROUND_S });
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target.busy} us of busy work: ${result.non2xx} non-2xx, ${result.errors} errors`);
      target.rounds.push({ rps: result.requests.total / ROUND_S, cpuUs: (totalCpuMicros(pids) - before) / Math.max(1, result.requests.total) });
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const base = targets[0]!;
  const baseRps = median(base.rounds.map((r) => r.rps));
  const baseCpu = median(base.rounds.map((r) => r.cpuUs));
  console.log('raw goridge worker under rr, 1 worker, with hot busy work per request:');
  for (const target of targets) {
    const rps = median(target.rounds.map((r) => r.rps));
    const cpu = median(target.rounds.map((r) => r.cpuUs));
    console.log(
      `  +${String(target.busy).padStart(3)} us hot work: ${rps.toFixed(0).padStart(6)} req/s (${(rps / baseRps).toFixed(2)} of none), ` +
        `${cpu.toFixed(1).padStart(6)} us worker CPU per request (+${(cpu - baseCpu).toFixed(1)})`,
    );
  }
} finally {
  await Promise.all(targets.map((target) => target.rpc.close().catch(() => {})));
  await Promise.all(targets.map((target) => target.server.dispose()));
}
