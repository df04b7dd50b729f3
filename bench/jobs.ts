/**
 * Jobs consumed per second through the real rr's memory driver: `npm run bench:jobs` (rr from
 * scripts/rr.sh, so `RR_BINARY=/path/to/rr` works too).
 *
 * Two rr instances of the same binary, each with one pipeline (memory driver) and the same number
 * of jobs workers, run side by side in alternating rounds:
 *   - ours: bench/support/jobs-app.ts (jobsMode, a request-scoped @JobHandler with a JSON payload,
 *     a JobsRunEvent listener, one scope and one reset per task), compiled by tsc first and run by
 *     plain `node` as an installed package is (tsx would add its `__name` helper to every closure
 *     the hot path makes);
 *   - raw:  bench/support/raw-goridge-jobs-worker.mjs, which acks every task with one pre-encoded
 *     frame (the floor of any rr jobs worker);
 *   - and, for the record, bench/support/scoped-ack-app.ts: our runtime (worker loop, scopedMode)
 *     acking without the bridge, which splits ours-minus-raw into runtime and bridge;
 *   - and, to calibrate the ratio on the machine at hand, the raw worker again with
 *     BENCH_JOBS_BUSY_US (default 5) microseconds of cache-resident arithmetic per job: the ratio a
 *     worker that does only that much work per job would get.
 * A round pauses the pipeline, pushes BENCH_JOBS jobs (default 50,000; pushBatch), resumes it and
 * times until the jobs workers have run them all (the sum of their `numExecs` in
 * `informer.Workers`). Medians of BENCH_JOBS_ROUNDS rounds (default 7), and each round's ours/raw
 * ratio to show the noise; the workers' CPU per job, and rr's own, come from /proc/<pid>/stat
 * (utime + stime) over all rounds. rr's rises with its workers' (its scheduler waits and wakes more
 * often for a slower reply), so a microsecond of worker CPU costs more than one here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { Jobs } from '../src/bridges/jobs/index.js';
import { RpcClient } from '../src/runtime/rpc/rpc-client.js';
import { RrServer } from '../test/e2e/support/rr-server.js';
import { compileWorker } from './support/compile-worker.js';
import { ROOT } from '../test/support/process-peer.js';

// Rounds of 20,000 jobs (1.5 s) read 0.74-0.93 for the same code on 2 cores: rr's two pollers and
// workers drift by ±35% within seconds. Rounds of 50,000 and more of them keep the median steadier.
const JOBS = Number(process.env.BENCH_JOBS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_JOBS_ROUNDS ?? 7);
const WORKERS = Number(process.env.BENCH_JOBS_WORKERS ?? 2);
const BUSY_US = Number(process.env.BENCH_JOBS_BUSY_US ?? 5);
const BATCH = 1000;
const CLOCK_TICKS = 100; // USER_HZ on Linux

const jobsYaml = [
  'jobs:',
  `  num_pollers: ${WORKERS}`,
  `  pool: { num_workers: ${WORKERS}, allocate_timeout: 60s, destroy_timeout: 15s }`,
  '  consume: ["bench"]',
  '  pipelines:',
  '    bench: { driver: memory, config: { priority: 10, prefetch: 1000000 } }',
].join('\n');

interface Target {
  label: string;
  rr: RrServer;
  rpc: RpcClient;
  jobs: Jobs;
  rates: number[];
  cpuTicks: number;
  rrTicks: number;
  consumed: number;
}

async function start(label: string, options: { app?: string; command?: string[]; env?: Record<string, string> }): Promise<Target> {
  const rr = await RrServer.start({ ...options, readyPool: 'jobs', logLevel: 'error', extraYaml: jobsYaml });
  const rpc = new RpcClient({ address: rr.rpcAddress });
  return { label, rr, rpc, jobs: new Jobs({ rpc, pipeline: 'bench' }), rates: [], cpuTicks: 0, rrTicks: 0, consumed: 0 };
}

async function workerPids(target: Target): Promise<number[]> {
  const result = (await target.rpc.call('informer.Workers', 'jobs')) as { workers: Array<{ pid: number }> | null };
  return (result.workers ?? []).map((worker) => worker.pid);
}

function cpuTicks(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += Number(fields[11]) + Number(fields[12]); // utime, stime
  }
  return total;
}

/** Tasks the jobs workers have run so far, as rr counts them (the sum of their `numExecs`). */
async function executed(target: Target): Promise<number> {
  const result = (await target.rpc.call('informer.Workers', 'jobs')) as { workers: Array<{ numExecs: number }> | null };
  return (result.workers ?? []).reduce((sum, worker) => sum + worker.numExecs, 0);
}

