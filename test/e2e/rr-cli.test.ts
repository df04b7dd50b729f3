/**
 * peers/rr's CLI behaves like the release rr's where a user would notice: the order in which -w
 * and -c apply, the config file's directory as the default working directory, --dotenv and
 * $DOTENV_PATH (which wins), a bad endure.log_level as a warning, flags before or after the
 * command, SIGUSR2 restarting with the config read again, -d serving pprof, `rr stop -c`.
 * Each case runs the built rr from a temp dir laid out like a user's project.
 */
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, SOURCE_NODE_ARGS, WORKER_ENTRY } from '../support/process-peer.js';
import { freePort, isAlive, rrBinary } from './support/rr-server.js';

const run = promisify(execFile);
const APP = join(ROOT, 'test', 'fixtures', 'apps', 'env-app.ts');

interface WorkerReport {
  pid: number;
  cwd: string;
  env: Record<string, string>;
}

/** A project dir `<tmp>/proj` with `rr.yaml`, run from `<tmp>` (the shell's directory). */
class Project {
  readonly root = realpathSync(mkdtempSync(join(tmpdir(), 'rrr-cli-')));
  readonly dir = join(this.root, 'proj');
  httpPort = 0;
  rpcPort = 0;
  private rr: ChildProcess | undefined;
  private exited: Promise<unknown> | undefined;
  output = '';

  constructor() {
    mkdirSync(this.dir);
  }

