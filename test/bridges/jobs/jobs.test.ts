/**
 * The producer against an in-test rr jobs RPC (jobs.v1 protobuf, rr's error wording); the same
 * calls against the real rr are in test/e2e/jobs-bridge.test.ts.
 */
import { expect } from 'chai';
import { createContainer } from '../../../src/container/index.js';
import {
  JobEncodeError,
  JobPushError,
  Jobs,
  JOBS,
  jobsBindings,
  JobsConfigError,
  JobsConnectionError,
  JobsPipelineNotFoundError,
  JobsRpcError,
} from '../../../src/bridges/jobs/index.js';
import { RpcClient } from '../../../src/runtime/rpc/rpc-client.js';
import { rejection } from '../../support/assertions.js';
import { FakeRrJobs } from './support/fake-rr-jobs.js';

describe('Jobs (producer)', () => {
  let rr: FakeRrJobs;
  let jobs: Jobs;
  beforeEach(async () => {
    rr = await FakeRrJobs.start({ default: 'memory', emails: 'amqp' });
    jobs = new Jobs({ address: rr.address, pipeline: 'default' });
  });
  afterEach(async () => {
    await jobs.close();
    await rr.close();
  });

  it('pushes one job: JSON payload, generated id, options, headers', async () => {
    const id = await jobs.push('mail.send', { to: 'ada@example.com', n: [1, 2] }, { pipeline: 'emails', delay: 60, priority: 3, headers: { tenant: 'acme', trail: ['a', 'b'] }, autoAck: true });
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    const [job] = rr.pushed;
    expect(job!.id).to.equal(id);
    expect(job!.job).to.equal('mail.send');
    expect(JSON.parse(Buffer.from(job!.payload).toString())).to.deep.equal({ to: 'ada@example.com', n: [1, 2] });
    expect({ ...job!.headers }).to.deep.equal({ tenant: ['acme'], trail: ['a', 'b'] });
    expect(job!.options).to.deep.include({ pipeline: 'emails', delay: 60, priority: 3, autoAck: true });
  });

  it('sends bytes as they are, strings as JSON, the default pipeline and a given id', async () => {
    await jobs.push('raw', Buffer.from([1, 2, 3]), { id: 'fixed' });
    await jobs.push('str', 'hello');
    await jobs.push('none');
    expect(rr.pushed.map((job) => [job.id === 'fixed', job.options.pipeline, [...job.payload]])).to.deep.equal([
      [true, 'default', [1, 2, 3]],
      [false, 'default', [...Buffer.from('"hello"')]],
      [false, 'default', []],
    ]);
  });

  it('pushes a batch in one call, with defaults, and returns the ids in order', async () => {
    const ids = await jobs.pushBatch([{ job: 'a', payload: 1 }, { job: 'b', payload: 2, pipeline: 'emails' }], { delay: 5 });
    expect(rr.server.requests.filter((request) => request.method === 'jobs.PushBatch')).to.have.length(1);
    expect(rr.pushed.map((job) => [job.id, job.job, job.options.pipeline, job.options.delay])).to.deep.equal([
      [ids[0], 'a', 'default', 5],
      [ids[1], 'b', 'emails', 5],
    ]);
    expect(await jobs.pushBatch([])).to.deep.equal([]);
  });

  it('pauses, resumes, lists, declares, destroys and reports stats', async () => {
    await jobs.pause('emails');
    expect(rr.pipelines.get('emails')!.paused).to.equal(true);
    await jobs.resume('emails');
    expect(rr.pipelines.get('emails')!.paused).to.equal(false);
    await jobs.declare({ name: 'reports', driver: 'memory', priority: 4, prefetch: 100 });
    expect(rr.pipelines.get('reports')!.options).to.deep.equal({ priority: '4', prefetch: '100' });
    expect(await jobs.list()).to.deep.equal(['default', 'emails', 'reports']);
    await jobs.push('x', {}, { pipeline: 'reports' });
    const stats = await jobs.stat();
    expect(stats.find((stat) => stat.pipeline === 'reports')).to.deep.equal({
      pipeline: 'reports', driver: 'memory', queue: 'reports', active: 1, delayed: 0, reserved: 0, ready: true, priority: 10,
    });
    expect(await jobs.destroy('reports')).to.deep.equal(['reports']);
    expect(await jobs.list()).to.deep.equal(['default', 'emails']);
  });

  it('maps rr’s errors to typed ones: unknown pipeline, refused push, other calls, unreachable rr', async () => {
    const missing = (await rejection(jobs.push('x', {}, { pipeline: 'nope' }))) as JobsPipelineNotFoundError;
    expect(missing).to.be.instanceOf(JobsPipelineNotFoundError);
    expect(missing).to.include({ pipeline: 'nope', method: 'jobs.Push' });
    expect(missing.message).to.equal('rr has no jobs pipeline "nope" (jobs.Push): declare it under jobs.pipelines in .rr.yaml or with Jobs.declare()');
    expect(await rejection(jobs.pause('nope'))).to.be.instanceOf(JobsPipelineNotFoundError);

    rr.failures.set('jobs.Push', 'rpc_push: jobs_plugin_push: amqp: connection refused');
    const refused = (await rejection(jobs.push('x', {}, { id: 'j1' }))) as JobPushError;
    expect(refused).to.be.instanceOf(JobPushError).and.include({ method: 'jobs.Push', pipeline: 'default', jobId: 'j1' });
    expect(refused.message).to.equal('rr refused jobs.Push (pipeline "default"): rpc_push: jobs_plugin_push: amqp: connection refused');

    const exists = await rejection(jobs.declare({ name: 'emails', driver: 'amqp' }));
    expect(exists).to.be.instanceOf(JobsRpcError).and.not.be.instanceOf(JobPushError);

    const unreachable = new Jobs({ address: 'tcp://127.0.0.1:1', pipeline: 'default' });
    expect(await rejection(unreachable.push('x'))).to.be.instanceOf(JobsConnectionError);
    await unreachable.close();
  });

  it('refuses what rr cannot take before sending anything', async () => {
    const bare = new Jobs({ address: rr.address });
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(await rejection(bare.push('x', {}))).to.be.instanceOf(JobsConfigError).with.property('key', 'pipeline');
    expect(await rejection(jobs.push(''))).to.be.instanceOf(JobsConfigError).with.property('key', 'job');
    expect(await rejection(jobs.push('x', {}, { delay: 1.5 }))).to.be.instanceOf(JobsConfigError).with.property('key', 'delay');
    expect(await rejection(jobs.push('x', {}, { id: '' }))).to.be.instanceOf(JobsConfigError).with.property('key', 'id');
    expect(await rejection(jobs.push('x', {}, { headers: { a: 7 as never } }))).to.be.instanceOf(JobsConfigError).with.property('key', 'headers');
    expect(await rejection(jobs.push('x', cyclic))).to.be.instanceOf(JobEncodeError);
    expect(await rejection(jobs.push('x', 10n))).to.be.instanceOf(JobEncodeError);
    expect(await rejection(jobs.push('x', () => 1))).to.be.instanceOf(JobEncodeError);
    expect(rr.server.requests).to.deep.equal([]);
    await bare.close();
  });

  it('leaves a shared RpcClient open on close; is bound in the container as JOBS and Jobs', async () => {
    const rpc = new RpcClient({ address: rr.address });
    const shared = new Jobs({ rpc, pipeline: 'default' });
    await shared.push('a');
    await shared.close();
    await new Jobs({ rpc, pipeline: 'default' }).push('b');
    await rpc.close();

    const container = createContainer({ bindings: [...jobsBindings({ address: rr.address, pipeline: 'default' })] });
    expect(container.get(JOBS)).to.equal(container.get(Jobs));
    await container.get(JOBS).push('c');
    await container.dispose();
    expect(rr.pushed.map((job) => job.job)).to.deep.equal(['a', 'b', 'c']);
  });
});
