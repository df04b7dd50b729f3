/**
 * "Hello" throughput of our HTTP worker under the real rr: `npm run bench:http` (rr from
 * scripts/rr.sh, so `RR_BINARY=/path/to/rr` works too).
 *
 * Three servers, loaded side by side in alternating rounds by the same autocannon client on
 * loopback (CONNECTIONS connections, ROUND_S seconds a round, ROUNDS rounds each; medians):
 *   - ours: rr with one worker running bench/support/hello-app.ts (httpMode, container, RouterKernel
 *     with a request-scoped controller: the README's quick start);
 *   - raw:  rr with one bench/support/raw-goridge-worker.mjs, which answers every request with one
 *     pre-encoded frame (the floor of any rr worker);
 *   - node: node:http in its own process answering "Hello" (no rr at all).
 * The ratios are ours / raw and ours / node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../test/support/process-peer.js';
import { freePort, RrServer } from '../test/e2e/support/rr-server.js';

const CONNECTIONS = 32;
const ROUND_S = 5;
const ROUNDS = 3;
const WORKERS = Number(process.env.BENCH_HTTP_WORKERS ?? 1);

interface AutocannonResult {
  requests: { average: number };
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

/** Requests per second of one round; a round with errors or non-2xx answers makes the bench fail. */
async function load(label: string, url: string, duration = ROUND_S): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${label}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return result.requests.average;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const ours = await RrServer.start({ app: 'bench/support/hello-app.ts', workers: WORKERS, logLevel: 'error' });
const raw = await RrServer.start({ command: [process.execPath, join(ROOT, 'bench', 'support', 'raw-goridge-worker.mjs')], workers: WORKERS, logLevel: 'error' });
const node = await startNodeHttp();
try {
  const targets = [
    { label: 'ours (httpMode + RouterKernel)', url: `${ours.httpUrl}/` },
    { label: 'raw goridge worker', url: `${raw.httpUrl}/` },
    { label: 'node:http', url: node.url },
  ];
  const body = await (await fetch(targets[0]!.url)).text();
  if (body !== 'Hello') throw new Error(`our hello app answered ${JSON.stringify(body)}`);
  for (const target of targets) await load(target.label, target.url, 2); // warm-up: JIT, connections

  const rounds = targets.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, target] of targets.entries()) rounds[i]!.push(await load(target.label, target.url));
  }
  const [oursRps, rawRps, nodeRps] = rounds.map(median) as [number, number, number];
  for (const [i, target] of targets.entries()) {
    console.log(`${target.label.padEnd(32)} ${median(rounds[i]!).toFixed(0).padStart(7)} req/s  (rounds: ${rounds[i]!.map((n) => n.toFixed(0)).join(' ')})`);
  }
  console.log(`http hello throughput ratio: ${(oursRps / rawRps).toFixed(2)} of a raw goridge worker, ${(oursRps / nodeRps).toFixed(2)} of node:http`);
} finally {
  node.child.kill();
  await Promise.all([ours.dispose(), raw.dispose()]);
}
