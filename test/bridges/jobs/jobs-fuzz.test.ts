/**
 * Fuzzes the jobs bridge (issue 12, "Must show" 4): well over 100,000 task contexts, valid for
 * every driver, mutated (bytes flipped, cut short, fields of the wrong type, hostile headers) and
 * random, each with a random handler behaviour (return, throw anything, explicit ack/nack/requeue
 * with good and bad delays and headers, deciding twice, a schema failure, a dead-letter or NATS
 * retry push that rr accepts or refuses).
 *
 * - `decodeTask` on every context: a task of the right shape, or a `JobDecodeError`, nothing else.
 * - `TaskContextScanner` (the worker's fast path) on every context, as UTF-8 and as Latin-1: the
 *   task `decodeTask` builds, or nothing (it leaves the context to `decodeTask`); never another task.
 * - The worker loop with jobsMode on the same contexts (sequentially, so a hang stalls the test):
 *   every task gets exactly one reply, and that reply is what rr's jobs protocol reads as intended
 *   (JSON `{type: 2|3|4, data: {...}}` with the field types Go unmarshals), never empty, never an
 *   ERROR frame.
 *
 * Seeded: rerun a failure with JOBS_FUZZ_SEED=<seed from the suite title>.
 */
import { randomInt } from 'node:crypto';
import { expect } from 'chai';
import { z } from 'zod';
import { createContainer, Service } from '../../../src/container/index.js';
import { AsEventListener } from '../../../src/runtime/events/as-event-listener.js';
import { decodeTask, JobDecodeError, JobHandler, jobsMode, JobsRunEvent, PermanentJobError, type ReceivedTask } from '../../../src/bridges/jobs/index.js';
import { prng } from '../../support/prng.js';
import { TaskContextScanner } from '../../../src/bridges/jobs/task-context-scanner.js';
import { FakeRrJobs } from './support/fake-rr-jobs.js';
import { startJobsWorker, type JobsReply } from './support/jobs-worker.js';

const SEED = process.env.JOBS_FUZZ_SEED ? Number(process.env.JOBS_FUZZ_SEED) : randomInt(2 ** 31);
const CASES = Number(process.env.JOBS_FUZZ_CASES ?? 100_000);
/**
 * Every case goes through the decoder; one in this many also goes through the whole worker (the
 * mode, the handlers, rr's RPC for dead letters) to its reply: a round trip costs milliseconds, so
 * all 100,000 would take minutes.
 */
const WORKER_EVERY = Number(process.env.JOBS_FUZZ_WORKER_EVERY ?? 10);
const random = prng(SEED);
const int = (max: number) => Math.floor(random() * max);
const chance = (p: number) => random() < p;
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

const DRIVERS = ['memory', 'amqp', 'nats', 'kafka', 'sqs', 'beanstalk', 'boltdb', 'google_pub_sub', ''];
const STRINGS = ['', 'a', 'ü€😀', '\u0000', '\ud800', '__proto__', 'constructor', 'x'.repeat(300), '"quoted"', '\\', 'null'];
const BEHAVIOURS = [
  'return', 'throw', 'throw-permanent', 'throw-string', 'throw-undefined', 'throw-cyclic', 'ack', 'nack', 'nack-requeue', 'nack-bad-delay',
  'requeue', 'requeue-bad-headers', 'requeue-bad-delay', 'twice', 'ack-then-throw', 'stop', 'reject-later',
] as const;

function text(): string {
  return chance(0.5) ? pick(STRINGS) : Math.random().toString(36).slice(2, 2 + int(12));
}

function wrongValue(): unknown {
  return pick<unknown>([null, 7, -1.5, 1e308, true, [], ['a', 1], {}, { a: ['b'] }, 'str', [null], { x: null }]);
}

function headers(): unknown {
  if (chance(0.2)) return null;
  const result: Record<string, unknown> = {};
  for (let n = int(4); n > 0; n--) result[text()] = chance(0.97) ? Array.from({ length: int(3) }, text) : chance(0.5) ? null : wrongValue();
  if (chance(0.05)) result['stop'] = ['1'];
  if (chance(0.2)) result['x-rr-attempts'] = [pick(['0', '1', '2', '3', '99', '-1', 'x', '1.5', ''])];
  return result;
}

