/**
 * Throughput and worker CPU of our HTTP worker under the real rr: `npm run bench:http` (rr from
 * scripts/rr.sh, so `RR_BINARY=/path/to/rr` works too).
 *
 * For 1 and then 2 workers (BENCH_HTTP_WORKERS=1,2), seven servers are loaded side by side in
 * alternating rounds by the same autocannon client on loopback (CONNECTIONS connections, ROUND_S
 * seconds a round, ROUNDS rounds each; medians):
 *   - ours, hello: rr + bench/support/hello-app.ts (httpMode, container, RouterKernel with a
 *     request-scoped controller answering "Hello": the README's quick start), compiled by tsc
 *     first and run by plain `node` as an installed package is (see support/compile-worker.ts);
 *   - ours, JSON route: rr + bench/support/json-app.ts (`GET /users/:id`, three request-scoped
 *     services, one declared Resettable, ~1 KiB of JSON);
 *   - ours, plumbing route: rr + bench/support/plumbing-app.ts `GET /report`, from behind two
 *     trusted proxies (`Forwarded` and `X-Forwarded-For`), a signed session cookie read and rolled,
 *     a ~2 KiB file by `fileResponse` whose ETag the load client's `If-None-Match` matches on every
 *     other request: half 304, half 200 with Content-Type and Content-Disposition. Both statuses
 *     are expected there, each in every round, and nothing else (autocannon counts 304 as non-2xx);
 *   - ours, plumbing route (no file): the same app's `GET /export`, the same proxies and session,
 *     the same CSV from memory with the same two headers: the file's thread-pool I/O, which costs
 *     more than everything else in `/report`, left out;
 *   - ours, hello with `createContainer({ asyncContext: false })`: what AsyncLocalStorage costs
 *     per request (docs/container.md);
 *   - raw: rr + bench/support/raw-goridge-worker.mjs, which answers every request with one
 *     pre-encoded frame (the floor of any rr worker);
 *   - node: node:http in its own process answering "Hello" (no rr at all).
 * Worker CPU per request is the user+sys time of the worker processes (their pids from rr's
 * informer, their times from /proc) over the requests of the round. The last lines are, per worker
 * count, the hello ratios (ours / raw, ours / node:http) with our worker CPU per request, then the
 * baseline lines below when there is one.
 *
 * BENCH_HTTP_BASELINE=/path/to/another/checkout (of this repo, with its own `npm ci` done): the
 * same apps, this checkout's bench/support files, are also compiled against that checkout's src/
 * (its tsc, tsconfig and node_modules) and each workload is loaded once more in the same rounds,
 * right after ours. Their rows are labelled `baseline: ...`, and one line per workload gives
 * `<workload> vs baseline: <ours/baseline> req/s, <ours/baseline> worker CPU per request` (above
 * 1 req/s and below 1 CPU: ours is faster). For a change's "not slower than before": a worktree at
 * the commit before it, or with it reverted.
 *
 * The machine is shared: run it when `uptime` shows a low load, and compare ratios, not req/s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { RpcClient } from '../src/runtime/rpc/rpc-client.js';
import { ROOT } from '../test/support/process-peer.js';
import { freePort, httpWorkerPids, RrServer } from '../test/e2e/support/rr-server.js';
import { compileWorker, type CompiledWorker } from './support/compile-worker.js';
import { totalCpuMicros } from './support/proc-cpu.js';

const CONNECTIONS = 32;
const ROUND_S = Number(process.env.BENCH_HTTP_ROUND_S ?? 5);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const WORKER_COUNTS = (process.env.BENCH_HTTP_WORKERS ?? '1,2').split(',').map(Number);
const BASELINE = process.env.BENCH_HTTP_BASELINE ? resolve(process.env.BENCH_HTTP_BASELINE) : undefined;

interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  /** Cycled through by every connection. */
  requests?: Array<{ headers: Record<string, string> }>;
}
type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;
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

