/**
 * Plays rr's side of the HTTP worker protocol over pipes, without rr: one worker process, one
 * request in flight at a time (as rr's pool does per worker), and the worker's own CPU time per
 * request read from /proc. It isolates the worker's cost from rr's (whose scheduler gets busier
 * when the worker is slow) and is what `node --cpu-prof` profiles are taken under:
 *
 *   npx tsx bench/support/pipe-driver.ts [--app bench/support/hello-app.ts | --raw]
 *       [--path /] [--requests 20000] [--cpu-prof DIR] [--mode jobs] [--compiled]
 *
 * `--mode jobs` sends jobs tasks as rr's memory driver does instead (`--app
 * bench/support/jobs-app.ts`, `bench/support/scoped-ack-app.ts`; `--raw` is then the raw jobs worker).
 *
 * With `--cpu-prof DIR`, the worker writes a `.cpuprofile` there when it exits (open it in Chrome
 * DevTools, or summarise it with `npx tsx bench/support/summarise-profile.ts FILE`).
 *
 * `--compiled` runs the app compiled by tsc under plain node, as bench:http and bench:jobs do
 * (through tsx, esbuild's `__name` helper wraps every closure the hot path makes).
 *
 * `PIPE_WORKER_NODE_ARGS='--single-threaded --max-semi-space-size=2'` passes node (and V8) flags
 * to the worker only, for trying them without touching the driver.
 *
 * `PIPE_SWEEP_KIB=8192` makes the driver write over that much memory before each request. Pinned to
 * the worker's core (`taskset -c 1`), that leaves the worker's caches cold for every request, as rr
 * and the other processes leave them under load: a way to see what a change saves there, where a
 * warm in-process or over-pipes run shows a fraction of it (docs/performance.md, "Round 5").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { basename, join } from 'node:path';
import { FrameFlag } from '../../src/runtime/goridge/flags.js';
import { encodeFrame, type Frame } from '../../src/runtime/goridge/frame.js';
import { FrameReader } from '../../src/runtime/goridge/frame-reader.js';
import { encodeHttpRequest } from '../../src/bridges/http/proto/http-v1.js';
import { ROOT, SOURCE_NODE_ARGS, WORKER_ENTRY } from '../../test/support/process-peer.js';
import { compileWorker } from './compile-worker.js';
import { cpuMicros } from './proc-cpu.js';

export const RAW_WORKER = join(ROOT, 'bench', 'support', 'raw-goridge-worker.mjs');
export const RAW_JOBS_WORKER = join(ROOT, 'bench', 'support', 'raw-goridge-jobs-worker.mjs');

/** A jobs task as rr's memory driver hands it to a worker (context JSON, then the payload). */
export function jobsTaskFrame(): Buffer {
  const context = Buffer.from(JSON.stringify({ id: '0c6b2a7e-4a64-4d5b-9a43-5f6e1c9d2b11', job: 'bench', driver: 'memory', headers: null, pipeline: 'bench' }));
  const payload = Buffer.from('{"n":1,"to":"ada@example.com","subject":"hello"}');
  return encodeFrame({ flags: FrameFlag.CODEC_JSON, options: [context.length], payload: Buffer.concat([context, payload]) });
}

/** A request as rr's http plugin sends it for `GET <path>` from a plain HTTP/1.1 client. */
export function requestFrame(path: string): Buffer {
  const context = encodeHttpRequest({
    remoteAddr: '127.0.0.1',
    protocol: 'HTTP/1.1',
    method: 'GET',
    uri: `http://127.0.0.1:8080${path}`,
    header: { 'User-Agent': ['bench'], Accept: ['*/*'] },
  });
  return encodeFrame({ flags: FrameFlag.CODEC_PROTO, options: [context.length], payload: context });
}

export interface PipeRunOptions {
  /** Our worker serving this app (repo-relative), or `undefined` for the raw goridge worker. */
  app?: string | undefined;
  path?: string;
  requests: number;
  /** Requests sent before the measured ones (JIT, lazy paths). Default requests / 5. */
  warmup?: number;
  cpuProfDir?: string | undefined;
  /** Which worker mode to drive. Default http. */
  mode?: 'http' | 'jobs' | undefined;
  /** Run the app compiled by tsc under plain node, as bench:http does, instead of the sources under tsx. */
  compiled?: boolean | undefined;
}

export interface PipeRunResult {
  /** Worker CPU (user + sys) per measured request, microseconds. */
  cpuUs: number;
  userUs: number;
  sysUs: number;
  /** Requests per second of the measured part (one in flight). */
  rps: number;
}

