/**
 * The jobs bridge under the real `rr serve` v2025.1.15 (issue 12, "Must show" 1), once per
 * driver: `memory`, `amqp` (RabbitMQ at 127.0.0.1:5672) and `nats` (JetStream at 127.0.0.1:4222).
 * The fixture app (test/fixtures/apps/jobs-bridge-app.ts) consumes with jobsMode and records
 * what its handlers see; the test pushes with the `Jobs` producer over rr's RPC, and through the
 * app's HTTP route.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { JobPushError, Jobs, JobsPipelineNotFoundError } from '../../src/bridges/jobs/index.js';
import { rejection } from '../support/assertions.js';
import { send } from './support/http-client.js';
import { jobsYaml, pipelineConfig, readRecords, recordsOf, requireBroker, uniqueName, waitForStat, type JobRecord, type JobsDriver } from './support/jobs-services.js';
import { RrServer } from './support/rr-server.js';

const APP = 'test/fixtures/apps/jobs-bridge-app.ts';
const DRIVERS: readonly JobsDriver[] = ['memory', 'amqp', 'nats'];

const kinds = (records: JobRecord[]) => records.map((record) => `${record.kind}@${record.attempt}`);

for (const driver of DRIVERS) {
  describe(`jobs bridge under the real rr: ${driver} driver`, function () {
    this.timeout(120_000);
    let rr: RrServer;
    let jobs: Jobs;
    let dir: string;
    const main = uniqueName(`${driver}-main`);
    const dlq = uniqueName(`${driver}-dlq`);

    before(async () => {
      await requireBroker(driver);
      dir = mkdtempSync(join(tmpdir(), 'rrr-e2e-jobs-'));
      rr = await RrServer.start({
        app: APP,
        workers: 1,
        env: { JOBS_APP_DIR: dir, JOBS_APP_DLQ: 'dlq', JOBS_APP_MAX_ATTEMPTS: '3' },
        extraYaml: jobsYaml({
          driver,
          workers: 2,
          consume: ['main', 'dlq'],
          pipelines: { main: { driver, config: pipelineConfig(driver, main) }, dlq: { driver, config: pipelineConfig(driver, dlq) } },
        }),
      });
      jobs = new Jobs({ address: rr.rpcAddress, pipeline: 'main' });
    });
    after(async () => {
      await jobs?.close();
      await rr?.stop().catch(() => undefined);
      await rr?.dispose();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
    afterEach(function () {
      if (this.currentTest?.state === 'failed') console.error(`rr logs (last 20,000 characters):\n${rr?.logs.slice(-20_000)}`);
    });

    it('acks a task that returns, with every context field and the headers round trip', async () => {
      const id = await jobs.push('record', { hello: 'wörld' }, { headers: { tenant: 'acme', trail: ['a', 'b'] } });
      const [record] = await recordsOf(dir, id, (found) => found.length > 0, 'the record job handled');
      expect(record).to.include({ kind: 'handled', job: 'record', pipeline: 'main', driver, attempt: 1, payload: '{"hello":"wörld"}' });
      expect(record!.parsed).to.deep.equal({ hello: 'wörld' });
      expect(record!.headers).to.deep.include({ tenant: ['acme'], trail: ['a', 'b'] });
      expect(record!.queue).to.equal(driver === 'memory' ? undefined : main);
      if (driver !== 'nats') {
        // Acked: rr no longer counts it (NATS reports its stream, not in-flight tasks).
        await waitForStat(jobs, 'main', (stat) => stat.active === 0);
      }
      // Nothing redelivered it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(readRecords(dir).filter((entry) => entry.id === id)).to.have.length(1);
    });

    it('requeues a task whose handler throws, counting attempts, until it succeeds', async () => {
      const id = await jobs.push('fail-times', { times: 2 });
      const records = await recordsOf(dir, id, (found) => found.some((record) => record.kind === 'handled'), 'fail-times handled on its third attempt');
      expect(kinds(records)).to.deep.equal(['failed@1', 'failed@2', 'handled@3']);
      expect(records[2]!.headers['x-rr-attempts']).to.deep.equal(['2']);
    });

    it('dead-letters a task once the retry limit is reached, with the error in its headers', async () => {
      const id = await jobs.push('always-fail', {}, { headers: { tenant: 'acme' } });
      const records = await recordsOf(dir, id, (found) => found.some((record) => record.kind === 'dead-lettered'), 'always-fail dead-lettered');
      expect(kinds(records)).to.deep.equal(['failed@1', 'failed@2', 'failed@3', 'dead-lettered@4']);
      const copy = records[3]!;
      expect(copy.pipeline).to.equal('dlq');
      expect(copy.headers).to.deep.include({
        tenant: ['acme'],
        'x-rr-attempts': ['3'],
        'x-rr-error': ['Error: failing on attempt 3'],
        'x-rr-failed-pipeline': ['main'],
      });
    });

    it('never retries a payload its schema rejects: dead-lettered at once, its error naming the fields', async () => {
      const id = await jobs.push('ship', { orderId: 'seven', to: '' });
      const records = await recordsOf(dir, id, (found) => found.length > 0, 'the rejected ship job dead-lettered');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(kinds(readRecords(dir).filter((record) => record.id === id))).to.deep.equal(['dead-lettered@2']);
      expect(records[0]!.headers['x-rr-attempts']).to.deep.equal(['1']);
      expect(records[0]!.headers['x-rr-error']![0]).to.match(/^JobPayloadError: the payload of job "ship" \(id [^)]+\) was rejected by its schema: orderId: .+; to: .+/);
      expect(records[0]!.headers['x-rr-error']![0]).to.not.contain('seven');
    });

    it('honours an explicit nack with requeue and delay', async () => {
      const id = await jobs.push('nack-once', { delay: 2 });
      const records = await recordsOf(dir, id, (found) => found.some((record) => record.kind === 'handled'), 'nack-once redelivered');
      expect(kinds(records)).to.deep.equal(['deferred@1', 'handled@1']);
      // A lower bound only: a loaded machine makes it later, never earlier.
      expect(records[1]!.at - records[0]!.at).to.be.at.least(1900);
    });

    it(`honours an explicit requeue with headers${driver === 'nats' ? ' (NATS cannot delay: requeued at once)' : ' and a delay'}`, async () => {
      const id = await jobs.push('requeue-once', { delay: 2 });
      const records = await recordsOf(dir, id, (found) => found.some((record) => record.kind === 'handled'), 'requeue-once redelivered');
      expect(kinds(records)).to.deep.equal(['deferred@1', 'handled@1']);
      expect(records[1]!.headers['step']).to.deep.equal(['2']);
      if (driver !== 'nats') expect(records[1]!.at - records[0]!.at).to.be.at.least(1900);
    });

    it('runs every task in its own scope, and resets the Resettable singletons after each one', async () => {
      const ids = await jobs.pushBatch(Array.from({ length: 12 }, (_, n) => ({ job: 'record', payload: { n } })));
      for (const id of ids) await recordsOf(dir, id, (found) => found.length > 0, `batch job ${id}`);
      const records = readRecords(dir).filter((record) => record.kind === 'handled' && record.scopeSerial !== undefined);
      for (const record of records) expect(record).to.include({ sameEvent: true, cleanAtStart: true });
      const byPid = new Map<number, JobRecord[]>();
      for (const record of records) byPid.set(record.pid, [...(byPid.get(record.pid) ?? []), record]);
      for (const [pid, ofPid] of byPid) {
        const serials = ofPid.map((record) => record.scopeSerial!);
        expect(new Set(serials).size, `worker ${pid}: one scope per task`).to.equal(serials.length);
        // At least one reset between two of its tasks (other tasks of other jobs run on it too).
        const resets = ofPid.map((record) => record.resetsBefore!);
        for (let i = 1; i < resets.length; i++) expect(resets[i]!, `worker ${pid}: resets`).to.be.above(resets[i - 1]!);
      }
    });

    it(`${driver === 'memory' ? 'drops' : 'redelivers'} a task whose worker is SIGKILLed mid-task (rr nacks it: ${driver === 'memory' ? 'the memory driver drops it' : driver === 'amqp' ? 'requeue_on_fail: true gives it back to RabbitMQ' : 'JetStream redelivers it'})`, async () => {
      const id = await jobs.push('stall-once', {});
      const [started] = await recordsOf(dir, id, (found) => found.length > 0, 'the stalling job started');
      process.kill(started!.pid, 'SIGKILL');
      if (driver === 'memory') {
        await waitForStat(jobs, 'main', (stat) => stat.active === 0);
        await new Promise((resolve) => setTimeout(resolve, 2000));
        expect(kinds(readRecords(dir).filter((record) => record.id === id)), 'never delivered again').to.deep.equal(['started@1']);
        expect(rr.logs).to.contain('job processed with errors');
      } else {
        const records = await recordsOf(dir, id, (found) => found.some((record) => record.kind === 'handled'), 'the killed worker’s task redelivered');
        expect(kinds(records)).to.deep.equal(['started@1', 'handled@1']);
        expect(records[1]!.pid).to.not.equal(started!.pid);
      }
    });

    it('produces with every method: push, pushBatch, pause, resume, list, declare, destroy, stat', async () => {
      expect((await jobs.list()).sort()).to.deep.equal(['dlq', 'main']);
      await waitForStat(jobs, 'main', (stat) => stat.ready);
      const [mainStat] = (await jobs.stat()).filter((stat) => stat.pipeline === 'main');
      expect(mainStat).to.include({ pipeline: 'main', driver, ready: true });

      await jobs.pause('main');
      await waitForStat(jobs, 'main', (stat) => !stat.ready);
      const held = await jobs.push('record', { held: true });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(readRecords(dir).filter((record) => record.id === held), 'consumed while paused').to.deep.equal([]);
      await jobs.resume('main');
      await recordsOf(dir, held, (found) => found.length > 0, 'the held job, after resume');

      const extra = uniqueName(`${driver}-declared`);
      await jobs.declare({ name: 'declared', driver, ...scalarOptions(pipelineConfig(driver, extra)) });
      expect(await jobs.list()).to.include('declared');
      await jobs.resume('declared'); // declared pipelines not under jobs.consume start paused
      const declaredId = await jobs.push('record', { declared: true }, { pipeline: 'declared' });
      const [declaredRecord] = await recordsOf(dir, declaredId, (found) => found.length > 0, 'a job in the declared pipeline');
      expect(declaredRecord!.pipeline).to.equal('declared');
      expect(await jobs.destroy('declared')).to.deep.equal(['declared']);
      expect(await jobs.list()).to.not.include('declared');

      const missing = await rejection(jobs.push('record', {}, { pipeline: 'no-such-pipeline' }));
      expect(missing).to.be.instanceOf(JobsPipelineNotFoundError).and.include({ pipeline: 'no-such-pipeline' });
      if (driver === 'nats') {
        // rr's NATS driver refuses delayed pushes: a typed error, nothing queued.
        expect(await rejection(jobs.push('record', {}, { delay: 5 }))).to.be.instanceOf(JobPushError);
      }
    });

    it('pushes from an HTTP handler through the container’s JOBS producer', async () => {
      const reply = await send(rr.httpUrl, '/push', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ job: 'record', payload: { from: 'http' }, pipeline: 'main' }),
      });
      expect(reply.status).to.equal(200);
      const { id } = JSON.parse(reply.body.toString()) as { id: string };
      const [record] = await recordsOf(dir, id, (found) => found.length > 0, 'the job pushed over HTTP');
      expect(record!.parsed).to.deep.equal({ from: 'http' });
    });

    it('lets a listener take jobs no handler knows (the spec’s JobsRunEvent listener)', async () => {
      const id = await jobs.push('nobody.handles.this', 'x');
      const [record] = await recordsOf(dir, id, (found) => found.length > 0, 'the unknown job seen by the listener');
      expect(record).to.include({ kind: 'seen', payload: '"x"' });
    });
  });
}

/** rr's declare takes string options; our pipeline configs are flat except AMQP's queue_headers. */
function scalarOptions(config: Record<string, unknown>): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))) as Record<
    string,
    string | number | boolean
  >;
}
