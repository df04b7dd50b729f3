/**
 * The example app's jobs under the real rr (example/jobs.ts): a job pushed from an HTTP route is
 * consumed by the app's own `RR_MODE=jobs` worker, which records it in rr KV where the HTTP route
 * reads it back; a payload its schema rejects is logged and never retried.
 */
import { expect } from 'chai';
import { send } from './support/http-client.js';
import { RrServer } from './support/rr-server.js';

const YAML = [
  'kv:',
  '  local: { driver: memory, config: {} }',
  '  sessions: { driver: boltdb, config: { file: sessions.db } }',
  'jobs:',
  '  pool: { num_workers: 1 }',
  '  consume: ["emails"]',
  '  pipelines:',
  '    emails: { driver: memory, config: { priority: 10 } }',
].join('\n');

describe('example app under the real rr: jobs', function () {
  this.timeout(120_000);
  let rr: RrServer;
  before(async () => {
    rr = await RrServer.start({ app: 'example/app.ts', workers: 1, extraYaml: YAML });
  });
  after(async () => {
    await rr?.stop().catch(() => undefined);
    await rr?.dispose();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(`rr logs (last 20,000 characters):\n${rr?.logs.slice(-20_000)}`);
  });

  const push = (body: unknown) =>
    send(rr.httpUrl, '/jobs/welcome', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('pushes a job from an HTTP route and consumes it in the jobs worker', async () => {
    const reply = await push({ to: 'ada@example.com' });
    expect(reply.status).to.equal(202);
    const { queued } = JSON.parse(reply.body.toString()) as { queued: string };
    const deadline = Date.now() + 30_000;
    let sent: Array<{ to: string; id: string; pid: number }> = [];
    while (!sent.some((mail) => mail.id === queued)) {
      if (Date.now() > deadline) throw new Error(`job ${queued} not handled; /jobs/sent: ${JSON.stringify(sent)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      sent = JSON.parse((await send(rr.httpUrl, '/jobs/sent')).body.toString());
    }
    const mail = sent.find((entry) => entry.id === queued)!;
    expect(mail.to).to.equal('ada@example.com');
  });

  it('logs a payload its schema rejects as a permanent failure, once', async () => {
    const { queued } = JSON.parse((await push({ to: 'not-an-email' })).body.toString()) as { queued: string };
    const deadline = Date.now() + 30_000;
    while (!rr.logs.includes(`id ${queued}`)) {
      if (Date.now() > deadline) throw new Error('the rejected job was not logged');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const lines = rr.logs.split('\n').filter((line) => line.includes(`id ${queued}`) && line.includes('failed'));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.contain('a permanent failure, nacked without requeue').and.contain('JobPayloadError').and.not.contain('not-an-email');
  });
});
