/** Activity failures reach Sentry (the real @sentry/node, sending to a local envelope server), one isolation scope per call. */
import * as Sentry from '@sentry/node';
import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { expect } from 'chai';
import type { Container } from '../../../src/container/index.js';
import { EnvelopeServer } from '../sentry/envelope-server.js';
import { fixtureContainer, loadTemporalModules, type TemporalModules } from './support.js';

const silentLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('bridges/temporal activity failures in Sentry', () => {
  let server: EnvelopeServer;
  let modules: TemporalModules;
  let container: Container;

  before(async () => {
    modules = await loadTemporalModules();
    server = await EnvelopeServer.start();
    Sentry.init({ dsn: server.dsn, defaultIntegrations: false, sendClientReports: false, enableRuntimeChannelInjection: false });
  });
  after(async () => {
    await Sentry.close(2000);
    await server.close();
  });
  beforeEach(async () => {
    server.reset();
    container = await fixtureContainer(modules);
  });
  afterEach(() => container.dispose());

  function environment(info: Record<string, unknown>) {
    const { bridge } = modules;
    const interceptor = bridge.activityScopeInterceptor({
      container,
      resetter: new bridge.IdleResetter(async () => {}),
      log: () => {},
      onResetFailure: () => {},
      ...sentryReporting(),
    });
    return new MockActivityEnvironment(info, { interceptors: [interceptor], logger: silentLogger });
  }
  let sentryReporting: () => ReturnType<typeof import('../../../src/bridges/temporal/sentry-activity-reporting.js').sentryActivityReporting>;
  before(async () => {
    const { sentryActivityReporting } = await import('../../../src/bridges/temporal/sentry-activity-reporting.js');
    sentryReporting = () => sentryActivityReporting(Sentry, () => {});
  });

  it('captures each failure once, tagged with the activity and whether Temporal will retry it', async () => {
    const info = { activityType: 'chargeCard', attempt: 2, taskQueue: 'billing', workflowType: 'checkout', retryPolicy: { maximumAttempts: 5 } };
    const flaky = async () => {
      throw new Error('gateway timeout');
    };
    const declined = async () => {
      throw ApplicationFailure.nonRetryable('card declined', 'CardDeclined');
    };
    await environment(info).run(flaky).catch(() => undefined);
    await environment(info).run(declined).catch(() => undefined);
    await Sentry.flush(2000);
    const events = await server.waitForEvents(2);
    expect(events.map((event) => event.exception?.values[0]?.value)).to.deep.equal(['gateway timeout', 'card declined']);
    expect(events[0]!.exception?.values[0]?.mechanism).to.deep.equal({ type: modules.bridge.TEMPORAL_ACTIVITY_MECHANISM, handled: false });
    expect(events[0]!.tags).to.include({
      'rr.mode': 'temporal',
      'temporal.activity_type': 'chargeCard',
      'temporal.workflow_type': 'checkout',
      'temporal.task_queue': 'billing',
      'temporal.attempt': '2',
      'temporal.retryable': 'true',
      'temporal.will_retry': 'true',
    });
    expect(events[1]!.tags).to.include({ 'temporal.retryable': 'false', 'temporal.will_retry': 'false' });
  });

  it("keeps what one call sets on Sentry out of the next call's events", async () => {
    const tagsThenFails = (customer: string) => async () => {
      Sentry.setTag('customer', customer);
      throw new Error(`failed for ${customer}`);
    };
    const info = { activityType: 'chargeCard' };
    await environment(info).run(tagsThenFails('ada')).catch(() => undefined);
    await environment(info).run(async () => {
      throw new Error('no tag set here');
    }).catch(() => undefined);
    await Sentry.flush(2000);
    const events = await server.waitForEvents(2);
    expect(events[0]!.tags?.['customer']).to.equal('ada');
    expect(events[1]!.tags, 'the first call’s tag stayed in its own scope').to.not.have.property('customer');
  });

  it('does not report a cancelled call', async () => {
    const env = environment({ activityType: 'waitForCancellation' });
    const signal = env.context.cancellationSignal;
    const running = env.run(async () => {
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      throw signal.reason;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    env.cancel('CANCELLED');
    await running.catch(() => undefined);
    await Sentry.flush(2000);
    expect(server.events()).to.deep.equal([]);
  });
});
