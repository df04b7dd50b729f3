/**
 * Issue 10, "Must show" 4: every key of the runtime config (the spec's bundle config, plus `jobs:`
 * and the Temporal connection keys this runtime adds) has its EFFECT shown when it is set in the
 * config FILE, found the documented ways: `roadrunner.yaml` in the project dir (the worker's
 * working directory) or the file `ROADRUNNER_RUNTIME_CONFIG` names. An unsupported key is an error
 * naming the file and the key.
 *
 * How each key is observed:
 * - `rr_config_path`, `http.*`, `kv.*`: the real worker entry (src/bin/worker.ts) in its own
 *   process, driven like rr drives it (ProcessPeer), serving test/fixtures/apps/config-keys-app.ts,
 *   an app that never reads the config itself. KV values go to an in-test rr KV service (FakeRrKv)
 *   the worker reaches through `RR_RPC`, so the bytes the serializer wrote can be read back.
 * - `centrifugo.lazy_boot`, `jobs.*`: the modes run through `runApp`, which loads the file named
 *   by `ROADRUNNER_RUNTIME_CONFIG` in the env it is given (what the worker entry calls).
 * - `temporal.*`: the file loaded the way the Temporal fixture app loads it, then
 *   `temporalBindings()`; what reaches the SDK (connection options, workers) is checked. The e2e
 *   suite test/e2e/temporal-bridge.test.ts runs workflows on a real Temporal server from
 *   test/fixtures/temporal/roadrunner.yaml (address, taskQueue, workflow, activity).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize as v8Deserialize } from 'node:v8';
import { expect } from 'chai';
import { Unpackr } from 'msgpackr';
import { createContainer, Service } from '../../../src/container/index.js';
import { runApp } from '../../../src/runtime/app/run-app.js';
import { loadRuntimeConfig } from '../../../src/runtime/config/load-runtime-config.js';
import { FrameFlag } from '../../../src/runtime/goridge/flags.js';
import type { Frame } from '../../../src/runtime/goridge/frame.js';
import { decodeHttpResponse, encodeHttpRequest } from '../../../src/bridges/http/proto/http-v1.js';
import { centrifugeMode, decodeProxyResponse, encodeProxyRequest } from '../../../src/bridges/centrifugo/index.js';
import { JobHandler, jobsMode } from '../../../src/bridges/jobs/index.js';
import { jsonSerializer, loadSodiumKeypair, sealedSerializer, writeSodiumKeypair } from '../../../src/bridges/kv/index.js';
import { MemoryPeer } from '../../support/memory-peer.js';
import { ProcessPeer } from '../../support/process-peer.js';
import { FakeRrKv } from '../../bridges/kv/support/fake-rr-kv.js';
import { FakeRrJobs } from '../../bridges/jobs/support/fake-rr-jobs.js';
import { startJobsWorker } from '../../bridges/jobs/support/jobs-worker.js';
import { loadTemporalModules, TEMPORAL_FIXTURES } from '../../bridges/temporal/support.js';

const APP = 'test/fixtures/apps/config-keys-app.ts';

function reply(frame: Frame): { status: number; body: string } {
  const context = frame.payload.subarray(0, frame.options[0]);
  return { status: decodeHttpResponse(context).status, body: frame.payload.subarray(frame.options[0]).toString() };
}

describe('runtime config keys: the effect of each one, set in the config file', function () {
  this.timeout(60_000);
  let dir: string;
  let peer: ProcessPeer | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-config-keys-'));
  });
  afterEach(async () => {
    await peer?.dispose();
    peer = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `files` (path relative to the project dir -> content) into the project dir. */
  function write(files: Record<string, string>): void {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
  }

  /** Starts the worker entry with the project dir as its working directory, and shakes hands. */
  async function startWorker(files: Record<string, string>, env: Record<string, string> = {}): Promise<ProcessPeer> {
    write(files);
    // Not inherited from the shell running the tests: the file is found by convention unless a test
    // names one, and rr is "not running" (no RR_RPC) unless a test starts its KV service.
    peer = await ProcessPeer.spawn({ app: APP, cwd: dir, env: { ROADRUNNER_RUNTIME_CONFIG: '', NODE_ENV: 'test', RR_RPC: '', ...env } });
    await peer.handshake();
    return peer;
  }

  async function request(path: string, method = 'GET', body = ''): Promise<{ status: number; body: string }> {
    const context = encodeHttpRequest({ method, uri: `http://127.0.0.1:8080${path}`, protocol: 'HTTP/1.1', remoteAddr: '127.0.0.1' });
    peer!.request(context, new TextEncoder().encode(body));
    return reply(await peer!.next());
  }

  async function timeline(): Promise<string[]> {
    const answer = await request('/timeline');
    expect(answer.status, answer.body).to.equal(200);
    return JSON.parse(answer.body) as string[];
  }

  describe('finding the file', () => {
    it('reads roadrunner.yaml in the project dir by convention', async () => {
      await startWorker({ 'roadrunner.yaml': 'http:\n  lazy_boot: true\n' });
      expect((await timeline())[0]).to.equal('worker started');
    });

    it('reads the file ROADRUNNER_RUNTIME_CONFIG names instead, relative to the project dir', async () => {
      await startWorker(
        { 'roadrunner.yaml': 'http:\n  lazy_boot: false\n', 'config/runtime.yaml': 'http:\n  lazy_boot: true\n' },
        { ROADRUNNER_RUNTIME_CONFIG: 'config/runtime.yaml' },
      );
      expect((await timeline())[0]).to.equal('worker started');
    });
  });

  describe('http.lazy_boot', () => {
    it('false (the default): singletons built and the kernel booted before the worker tells rr it is ready', async () => {
      await startWorker({ 'roadrunner.yaml': 'http:\n  lazy_boot: false\n' });
      expect(await timeline()).to.deep.equal(['built Database', 'built kernel', 'booted kernel', 'worker started', 'request /timeline']);
    });

    it('true: nothing built or booted before the first request', async () => {
      await startWorker({ 'roadrunner.yaml': 'http:\n  lazy_boot: true\n' });
      expect(await timeline()).to.deep.equal(['worker started', 'built Database', 'built kernel', 'booted kernel', 'request /timeline']);
    });
  });

  describe('http.early_router_initialization', () => {
    it('true: one warm-up request goes through the kernel at boot, before the worker is ready', async () => {
      await startWorker({ 'roadrunner.yaml': 'http:\n  early_router_initialization: true\n' });
      expect(await timeline()).to.deep.equal(['built Database', 'built kernel', 'booted kernel', 'warm-up request', 'worker started', 'request /timeline']);
    });

    it('false: no warm-up request, even in production (where true is the default)', async () => {
      await startWorker({ 'roadrunner.yaml': 'http:\n  early_router_initialization: false\n' }, { NODE_ENV: 'production' });
      expect(await timeline()).to.not.include('warm-up request');
    });
  });

  describe('rr_config_path and kv.auto_register (rr not running: the storages come from the rr config file)', () => {
    const RR_FILE = (names: string[]) => `version: "3"\nkv:\n${names.map((name) => `  ${name}:\n    driver: memory\n    config: {}\n`).join('')}`;

    it('rr_config_path: the storages of the file it names become cache.adapter.rr_kv.NAME (default .rr.yaml)', async () => {
      await startWorker({ 'roadrunner.yaml': 'rr_config_path: deploy/rr.prod.yaml\n', 'deploy/rr.prod.yaml': RR_FILE(['alpha', 'beta']), '.rr.yaml': RR_FILE(['gamma']) });
      expect(JSON.parse((await request('/kv')).body)).to.deep.equal([
        { storage: 'alpha', serializer: 'json' },
        { storage: 'beta', serializer: 'json' },
      ]);
    });

    it('rr_config_path left out: .rr.yaml', async () => {
      await startWorker({ 'roadrunner.yaml': 'http:\n  lazy_boot: false\n', '.rr.yaml': RR_FILE(['gamma']) });
      expect(JSON.parse((await request('/kv')).body)).to.deep.equal([{ storage: 'gamma', serializer: 'json' }]);
    });

    it('kv.auto_register: false registers no cache', async () => {
      await startWorker({ 'roadrunner.yaml': 'kv:\n  auto_register: false\n', '.rr.yaml': RR_FILE(['gamma']) });
      expect(JSON.parse((await request('/kv')).body)).to.deep.equal([]);
    });
  });

  describe('kv.serializer and kv.keypair_path (the values rr stores)', () => {
    let rr: FakeRrKv;
    beforeEach(async () => {
      rr = await FakeRrKv.start({ storages: { local: 'memory' } });
    });
    afterEach(async () => {
      await rr.close();
    });
    const value = { when: 'now', n: [1, 2] };

    async function store(config: string): Promise<{ serializer: string; bytes: Uint8Array }> {
      await startWorker({ 'roadrunner.yaml': config }, { RR_RPC: rr.address });
      const [cache] = JSON.parse((await request('/kv')).body) as Array<{ storage: string; serializer: string }>;
      const put = await request('/kv/local/k', 'PUT', JSON.stringify(value));
      expect(put.status, put.body).to.equal(204);
      return { serializer: cache!.serializer, bytes: rr.entry('local', 'k')!.value };
    }

    it('null (the default): JSON, although msgpackr is installed', async () => {
      const { serializer, bytes } = await store('kv:\n  serializer: null\n');
      expect(serializer).to.equal('json');
      expect(Buffer.from(bytes).toString()).to.equal(JSON.stringify(value));
    });

    it('"v8": node:v8 structured clone bytes', async () => {
      const { serializer, bytes } = await store('kv:\n  serializer: v8\n');
      expect(serializer).to.equal('v8');
      expect(v8Deserialize(bytes)).to.deep.equal(value);
    });

    it('"msgpack": msgpack bytes', async () => {
      const { serializer, bytes } = await store('kv:\n  serializer: msgpack\n');
      expect(serializer).to.equal('msgpack');
      expect(new Unpackr({ structuredClone: true }).unpack(bytes)).to.deep.equal(value);
    });

    it('keypair_path (relative to the project dir): values sealed for that keypair, never stored in clear', async () => {
      const keypair = join(dir, 'secrets', 'kv.key');
      mkdirSync(join(dir, 'secrets'));
      await writeSodiumKeypair(keypair);
      const { serializer, bytes } = await store('kv:\n  keypair_path: secrets/kv.key\n');
      expect(serializer).to.equal('sealed(json)');
      expect(Buffer.from(bytes).includes('now')).to.equal(false);
      expect(sealedSerializer(jsonSerializer, await loadSodiumKeypair(keypair)).deserialize(bytes)).to.deep.equal(value);
    });

    it('keypair_path naming a missing file: the worker answers 503 and the cause names the absolute path', async () => {
      await startWorker({ 'roadrunner.yaml': 'kv:\n  keypair_path: secrets/none.key\n' }, { RR_RPC: rr.address });
      expect((await request('/kv')).status).to.equal(503);
      expect(peer!.stderr).to.contain(`the runtime config could not be applied: KV keypair file ${join(dir, 'secrets', 'none.key')}: does not exist`);
    });
  });

  describe('unsupported keys', () => {
    it('an unknown key fails the boot (503 to every request) with the file, the key and a suggestion', async () => {
      await startWorker({ 'roadrunner.yaml': 'http:\n  lazyboot: true\n' });
      expect(await request('/timeline')).to.deep.equal({ status: 503, body: '503 Service Unavailable\n' });
      expect(peer!.stderr).to.match(/roadrunner\.yaml: http\.lazyboot: unknown key; did you mean "lazy_boot"\?/);
      expect(peer!.stderr).to.not.contain('built Database');
    });

    it('a section the runtime does not have, and the bundle wrapper, are named too', async () => {
      await startWorker({ 'roadrunner.yaml': 'sessions:\n  ttl: 10\n' });
      expect((await request('/timeline')).status).to.equal(503);
      expect(peer!.stderr).to.match(/roadrunner\.yaml: sessions: unknown key/);
      await peer!.dispose();
      await startWorker({ 'roadrunner.yaml': 'fluffy_discord_road_runner:\n  http:\n    lazy_boot: true\n' });
      expect((await request('/timeline')).status).to.equal(503);
      expect(peer!.stderr).to.contain('drop the bundle\'s "fluffy_discord_road_runner:" wrapper');
    });
  });

  describe('centrifugo.lazy_boot (the centrifuge mode through runApp)', () => {
    @Service()
    class Presence {
      static built = 0;
      constructor() {
        Presence.built += 1;
      }
    }

    /** Boots the centrifuge mode with the file; resolves once the worker would shake hands with rr. */
    async function boot(yaml: string) {
      write({ 'centrifugo.yaml': yaml });
      const peer = new MemoryPeer();
      let connected!: () => void;
      const ready = new Promise<void>((resolve) => (connected = resolve));
      const container = createContainer({ services: [Presence] });
      const exit = runApp(
        { modes: { centrifuge: centrifugeMode({ container }) } },
        {
          env: { RR_MODE: 'centrifuge', ROADRUNNER_RUNTIME_CONFIG: join(dir, 'centrifugo.yaml') },
          connect: () => (connected(), peer.transport),
          log: () => {},
          handleSignals: false,
          handleUncaught: false,
        },
      );
      await ready;
      const call = async () => {
        peer.request(JSON.stringify({ type: ['rpc'] }), encodeProxyRequest('rpc', { client: 'c', transport: 'websocket', protocol: 'json', encoding: 'json', method: 'm' } as never), FrameFlag.CODEC_PROTO);
        const [frame] = (await peer.waitForSent(1)).slice(0);
        return decodeProxyResponse('rpc', frame!.payload.subarray(frame!.options[0] ?? 0));
      };
      return { call, stop: () => (peer.controlStop(), exit) };
    }

    it('false: singletons are built before the worker is ready', async () => {
      const before = Presence.built;
      const worker = await boot('centrifugo:\n  lazy_boot: false\n');
      expect(Presence.built - before).to.equal(1);
      await worker.call();
      await worker.stop();
    });

    it('true: nothing is built until the first call', async () => {
      const before = Presence.built;
      const worker = await boot('centrifugo:\n  lazy_boot: true\n');
      expect(Presence.built - before).to.equal(0);
      expect((await worker.call()).error?.code).to.equal(104); // no listener: the documented default
      expect(Presence.built - before).to.equal(1);
      await worker.stop();
    });
  });

  describe('jobs.retry.* and jobs.dead_letter_pipeline (the jobs mode through runApp)', () => {
    @JobHandler({ job: 'fails' })
    @Service()
    class Fails {
      handle(): never {
        throw new Error('always fails');
      }
    }

    it('retries with delay * multiplier^(n-1) capped at max_delay, max_attempts in all, then copies to the dead-letter pipeline and acks', async () => {
      write({
        'jobs.yaml': ['jobs:', '  retry:', '    max_attempts: 4', '    delay: 3', '    multiplier: 5', '    max_delay: 40', '  dead_letter_pipeline: failed', ''].join('\n'),
      });
      const rr = await FakeRrJobs.start({ default: 'memory', failed: 'memory' });
      const worker = startJobsWorker(jobsMode({ container: createContainer({ services: [Fails] }), handlers: [Fails] }), {
        RR_RPC: rr.address,
        ROADRUNNER_RUNTIME_CONFIG: join(dir, 'jobs.yaml'),
      });
      try {
        const replies = [];
        for (let attempt = 0; attempt < 4; attempt++) {
          replies.push(await worker.task({ id: 'j1', job: 'fails', headers: attempt === 0 ? null : { 'x-rr-attempts': [String(attempt)] } }));
        }
        // 3 s, 15 s, then 75 capped to 40; the fourth attempt is the last.
        expect(replies.slice(0, 3).map((reply) => reply.data['delay_seconds'])).to.deep.equal([3, 15, 40]);
        expect(replies[3]).to.deep.equal({ type: 2, data: {} });
        expect(rr.pipelines.get('failed')!.jobs).to.have.length(1);
      } finally {
        await worker.stop();
        await rr.close();
      }
    });
  });

  describe('temporal.* (what temporalBindings hands the SDK)', () => {
    it('address, namespace, api_key, tls and workers.NAME.{taskQueue, workflow, activity}', async () => {
      const modules = await loadTemporalModules();
      write({
        'temporal.yaml': [
          'temporal:',
          '  address: temporal.internal:7233',
          '  namespace: payments',
          '  api_key: ${TEMPORAL_API_KEY}',
          '  tls:',
          '    server_name: temporal.example',
          '  workers:',
          '    default:',
          '      taskQueue: greetings',
          '      workflow: ["./workflows.ts#greetingWorkflow"]',
          '      activity: ["./greeting-activity.ts#GreetingActivity"]',
          '',
        ].join('\n'),
      });
      // Loaded as the Temporal fixture app loads its file; references resolve against its dir.
      const runtimeConfig = await loadRuntimeConfig({ projectDir: TEMPORAL_FIXTURES, env: { ROADRUNNER_RUNTIME_CONFIG: join(dir, 'temporal.yaml'), TEMPORAL_API_KEY: 'k-123' } });
      const bindings = await modules.bridge.temporalBindings({ runtimeConfig, projectDir: TEMPORAL_FIXTURES });
      const container = modules.container.createContainer({ services: modules.services.FIXTURE_SERVICES, bindings });
      const settings = container.get(modules.bridge.TEMPORAL_SETTINGS);
      expect(settings.connection).to.deep.include({ address: 'temporal.internal:7233', namespace: 'payments', apiKey: 'k-123' });
      expect(settings.connection.tls).to.deep.equal({ serverNameOverride: 'temporal.example' });
      expect(settings.workers.map((worker) => [worker.name, worker.taskQueue])).to.deep.equal([['default', 'greetings']]);
      expect(settings.workers[0]!.workflows.map((workflow) => workflow.exportName)).to.deep.equal(['greetingWorkflow']);
      expect(settings.workers[0]!.activities.map((activity) => activity.type)).to.deep.equal([modules.GreetingActivity]);
      // The activity class is a container service, built per call in a request scope.
      expect(container.has(modules.GreetingActivity)).to.equal(true);
      await container.dispose();
    });
  });
});
