import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRrConfig } from '../../runtime/config/load-rr-config.js';
import { RpcClient } from '../../runtime/rpc/rpc-client.js';
import { createCompileCheck, type CompileCheck } from './check-compiles.js';
import { CliError } from './cli-error.js';
import type { CommandIo } from './command-io.js';
import { watchSources } from './watch-sources.js';

export const DEV_USAGE = 'usage: roadrunner-runtime dev [-c .rr.yaml] [-w <dir>] [--debounce <ms>]';

/** Options of {@link dev} besides its arguments. */
export interface DevOptions {
  /** The rr binary to run (`findRr`). */
  rr(): Promise<string>;
}

/**
 * `roadrunner-runtime dev [-c .rr.yaml] [-w <dir>] [--debounce <ms>]`: runs `rr serve` with the
 * app's config (its output passes through) and watches the sources under the working directory
 * (`-w`, default the current one; not node_modules, dist, .git). A burst of changes (one per
 * `--debounce` ms, default 200) is checked to compile, then rr's workers are replaced through its
 * resetter plugin (`resetter.Reset` over RPC for every plugin `resetter.List` names: http, jobs,
 * centrifuge, service...), so the next unit runs the new code while rr itself keeps running. A
 * file that does not compile is reported and nothing is reset: the workers keep serving the
 * previous version until it is fixed. Ends with rr (Ctrl-C stops both), with rr's exit code.
 */
export async function dev(args: readonly string[], io: CommandIo, options: DevOptions): Promise<number> {
  const { values, positionals } = parseCommandArgs(args);
  if (positionals.length > 0) throw new CliError(`unexpected argument ${positionals[0]}\n${DEV_USAGE}`, { exitCode: 2 });
  const configFile = resolve(values.config ?? '.rr.yaml');
  const workDir = resolve(values.workdir ?? '.');
  const debounceMs = Number(values.debounce ?? '200');
  if (!Number.isFinite(debounceMs) || debounceMs < 0) throw new CliError(`--debounce takes a number of milliseconds, got ${values.debounce}\n${DEV_USAGE}`, { exitCode: 2 });
  if (!existsSync(configFile)) throw new CliError(`${relative('.', configFile) || configFile}: rr's config file not found (pass it with -c)`);
  const rrConfig = await loadRrConfig({ file: configFile });
  const rpcAddress = rrConfig.rpcAddress();
  if (rpcAddress === undefined) {
    throw new CliError(`${basename(configFile)} has no rpc.listen: dev replaces rr's workers over RPC, add\nrpc:\n  listen: tcp://127.0.0.1:6001`);
  }

  const rr = await options.rr();
  const check = await createCompileCheck(workDir);
  // rr gets a process group of its own, so a Ctrl-C reaches it once, from us: a second signal
  // would make rr skip its graceful stop.
  const child = spawn(rr, ['serve', '-c', configFile, '-w', workDir], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  const ended = new Promise<number>((resolve, reject) => {
    child.on('error', (error) => reject(new CliError(`cannot start rr (${rr}): ${error.message}`)));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  const killOnExit = () => stopIfRunning(child);
  process.on('exit', killOnExit);
  const rpc = new RpcClient({ address: rpcAddress, cwd: workDir, timeoutMs: 120_000 });
  const reloader = new Reloader({ io, rpc, check, workDir, rrConfigFile: configFile });
  io.out(`[dev] rr started (pid ${child.pid}) with ${relative(workDir, configFile) || configFile}; watching ${workDir} for changes`);

  let timer: NodeJS.Timeout | undefined;
  const pending = new Set<string>();
  const watcher = watchSources(workDir, (file) => {
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending.clear();
      reloader.schedule(files);
    }, debounceMs);
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await ended;
  } finally {
    process.off('exit', killOnExit);
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    clearTimeout(timer);
    watcher.close();
    await reloader.idle();
    await rpc.close();
    stopIfRunning(child);
  }
}

function stopIfRunning(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}

/** Checks and resets, one batch at a time; changes arriving meanwhile make one more batch. */
class Reloader {
  readonly #io: CommandIo;
  readonly #rpc: RpcClient;
  readonly #check: CompileCheck;
  readonly #workDir: string;
  readonly #rrConfigFile: string;
  /** Files that did not compile at the last check: checked again before every reset until they do. */
  readonly #broken = new Set<string>();
  #queued = new Set<string>();
  #running: Promise<void> | undefined;

  constructor(options: { io: CommandIo; rpc: RpcClient; check: CompileCheck; workDir: string; rrConfigFile: string }) {
    this.#io = options.io;
    this.#rpc = options.rpc;
    this.#check = options.check;
    this.#workDir = options.workDir;
    this.#rrConfigFile = options.rrConfigFile;
  }

  schedule(files: readonly string[]): void {
    for (const file of files) this.#queued.add(file);
    this.#running ??= this.#drain();
  }

  /** Resolves once no batch runs. */
  async idle(): Promise<void> {
    await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queued.size > 0) {
        const files = [...this.#queued];
        this.#queued = new Set();
        await this.#reload(files).catch((error: unknown) => this.#io.err(`[dev] reloading failed: ${(error as Error).message ?? String(error)}`));
      }
    } finally {
      this.#running = undefined;
    }
  }

  async #reload(files: readonly string[]): Promise<void> {
    const names = files.map((file) => relative(this.#workDir, file));
    if (files.includes(this.#rrConfigFile)) {
      this.#io.err(`[dev] ${relative(this.#workDir, this.#rrConfigFile)} changed: rr reads it only when it starts, restart dev to apply it`);
    }
    const problems: string[] = [];
    for (const file of new Set([...this.#broken, ...files])) {
      this.#broken.delete(file);
      if (!existsSync(file)) continue;
      const result = await this.#check(file);
      if (result.status === 'ok') continue;
      if (result.status === 'unchecked') {
        this.#io.err(`[dev] ${result.message}; reloading anyway`);
        continue;
      }
      this.#broken.add(file);
      problems.push(result.message);
    }
    if (problems.length > 0) {
      for (const problem of problems) this.#io.err(`[dev] does not compile: ${problem}`);
      this.#io.err(`[dev] not reloaded (${names.join(', ')} changed): the workers keep serving the previous version`);
      return;
    }
    const plugins = ((await this.#rpc.call<string[] | null>('resetter.List', true)) ?? []).sort();
    for (const plugin of plugins) await this.#rpc.call('resetter.Reset', plugin);
    this.#io.out(`[dev] reloaded ${plugins.join(', ') || 'nothing (rr has no plugin with workers)'} after ${names.join(', ')} changed`);
  }
}

function parseCommandArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { config: { type: 'string', short: 'c' }, workdir: { type: 'string', short: 'w' }, debounce: { type: 'string' } },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${DEV_USAGE}`, { exitCode: 2 });
  }
}