/** One round: JOBS jobs queued while paused, then consumed; returns jobs per second. */
async function round(target: Target, jobs: number): Promise<number> {
  await target.jobs.pause('bench');
  const payload = new TextEncoder().encode('{"n":1,"to":"ada@example.com","subject":"hello"}');
  for (let pushed = 0; pushed < jobs; pushed += BATCH) {
    await target.jobs.pushBatch(Array.from({ length: Math.min(BATCH, jobs - pushed) }, () => ({ job: 'bench', payload })));
  }
  const pids = await workerPids(target);
  const ticks = cpuTicks(pids);
  const rrTicks = cpuTicks([target.rr.pid]);
  const done = (await executed(target)) + jobs;
  const started = performance.now();
  await target.jobs.resume('bench');
  while ((await executed(target)) < done) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - started) / 1000;
  target.cpuTicks += cpuTicks(pids) - ticks;
  target.rrTicks += cpuTicks([target.rr.pid]) - rrTicks;
  target.consumed += jobs;
  return jobs / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const build = compileWorker(['bench/support/jobs-app.ts', 'bench/support/scoped-ack-app.ts']);
const compiled = (app: string) => ({ command: build.command(app) });
const ours = await start('ours (jobsMode + @JobHandler)', compiled('jobs-app'));
const RAW_COMMAND = [process.execPath, join(ROOT, 'bench', 'support', 'raw-goridge-jobs-worker.mjs')];
const raw = await start('raw goridge jobs worker', { command: RAW_COMMAND });
const floor = await start('runtime only (scopedMode, ack)', compiled('scoped-ack-app'));
const busy = await start(`raw + ${BUSY_US} us of work per job`, { command: RAW_COMMAND, env: { RAW_BUSY_US: String(BUSY_US) } });
const targets = [ours, raw, floor, busy];
try {
  console.log(`bench:jobs: ${JOBS} jobs a round, ${ROUNDS} rounds, ${WORKERS} jobs workers each, memory driver, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  for (const target of targets) await round(target, Math.min(JOBS, 2000)); // warm-up: JIT, connections
  for (const target of targets) target.cpuTicks = target.rrTicks = target.consumed = 0;
  for (let n = 0; n < ROUNDS; n++) {
    // Alternate who goes first, so a burst of load elsewhere hits both alike.
    for (const target of n % 2 === 0 ? targets : [...targets].reverse()) target.rates.push(await round(target, JOBS));
  }
  for (const target of targets) {
    const perJob = (ticks: number) => (((ticks / CLOCK_TICKS) * 1e6) / target.consumed).toFixed(1).padStart(6);
    console.log(
      `${target.label.padEnd(32)} ${median(target.rates).toFixed(0).padStart(7)} jobs/s  worker CPU ${perJob(target.cpuTicks)} us/job  rr CPU ${perJob(target.rrTicks)} us/job  (rounds: ${target.rates.map((rate) => rate.toFixed(0)).join(' ')})`,
    );
  }
  console.log(`load average after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  // The same round's pair ran back to back: how far one pair's ratio strays shows the noise.
  const paired = ours.rates.map((rate, n) => rate / raw.rates[n]!).sort((a, b) => a - b);
  console.log(`ours / raw per round (same round, sorted): ${paired.map((ratio) => ratio.toFixed(2)).join(' ')}`);
  console.log(`calibration: a raw worker spending ${BUSY_US} us per job gets ${(median(busy.rates) / median(raw.rates)).toFixed(2)} of the raw worker's rate here`);
  const oursRate = median(ours.rates);
  console.log(`jobs consumed per second: ${oursRate.toFixed(0)}, ratio to a raw goridge jobs worker: ${(oursRate / median(raw.rates)).toFixed(2)}`);
} finally {
  for (const target of targets) {
    await target.rpc.close();
    await target.rr.dispose();
  }
  build.remove();
}
