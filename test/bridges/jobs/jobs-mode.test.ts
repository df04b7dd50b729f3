/**
 * jobsMode driven through runApp and the worker loop by an in-memory rr peer: outcomes, the retry
 * policy, dead-lettering (against an in-test rr jobs RPC), routing, listeners, scopes and resets.
 * The same behaviours under the real rr are in test/e2e/jobs-bridge.test.ts.
 */
import { expect } from 'chai';
import { z } from 'zod';
import { createContainer, Inject, Service } from '../../../src/container/index.js';
import { AsEventListener } from '../../../src/runtime/events/as-event-listener.js';
import { EventDispatcher } from '../../../src/runtime/events/event-dispatcher.js';
import {
  JobAlreadyAnsweredError,
  JobDecodeError,
  JobHandler,
  JobPayloadError,
  JOBS_RUN_EVENT,
  jobsMode,
  JobsRunEvent,
  jobsRunEventBinding,
  PermanentJobError,
  UnhandledJobError,
  type JobsModeOptions,
} from '../../../src/bridges/jobs/index.js';
import { FakeRrJobs } from './support/fake-rr-jobs.js';
import { startJobsWorker } from './support/jobs-worker.js';

const ACK = { type: 2, data: {} };

/** What handlers saw, shared by the test classes below. */
const seen: Array<{ name: string; payload: unknown; attempt: number }> = [];

@JobHandler({ job: 'ok' })
@Service({ scope: 'request' })
class OkHandler {
  handle(payload: unknown, event: JobsRunEvent): void {
    seen.push({ name: event.name, payload, attempt: event.attempt });
  }
}

@JobHandler({ job: 'boom' })
@Service()
class BoomHandler {
  handle(): never {
    throw new Error('boom');
  }
}

@JobHandler({ job: 'order.ship', schema: z.object({ orderId: z.number().int(), to: z.string().min(1) }) })
@Service()
class ShipOrder {
  handle(payload: { orderId: number; to: string }): void {
    seen.push({ name: 'order.ship', payload, attempt: 0 });
  }
}

@JobHandler({ job: 'explicit' })
@Service()
class ExplicitHandler {
  handle(payload: { do: string; delay?: number; then?: string }, event: JobsRunEvent): void {
    if (payload.do === 'ack') event.ack();
    if (payload.do === 'nack') event.nack(new Error('not today'), { requeue: true, delay: payload.delay });
    if (payload.do === 'drop') event.nack('bad data');
    if (payload.do === 'requeue') event.requeue({ delay: payload.delay, headers: { step: '2', trail: ['a', 'b'] }, message: 'later' });
    if (payload.do === 'twice') {
      event.ack();
      event.nack('second thoughts');
    }
    if (payload.then === 'throw') throw new Error('after deciding');
  }
}

@JobHandler({ job: 'permanent' })
@Service()
class PermanentHandler {
  handle(): never {
    throw new PermanentJobError('order 7 no longer exists');
  }
}

@JobHandler({ job: 'text', payload: 'text' })
@JobHandler({ job: 'bytes', payload: 'bytes' })
@Service()
class RawHandler {
  handle(payload: string | Uint8Array, event: JobsRunEvent): void {
    seen.push({ name: event.name, payload: typeof payload === 'string' ? payload : [...payload], attempt: event.attempt });
  }
}

function container(...services: Array<abstract new (...args: never[]) => object>) {
  return createContainer({ services: [OkHandler, BoomHandler, ShipOrder, ExplicitHandler, PermanentHandler, RawHandler, ...services], bindings: [jobsRunEventBinding] });
}

function worker(options: Partial<JobsModeOptions> = {}, env: NodeJS.ProcessEnv = {}) {
  return startJobsWorker(
    jobsMode({ container: container(), handlers: [OkHandler, BoomHandler, ShipOrder, ExplicitHandler, PermanentHandler, RawHandler], ...options }),
    env,
  );
}

