/**
 * `roadrunner-runtime dev` against the real rr: it starts rr with the app's .rr.yaml, and a source
 * edit reaches the next response through rr's resetter (same rr process, new workers); a file that
 * does not compile is reported and the previous version keeps serving until it is fixed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ROOT, SOURCE_NODE_ARGS, WORKER_ENTRY } from '../support/process-peer.js';
import { send } from './support/http-client.js';
import { freePort, isAlive, rrBinary } from './support/rr-server.js';

const CLI = join(ROOT, 'src', 'bin', 'cli.ts');

interface Reply {
  greeting: string;
  pid: number;
  ppid: number;
}

describe('dev mode (e2e, real rr)', function () {
  this.timeout(180_000);
  let dir: string;
  let dev: ChildProcess;
  let output = '';
  let httpUrl: string;
  let rrPid: number;

  const writeGreeting = (source: string) => writeFileSync(join(dir, 'greeting.ts'), source);

  /** Resolves once `pattern` shows up in dev's output after `from` (an offset into it); the matched text. */
  async function waitForOutput(pattern: RegExp, from: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const match = output.slice(from).match(pattern);
      if (match) return match;
      if (dev.exitCode !== null) throw new Error(`dev exited with ${dev.exitCode}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`dev never printed ${pattern}:\n${output}`);
  }

  async function get(): Promise<Reply> {
    const reply = await send(httpUrl, '/');
    expect(reply.status, reply.body.toString()).to.equal(200);
    return JSON.parse(reply.body.toString()) as Reply;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-dev-'));
    const [httpPort, rpcPort] = [await freePort(), await freePort()];
    httpUrl = `http://127.0.0.1:${httpPort}`;
    writeGreeting("export const greeting = 'hello v1';\n");
    writeFileSync(
      join(dir, 'app.ts'),
      [
        "import { createHttpHandler, defineApp } from 'roadrunner-runtime';",
        "import { greeting } from './greeting.ts';",
        'export default defineApp({',
        '  modes: { http: () => ({ handle: createHttpHandler(() => Response.json({ greeting, pid: process.pid, ppid: process.ppid })) }) },',
        '});',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, '.rr.yaml'),
      [
        'version: "3"',
        'rpc:',
        `  listen: tcp://127.0.0.1:${rpcPort}`,
        'server:',
        `  command: ${JSON.stringify([process.execPath, ...SOURCE_NODE_ARGS, WORKER_ENTRY, 'app.ts'])}`,
        '  relay: pipes',
        '  env:',
        // `import 'roadrunner-runtime'` means this repository's sources (tsconfig.json's paths).
        `    TSX_TSCONFIG_PATH: ${JSON.stringify(join(ROOT, 'tsconfig.json'))}`,
        'logs:',
        '  mode: development',
        '  level: warn',
        'http:',
        `  address: 127.0.0.1:${httpPort}`,
        '  pool:',
        '    num_workers: 1',
        '    allocate_timeout: 60s',
        '    destroy_timeout: 15s',
      ].join('\n'),
    );
    dev = spawn(process.execPath, [...SOURCE_NODE_ARGS, CLI, 'dev', '-c', '.rr.yaml'], {
      cwd: dir,
      env: { ...process.env, RR_BINARY: rrBinary() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    dev.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    dev.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    rrPid = Number((await waitForOutput(/\[dev\] rr started \(pid (\d+)\)/, 0))[1]);
    // rr is up once its worker answers.
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        if ((await send(httpUrl, '/', { timeoutMs: 5_000 })).status === 200) break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`rr never served ${httpUrl}: ${String(error)}\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  after(async () => {
    if (dev && dev.exitCode === null && dev.signalCode === null) {
      dev.kill('SIGKILL');
      await once(dev, 'exit');
    }
    if (rrPid && isAlive(rrPid)) process.kill(rrPid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves an edited source file on the next request, from new workers of the same rr', async () => {
    const before = await get();
    expect(before.greeting).to.equal('hello v1');
    expect(before.ppid, 'the worker is a child of the rr dev started').to.equal(rrPid);

    const from = output.length;
    writeGreeting("export const greeting = 'hello v2';\n");
    expect((await waitForOutput(/\[dev\] reloaded (.*) after (.*) changed/, from))[0]).to.equal('[dev] reloaded http after greeting.ts changed');

    const after = await get();
    expect(after.greeting).to.equal('hello v2');
    expect(after.ppid, 'rr was not restarted').to.equal(rrPid);
    expect(after.pid, 'the worker was replaced').to.not.equal(before.pid);
    expect(isAlive(rrPid)).to.equal(true);
  });

  it('reports a change that does not compile and keeps the previous version serving until it is fixed', async () => {
    const serving = await get();
    expect(serving.greeting).to.equal('hello v2');

    let from = output.length;
    writeGreeting("export const greeting = 'hello v3' +;\n");
    await waitForOutput(/\[dev\] not reloaded \(greeting\.ts changed\): the workers keep serving the previous version/, from);
    expect(output.slice(from)).to.match(/\[dev\] does not compile: greeting\.ts:1:\d+: Unexpected ";"/);
    expect(output.slice(from)).to.not.contain('[dev] reloaded');

    const still = await get();
    expect(still).to.deep.equal(serving);

    from = output.length;
    writeGreeting("export const greeting = 'hello v4';\n");
    await waitForOutput(/\[dev\] reloaded http after greeting\.ts changed/, from);
    const fixed = await get();
    expect(fixed.greeting).to.equal('hello v4');
    expect(fixed.ppid).to.equal(rrPid);
  });

  it('stops rr when it is stopped', async () => {
    dev.kill('SIGTERM');
    const [code] = (await once(dev, 'exit')) as [number | null];
    expect(code, output).to.equal(0);
    expect(isAlive(rrPid), 'rr is gone with dev').to.equal(false);
  });
});