/** Spawns one worker, drives it, stops it with rr's CONTROL stop, and returns its cost per request. */
/**
 * The frames a worker writes to its stdout, one at a time: `next()` resolves with the next one, and
 * rejects with `exitMessage()` once the worker has exited with none left (an exit wakes a waiting
 * `next()`, so a worker that dies is reported rather than awaited forever).
 */
export function frameStream(child: ChildProcess, exitMessage: () => string): () => Promise<Frame> {
  const reader = new FrameReader();
  const frames: Frame[] = [];
  let wake: (() => void) | undefined;
  child.stdout!.on('data', (chunk: Buffer) => {
    frames.push(...reader.push(chunk));
    wake?.();
  });
  child.once('exit', () => wake?.());
  return async () => {
    for (;;) {
      const frame = frames.shift();
      if (frame) return frame;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(exitMessage());
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
}

export async function runOverPipes(options: PipeRunOptions): Promise<PipeRunResult> {
  const nodeArgs = [...(process.env.PIPE_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean), ...(options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [])];
  const mode = options.mode ?? 'http';
  const raw = mode === 'jobs' ? RAW_JOBS_WORKER : RAW_WORKER;
  const build = options.app !== undefined && options.compiled ? compileWorker([options.app]) : undefined;
  let args: string[];
  if (options.app === undefined) args = [...nodeArgs, raw];
  else if (build) args = [...nodeArgs, ...build.command(basename(options.app, '.ts')).slice(1)];
  else args = [...nodeArgs, ...SOURCE_NODE_ARGS, WORKER_ENTRY, join(ROOT, options.app)];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, RR_MODE: mode, RR_RELAY: 'pipes', NODE_ENV: 'production' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const next = frameStream(child, () => `the worker exited with ${child.exitCode}`);
  const send = (bytes: Buffer) => child.stdin!.write(bytes);

  send(encodeFrame({ flags: FrameFlag.CONTROL | FrameFlag.CODEC_JSON, payload: Buffer.from('{"pid":true}') }));
  await next();
  const request = mode === 'jobs' ? jobsTaskFrame() : requestFrame(options.path ?? '/');
  const sweepBytes = Number(process.env.PIPE_SWEEP_KIB ?? 0) * 1024;
  const sweep = new Uint8Array(sweepBytes); // written a byte per cache line: every line is evicted
  const serve = async (count: number) => {
    for (let i = 0; i < count; i++) {
      for (let at = 0; at < sweepBytes; at += 64) sweep[at]! += 1;
      send(request);
      // A response is one frame unless the app streams; a final frame has no STREAM bit.
      for (let frame = await next(); frame.streamFlags & 0x01; frame = await next());
    }
  };
  await serve(options.warmup ?? Math.ceil(options.requests / 5));
  const before = cpuMicros(child.pid!);
  const started = process.hrtime.bigint();
  await serve(options.requests);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = cpuMicros(child.pid!);
  send(encodeFrame({ flags: FrameFlag.CONTROL | FrameFlag.CODEC_JSON, payload: Buffer.from('{"stop":true}') }));
  child.stdin!.end();
  await exited;
  build?.remove();
  const userUs = (after.user - before.user) / options.requests;
  const sysUs = (after.sys - before.sys) / options.requests;
  return { cpuUs: userUs + sysUs, userUs, sysUs, rps: options.requests / seconds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index < 0 ? undefined : process.argv[index + 1];
  };
  const raw = process.argv.includes('--raw');
  const mode = arg('mode') === 'jobs' ? 'jobs' : 'http';
  const result = await runOverPipes({
    mode,
    app: raw ? undefined : (arg('app') ?? (mode === 'jobs' ? 'bench/support/jobs-app.ts' : 'bench/support/hello-app.ts')),
    path: arg('path') ?? '/',
    requests: Number(arg('requests') ?? 20000),
    cpuProfDir: arg('cpu-prof'),
    compiled: process.argv.includes('--compiled'),
  });
  console.log(
    `${raw ? `raw goridge ${mode} worker` : (arg('app') ?? (mode === 'jobs' ? 'jobs-app' : 'hello-app'))} over pipes: ${result.cpuUs.toFixed(1)} us worker CPU per request ` +
      `(${result.userUs.toFixed(1)} user + ${result.sysUs.toFixed(1)} sys), ${result.rps.toFixed(0)} req/s one at a time`,
  );
}
