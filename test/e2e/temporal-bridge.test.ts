/**
 * The Temporal bridge against the real Temporal dev server: the Temporal worker entry as its own
 * process (the fixture app's `temporal` export), the TemporalClient binding, the drain on SIGTERM,
 * and the whole thing under the real `rr serve`, whose `service` plugin starts (and restarts) the
 * Temporal worker from the same .rr.yaml as the HTTP pool.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Container } from '../../src/container/index.js';
import type { TemporalClient } from '../../src/bridges/temporal/index.js';
import type { GreetingResult } from '../fixtures/temporal/greeting-activity.js';
import type { SlowGreetingResult } from '../fixtures/temporal/slow-activity.js';
import { ROOT, SOURCE_NODE_ARGS } from '../support/process-peer.js';
import { loadTemporalModules, type TemporalModules } from '../bridges/temporal/support.js';
import { TEMPORAL_APP, TEMPORAL_WORKER_ENTRY, TemporalWorkerProcess } from '../bridges/temporal/temporal-worker-entry.js';
import { RpcClient } from '../../src/runtime/rpc/rpc-client.js';
import { freePort, httpWorkerPids, isAlive, rrBinary, RrServer } from './support/rr-server.js';
import { TemporalDevServer } from './support/temporal-dev-server.js';

/** Resolves once `check` returns a value other than undefined; polls every 50 ms. */
async function eventually<T>(what: string, check: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const readMarker = (dir: string, name: string) => (existsSync(join(dir, name)) ? Number(readFileSync(join(dir, name), 'utf8')) : undefined);

describe('Temporal bridge (real Temporal dev server)', function () {
  this.timeout(180_000);
  let server: TemporalDevServer;
  let modules: TemporalModules;
  let markers: string;

  before(async () => {
    server = await TemporalDevServer.start();
    modules = await loadTemporalModules();
  });
  after(async () => {
    await server?.stop();
  });
  beforeEach(() => {
    markers = mkdtempSync(join(tmpdir(), 'rrr-temporal-markers-'));
  });
  afterEach(() => rmSync(markers, { recursive: true, force: true }));

  /** A container with the client binding, configured for the dev server and `taskQueue`, as an HTTP worker has it. */
  async function clientContainer(taskQueue: string, address = server.address): Promise<Container> {
    const runtimeConfig = modules.parseRuntimeConfig({ temporal: { address, workers: { default: { taskQueue } } } });
    return modules.container.createContainer({ bindings: await modules.bridge.temporalBindings({ runtimeConfig, projectDir: ROOT }) });
  }

  describe('the Temporal worker process and the client', () => {
    const taskQueue = `e2e-${randomUUID()}`;
    let worker: TemporalWorkerProcess;
    let container: Container;
    let client: TemporalClient;

    before(async () => {
      worker = TemporalWorkerProcess.start([TEMPORAL_APP], { TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue });
      await worker.waitFor('roadrunner-runtime: temporal: serving worker "default"');
      container = await clientContainer(taskQueue);
      client = container.get(modules.bridge.TEMPORAL_CLIENT);
    });
    after(async () => {
      await container?.dispose();
      await worker?.dispose();
    });

    it('runs a workflow whose activity the worker process resolves from its container', async () => {
      const result = (await client.execute('greetingWorkflow', { workflowId: `greet-${randomUUID()}`, args: ['Ada'] })) as GreetingResult;
      expect(result.greeting).to.equal('Hello, Ada!');
      expect(result.pid, 'the activity ran in the Temporal worker process').to.equal(worker.child.pid);
      expect(result.auditEntries, 'the Resettable AuditLog was reset before this call').to.equal(1);
      const again = (await client.execute('greetingWorkflow', { workflowId: `greet-${randomUUID()}`, args: ['Bob'] })) as GreetingResult;
      expect(again.callId, 'a fresh scope per call').to.not.equal(result.callId);
      expect(again.auditEntries).to.equal(1);
    });

    it('signals and queries a running workflow', async () => {
      const workflowId = `signalled-${randomUUID()}`;
      const started = await client.start('signalledGreetingWorkflow', { workflowId });
      expect(await client.query(workflowId, 'name'), 'no name yet').to.equal(undefined);
      await client.signal(workflowId, 'name', 'Grace');
      expect(((await started.result()) as GreetingResult).greeting).to.equal('Hello, Grace!');
      expect(await client.query(workflowId, 'name'), 'a closed workflow still answers queries').to.equal('Grace');
    });

    it('throws typed errors: already started, not found, unknown query', async () => {
      const workflowId = `signalled-${randomUUID()}`;
      await client.start('signalledGreetingWorkflow', { workflowId });
      const twice = await client.start('signalledGreetingWorkflow', { workflowId }).catch((error: unknown) => error);
      expect(twice).to.be.instanceOf(modules.bridge.TemporalWorkflowAlreadyStartedError).with.property('workflowId', workflowId);
      const query = await client.query(workflowId, 'nickname').catch((error: unknown) => error);
      expect(query).to.be.instanceOf(modules.bridge.TemporalQueryError).with.property('query', 'nickname');
      await client.cancel(workflowId);
      const missing = await client.result(`never-started-${randomUUID()}`).catch((error: unknown) => error);
      expect(missing).to.be.instanceOf(modules.bridge.TemporalWorkflowNotFoundError);
    });

    it('tells retryable activity failures from non-retryable ones, and fails the workflow with the cause chain', async () => {
      const retried = await client.execute('failingWorkflow', { workflowId: `fail-${randomUUID()}`, args: ['Ada', true] }).catch((error: unknown) => error as Error);
      expect(retried).to.be.instanceOf(modules.bridge.TemporalWorkflowFailedError);
      expect(retried.message).to.match(/^workflow fail-.* failed: Activity task failed: cannot greet Ada yet$/);
      const refused = await client.execute('failingWorkflow', { workflowId: `fail-${randomUUID()}`, args: ['Eve', false] }).catch((error: unknown) => error as Error);
      expect(refused.message).to.match(/failed: Activity task failed: Eve must not be greeted$/);
      // The fixture's retry policy allows 2 attempts: the retryable failure ran twice, the other once.
      await worker.waitFor('activity failGreeting (workflow failingWorkflow');
      const lines = worker.stderr.split('\n').filter((line) => line.includes('activity failGreeting'));
      expect(lines.filter((line) => line.includes('cannot greet Ada yet')).map((line) => /attempt (\d)\) failed \(([^)]*)\)/.exec(line)?.slice(1))).to.deep.equal([
        ['1', 'Temporal will retry it'],
        ['2', 'no attempts left'],
      ]);
      expect(lines.filter((line) => line.includes('Eve must not be greeted')).map((line) => /attempt (\d)\) failed \(([^)]*)\)/.exec(line)?.slice(1))).to.deep.equal([
        ['1', 'non-retryable, Temporal will not retry it'],
      ]);
    });

    it('throws TemporalConnectionError when the server is out of reach', async () => {
      const unreachable = await clientContainer(taskQueue, '127.0.0.1:1');
      try {
        const error = await unreachable.get(modules.bridge.TEMPORAL_CLIENT).start('greetingWorkflow', { workflowId: `x-${randomUUID()}`, args: ['Ada'] }).catch((caught: unknown) => caught);
        expect(error).to.be.instanceOf(modules.bridge.TemporalConnectionError);
        expect((error as Error).message).to.match(/^cannot reach the Temporal server at 127\.0\.0\.1:1: /);
      } finally {
        await unreachable.dispose();
      }
    });
  });

  describe('SIGTERM', () => {
    it('drains the activity in flight: it completes on the stopping process, then the process exits 0', async () => {
      const taskQueue = `e2e-drain-${randomUUID()}`;
      const env = { TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue };
      const container = await clientContainer(taskQueue);
      const first = TemporalWorkerProcess.start([TEMPORAL_APP], env);
      let second: TemporalWorkerProcess | undefined;
      try {
        await first.waitFor('serving worker');
        const client = container.get(modules.bridge.TEMPORAL_CLIENT);
        const started = await client.start('slowGreetingWorkflow', { workflowId: `drain-${randomUUID()}`, args: ['Ada', markers] });
        expect(await eventually('attempt 1 to start', () => readMarker(markers, 'attempt-1'))).to.equal(first.child.pid);
        first.child.kill('SIGTERM');
        await first.waitFor('SIGTERM: finishing in-flight activities, then stopping');
        writeFileSync(join(markers, 'release'), '');
        const { code } = await first.exited;
        expect(code, first.stderr).to.equal(0);
        // The workflow's next step needs a worker polling again.
        second = TemporalWorkerProcess.start([TEMPORAL_APP], env);
        const result = (await started.result()) as SlowGreetingResult;
        expect(result).to.deep.equal({ greeting: 'Hello, Ada!', attempt: 1, pid: first.child.pid });
        expect(existsSync(join(markers, 'attempt-2')), 'never retried').to.equal(false);
      } finally {
        await container.dispose();
        await first.dispose();
        await second?.dispose();
      }
    });
  });

  describe("under rr: the HTTP pool and the Temporal worker from one .rr.yaml (rr's service plugin)", () => {
    const taskQueue = `e2e-rr-${randomUUID()}`;
    let rr: RrServer;

    before(async () => {
      const env = { TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue };
      rr = await RrServer.start({
        app: 'test/fixtures/apps/temporal-app.ts',
        env,
        extraYaml: [
          'service:',
          '  temporal:',
          // rr splits the command on spaces; it runs in rr's temp dir, hence absolute paths (tsx's loader too).
          `    command: ${JSON.stringify([process.execPath, ...SOURCE_NODE_ARGS, TEMPORAL_WORKER_ENTRY, TEMPORAL_APP].join(' '))}`,
          '    remain_after_exit: true',
          '    restart_sec: 1',
          '    timeout_stop_sec: 15',
          '    env:',
          `      TSX_TSCONFIG_PATH: ${JSON.stringify(join(ROOT, 'tsconfig.json'))}`,
          ...Object.entries(env).map(([key, value]) => `      ${key}: ${JSON.stringify(value)}`),
        ].join('\n'),
      });
      await eventually('the Temporal worker to serve', () => (rr.logs.includes('roadrunner-runtime: temporal: serving worker') ? true : undefined), 120_000).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; rr's logs:\n${rr.logs}`);
      });
    });
    after(async () => {
      await rr?.stop();
      await rr?.dispose();
    });

    it('answers an HTTP route with the result of the workflow it started', async () => {
      const response = await fetch(`${rr.httpUrl}/greet/Ada`);
      expect(response.status).to.equal(200);
      const result = (await response.json()) as GreetingResult;
      expect(result.greeting).to.equal('Hello, Ada!');
      const rpc = new RpcClient({ address: rr.rpcAddress });
      try {
        const httpPids = await httpWorkerPids(rpc);
        expect(httpPids).to.have.length(2);
        expect(httpPids, "the activity ran in the service's process, not in an HTTP worker").to.not.include(result.pid);
      } finally {
        await rpc.close();
      }
    });

    it('retries an activity whose worker was SIGKILLed mid-call on the worker rr restarts, and the workflow completes', async () => {
      const response = fetch(`${rr.httpUrl}/slow/Ada?markers=${encodeURIComponent(markers)}`);
      const killed = await eventually('attempt 1 to start', () => readMarker(markers, 'attempt-1'));
      process.kill(killed, 'SIGKILL');
      await eventually('the killed worker to be gone', () => (isAlive(killed) ? undefined : true));
      const answer = await response;
      expect(answer.status).to.equal(200);
      const result = (await answer.json()) as SlowGreetingResult;
      expect(result.greeting).to.equal('Hello, Ada!');
      expect(result.attempt, 'a later attempt completed it').to.be.greaterThan(1);
      expect(result.pid, 'on the restarted worker').to.not.equal(killed);
      expect(isAlive(result.pid)).to.equal(true);
    });
  });

  describe('the example app under rr, as `npm run example` serves it (example/.rr.yaml)', () => {
    let rr: ChildProcess;
    let logs = '';
    let httpUrl: string;
    let dir: string;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rrr-temporal-example-'));
      const [httpPort, rpcPort] = [await freePort(), await freePort()];
      httpUrl = `http://127.0.0.1:${httpPort}`;
      // The example's own config; only its ports and its BoltDB file move, and its Temporal
      // address (roadrunner.yaml reads TEMPORAL_ADDRESS) points at this suite's dev server.
      rr = spawn(
        rrBinary(),
        [
          'serve', '-c', join(ROOT, 'example', '.rr.yaml'), '-w', join(ROOT, 'example'),
          '-o', `http.address=127.0.0.1:${httpPort}`, '-o', `rpc.listen=tcp://127.0.0.1:${rpcPort}`,
          '-o', `kv.sessions.config.file=${join(dir, 'sessions.db')}`,
        ],
        { env: { ...process.env, TEMPORAL_ADDRESS: server.address }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      rr.stdout!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
      rr.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
      // rr starts the service plugin first: the Temporal worker may serve well before the HTTP pool.
      const serving = () => logs.includes('temporal: serving worker') && logs.includes('RoadRunner server started');
      await eventually('the example to serve HTTP and Temporal', () => (rr.exitCode !== null || serving() ? true : undefined), 120_000);
      if (rr.exitCode !== null) throw new Error(`rr exited with ${rr.exitCode}:\n${logs}`);
    });
    after(async () => {
      if (rr && rr.exitCode === null) {
        const exited = once(rr, 'exit');
        rr.kill('SIGINT');
        const killer = setTimeout(() => rr.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it('GET /greet/:name starts the greeting workflow and returns what its activity (using the injected Greeter) made', async () => {
      // rr logs "started" as its http plugin's listener goroutine starts: allow it a moment to bind.
      const started = Date.now();
      let response: Response | undefined;
      while (response === undefined) {
        response = await fetch(`${httpUrl}/greet/Ada`).catch((error: unknown) => {
          if (Date.now() - started > 10_000) throw error;
          return new Promise<undefined>((settle) => setTimeout(() => settle(undefined), 200));
        });
      }
      expect(response.status, logs).to.equal(200);
      const body = (await response.json()) as { greeting: string; httpWorkerPid: number };
      const match = /^Hello, Ada! \(greeted by Temporal worker pid (\d+)\)$/.exec(body.greeting);
      expect(match, body.greeting).to.not.equal(null);
      expect(Number(match![1]), 'the activity ran in the Temporal worker process, not in the HTTP worker').to.not.equal(body.httpWorkerPid);
    });
  });
});
