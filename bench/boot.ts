/**
 * Worker start-up cost: `npm run bench:boot [-- --runs 7 --settle-ms 1000]`.
 *
 * For each worker, RUNS times, rr's side of the protocol is played in this process over pipes (as
 * rr's pipes relay does): spawn the worker, send the pid handshake at once (rr does the same), and
 * measure the time from spawning to the worker's pid reply; then one HTTP request, SETTLE ms of
 * idleness, and the worker's resident memory (VmRSS from /proc). Medians are printed side by side:
 *   - raw: bench/support/raw-goridge-worker.mjs (the goridge wire format and nothing else);
 *   - compiled: the README's quick-start app (its src/app.ts and tsconfig.json, extracted from the
 *     README) compiled by tsc, run by plain `node` on the package's compiled worker entry
 *     (dist/bin/worker.js), as the README's .rr.yaml does;
 *   - tsx: the same app's TypeScript through `--import tsx`, the README's development set-up.
 * As under rr, RR_RPC points at an RPC endpoint (a stand-in answering `rpc.Config` with the README's
 * .rr.yaml), which our worker asks at boot for the kv: storages to register (`kv.auto_register`).
 * The package is compiled from src/ into a temp dir (tsconfig.build.json, what `npm run build`
 * does), so the numbers are those of the current sources and the repo's dist/ is left alone; the
 * app resolves `roadrunner-runtime` to it through node_modules, like an installed package.
 *
 * The last line is the compiled worker's: `boot: <A> ms to handshake, <B> MiB idle RSS (raw worker:
 * <C> ms, <D> MiB)`. Goal: RSS below 64 MiB, boot within 2x the raw worker's. The machine is
 * shared: compare ratios, not milliseconds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FrameFlag } from '../src/runtime/goridge/flags.js';
import { encodeFrame } from '../src/runtime/goridge/frame.js';
import { parseYaml } from '../src/runtime/config/parse-yaml.js';
import { GoridgeRpcServer } from '../test/support/goridge-rpc-server.js';
import { ROOT } from '../test/support/process-peer.js';
import { readmeBlock } from '../test/support/readme-blocks.js';
import { frameStream, RAW_WORKER, requestFrame } from './support/pipe-driver.js';

export interface BootSample {
  /** Spawn to the pid handshake's reply, milliseconds. */
  handshakeMs: number;
  /** VmRSS after the first request and the settle time, MiB. */
  rssMiB: number;
}

export interface WorkerCommand {
  label: string;
  args: string[];
  cwd: string;
}

const control = (json: string) => encodeFrame({ flags: FrameFlag.CONTROL | FrameFlag.CODEC_JSON, payload: Buffer.from(json) });

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  if (!Number.isFinite(kib)) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return kib / 1024;
}