describe('jobsMode', () => {
  beforeEach(() => (seen.length = 0));

  describe('outcomes', () => {
    it('acks a task whose handler returns, exactly as PHP workers do: {"type":2,"data":{}}', async () => {
      const app = worker();
      const reply = await app.task({ id: 'a1', job: 'ok' }, '{"n":1}');
      await app.stop();
      expect(reply).to.deep.equal(ACK);
      expect(seen).to.deep.equal([{ name: 'ok', payload: { n: 1 }, attempt: 1 }]);
    });

    it('requeues a task whose handler throws, counting the attempt in x-rr-attempts, with backoff', async () => {
      const app = worker({ retry: { maxAttempts: 5, delay: 2, multiplier: 3, maxDelay: 10 } });
      const first = await app.task({ id: 'b1', job: 'boom' });
      const second = await app.task({ id: 'b1', job: 'boom', headers: { 'x-rr-attempts': ['1'], tenant: ['acme'] } });
      const third = await app.task({ id: 'b1', job: 'boom', headers: { 'x-rr-attempts': ['2'] } });
      const capped = await app.task({ id: 'b1', job: 'boom', headers: { 'x-rr-attempts': ['3'] } });
      await app.stop();
      expect(first).to.deep.equal({ type: 4, data: { message: 'Error: boom', delay_seconds: 2, headers: { 'x-rr-attempts': ['1'] } } });
      // Only the changed header is sent: rr merges it into the task's own (tenant stays).
      expect(second).to.deep.equal({ type: 4, data: { message: 'Error: boom', delay_seconds: 6, headers: { 'x-rr-attempts': ['2'] } } });
      expect(third.data).to.include({ delay_seconds: 10 });
      expect(capped.data).to.include({ delay_seconds: 10 });
      expect(app.logs.join('\n')).to.contain('job "boom" (id b1, pipeline default, driver memory) failed (attempt 1 of 5; retried in 2 s)');
      expect(app.reported).to.have.length(4);
    });

    it('nacks without requeue once the attempts are used up (no dead-letter pipeline)', async () => {
      const app = worker({ retry: { maxAttempts: 3 } });
      const reply = await app.task({ id: 'c1', job: 'boom', headers: { 'x-rr-attempts': ['2'] } });
      await app.stop();
      expect(reply).to.deep.equal({ type: 3, data: { message: 'Error: boom', requeue: false, delay_seconds: 0 } });
      expect(app.logs.join('\n')).to.contain('failed (attempt 3 of 3; no attempts left, nacked without requeue)');
    });

    it('treats a header it did not write (not a count) as no attempt yet, so retries still end', async () => {
      const app = worker({ retry: { maxAttempts: 2 } });
      const replies = [
        await app.task({ job: 'boom', headers: { 'x-rr-attempts': ['lots'] } }),
        await app.task({ job: 'boom', headers: { 'x-rr-attempts': ['-1'] } }),
      ];
      await app.stop();
      expect(replies.map((reply) => reply.data['headers'])).to.deep.equal([{ 'x-rr-attempts': ['1'] }, { 'x-rr-attempts': ['1'] }]);
    });

    it('takes explicit ack, nack (with requeue and delay) and requeue (with delay and headers)', async () => {
      const app = worker();
      const replies = [
        await app.task({ job: 'explicit' }, '{"do":"ack"}'),
        await app.task({ job: 'explicit' }, '{"do":"nack","delay":2.5}'),
        await app.task({ job: 'explicit' }, '{"do":"drop"}'),
        await app.task({ job: 'explicit' }, '{"do":"requeue","delay":30}'),
      ];
      await app.stop();
      expect(replies).to.deep.equal([
        ACK,
        // rr's delay is whole seconds (Go int): rounded up, never earlier than asked.
        { type: 3, data: { message: 'Error: not today', requeue: true, delay_seconds: 3 } },
        { type: 3, data: { message: 'bad data', requeue: false, delay_seconds: 0 } },
        { type: 4, data: { message: 'later', delay_seconds: 30, headers: { step: ['2'], trail: ['a', 'b'] } } },
      ]);
    });

    it('keeps an explicit outcome when the handler throws afterwards, and refuses a second decision', async () => {
      const app = worker();
      const afterAck = await app.task({ id: 'd1', job: 'explicit' }, '{"do":"ack","then":"throw"}');
      const twice = await app.task({ id: 'd2', job: 'explicit' }, '{"do":"twice"}');
      await app.stop();
      expect(afterAck).to.deep.equal(ACK);
      expect(twice).to.deep.equal(ACK);
      expect(app.reported[0]).to.be.instanceOf(Error).with.property('message', 'after deciding');
      expect(app.reported[1]).to.be.instanceOf(JobAlreadyAnsweredError);
      expect((app.reported[1] as Error).message).to.equal('cannot nack job "explicit" (id d2): it was already acked');
      expect(app.logs.join('\n')).to.contain('job "explicit" (id d1, pipeline default, driver memory) threw after it was acked; that outcome stands');
    });

    it('never retries a PermanentJobError', async () => {
      const app = worker({ retry: { maxAttempts: 10 } });
      const reply = await app.task({ job: 'permanent' });
      await app.stop();
      expect(reply).to.deep.equal({ type: 3, data: { message: 'PermanentJobError: order 7 no longer exists', requeue: false, delay_seconds: 0 } });
      expect(app.logs.join('\n')).to.contain('(attempt 1 of 10; a permanent failure, nacked without requeue)');
    });
  });

  describe('payloads', () => {
    it('validates a payload with the handler’s zod schema and gives the handler zod’s output', async () => {
      const app = worker();
      const ok = await app.task({ job: 'order.ship' }, '{"orderId":7,"to":"Ada","extra":"dropped by zod"}');
      await app.stop();
      expect(ok).to.deep.equal(ACK);
      expect(seen).to.deep.equal([{ name: 'order.ship', payload: { orderId: 7, to: 'Ada' }, attempt: 0 }]);
    });

    it('fails a payload its schema rejects for good (never retried), naming where, never the values', async () => {
      const app = worker({ retry: { maxAttempts: 10 } });
      const reply = await app.task({ id: 's1', job: 'order.ship' }, '{"orderId":"secret-value-7","to":""}');
      const notJson = await app.task({ id: 's2', job: 'order.ship' }, 'secret not json');
      await app.stop();
      expect(reply.type).to.equal(3);
      expect(reply.data).to.include({ requeue: false });
      const error = app.reported[0] as JobPayloadError;
      expect(error).to.be.instanceOf(JobPayloadError);
      expect(error.issues.map((issue) => issue.path)).to.deep.equal(['orderId', 'to']);
      expect(error.message).to.match(/^the payload of job "order\.ship" \(id s1\) was rejected by its schema: orderId: .+; to: .+/);
      expect(notJson.type).to.equal(3);
      expect(app.reported[1]).to.be.instanceOf(JobPayloadError);
      expect((app.reported[1] as Error).message).to.contain('not JSON');
      expect(app.logs.join('\n') + JSON.stringify(reply) + JSON.stringify(notJson)).to.not.contain('secret');
      expect(seen).to.deep.equal([]);
    });

    it('hands text and bytes payloads over as such when the handler asks', async () => {
      const app = worker();
      await app.task({ job: 'text' }, 'plain ü text');
      await app.task({ job: 'bytes' }, Buffer.from([0, 255, 7]));
      await app.stop();
      expect(seen.map(({ name, payload }) => ({ name, payload }))).to.deep.equal([
        { name: 'text', payload: 'plain ü text' },
        { name: 'bytes', payload: [0, 255, 7] },
      ]);
    });
  });

  describe('routing and listeners', () => {
    it('logs a task no listener or handler takes and applies the retry policy to it', async () => {
      const app = worker({ retry: { maxAttempts: 2 } });
      const first = await app.task({ id: 'u1', job: 'nobody.knows' });
      const last = await app.task({ id: 'u1', job: 'nobody.knows', headers: { 'x-rr-attempts': ['1'] } });
      await app.stop();
      expect(first.type).to.equal(4);
      expect(last).to.deep.include({ type: 3 });
      expect(app.reported[0]).to.be.instanceOf(UnhandledJobError);
      expect((app.reported[0] as Error).message).to.equal(
        'no JobsRunEvent listener and no job handler for job "nobody.knows" (id u1, pipeline default); registered: "ok", "boom", "order.ship", "explicit", "permanent", "text", "bytes"',
      );
    });

    it('dispatches JobsRunEvent to @AsEventListener classes resolved from the task’s scope, then runs the routed handler', async () => {
      const calls: string[] = [];
      @AsEventListener({ event: JobsRunEvent, method: 'handleJob', priority: 10 })
      @Service({ scope: 'request' })
      class AuditListener {
        static instances = 0;
        readonly n = ++AuditListener.instances;
        handleJob(event: JobsRunEvent): void {
          calls.push(`audit#${this.n} ${event.name} ${event.id}`);
        }
      }
      @AsEventListener({ event: JobsRunEvent })
      @Service()
      class GateListener {
        onJobsRunEvent(event: JobsRunEvent): void {
          calls.push(`gate ${event.name}`);
          if (event.header('skip') === 'yes') event.stopPropagation();
        }
      }
      const events = new EventDispatcher();
      events.addListener(JobsRunEvent, (event) => void calls.push(`plain ${event.name}`), -5);
      const app = startJobsWorker(
        jobsMode({ container: container(AuditListener, GateListener), handlers: [OkHandler], listeners: [AuditListener, GateListener], events }),
      );
      const replies = [await app.task({ id: '1', job: 'ok' }), await app.task({ id: '2', job: 'ok', headers: { skip: ['yes'] } }), await app.task({ id: '3', job: 'other' })];
      await app.stop();
      expect(replies).to.deep.equal([ACK, ACK, ACK]);
      expect(calls).to.deep.equal(['audit#1 ok 1', 'gate ok', 'plain ok', 'audit#2 ok 2', 'gate ok', 'audit#3 other 3', 'gate other', 'plain other']);
      // The handler ran for the first task only: the second was stopped, the third has no route (a listener took it).
      expect(seen.map((entry) => entry.name)).to.deep.equal(['ok']);
    });

    it('lets a listener decide the outcome, and then skips the handler', async () => {
      @AsEventListener({ event: JobsRunEvent })
      @Service()
      class Deferrer {
        onJobsRunEvent(event: JobsRunEvent): void {
          if (event.name === 'ok') event.requeue({ delay: 60 });
        }
      }
      const app = startJobsWorker(jobsMode({ container: container(Deferrer), handlers: [OkHandler], listeners: [Deferrer] }));
      const reply = await app.task({ job: 'ok' });
      await app.stop();
      expect(reply).to.deep.equal({ type: 4, data: { message: '', delay_seconds: 60, headers: {} } });
      expect(seen).to.deep.equal([]);
    });

    it('exposes every field of rr’s context: id, name, pipeline, driver, queue, headers, Kafka’s topic/partition/offset', async () => {
      let captured: JobsRunEvent | undefined;
      @AsEventListener({ event: JobsRunEvent })
      @Service()
      class Capture {
        onJobsRunEvent(event: JobsRunEvent): void {
          captured = event;
        }
      }
      const app = startJobsWorker(jobsMode({ container: container(Capture), listeners: [Capture] }));
      await app.task(
        { id: 'k1', job: 'kafka.job', driver: 'kafka', pipeline: 'events', queue: 'orders', topic: 'orders', partition: 3, offset: 9007199254740991, headers: { a: ['1', '2'], b: [] } },
        '{"x":[1,2]}',
      );
      await app.stop();
      const event = captured!;
      expect([event.id, event.name, event.pipeline, event.driver, event.queue]).to.deep.equal(['k1', 'kafka.job', 'events', 'kafka', 'orders']);
      expect(event.headers).to.deep.equal({ a: ['1', '2'], b: [] });
      expect(event.header('a')).to.equal('1');
      expect(event.kafka).to.deep.equal({ topic: 'orders', partition: 3, offset: 9007199254740991 });
      expect(event.text).to.equal('{"x":[1,2]}');
      expect(event.json()).to.deep.equal({ x: [1, 2] });
      expect(event.attempt).to.equal(1);
    });
  });

  describe('scopes and resets', () => {
    it('runs every task in its own scope and resets the Resettable singletons once per task', async () => {
      const log: string[] = [];
      @Service({ resettable: true })
      class Counter {
        count = 0;
        resets = 0;
        reset(): void {
          this.count = 0;
          this.resets += 1;
        }
      }
      @Service({ scope: 'request' })
      class TaskState {
        static made = 0;
        readonly n = ++TaskState.made;
        constructor(@Inject(JOBS_RUN_EVENT) readonly event: JobsRunEvent) {}
        [Symbol.dispose](): void {
          log.push(`dispose state#${this.n} of ${this.event.id}`);
        }
      }
      @JobHandler({ job: 'count' })
      @Service({ scope: 'request' })
      class CountHandler {
        constructor(
          @Inject(Counter) private readonly counter: Counter,
          @Inject(TaskState) private readonly state: TaskState,
        ) {}
        handle(_payload: unknown, event: JobsRunEvent): void {
          this.counter.count += 1;
          expect(this.state.event).to.equal(event);
          log.push(`task ${event.id}: count ${this.counter.count}, state#${this.state.n}, resets so far ${this.counter.resets}`);
          if (event.id === '2') throw new Error('fails, still reset');
        }
      }
      const app = startJobsWorker(
        jobsMode({ container: createContainer({ services: [Counter, TaskState, CountHandler], bindings: [jobsRunEventBinding] }), handlers: [CountHandler] }),
      );
      for (const id of ['1', '2', '3']) await app.task({ id, job: 'count' });
      await app.stop();
      expect(log).to.deep.equal([
        'task 1: count 1, state#1, resets so far 0',
        'dispose state#1 of 1',
        'task 2: count 1, state#2, resets so far 1',
        'dispose state#2 of 2',
        'task 3: count 1, state#3, resets so far 2',
        'dispose state#3 of 3',
      ]);
    });
  });

  describe('dead-letter pipeline and NATS retries (against an in-test rr jobs RPC)', () => {
    let rr: FakeRrJobs;
    beforeEach(async () => (rr = await FakeRrJobs.start({ default: 'memory', failed: 'memory', events: 'nats' })));
    afterEach(() => rr.close());

    it('moves a task whose attempts are used up to the dead-letter pipeline, with the error in its headers, then acks it', async () => {
      const app = worker({ retry: { maxAttempts: 2 }, deadLetterPipeline: 'failed' }, { RR_RPC: rr.address });
      const reply = await app.task({ id: 'e1', job: 'boom', headers: { 'x-rr-attempts': ['1'], tenant: ['acme'] } }, '{"keep":"me"}');
      await app.stop();
      expect(reply).to.deep.equal(ACK);
      const [copy] = rr.pipelines.get('failed')!.jobs;
      expect([copy!.id, copy!.job, Buffer.from(copy!.payload).toString()]).to.deep.equal(['e1', 'boom', '{"keep":"me"}']);
      expect(copy!.headers).to.deep.include({ tenant: ['acme'], 'x-rr-attempts': ['2'], 'x-rr-error': ['Error: boom'], 'x-rr-failed-pipeline': ['default'] });
      expect(Date.parse(copy!.headers['x-rr-failed-at']![0]!)).to.be.closeTo(Date.now(), 60_000);
      expect(app.logs.join('\n')).to.contain('no attempts left, moved to the dead-letter pipeline "failed"');
    });

    it('dead-letters permanent failures and rejected payloads at once', async () => {
      const app = worker({ deadLetterPipeline: 'failed' }, { RR_RPC: rr.address });
      await app.task({ id: 'p1', job: 'permanent' });
      await app.task({ id: 'p2', job: 'order.ship' }, '{}');
      await app.stop();
      expect(rr.pipelines.get('failed')!.jobs.map((job) => [job.id, job.headers['x-rr-attempts']])).to.deep.equal([
        ['p1', ['1']],
        ['p2', ['1']],
      ]);
    });

    it('nacks a task that fails in the dead-letter pipeline itself instead of copying it there again', async () => {
      const app = worker({ retry: { maxAttempts: 1 }, deadLetterPipeline: 'failed' }, { RR_RPC: rr.address });
      const reply = await app.task({ id: 'l1', job: 'boom', pipeline: 'failed' });
      await app.stop();
      expect(reply).to.deep.equal({ type: 3, data: { message: 'Error: boom', requeue: false, delay_seconds: 0 } });
      expect(rr.pushed).to.deep.equal([]);
      expect(app.logs.join('\n')).to.contain('nacked without requeue (it is in the dead-letter pipeline already)');
    });

    it('requeues (delayed) instead of dropping when the dead-letter pipeline refuses the task', async () => {
      const app = worker({ retry: { maxAttempts: 1, delay: 4 }, deadLetterPipeline: 'missing' }, { RR_RPC: rr.address });
      const reply = await app.task({ id: 'f1', job: 'boom' });
      await app.stop();
      expect(reply).to.deep.equal({ type: 3, data: { message: 'Error: boom', requeue: true, delay_seconds: 4 } });
      expect(app.logs.join('\n')).to.contain('the dead-letter pipeline "missing" refused it; requeued in 4 s');
    });

    it('on NATS (whose requeue drops headers) retries by pushing a copy with the attempt count, then acks', async () => {
      const app = worker({ retry: { maxAttempts: 3 } }, { RR_RPC: rr.address });
      const reply = await app.task({ id: 'n1', job: 'boom', driver: 'nats', pipeline: 'events', queue: 'stream', headers: { tenant: ['acme'] } }, '{"n":1}');
      rr.failures.set('jobs.Push', 'nats: connection closed');
      const fallback = await app.task({ id: 'n2', job: 'boom', driver: 'nats', pipeline: 'events', headers: null });
      await app.stop();
      expect(reply).to.deep.equal(ACK);
      const [copy] = rr.pipelines.get('events')!.jobs;
      expect([copy!.id, copy!.job, copy!.options.pipeline, Buffer.from(copy!.payload).toString()]).to.deep.equal(['n1', 'boom', 'events', '{"n":1}']);
      expect(copy!.headers).to.deep.equal({ tenant: ['acme'], 'x-rr-attempts': ['1'] });
      // The copy could not be pushed: the driver redelivers the original rather than lose it.
      expect(fallback).to.deep.equal({ type: 3, data: { message: 'Error: boom', requeue: true, delay_seconds: 1 } });
    });
  });

  describe('tasks it cannot serve', () => {
    it('nacks a task whose context is not rr’s with a typed error, never an empty or malformed reply', async () => {
      const app = worker();
      const replies = [
        await app.task('not json', 'x'),
        await app.task('{"id":"","job":"ok"}'),
        await app.task('{"id":"x1","job":"ok","headers":{"a":"not a list"}}'),
        await app.task('[1,2]'),
      ];
      await app.stop();
      for (const reply of replies) expect(reply).to.deep.include({ type: 3 }).and.have.nested.property('data.requeue', false);
      expect(app.reported.map((error) => (error as JobDecodeError).field)).to.deep.equal(['', 'id', 'headers', '']);
      for (const error of app.reported) expect(error).to.be.instanceOf(JobDecodeError);
    });

    it('answers every task with a delayed requeue when it cannot boot, logging the cause once', async () => {
      @JobHandler({ job: 'orphan' })
      class NotInContainer {
        handle(): void {}
      }
      const app = startJobsWorker(jobsMode({ container: createContainer({}), handlers: [NotInContainer] }));
      const replies = [await app.task({ job: 'orphan' }), await app.task({ job: 'orphan' })];
      await app.stop();
      expect(replies).to.deep.equal([
        { type: 3, data: { message: 'the jobs worker failed to boot', requeue: true, delay_seconds: 5 } },
        { type: 3, data: { message: 'the jobs worker failed to boot', requeue: true, delay_seconds: 5 } },
      ]);
      const bootLines = app.logs.filter((line) => line.includes('failed to boot'));
      expect(bootLines).to.have.length(1);
      expect(bootLines[0]).to.contain('job handler NotInContainer is not registered in the container');
    });

    it('refuses bad options at boot: a retry policy out of range, two handlers for one job', async () => {
      @JobHandler({ job: 'ok' })
      @Service()
      class SecondOk {
        handle(): void {}
      }
      const bad = startJobsWorker(jobsMode({ container: container(), retry: { maxAttempts: 0 } }));
      const twice = startJobsWorker(jobsMode({ container: container(SecondOk), handlers: [OkHandler, SecondOk] }));
      await bad.task({ job: 'ok' });
      await twice.task({ job: 'ok' });
      await Promise.all([bad.stop(), twice.stop()]);
      expect(bad.logs.join('\n')).to.contain('invalid jobs option retry.maxAttempts: expected a whole number of attempts >= 1, got 0');
      expect(twice.logs.join('\n')).to.contain('job "ok" has two handlers: OkHandler and SecondOk');
    });
  });

  it('reads jobs.retry and jobs.dead_letter_pipeline from the runtime config; options in code win', async () => {
    const rr = await FakeRrJobs.start({ default: 'memory', dlq: 'memory' });
    try {
      const config = { jobs: { retry: { max_attempts: 2, delay: 7, multiplier: 1, max_delay: 100 }, dead_letter_pipeline: 'dlq' } };
      const handlers = [BoomHandler];
      const fromConfig = startJobsWorker(jobsMode({ container: container(), handlers }), { RR_RPC: rr.address }, config);
      const first = await fromConfig.task({ id: 'r1', job: 'boom' });
      const last = await fromConfig.task({ id: 'r1', job: 'boom', headers: { 'x-rr-attempts': ['1'] } });
      await fromConfig.stop();
      expect(first.data).to.include({ delay_seconds: 7 });
      expect(last).to.deep.equal(ACK);
      expect(rr.pipelines.get('dlq')!.jobs).to.have.length(1);

      const overridden = startJobsWorker(jobsMode({ container: container(), handlers, retry: { delay: 1 }, deadLetterPipeline: null }), { RR_RPC: rr.address }, config);
      const again = await overridden.task({ id: 'r2', job: 'boom' });
      const dropped = await overridden.task({ id: 'r2', job: 'boom', headers: { 'x-rr-attempts': ['1'] } });
      await overridden.stop();
      expect(again.data).to.include({ delay_seconds: 1 });
      expect(dropped).to.deep.include({ type: 3 });
      expect(rr.pipelines.get('dlq')!.jobs).to.have.length(1);
    } finally {
      await rr.close();
    }
  });
});