  async writeConfig(options: { env?: Record<string, string>; httpAddress?: string; extraYaml?: string } = {}): Promise<void> {
    this.httpPort ||= await freePort();
    this.rpcPort ||= await freePort();
    const env = { TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), ...options.env };
    writeFileSync(
      join(this.dir, 'rr.yaml'),
      [
        'version: "3"',
        'rpc:',
        `  listen: tcp://127.0.0.1:${this.rpcPort}`,
        'server:',
        `  command: ${JSON.stringify([process.execPath, ...SOURCE_NODE_ARGS, WORKER_ENTRY, APP])}`,
        '  env:',
        ...Object.entries(env).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`),
        'logs:',
        '  level: error',
        'http:',
        `  address: ${options.httpAddress ?? `127.0.0.1:${this.httpPort}`}`,
        '  pool:',
        '    num_workers: 1',
        '    allocate_timeout: 60s',
        options.extraYaml ?? '',
      ].join('\n'),
    );
  }

  /** Starts rr with `args` from the project's parent dir and waits until GET / answers. */
  async serve(args: string[], env: Record<string, string | undefined> = {}): Promise<WorkerReport> {
    const childEnv = { ...process.env, ...env };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
    const rr = spawn(rrBinary(), args, { cwd: this.root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    this.rr = rr;
    this.exited = once(rr, 'exit');
    rr.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    rr.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    return this.report();
  }

  /** The worker's report, polled until rr serves it (or rr exits). */
  async report(previousPid?: number): Promise<WorkerReport> {
    const deadline = Date.now() + 90_000;
    let last: unknown;
    while (Date.now() < deadline) {
      if (this.rr!.exitCode !== null) throw new Error(`rr exited with ${this.rr!.exitCode}:\n${this.output}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.httpPort}/`);
        if (response.status === 200) {
          const report = (await response.json()) as WorkerReport;
          if (report.pid !== previousPid) return report;
          last = new Error(`still the worker ${previousPid}`);
        } else {
          last = new Error(`status ${response.status}`);
        }
      } catch (error) {
        last = error;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`rr did not serve within 90 s (${String(last)}):\n${this.output}`);
  }

  get rrPid(): number {
    return this.rr!.pid!;
  }

  async waitExit(): Promise<number | null> {
    await this.exited;
    return this.rr!.exitCode;
  }

  async dispose(): Promise<void> {
    if (this.rr && this.rr.exitCode === null && this.rr.signalCode === null) {
      this.rr.kill('SIGTERM');
      const timer = setTimeout(() => this.rr!.kill('SIGKILL'), 20_000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}

describe('the rr CLI (peers/rr) as the release rr behaves', function () {
  this.timeout(180_000);
  let project: Project;

  beforeEach(() => {
    project = new Project();
  });
  afterEach(async () => {
    await project.dispose();
  });

  it('changes into -w first and resolves a relative -c there; the workers run in that directory', async () => {
    await project.writeConfig();
    // rr.yaml exists only in proj/: resolved against the shell's directory it would not be found.
    const report = await project.serve(['serve', '-w', 'proj', '-c', 'rr.yaml']);
    expect(report.cwd).to.equal(project.dir);
  });

  it('without -w runs in the config file\'s directory, and takes its flags before the command too', async () => {
    await project.writeConfig();
    const report = await project.serve(['-c', 'proj/rr.yaml', 'serve']);
    expect(report.cwd).to.equal(project.dir);
  });

  it('loads --dotenv (relative to the working directory) before reading the config: ${VAR} in server.env and http.address', async () => {
    const port = await freePort();
    project.httpPort = port;
    await project.writeConfig({ env: { RRCLI_GREETING: '${GREETING}' }, httpAddress: '127.0.0.1:${RRCLI_HTTP_PORT}' });
    writeFileSync(join(project.dir, 'flag.env'), `GREETING=from-the-flag\nRRCLI_HTTP_PORT=${port}\n`);
    const report = await project.serve(['serve', '-c', 'proj/rr.yaml', '--dotenv', 'flag.env'], { DOTENV_PATH: undefined, GREETING: undefined });
    expect(report.env).to.include({ RRCLI_GREETING: 'from-the-flag', RRCLI_HTTP_PORT: String(port) });
  });

  it('takes $DOTENV_PATH over --dotenv', async () => {
    await project.writeConfig({ env: { RRCLI_GREETING: '${GREETING}' } });
    writeFileSync(join(project.dir, 'flag.env'), 'GREETING=from-the-flag\n');
    writeFileSync(join(project.dir, 'env-var.env'), 'GREETING=from-DOTENV_PATH\n');
    const report = await project.serve(['serve', '-c', 'proj/rr.yaml', '--dotenv', 'flag.env'], { DOTENV_PATH: 'env-var.env', GREETING: undefined });
    expect(report.env['RRCLI_GREETING']).to.equal('from-DOTENV_PATH');
  });

  it('warns about a bad endure.log_level and serves with the default; prints the graph for endure.print_graph', async () => {
    await project.writeConfig({ extraYaml: 'endure:\n  log_level: loud\n  print_graph: true\n' });
    await project.serve(['serve', '-c', 'proj/rr.yaml']);
    expect(project.output).to.contain('[WARN] Failed to parse log level, using default (error): unknown log level "loud" (allowed: debug, info, warn, error)');
    expect(project.output).to.contain('digraph endure');
    expect(project.output).to.contain('[INFO] RoadRunner server started');
  });

  it('restarts on SIGUSR2: same rr process, the config read again, new workers', async () => {
    await project.writeConfig({ env: { RRCLI_GENERATION: 'first' } });
    const first = await project.serve(['serve', '-w', 'proj', '-c', 'rr.yaml']);
    expect(first.env['RRCLI_GENERATION']).to.equal('first');
    await project.writeConfig({ env: { RRCLI_GENERATION: 'second' } });
    process.kill(project.rrPid, 'SIGUSR2');
    const second = await project.report(first.pid);
    expect(second.env['RRCLI_GENERATION']).to.equal('second');
    expect(second.cwd).to.equal(project.dir);
    expect(isAlive(project.rrPid)).to.equal(true);
    expect(project.output).to.contain('restart signal [SIGUSR2] received');
  });

  it('serves net/http/pprof on :6061 with -d', async () => {
    await project.writeConfig();
    await project.serve(['serve', '-d', '-c', 'proj/rr.yaml']);
    const response = await fetch('http://127.0.0.1:6061/debug/pprof/cmdline');
    expect(response.status).to.equal(200);
    expect(await response.text()).to.contain('serve');
  });

  it('`rr stop -c <config>` stops the rr whose .pid is in the config file\'s directory', async () => {
    await project.writeConfig();
    await project.serve(['serve', '-p', '-c', 'proj/rr.yaml']);
    await run(rrBinary(), ['stop', '-c', 'proj/rr.yaml'], { cwd: project.root });
    expect(await project.waitExit()).to.equal(0);
  });

  it('`rr workers` finds rpc.listen in an included file, with ${VAR:-default} expanded; without an rpc section it says so', async () => {
    await project.writeConfig();
    const report = await project.serve(['serve', '-c', 'proj/rr.yaml']);
    writeFileSync(join(project.dir, 'cli.yaml'), 'version: "3"\ninclude:\n  - rpc.yaml\n');
    writeFileSync(join(project.dir, 'rpc.yaml'), `version: "3"\nrpc:\n  listen: tcp://127.0.0.1:\${RRCLI_UNSET_PORT:-${project.rpcPort}}\n`);
    const { stdout } = await run(rrBinary(), ['workers', 'http', '-c', 'proj/cli.yaml'], { cwd: project.root, env: { ...process.env, RRCLI_UNSET_PORT: '' } });
    expect(stdout).to.match(new RegExp(`^http\\s+${report.pid}\\s+ready`, 'm'));
    writeFileSync(join(project.dir, 'no-rpc.yaml'), 'version: "3"\n');
    const failed = await run(rrBinary(), ['workers', '-c', 'proj/no-rpc.yaml'], { cwd: project.root }).then(() => 'succeeded', (error: { stderr: string }) => error.stderr);
    expect(failed).to.contain('has no rpc section');
  });

  it('refuses what this build leaves out with a clear error', async () => {
    const failure = (args: string[]) => run(rrBinary(), args, { cwd: project.root }).then(() => 'succeeded', (error: { stderr: string }) => error.stderr);
    expect(await failure(['jobs', 'list'])).to.contain('`rr jobs` is not part of this build');
    expect(await failure(['workers', '-i'])).to.contain('`rr workers -i` (the interactive table) is not part of this build');
  });
});