/** A context as some driver writes it, then (maybe) broken. */
function context(behaviour: string): string {
  if (chance(0.02)) return Buffer.from(Array.from({ length: int(60) }, () => int(256))).toString('latin1');
  const fields: Record<string, unknown> = {
    id: chance(0.99) ? `id-${int(1000)}` : wrongValue(),
    job: chance(0.98) ? pick(['fuzz', 'fuzz.schema', 'nobody', behaviour]) : wrongValue(),
    driver: pick(DRIVERS),
    headers: headers(),
    pipeline: chance(0.98) ? pick(['default', 'failed', 'events', 'gone']) : wrongValue(),
  };
  if (chance(0.5)) fields['queue'] = chance(0.97) ? text() : wrongValue();
  if (chance(0.2)) Object.assign(fields, { topic: text(), partition: chance(0.8) ? int(100) : wrongValue(), offset: chance(0.8) ? int(2 ** 40) : wrongValue() });
  if (chance(0.05)) delete fields[pick(['id', 'job', 'driver', 'headers', 'pipeline'])];
  if (chance(0.03)) fields[text()] = wrongValue();
  let json = JSON.stringify(fields);
  if (chance(0.06)) {
    const bytes = Buffer.from(json);
    const mutation = int(4);
    if (mutation === 0) bytes[int(bytes.length)] = int(256);
    else if (mutation === 1) return bytes.subarray(0, int(bytes.length)).toString('latin1');
    else if (mutation === 2) json = json.replace(/"[a-z]+":/, `"${text()}":`);
    else json = `${json}${pick(['}', ',', ' ', 'x', '\n'])}`;
    return mutation === 0 ? bytes.toString('latin1') : json;
  }
  return json;
}

function fail(message: string): never {
  throw new Error(message);
}

function tryDecode(context: Buffer, body: Buffer): ReceivedTask | undefined {
  try {
    return decodeTask(context, body);
  } catch {
    return undefined;
  }
}

const isWholeSeconds = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
const isStringList = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * A reply rr's jobs protocol reads as intended: the types Go's json.Unmarshal needs for each field.
 * (Plain checks, not chai: this runs 100,000 times.)
 */
function checkReply(reply: JobsReply, where: () => string): void {
  const { type, data } = reply;
  if (type === 2) return;
  if (typeof data['message'] !== 'string') fail(`${where()}: message ${JSON.stringify(data['message'])}`);
  if (!isWholeSeconds(data['delay_seconds'])) fail(`${where()}: delay_seconds ${JSON.stringify(data['delay_seconds'])}`);
  if (type === 3 && typeof data['requeue'] !== 'boolean') fail(`${where()}: requeue ${JSON.stringify(data['requeue'])}`);
  if (type === 4) {
    const headers = data['headers'];
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || !Object.values(headers).every(isStringList)) {
      fail(`${where()}: headers ${JSON.stringify(headers)}`);
    }
  }
}

/** The scanner's task for a context, against decodeTask's (`expected`; undefined when it threw). */
function checkScanned(scanned: ReceivedTask | undefined, expected: ReceivedTask | undefined, where: () => string): void {
  if (scanned === undefined) return;
  if (expected === undefined) fail(`${where()}: the scanner read a task decodeTask rejects: ${JSON.stringify(scanned)}`);
  for (const key of ['id', 'job', 'pipeline', 'driver', 'queue', 'topic', 'partition', 'offset', 'payload'] as const) {
    if (!Object.is(scanned[key], expected[key])) fail(`${where()}: the scanner read ${key} ${String(scanned[key])}, decodeTask ${String(expected[key])}`);
  }
  if (JSON.stringify(scanned.headers) !== JSON.stringify(expected.headers) || Object.getPrototypeOf(scanned.headers) !== Object.getPrototypeOf(expected.headers)) {
    fail(`${where()}: the scanner read headers ${JSON.stringify(scanned.headers)}, decodeTask ${JSON.stringify(expected.headers)}`);
  }
}

function checkTask(task: ReceivedTask, where: () => string): void {
  const ok =
    typeof task.id === 'string' &&
    task.id !== '' &&
    typeof task.job === 'string' &&
    typeof task.pipeline === 'string' &&
    typeof task.driver === 'string' &&
    (task.queue === undefined || typeof task.queue === 'string') &&
    Object.values(task.headers).every(isStringList) &&
    [task.partition, task.offset].every((value) => value === undefined || Number.isInteger(value));
  if (!ok) fail(`${where()}: decoded into a malformed task ${JSON.stringify(task)}`);
}

