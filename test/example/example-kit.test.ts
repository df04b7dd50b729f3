/**
 * The example app tested the way its users would test theirs: with the test kit
 * (roadrunner-runtime/testing), in-process, through the real worker loop, with the services that
 * reach rr overridden. Includes the isolation check in both outcomes: a service that keeps
 * per-request state without being Resettable fails it, the example passes it. The same checks
 * run under node:test (example-kit.node-test.ts, run by the last test here).
 */
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import type { TestWorker } from 'roadrunner-runtime/testing';
import { ROOT } from '../support/process-peer.js';
import type { ExampleFakes } from './support/example-overrides.js';

const EXAMPLE = 'example/app.ts';

// The kit imports the example afresh through import(); mocha loads test files through require when
// it can, which tsx serves from a second copy of every module. The kit and what is handed to it
// (the override tokens) come through import() as well, so both sides share one copy (docs/testing.md).
const { assertIsolated, IsolationError, startTestWorker } = await import('roadrunner-runtime/testing');
const { exampleOverrides } = await import('./support/example-overrides.js');
const { leakyApp } = await import('./support/leaky-app.js');

describe('example app, with the test kit', function () {
  // The first load compiles the example and its dependencies.
  this.timeout(60_000);

  describe('http', () => {
    let worker: TestWorker;
    let fakes: ExampleFakes;
    before(async () => {
      const setup = exampleOverrides();
      fakes = setup.fakes;
      worker = await startTestWorker(EXAMPLE, { mode: 'http', overrides: setup.overrides, http: { remoteAddr: '10.1.2.3' } });
    });
    after(async () => {
      expect(await worker.close()).to.equal(0);
    });

    async function login(user: string): Promise<string> {
      const response = await worker.fetch('/login', { method: 'POST', body: new URLSearchParams({ user }) });
      expect(response.status).to.equal(200);
      return response.headers.getSetCookie()[0]!.split(';')[0]!;
    }

    it('greets with the client address', async () => {
      expect(await (await worker.fetch('/')).text()).to.match(/behind RoadRunner; you are 10\.1\.2\.3\n$/);
    });

    it('keeps two users apart through login, whoami and logout', async () => {
      const ada = await login('ada');
      const bob = await login('bob');
      expect(await (await worker.fetch('/me', { headers: { cookie: ada } })).json()).to.deep.equal({ user: 'ada' });
      expect(await (await worker.fetch('/me', { headers: { cookie: bob } })).json()).to.deep.equal({ user: 'bob' });
      expect((await worker.fetch('/logout', { method: 'POST', headers: { cookie: ada } })).status).to.equal(204);
      expect(await (await worker.fetch('/me', { headers: { cookie: ada } })).json()).to.deep.equal({ user: null });
    });

    it('is isolated: a login and whoami as one user shows nothing of the user before', async () => {
      await assertIsolated(
        async (user) => {
          const cookie = await login(user);
          return worker.fetch('/me', { headers: { cookie } });
        },
        { label: 'POST /login, GET /me' },
      );
    });

    it('resets its Resettable counter after every request', async () => {
      for (let i = 0; i < 3; i++) expect(await (await worker.fetch('/stats')).json()).to.include({ queriesThisRequest: 3 });
    });

    it('counts visits in the overridden KV cache, streams the countdown, pushes a job and publishes a chat message', async () => {
      await worker.fetch('/visits', { method: 'POST' });
      expect(await (await worker.fetch('/visits', { method: 'POST' })).json()).to.include({ visits: 2 });
      expect(fakes.kv.get('visits')).to.equal(2);

      expect(await (await worker.fetch('/countdown')).text()).to.equal('5...\n4...\n3...\n2...\n1...\nlift-off\n');

      const queued = await worker.fetch('/jobs/welcome', { method: 'POST', body: JSON.stringify({ to: 'ada@example.com' }), headers: { 'content-type': 'application/json' } });
      expect([queued.status, await queued.json()]).to.deep.equal([202, { queued: 'job-1' }]);
      expect(fakes.pushed).to.deep.equal([{ job: 'mail.welcome', payload: { to: 'ada@example.com' } }]);

      const chat = await worker.fetch('/chat/lobby', { method: 'POST', body: JSON.stringify({ text: 'hi' }), headers: { 'content-type': 'application/json' } });
      expect(chat.status).to.equal(202);
      expect(fakes.published).to.deep.equal([{ channel: 'chat:lobby', data: { text: 'hi', from: 'http' } }]);
    });
  });

  describe('jobs', () => {
    it('acks a welcome mail and records it; nacks a payload that fails the schema without retrying', async () => {
      const { fakes, overrides } = exampleOverrides();
      await using worker = await startTestWorker(EXAMPLE, { mode: 'jobs', overrides });
      expect(await worker.job({ job: 'mail.welcome', id: 'j1', payload: { to: 'ada@example.com' } })).to.deep.equal({ type: 'ack' });
      expect(fakes.kv.get('jobs:welcome-sent')).to.deep.equal([{ to: 'ada@example.com', id: 'j1', pid: process.pid }]);
      const refused = await worker.job({ job: 'mail.welcome', payload: { to: '' } });
      expect(refused).to.deep.include({ type: 'nack', requeue: false });
    });
  });

  describe('centrifuge', () => {
    it('authenticates demo tokens, and is isolated between connections', async () => {
      await using worker = await startTestWorker(EXAMPLE, { mode: 'centrifuge', overrides: exampleOverrides().overrides });
      expect((await worker.centrifugo('connect', { data: { token: 'demo-token-ada' } })).result?.user).to.equal('ada');
      expect((await worker.centrifugo('connect', { data: { token: 'guess' } })).disconnect?.code).to.equal(3507);
      await assertIsolated((token) => worker.centrifugo('connect', { data: { token } }), {
        identities: [
          { send: 'demo-token-ada', shows: 'ada' },
          { send: 'demo-token-bob', shows: 'bob' },
        ],
      });
    });
  });

  describe('isolation, both outcomes', () => {
    const profile = (worker: TestWorker) => (user: string) => worker.fetch('/profile', { headers: { 'x-user': user } });

    it('fails for a service that keeps per-request state without being Resettable', async () => {
      await using worker = await startTestWorker(leakyApp({ resettable: false }), { mode: 'http' });
      let failure: unknown;
      await assertIsolated(profile(worker)).catch((error: unknown) => (failure = error));
      expect(failure).to.be.instanceOf(IsolationError);
      expect((failure as Error).message).to.match(/state leaked between units of work: the second unit \(as "second-\w+"\) shows "first-\w+"/);
    });

    it('passes for the same service declared Resettable', async () => {
      await using worker = await startTestWorker(leakyApp({ resettable: true }), { mode: 'http' });
      await assertIsolated(profile(worker));
    });
  });

  it('passes the same checks under node:test (node --import tsx --test)', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', 'test/example/example-kit.node-test.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).to.equal(0);
    expect(output, output).to.match(/^# pass 4$/m);
    expect(output, output).to.match(/^# fail 0$/m);
  });
});
