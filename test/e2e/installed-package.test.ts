/**
 * The installed package is the product: this suite packs the package (`npm pack`, which builds
 * dist/), installs the tarball into a fresh app outside the repository, with none of our
 * devDependencies, and follows the README's "Install" section there: its tsconfig.json, its
 * src/app.ts and its .rr.yaml (extracted from the README, so the docs cannot drift). The app is
 * compiled by TypeScript 5.9 and 7 under strict settings with `skipLibCheck: false` and the default
 * `lib` (DOM included), then served by the real rr with plain `node`, no loader.
 */
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/process-peer.js';
import { readmeBlock } from '../support/readme-blocks.js';
import { send, waitFor } from './support/http-client.js';
import { freePort, rrBinary } from './support/rr-server.js';

const run = promisify(execFile);
/** The consumer's extra compiler settings: the strictest ones a user may have on. */
const STRICT_FLAGS = ['--exactOptionalPropertyTypes', '--noPropertyAccessFromIndexSignature', '--skipLibCheck', 'false', '--noEmit'];

describe('the installed package (npm pack, installed into a fresh app, as the README says)', function () {
  // npm pack builds, npm install reaches the registry (or its cache): minutes on a cold machine.
  this.timeout(600_000);
  let work: string;
  let app: string;
  let tarball: string;
  let files: string[];

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'rrr-consumer-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    tarball = join(work, packed.filename);
    files = packed.files.map((file) => file.path);

    app = join(work, 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'hello-rr', private: true, type: 'module' }, null, 2));
    writeFileSync(join(app, 'tsconfig.json'), readmeBlock('tsconfig.json'));
    writeFileSync(join(app, 'src', 'app.ts'), readmeBlock('src/app.ts'));
    // `npm install roadrunner-runtime` and `npm install --save-dev typescript @types/node`, with the
    // packed tarball in place of the registry's version, and both TypeScript lines users run.
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball, 'typescript@~5.9.3', 'typescript7@npm:typescript@^7.0.2', '@types/node@^20.19.0'],
      { cwd: app, maxBuffer: 64 * 1024 * 1024 },
    );
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships compiled ES modules with types and source maps, never the tests, fixtures or sources', () => {
    for (const entry of ['dist/index.js', 'dist/index.d.ts', 'dist/index.js.map', 'dist/bin/worker.js', 'dist/bin/cli.js', 'dist/bin/rr-kv-keypair.js']) {
      expect(files, entry).to.include(entry);
    }
    // Every export and bin of package.json points at a compiled file the tarball holds.
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>>; bin: Record<string, string> };
    const targets = [...Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target))), ...Object.values(manifest.bin)];
    const notShipped = targets.map((target) => target.replace(/^\.\//, '')).filter((target) => target !== 'package.json' && (!target.startsWith('dist/') || !files.includes(target)));
    expect(notShipped, 'exports or bins that are not compiled files in the tarball').to.deep.equal([]);
    const unwanted = files.filter((file) => /^(test|src|example|bench)\//.test(file) || /fixtures?\//.test(file) || (/\.ts$/.test(file) && !file.endsWith('.d.ts')));
    expect(unwanted).to.deep.equal([]);
    // What `npx roadrunner-runtime rr` needs to build rr on the user's machine.
    expect(files).to.include.members(['scripts/rr.sh', 'scripts/lib/cached-binary.sh', 'peers/rr/go.mod', 'peers/rr/go.sum', 'peers/rr/main.go']);
  });

  it('installs without any of our devDependencies (no tsx, no mocha)', () => {
    for (const dev of ['tsx', 'mocha', 'chai']) expect(existsSync(join(app, 'node_modules', dev)), dev).to.equal(false);
    expect(existsSync(join(app, 'node_modules', 'roadrunner-runtime', 'dist', 'index.js'))).to.equal(true);
  });

  for (const [name, tsc] of [
    ['TypeScript 5.9', 'node_modules/typescript/bin/tsc'],
    ['TypeScript 7', 'node_modules/typescript7/bin/tsc'],
  ] as const) {
    it(`type-checks the README app and every public entry point with ${name}, strict, skipLibCheck false, lib with DOM`, async () => {
      const { stdout: version } = await run(process.execPath, [join(app, tsc), '--version'], { cwd: app });
      expect(version).to.match(name.endsWith('7') ? /Version 7\./ : /Version 5\.9\./);
      // Every entry point whose types need no optional peer, so a type error in a bridge's
      // declarations is found although the app does not import it.
      writeFileSync(
        join(app, 'src', 'entry-points.ts'),
        ['', '/container', '/runtime', '/http', '/session', '/kv', '/jobs', '/centrifugo', '/testing']
          .map((subpath, i) => `export * as entry${i} from 'roadrunner-runtime${subpath}';`)
          .join('\n'),
      );
      try {
        await run(process.execPath, [join(app, tsc), '-p', 'tsconfig.json', ...STRICT_FLAGS], { cwd: app }).catch((error: { stdout?: string }) => {
          throw new Error(`${name} rejected the consumer app:\n${error.stdout ?? String(error)}`);
        });
      } finally {
        rmSync(join(app, 'src', 'entry-points.ts'), { force: true });
      }
    });
  }

  describe('under the real rr, with plain node', () => {
    let rr: ChildProcess | undefined;
    let logs = '';

    after(async () => {
      if (rr && rr.exitCode === null) {
        rr.kill('SIGTERM');
        await once(rr, 'exit');
      }
    });

    it('compiles with the README\'s `npx tsc` and serves the README\'s request', async () => {
      await run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc')], { cwd: app });
      expect(statSync(join(app, 'dist', 'app.js')).isFile()).to.equal(true);

      const [httpPort, rpcPort] = [await freePort(), await freePort()];
      const config = readmeBlock('.rr.yaml').replace('127.0.0.1:8080', `127.0.0.1:${httpPort}`).replace('127.0.0.1:6001', `127.0.0.1:${rpcPort}`);
      expect(config).to.contain('"node", "node_modules/roadrunner-runtime/dist/bin/worker.js", "dist/app.js"');
      writeFileSync(join(app, '.rr.yaml'), config);

      rr = spawn(rrBinary(), ['serve', '-c', '.rr.yaml'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
      rr.stdout!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
      rr.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
      const url = `http://127.0.0.1:${httpPort}`;
      await waitFor(
        async () => (await send(url, '/hello/ada').catch(() => undefined))?.status === 200,
        'the README app under rr answering /hello/ada',
        90_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${logs}`);
      });

      const reply = await send(url, '/hello/ada', { headers: { 'accept-language': 'fr-FR,fr;q=0.9' } });
      expect(reply.status, logs).to.equal(200);
      expect(JSON.parse(reply.body.toString())).to.deep.equal({ hello: 'ada', locale: 'fr-FR' });
      expect((await send(url, '/nope')).status).to.equal(404);
      expect(logs).to.not.match(/ERR_UNKNOWN_FILE_EXTENSION|Cannot find package/);
    });

    it('lists the compiled app\'s services with roadrunner-runtime debug:container, and says what a .ts module needs', async () => {
      const cli = join(app, 'node_modules', '.bin', 'roadrunner-runtime');
      const { stdout } = await run(cli, ['debug:container', 'dist/app.js', '--json'], { cwd: app });
      const listed = JSON.parse(stdout) as { services: Array<{ id: string; scope: string; resettable: boolean; built: boolean }> };
      expect(listed.services.map(({ id, scope, resettable }) => ({ id, scope, resettable }))).to.deep.include.members([
        { id: 'CurrentLocale', scope: 'request', resettable: false },
        { id: 'Metrics', scope: 'singleton', resettable: true },
        { id: 'HelloController', scope: 'request', resettable: false },
      ]);
      // The consumer app has no tsx: the command says how to load TypeScript instead of a loader error.
      const typescript = await run(cli, ['debug:container', 'src/app.ts'], { cwd: app }).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(typescript?.code).to.equal(1);
      expect(typescript?.stderr).to.contain('src/app.ts is TypeScript, which this node cannot load by itself: install tsx in the project');
    });
  });

  it('runs its commands from the installed package: rr-kv-keypair and roadrunner-runtime rr', async () => {
    // libsodium-wrappers is an optional peer: without it the command names it, as the README's KV
    // section says to install it.
    const missing = await run(join(app, 'node_modules', '.bin', 'rr-kv-keypair'), ['keypair.key'], { cwd: app }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(missing?.code).to.equal(1);
    expect(missing?.stderr).to.contain('needs the libsodium-wrappers package: npm install libsodium-wrappers');
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'libsodium-wrappers@^0.8.4'], { cwd: app });

    const { stdout } = await run(join(app, 'node_modules', '.bin', 'rr-kv-keypair'), ['keypair.key'], { cwd: app });
    expect(stdout).to.contain('wrote a new keypair');
    expect(readFileSync(join(app, 'keypair.key')).length).to.equal(64);
    const check = await run(join(app, 'node_modules', '.bin', 'roadrunner-runtime'), ['kv:keypair', '--check', 'keypair.key'], { cwd: app });
    expect(check.stdout).to.contain('a valid keypair');

    const binary = rrBinary();
    const provided = await run(join(app, 'node_modules', '.bin', 'roadrunner-runtime'), ['rr'], { cwd: app, env: { ...process.env, RR_BINARY: binary } });
    expect(provided.stdout.trim().split('\n').at(-1)).to.equal(binary);
  });
});
