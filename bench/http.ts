/**
 * Throughput and worker CPU of our HTTP worker under the real rr: `npm run bench:http` (rr from
 * scripts/rr.sh, so `RR_BINARY=/path/to/rr` works too).
 *
 * For 1 and then 2 workers (BENCH_HTTP_WORKERS=1,2), four servers are loaded side by side in
 * alternating rounds by the same autocannon client on loopback (CONNECTIONS connections, ROUND_S
 * seconds a round, ROUNDS rounds each; medians):
 *   - ours, hello: rr + bench/support/hello-app.ts (httpMode, container, RouterKernel with a
 *     request-scoped controller answering "Hello": the README's quick start), compiled by tsc
 *     first and run by plain `node` as an installed package is (see support/compile-worker.ts);
 *   - ours, JSON route: rr + bench/support/json-app.ts (`GET /users/:id`, three request-scoped
 *     services, one declared Resettable, ~1 KiB of JSON);
 *   - raw: rr + bench/support/raw-goridge-worker.mjs, which answers every request with one
 *     pre-encoded frame (the floor of any rr worker);
 *   - node: node:http in its own process answering "Hello" (no rr at all).
 * Worker CPU per request is the user+sys time of the worker processes (their pids from rr's
 * informer, their times from /proc) over the requests of the round. The last lines are the hello
 * ratios (ours / raw, ours / node:http) and our worker CPU per request, one line per worker count.
 *
 * The machine is shared: run it when `uptime` shows a low load, and compare ratios, not req/s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { RpcClient } from '../src/runtime/rpc/rpc-client.js';
import { ROOT } from '../test/support/process-peer.js';
import { freePort, httpWorkerPids, RrServer } from '../test/e2e/support/rr-server.js';
import { compileWorker } from './support/compile-worker.js';
import { totalCpuMicros } from './support/proc-cpu.js';

const CONNECTIONS = 32;
const ROUND_S = Number(process.env.BENCH_HTTP_ROUND_S ?? 5);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const WORKER_COUNTS = (process.env.BENCH_HTTP_WORKERS ?? '1,2').split(',').map(Number);

interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const NODE_HTTP = `
  const server = require('node:http').createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('Hello'); });
  server.listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening'));
`;

async function startNodeHttp(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', NODE_HTTP, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return { url: `http://127.0.0.1:${port}/`, child };
}

interface Target {
  label: string;
  url: string;
  /** The processes whose CPU counts: rr's http workers, or node:http's own process. */
  pids: () => Promise<number[]>;
}

interface Round {
  rps: number;
  cpuUs: number;
}

/** One round: requests per second and CPU microseconds per request; errors or non-2xx fail the bench. */
async function load(target: Target, duration = ROUND_S): Promise<Round> {
  const pids = await target.pids();
  const before = totalCpuMicros(pids);
  const result = await autocannon({ url: target.url, connections: CONNECTIONS, duration });
  const after = totalCpuMicros(pids);
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${target.label}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { rps: result.requests.average, cpuUs: (after - before) / Math.max(1, result.requests.total) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function rrTarget(label: string, server: RrServer, path: string): Promise<Target & { rpc: RpcClient }> {
  const rpc = new RpcClient({ address: server.rpcAddress });
  return { label, url: `${server.httpUrl}${path}`, rpc, pids: () => httpWorkerPids(rpc) };
}

const summaries: string[] = [];
const build = compileWorker(['bench/support/hello-app.ts', 'bench/support/json-app.ts']);
const node = await startNodeHttp();
try {
  for (const workers of WORKER_COUNTS) {
    const servers: RrServer[] = [];
    const start = async (options: Parameters<typeof RrServer.start>[0]) => {
      const server = await RrServer.start({ ...options, workers, logLevel: 'error' });
      servers.push(server);
      return server;
    };
    const rpcs: RpcClient[] = [];
    try {
      const hello = await rrTarget('ours: hello (httpMode + RouterKernel)', await start({ command: build.command('hello-app') }), '/');
      const json = await rrTarget('ours: JSON route, 3 scoped + reset', await start({ command: build.command('json-app') }), '/users/42');
      const raw = await rrTarget('raw goridge worker', await start({ command: [process.execPath, join(ROOT, 'bench', 'support', 'raw-goridge-worker.mjs')] }), '/');
      rpcs.push(hello.rpc, json.rpc, raw.rpc);
      const nodeTarget: Target = { label: 'node:http (no rr)', url: node.url, pids: async () => [node.child.pid!] };
      const targets = [hello, json, raw, nodeTarget];

      const body = await (await fetch(hello.url)).text();
      if (body !== 'Hello') throw new Error(`our hello app answered ${JSON.stringify(body)}`);
      const user = (await (await fetch(json.url)).json()) as { id?: string };
      if (user.id !== '42') throw new Error(`our JSON app answered ${JSON.stringify(user)}`);
      for (const target of targets) await load(target, 2); // warm-up: JIT, connections

      const rounds = targets.map(() => [] as Round[]);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, target] of targets.entries()) rounds[i]!.push(await load(target));
      }
      const [helloRps, jsonRps, rawRps, nodeRps] = rounds.map((r) => median(r.map((x) => x.rps))) as [number, number, number, number];
      const [helloCpu, jsonCpu] = rounds.map((r) => median(r.map((x) => x.cpuUs))) as [number, number];
      console.log(`\n${workers} worker${workers === 1 ? '' : 's'} (load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}):`);
      for (const [i, target] of targets.entries()) {
        const rps = rounds[i]!.map((r) => r.rps);
        const cpu = rounds[i]!.map((r) => r.cpuUs);
        const what = i === 3 ? 'node CPU' : 'worker CPU';
        console.log(
          `  ${target.label.padEnd(38)} ${median(rps).toFixed(0).padStart(7)} req/s  ${median(cpu).toFixed(1).padStart(6)} us ${what} per request` +
            `  (rounds: ${rps.map((n) => n.toFixed(0)).join(' ')})`,
        );
      }
      console.log(`  http JSON route throughput ratio: ${(jsonRps / rawRps).toFixed(2)} of a raw goridge worker (${jsonCpu.toFixed(1)} us worker CPU per request)`);
      summaries.push(
        `http hello throughput ratio: ${(helloRps / rawRps).toFixed(2)} of a raw goridge worker (${helloCpu.toFixed(1)} us worker CPU per request), ${(helloRps / nodeRps).toFixed(2)} of node:http`,
      );
    } finally {
      await Promise.all(rpcs.map((rpc) => rpc.close().catch(() => {})));
      await Promise.all(servers.map((server) => server.dispose()));
    }
  }
} finally {
  node.child.kill();
  build.remove();
}
console.log('');
for (const [i, line] of summaries.entries()) {
  console.log(`${WORKER_COUNTS[i]} worker${WORKER_COUNTS[i] === 1 ? '' : 's'}:`);
  console.log(line);
}