/** One start of `command`: handshake time, then RSS after one request to `path` and `settleMs`. */
export async function bootOnce(command: WorkerCommand, path: string, settleMs: number, rpcAddress: string): Promise<BootSample> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, command.args, {
    cwd: command.cwd,
    env: { ...process.env, RR_MODE: 'http', RR_RELAY: 'pipes', RR_RPC: rpcAddress, NODE_ENV: 'production' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  const next = frameStream(child, () => `${command.label} exited with ${child.exitCode}:\n${stderr}`);
  try {
    child.stdin!.write(control('{"pid":true}'));
    const handshake = await next();
    const handshakeMs = Number(process.hrtime.bigint() - started) / 1e6;
    const reply = JSON.parse(Buffer.from(handshake.payload).toString()) as { pid?: number };
    if (!(handshake.flags & FrameFlag.CONTROL) || reply.pid !== child.pid) throw new Error(`${command.label} answered the handshake with ${JSON.stringify(reply)}`);

    child.stdin!.write(requestFrame(path));
    for (let frame = await next(); frame.streamFlags & 0x01; frame = await next());
    await new Promise((r) => setTimeout(r, settleMs));
    return { handshakeMs, rssMiB: rssMiB(child.pid!) };
  } finally {
    if (child.exitCode === null) {
      child.stdin!.write(control('{"stop":true}'));
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  }
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

/**
 * A temp dir holding the package compiled from src/ (`roadrunner-runtime/`) and the README's app
 * installed against it (`app/`, compiled to app/dist). The caller removes `root`.
 */
export function prepareReadmeApp(): { root: string; app: string } {
  const root = mkdtempSync(join(tmpdir(), 'rrr-boot-'));
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const pkg = join(root, 'roadrunner-runtime');
  mkdirSync(pkg);
  copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  run(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], ROOT);

  const app = join(root, 'app');
  mkdirSync(join(app, 'src'), { recursive: true });
  mkdirSync(join(app, 'node_modules'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'hello-rr', private: true, type: 'module' }));
  writeFileSync(join(app, 'tsconfig.json'), readmeBlock('tsconfig.json'));
  writeFileSync(join(app, 'src', 'app.ts'), readmeBlock('src/app.ts'));
  writeFileSync(join(app, '.rr.yaml'), readmeBlock('.rr.yaml'));
  symlinkSync(pkg, join(app, 'node_modules', 'roadrunner-runtime'));
  // What the README has the user install next to it: @types/node (typescript is run from here),
  // and tsx for the development set-up.
  symlinkSync(join(ROOT, 'node_modules', '@types'), join(app, 'node_modules', '@types'));
  symlinkSync(join(ROOT, 'node_modules', 'tsx'), join(app, 'node_modules', 'tsx'));
  run(process.execPath, [tsc], app);
  return { root, app };
}

/** The three workers compared, for the README app in `app`. */
export function workerCommands(app: string): { raw: WorkerCommand; compiled: WorkerCommand; tsx: WorkerCommand } {
  const worker = join(app, 'node_modules', 'roadrunner-runtime', 'dist', 'bin', 'worker.js');
  return {
    raw: { label: 'raw goridge worker', args: [RAW_WORKER], cwd: app },
    compiled: { label: 'compiled worker + README app (node)', args: [worker, 'dist/app.js'], cwd: app },
    tsx: { label: 'compiled worker + README app (tsx)', args: ['--import', 'tsx', worker, 'src/app.ts'], cwd: app },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export interface BootResult {
  label: string;
  handshakeMs: number;
  rssMiB: number;
}

/** RUNS boots of each worker, interleaved (so a busy moment of the machine hits all alike); medians. */
export async function benchBoot(options: { runs: number; settleMs: number; app: string }): Promise<{ raw: BootResult; compiled: BootResult; tsx: BootResult }> {
  const commands = workerCommands(options.app);
  // rr's RPC as the workers see it: rpc.Config answers the app's .rr.yaml (rr answers with the
  // config as JSON bytes; over the JSON codec, base64 in a JSON string).
  const rpc = await GoridgeRpcServer.start();
  const config = Buffer.from(JSON.stringify(parseYaml(readFileSync(join(options.app, '.rr.yaml'), 'utf8'), { label: '.rr.yaml' })));
  rpc.handlers.set('rpc.Config', (request) => ({ body: request.flags & FrameFlag.CODEC_JSON ? Buffer.from(JSON.stringify(config.toString('base64'))) : config }));
  try {
    return await measure(commands, options, rpc.address);
  } finally {
    await rpc.close();
  }
}

async function measure(commands: ReturnType<typeof workerCommands>, options: { runs: number; settleMs: number }, rpcAddress: string): Promise<{ raw: BootResult; compiled: BootResult; tsx: BootResult }> {
  const samples = new Map<keyof typeof commands, BootSample[]>(Object.keys(commands).map((key) => [key as keyof typeof commands, []]));
  for (let i = 0; i < options.runs; i++) {
    for (const key of Object.keys(commands) as (keyof typeof commands)[]) {
      samples.get(key)!.push(await bootOnce(commands[key], '/hello/ada', options.settleMs, rpcAddress));
    }
  }
  const result = (key: keyof typeof commands): BootResult => ({
    label: commands[key].label,
    handshakeMs: median(samples.get(key)!.map((s) => s.handshakeMs)),
    rssMiB: median(samples.get(key)!.map((s) => s.rssMiB)),
  });
  return { raw: result('raw'), compiled: result('compiled'), tsx: result('tsx') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, 'settle-ms': { type: 'string', default: '1000' } } });
  const runs = Number(values.runs);
  const settleMs = Number(values['settle-ms']);
  process.stderr.write('bench:boot: compiling the package and the README app into a temp dir\n');
  const { root, app } = prepareReadmeApp();
  try {
    const { raw, compiled, tsx } = await benchBoot({ runs, settleMs, app });
    console.log(`median of ${runs} starts each; RSS ${settleMs} ms after the first request`);
    console.log(`${'worker'.padEnd(40)} ${'handshake ms'.padStart(12)} ${'x raw'.padStart(6)} ${'idle RSS MiB'.padStart(12)}`);
    for (const row of [raw, compiled, tsx]) {
      console.log(`${row.label.padEnd(40)} ${row.handshakeMs.toFixed(1).padStart(12)} ${(row.handshakeMs / raw.handshakeMs).toFixed(2).padStart(6)} ${row.rssMiB.toFixed(1).padStart(12)}`);
    }
    console.log(`boot: ${compiled.handshakeMs.toFixed(1)} ms to handshake, ${compiled.rssMiB.toFixed(1)} MiB idle RSS (raw worker: ${raw.handshakeMs.toFixed(1)} ms, ${raw.rssMiB.toFixed(1)} MiB)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