/** What a workload's load client sends, and what it must get back. */
interface LoadShape {
  headers?: Record<string, string>;
  requests?: AutocannonOptions['requests'];
  /** Each of these statuses in every round, and no other. Default: 2xx only. */
  statuses?: number[];
}

interface Target extends LoadShape {
  label: string;
  url: string;
  /** The processes whose CPU counts: rr's http workers, or node:http's own process. */
  pids: () => Promise<number[]>;
  cpu: 'worker' | 'node';
}

interface Round {
  rps: number;
  cpuUs: number;
}

/** One round: requests per second and CPU microseconds per request; errors or unexpected statuses fail the bench. */
async function load(target: Target, duration = ROUND_S): Promise<Round> {
  const pids = await target.pids();
  const before = totalCpuMicros(pids);
  const result = await autocannon({ url: target.url, connections: CONNECTIONS, duration, headers: target.headers, requests: target.requests });
  const after = totalCpuMicros(pids);
  // autocannon counts a 304 among the non-2xx: a workload that expects one names its statuses.
  const unexpected = target.statuses
    ? Object.entries(result.statusCodeStats).filter(([status]) => !target.statuses!.includes(Number(status))).map(([status, { count }]) => `${count} x ${status}`)
    : result.non2xx > 0 ? [`${result.non2xx} non-2xx`] : [];
  const missing = (target.statuses ?? []).filter((status) => !result.statusCodeStats[status]);
  if (unexpected.length > 0 || missing.length > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${target.label}: unexpected answers [${unexpected.join(', ')}], never ${missing.length === 0 ? '-' : missing.join(', ')}, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { rps: result.requests.average, cpuUs: (after - before) / Math.max(1, result.requests.total) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A bench app served by our worker (compiled against this checkout, or the baseline). */
interface Workload {
  /** How its comparison line names it. */
  name: string;
  label: string;
  app: string;
  path: string;
  env?: Record<string, string>;
  /** Checks the server answers as expected (once, before any load) and gives its load shape. */
  prepare(url: string): Promise<LoadShape>;
}

/** What plumbing-app.ts sends: its size is that of a small export. */
const REPORT_CSV = `id,name,email,created\n${Array.from({ length: 55 }, (_, i) => `${i},User ${i},user${i}@example.com,2026-01-01`).join('\n')}\n`;
const CLIENT = '203.0.113.7';
const PROXIES = { forwarded: `for=${CLIENT};proto=https, for=10.0.0.2`, 'x-forwarded-for': `${CLIENT}, 10.0.0.2`, 'x-forwarded-proto': 'https' };

/** Logs in through plumbing-app's `/login` and checks one answer of `url`: the load client's headers. */
async function plumbingHeaders(url: string): Promise<{ headers: Record<string, string>; answer: Response; body: string }> {
  const login = await fetch(new URL('/login', url), { headers: PROXIES });
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  if (login.status !== 204 || !cookie?.startsWith('sid=')) throw new Error(`plumbing app: /login answered ${login.status}, set-cookie ${cookie}`);
  // max-age=0 as a browser revalidating: undici's fetch would add `no-cache`, a forced reload, which is never answered 304.
  const headers = { ...PROXIES, cookie: `theme=dark; ${cookie}; consent=yes`, 'cache-control': 'max-age=0' };
  const answer = await fetch(url, { headers });
  const body = await answer.text();
  const has = (name: string, test: (value: string) => boolean) => test(answer.headers.get(name) ?? '');
  if (
    answer.status !== 200 || body !== REPORT_CSV || !has('x-client-address', (value) => value === CLIENT) || !has('content-type', (value) => value.startsWith('text/csv')) ||
    !has('content-disposition', (value) => value.includes("filename*=UTF-8''")) || !has('set-cookie', (value) => /^sid=[^;]+;.*Secure/i.test(value))
  ) {
    throw new Error(`plumbing app: ${new URL(url).pathname} answered ${answer.status}, ${JSON.stringify(Object.fromEntries(answer.headers))}`);
  }
  return { headers, answer, body };
}

async function prepareReport(url: string): Promise<LoadShape> {
  const { headers, answer } = await plumbingHeaders(url);
  const etag = answer.headers.get('etag');
  if (etag === null) throw new Error('plumbing app: /report sent no ETag');
  const cached = await fetch(url, { headers: { ...headers, 'if-none-match': etag } });
  await cached.arrayBuffer();
  if (cached.status !== 304) throw new Error(`plumbing app: /report with If-None-Match ${etag} answered ${cached.status}`);
  // Every other request revalidates the current copy (304), the others hold an outdated one (200).
  return { headers, requests: [{ headers: { 'if-none-match': etag } }, { headers: { 'if-none-match': '"1f3-18c6a2b9f00"' } }], statuses: [200, 304] };
}

async function prepareExport(url: string): Promise<LoadShape> {
  return { headers: (await plumbingHeaders(url)).headers };
}

const reportDir = mkdtempSync(join(tmpdir(), 'rrr-bench-report-'));
const reportFile = join(reportDir, 'report.csv');
writeFileSync(reportFile, REPORT_CSV);

const WORKLOADS: Workload[] = [
  {
    name: 'hello',
    label: 'hello (httpMode + RouterKernel)',
    app: 'hello-app',
    path: '/',
    async prepare(url) {
      const body = await (await fetch(url)).text();
      if (body !== 'Hello') throw new Error(`the hello app answered ${JSON.stringify(body)}`);
      return {};
    },
  },
  {
    name: 'JSON route',
    label: 'JSON route, 3 scoped + reset',
    app: 'json-app',
    path: '/users/42',
    async prepare(url) {
      const user = (await (await fetch(url)).json()) as { id?: string };
      if (user.id !== '42') throw new Error(`the JSON app answered ${JSON.stringify(user)}`);
      return {};
    },
  },
  {
    name: 'plumbing route',
    label: 'plumbing: proxies, session, file 200/304',
    app: 'plumbing-app',
    path: '/report',
    env: { BENCH_PLUMBING_FILE: reportFile },
    prepare: prepareReport,
  },
  {
    name: 'plumbing route (no file)',
    label: 'plumbing: proxies, session, CSV in memory',
    app: 'plumbing-app',
    path: '/export',
    env: { BENCH_PLUMBING_FILE: reportFile },
    prepare: prepareExport,
  },
  {
    name: 'hello, asyncContext: false',
    label: 'hello, createContainer({ asyncContext: false })',
    app: 'hello-app',
    path: '/',
    env: { BENCH_ASYNC_CONTEXT: 'off' },
    async prepare(url) {
      const body = await (await fetch(url)).text();
      if (body !== 'Hello') throw new Error(`the hello app answered ${JSON.stringify(body)}`);
      return {};
    },
  },
];

const entries = [...new Set(WORKLOADS.map((workload) => `bench/support/${workload.app}.ts`))];
const builds: Array<{ prefix: string; build: CompiledWorker }> = [];
const summaries: string[] = [];
let node: Awaited<ReturnType<typeof startNodeHttp>> | undefined;
try {
  builds.push({ prefix: 'ours: ', build: compileWorker(entries) });
  if (BASELINE) builds.push({ prefix: 'baseline: ', build: compileWorker(entries, { root: BASELINE }) });
  node = await startNodeHttp();
  for (const workers of WORKER_COUNTS) {
    const servers: RrServer[] = [];
    const rpcs: RpcClient[] = [];
    const rrTarget = async (label: string, options: Parameters<typeof RrServer.start>[0], path: string): Promise<Target> => {
      const server = await RrServer.start({ ...options, workers, logLevel: 'error' });
      servers.push(server);
      const rpc = new RpcClient({ address: server.rpcAddress });
      rpcs.push(rpc);
      return { label, url: `${server.httpUrl}${path}`, pids: () => httpWorkerPids(rpc), cpu: 'worker' };
    };
    try {
      // Per workload: ours, then the baseline's right after it.
      const served: Target[][] = [];
      for (const workload of WORKLOADS) {
        const row: Target[] = [];
        for (const { prefix, build } of builds) {
          const target = await rrTarget(`${prefix}${workload.label}`, { command: build.command(workload.app), env: workload.env }, workload.path);
          row.push({ ...target, ...(await workload.prepare(target.url)) });
        }
        served.push(row);
      }
      const raw = await rrTarget('raw goridge worker', { command: [process.execPath, join(ROOT, 'bench', 'support', 'raw-goridge-worker.mjs')] }, '/');
      const nodeTarget: Target = { label: 'node:http (no rr)', url: node.url, pids: async () => [node!.child.pid!], cpu: 'node' };
      const targets = [...served.flat(), raw, nodeTarget];
      for (const target of targets) await load(target, 2); // warm-up: JIT, connections

      const rounds = new Map<Target, Round[]>(targets.map((target) => [target, []]));
      // Ours and the baseline swap places every other round: whichever runs first in a pair was
      // measured up to 8% cheaper with identical code.
      const swapped = [...served.map((row) => [...row].reverse()).flat(), raw, nodeTarget];
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of round % 2 === 0 ? targets : swapped) rounds.get(target)!.push(await load(target));
      }
      const rps = (target: Target) => median(rounds.get(target)!.map((r) => r.rps));
      const cpu = (target: Target) => median(rounds.get(target)!.map((r) => r.cpuUs));

      console.log(`\n${workers} worker${workers === 1 ? '' : 's'} (load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}):`);
      const width = Math.max(...targets.map((target) => target.label.length));
      for (const target of targets) {
        const rounded = rounds.get(target)!.map((r) => r.rps.toFixed(0));
        console.log(
          `  ${target.label.padEnd(width)} ${rps(target).toFixed(0).padStart(7)} req/s  ${cpu(target).toFixed(1).padStart(6)} us ${target.cpu} CPU per request` +
            `  (rounds: ${rounded.join(' ')})`,
        );
      }
      const [[hello], [json], [plumbing], [plumbingNoFile], [helloNoAsyncContext]] = served as [[Target], [Target], [Target], [Target], [Target]];
      const ofRaw = (target: Target) => `${(rps(target) / rps(raw)).toFixed(2)} of a raw goridge worker (${cpu(target).toFixed(1)} us worker CPU per request)`;
      console.log(`  http JSON route throughput ratio: ${ofRaw(json)}`);
      console.log(`  http plumbing route throughput ratio: ${ofRaw(plumbing)}`);
      console.log(`  http plumbing route (no file) throughput ratio: ${ofRaw(plumbingNoFile)}`);
      console.log(`  http hello, asyncContext: false, throughput ratio: ${ofRaw(helloNoAsyncContext)}`);
      const lines = [
        `http hello throughput ratio: ${(rps(hello) / rps(raw)).toFixed(2)} of a raw goridge worker (${cpu(hello).toFixed(1)} us worker CPU per request), ${(rps(hello) / rps(nodeTarget)).toFixed(2)} of node:http`,
      ];
      if (BASELINE) {
        for (const [i, workload] of WORKLOADS.entries()) {
          const [ours, baseline] = served[i] as [Target, Target];
          const line = `${workload.name} vs baseline: ${(rps(ours) / rps(baseline)).toFixed(2)} req/s, ${(cpu(ours) / cpu(baseline)).toFixed(2)} worker CPU per request`;
          console.log(`  ${line}`);
          lines.push(line);
        }
      }
      summaries.push(lines.join('\n'));
    } finally {
      await Promise.all(rpcs.map((rpc) => rpc.close().catch(() => {})));
      await Promise.all(servers.map((server) => server.dispose()));
    }
  }
} finally {
  node?.child.kill();
  for (const { build } of builds) build.remove();
  rmSync(reportDir, { recursive: true, force: true });
}
if (BASELINE) console.log(`\nbaseline: ${BASELINE}`);
console.log('');
for (const [i, lines] of summaries.entries()) {
  console.log(`${WORKER_COUNTS[i]} worker${WORKER_COUNTS[i] === 1 ? '' : 's'}:`);
  console.log(lines);
}