@JobHandler({ job: 'fuzz' })
@JobHandler({ job: 'fuzz.schema', schema: z.object({ n: z.number() }) })
@Service()
class FuzzHandler {
  async handle(payload: { do?: string; delay?: number }, event: JobsRunEvent): Promise<void> {
    switch (payload.do) {
      case 'throw': throw new Error('fuzz');
      case 'throw-permanent': throw new PermanentJobError('fuzz');
      case 'throw-string': throw 'a string';
      case 'throw-undefined': throw undefined;
      case 'throw-cyclic': {
        const error: Record<string, unknown> = { name: 'Cyclic' };
        error['self'] = error;
        throw error;
      }
      case 'ack': return event.ack();
      case 'nack': return event.nack('fuzz');
      case 'nack-requeue': return event.nack(new Error('fuzz'), { requeue: true, delay: payload.delay });
      case 'nack-bad-delay': return event.nack('fuzz', { requeue: true, delay: pick([NaN, -1, Infinity, '5' as never]) });
      case 'requeue': return event.requeue({ delay: payload.delay, headers: { a: 'b', c: ['d', 'e'], ['__proto__']: 'p' } });
      case 'requeue-bad-headers': return event.requeue({ headers: pick([{ a: 1 }, { a: [null] }, [], 'x'] as never) });
      case 'requeue-bad-delay': return event.requeue({ delay: -5 });
      case 'twice':
        event.requeue();
        return event.ack();
      case 'ack-then-throw':
        event.ack();
        throw new Error('after');
      case 'reject-later':
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error('later');
      default:
    }
  }
}

@AsEventListener({ event: JobsRunEvent })
@Service()
class StopListener {
  onJobsRunEvent(event: JobsRunEvent): void {
    if (event.header('stop') !== undefined) event.stopPropagation();
  }
}

describe(`jobs bridge fuzz (JOBS_FUZZ_SEED=${SEED})`, function () {
  this.timeout(600_000);
  let rr: FakeRrJobs;
  before(async () => (rr = await FakeRrJobs.start({ default: 'memory', failed: 'memory', events: 'nats' })));
  after(() => rr.close());

  it(`decodes ${CASES.toLocaleString('en')} contexts into a task or a JobDecodeError, and the worker answers every ${WORKER_EVERY === 1 ? '' : `${WORKER_EVERY}th `}one with one well-formed reply`, async () => {
    const app = startJobsWorker(
      jobsMode({
        container: createContainer({ services: [FuzzHandler, StopListener] }),
        handlers: [FuzzHandler],
        listeners: [StopListener],
        retry: { maxAttempts: 3, delay: 0.5 },
        deadLetterPipeline: 'failed',
      }),
      { RR_RPC: rr.address },
    );
    const counts = { tasks: 0, decodeErrors: 0, scanned: 0, ack: 0, nack: 0, requeue: 0 };
    const scanner = new TaskContextScanner();
    for (let n = 0; n < CASES; n++) {
      const behaviour = pick(BEHAVIOURS);
      const ctx = context(behaviour);
      const payload = chance(0.05) ? Buffer.from([int(256), int(256)]) : JSON.stringify(chance(0.1) ? { n: 'bad' } : { do: behaviour, n, delay: chance(0.5) ? random() * 10 : undefined });
      // rr refusing pushes now and then: dead-letter and NATS retries must still answer well.
      if (n % 1000 === 0) rr.failures.set('jobs.Push', 'rpc_push: broker down');
      if (n % 1000 === 500) rr.failures.delete('jobs.Push');

      const where = () => `case ${n} (${behaviour}, context ${JSON.stringify(ctx).slice(0, 300)})`;
      let task: ReceivedTask | undefined;
      try {
        task = decodeTask(Buffer.from(ctx, 'latin1'), Buffer.from(payload));
      } catch (error) {
        if (!(error instanceof JobDecodeError)) fail(`${where()}: decodeTask threw ${String(error)}`);
        counts.decodeErrors += 1;
      }
      if (task) {
        checkTask(task, where);
        counts.tasks += 1;
      }
      const body = Buffer.from(payload);
      const scanned = scanner.scan(Buffer.from(ctx, 'latin1'), body);
      checkScanned(scanned, task && { ...task, payload: body }, where);
      if (scanned) counts.scanned += 1;
      const utf8 = Buffer.from(ctx, 'utf8');
      checkScanned(scanner.scan(utf8, body), tryDecode(utf8, body), where);

      if (n % WORKER_EVERY !== 0) continue;
      app.peer.request(Buffer.from(ctx, 'latin1'), payload);
      const reply = await app.next();
      checkReply(reply, where);
      counts[reply.type === 2 ? 'ack' : reply.type === 3 ? 'nack' : 'requeue'] += 1;
      if (app.logs.length > 1000) app.logs.length = 0;
      if (app.reported.length > 1000) app.reported.length = 0;
    }
    expect(await app.stop()).to.equal(0);
    expect(app.peer.sent.length).to.equal(Math.ceil(CASES / WORKER_EVERY));
    console.log(`      ${JSON.stringify(counts)}`);
    // Every path was taken.
    for (const [key, count] of Object.entries(counts)) expect(count, key).to.be.above(CASES / WORKER_EVERY / 100);
  });
});
