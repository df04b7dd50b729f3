/**
 * Activities as container services, run by the SDK's own MockActivityEnvironment (a real activity
 * Context, the real interceptor chain) with the bridge's interceptor and activity functions.
 */
import { CancelledFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { expect } from 'chai';
import type { Container } from '../../../src/container/index.js';
import type { ActivityFunction, IdleResetter } from '../../../src/bridges/temporal/index.js';
import type { GreetingResult } from '../../fixtures/temporal/greeting-activity.js';
import type { CallState } from '../../fixtures/temporal/services.js';
import { fixtureContainer, loadTemporalModules, type TemporalModules } from './support.js';

const silentLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('bridges/temporal activities as container services (MockActivityEnvironment)', () => {
  let modules: TemporalModules;
  let container: Container;
  let activities: Record<string, ActivityFunction>;
  let logs: string[];
  let resetFailures: unknown[];

  before(async () => {
    modules = await loadTemporalModules();
  });
  beforeEach(async () => {
    container = await fixtureContainer(modules);
    container.boot();
    activities = modules.bridge.containerActivities(container.get(modules.bridge.TEMPORAL_SETTINGS).workers[0]!.activities);
    logs = [];
    resetFailures = [];
  });
  afterEach(async () => {
    await container.dispose();
  });

  const servicesResetter = () => new modules.bridge.IdleResetter(() => new modules.container.ServicesResetter(container).reset());

  function environment(resetter: IdleResetter = servicesResetter(), info: Record<string, unknown> = {}) {
    const interceptor = modules.bridge.activityScopeInterceptor({
      container,
      resetter,
      log: (line) => logs.push(line),
      onResetFailure: (error) => resetFailures.push(error),
    });
    return new MockActivityEnvironment({ activityType: 'composeGreeting', ...info }, { interceptors: [interceptor], logger: silentLogger });
  }

  /** Runs one of the bridge's activity functions in `env`, typed by the caller. */
  function run<T>(env: MockActivityEnvironment, activity: ActivityFunction, ...args: unknown[]): Promise<T> {
    return env.run(activity as (...args: unknown[]) => Promise<T>, ...args);
  }

  it('resolves the activity class from the container with its injected dependencies', async () => {
    const result = await run<GreetingResult>(environment(), activities['composeGreeting']!, 'Ada');
    expect(result.greeting).to.equal('Hello, Ada!');
    expect(result.attempt).to.equal(1);
  });

  it('gives every call a scope of its own: a fresh request-scoped instance each time', async () => {
    const env = environment();
    const first = await run<GreetingResult>(env, activities['composeGreeting']!, 'Ada');
    const second = await run<GreetingResult>(env, activities['composeGreeting']!, 'Bob');
    expect(first.callId).to.be.a('string');
    expect(second.callId).to.not.equal(first.callId);
  });

  it('resets the Resettable services after each call', async () => {
    const env = environment();
    const audit = container.get(modules.services.AuditLog);
    expect((await run<GreetingResult>(env, activities['composeGreeting']!, 'Ada')).auditEntries).to.equal(1);
    expect(audit.entries, 'reset after the call').to.deep.equal([]);
    expect((await run<GreetingResult>(env, activities['composeGreeting']!, 'Bob')).auditEntries, 'the second call starts clean').to.equal(1);
    expect(audit.resets).to.equal(2);
  });

  it('never resets under a running call: overlapping calls share one reset, when the last ends', async () => {
    const resetter = servicesResetter();
    const audit = container.get(modules.services.AuditLog);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // A call that stays running until released, writing to the Resettable singleton first.
    const held: ActivityFunction = async (...args) => {
      const result = await activities['composeGreeting']!(...args);
      await gate;
      return result;
    };
    const running = run(environment(resetter), held, 'Ada');
    await new Promise((resolve) => setImmediate(resolve));
    await run(environment(resetter), activities['composeGreeting']!, 'Bob');
    expect(audit.entries, 'not reset while Ada\'s call runs').to.deep.equal(['Ada', 'Bob']);
    expect(audit.resets).to.equal(0);
    release();
    await running;
    expect(audit.entries).to.deep.equal([]);
    expect(audit.resets).to.equal(1);
  });

  it('resolves an overridden dependency, and the original again once the override is restored', async () => {
    const env = environment();
    const handle = container.override(modules.services.Greeter, { useValue: { greet: (name: string) => `Hi ${name}, from a test double` } });
    expect((await run<GreetingResult>(env, activities['composeGreeting']!, 'Ada')).greeting).to.equal('Hi Ada, from a test double');
    handle.restore();
    expect((await run<GreetingResult>(env, activities['composeGreeting']!, 'Ada')).greeting).to.equal('Hello, Ada!');
  });

  it("reaches the call's scope with the cancellation: its services see the abort signal, then the scope is disposed", async () => {
    const env = environment(undefined, { activityType: 'waitForCancellation' });
    const running = run<{ reason: unknown; call: CallState }>(env, activities['waitForCancellation']!);
    await new Promise((resolve) => setTimeout(resolve, 20));
    env.cancel('CANCELLED');
    const { reason, call } = await running;
    expect(reason).to.be.instanceOf(CancelledFailure);
    expect(call.activity.cancellationSignal.aborted).to.equal(true);
    expect(call.disposed, 'the scope was disposed after the call').to.equal(true);
    expect(logs.join('\n')).to.not.contain('failed');
  });

  it('logs a failure with whether Temporal will retry it, and passes the error on unchanged', async () => {
    const env = environment(undefined, { activityType: 'failGreeting', attempt: 1, retryPolicy: { maximumAttempts: 3 } });
    const retryable = await run(env, activities['failGreeting']!, 'Ada', true).catch((error: unknown) => error);
    expect((retryable as Error).message).to.equal('cannot greet Ada yet');
    const refused = await run(env, activities['failGreeting']!, 'Eve', false).catch((error: unknown) => error);
    expect((refused as { nonRetryable?: boolean }).nonRetryable).to.equal(true);
    expect(logs[0]).to.match(/^activity failGreeting \(workflow test test, attempt 1\) failed \(Temporal will retry it\): Error: cannot greet Ada yet$/);
    expect(logs[1]).to.match(/^activity failGreeting \(workflow test test, attempt 1\) failed \(non-retryable, Temporal will not retry it\): ApplicationFailure: Eve must not be greeted$/);
    expect(container.get(modules.services.AuditLog).resets, 'failed calls are reset after too').to.equal(2);
  });

  it('reports a failed reset instead of failing the call that completed', async () => {
    const resetter = new modules.bridge.IdleResetter(() => Promise.reject(new Error('reset exploded')));
    const result = await run<GreetingResult>(environment(resetter), activities['composeGreeting']!, 'Ada');
    expect(result.greeting).to.equal('Hello, Ada!');
    expect(resetFailures.map((error) => (error as Error).message)).to.deep.equal(['reset exploded']);
  });

  it('registers the activity class as a public service, one instance per scope', async () => {
    expect(container.has(modules.GreetingActivity)).to.equal(true);
    expect(() => container.get(modules.GreetingActivity), 'request-scoped: never built from the root').to.throw(/request/);
  });
});
