/**
 * The Sentry bridge against the real `@sentry/node` SDK (no mocks): it is initialised once for this
 * file (one client per process is how the SDK is meant to run) with a DSN pointing at a local
 * envelope recorder, and each test gets a fresh recording.
 *
 * Init choices, so the SDK cannot disturb mocha or the other suites sharing this process:
 * - `defaultIntegrations: false`: no global `uncaughtException`/`unhandledRejection` handlers, no
 *   console or http instrumentation; every event here comes from the bridge or the test itself.
 * - `sendClientReports: false`: no client-report envelopes or interval timer.
 * - `enableRuntimeChannelInjection: false`: no module-load hooks for auto-instrumentation.
 * The SDK still installs its AsyncLocalStorage context strategy, which is what isolation relies on.
 */
import { modeContext } from '../../support/mode-context.js';
import { expect } from 'chai';
import * as Sentry from '@sentry/node';
import { createContainer, type RequestScope } from '../../../src/container/index.js';
import type { Kernel } from '../../../src/runtime/kernel.js';
import type { ModeContext, ModeFactory, WorkerApp } from '../../../src/runtime/app/define-app.js';
import { EventDispatcher } from '../../../src/runtime/events/event-dispatcher.js';
import { WorkerErrorEvent } from '../../../src/runtime/events/lifecycle-events.js';
import { HTTP_KERNEL, httpMode, httpRequestBinding } from '../../../src/bridges/http/kernel/index.js';
import {
  InvalidSentryModuleError,
  loadSentry,
  SentryMechanism,
  SentryNotInstalledError,
  SentryOptionsError,
  withSentry,
  withSentryApp,
  type SentryOptions,
} from '../../../src/bridges/sentry/index.js';
import { EnvelopeServer, type RecordedEvent } from './envelope-server.js';
import { startApp } from './support.js';

/** A kernel that tags each request with its `?user=` and throws on `/fail`. */
function taggingKernel(): Kernel<RequestScope> {
  return {
    async boot() {},
    async handle(request) {
      const url = new URL(request.url);
      const user = url.searchParams.get('user');
      if (user) {
        Sentry.setTag('user', user);
        Sentry.setUser({ id: user });
      }
      if (url.searchParams.has('vip')) Sentry.setTag('vip', user ?? 'anonymous');
      Sentry.addBreadcrumb({ message: `visited ${url.pathname} as ${user ?? 'nobody'}` });
      if (url.pathname === '/fail') throw new Error(`failed for ${user ?? 'nobody'}`);
      return new Response(`ok ${user ?? ''}`);
    },
  };
}

function httpApp(options: SentryOptions & { events?: EventDispatcher } = {}): WorkerApp {
  const container = createContainer({ bindings: [httpRequestBinding, { id: HTTP_KERNEL, useValue: taggingKernel() }] });
  const { events, ...sentryOptions } = options;
  return { modes: { http: withSentry(httpMode({ container, earlyRouterInitialization: false }), { sentry: Sentry, ...sentryOptions }) }, events };
}

/** A jobs-like mode written directly against ModeWorker: tags each job, throws or reports for some. */
const jobsFactory: ModeFactory = (context: ModeContext) => ({
  async handle(unit) {
    const { id, job } = JSON.parse(unit.context.toString()) as { id: string; job: string };
    Sentry.setTag('job.id', id);
    if (id === '1') Sentry.setTag('first-only', 'yes');
    Sentry.addBreadcrumb({ message: `job ${id} started` });
    if (job === 'explode') throw new Error(`job ${id} exploded`);
    if (job === 'nack') {
      await context.reportError(new Error(`job ${id} nacked`));
      return unit.respond(Buffer.from('{"type":3,"data":{"requeue":false}}'));
    }
    await unit.respond(Buffer.from('{"type":2,"data":{}}'));
  },
  async afterUnit(unit) {
    const { id, job } = JSON.parse(unit.context.toString()) as { id: string; job: string };
    if (job === 'reset-fails') throw new Error(`reset after job ${id} failed`);
  },
});

const messageOf = (event: RecordedEvent) => event.exception?.values[0]?.value;
const mechanismOf = (event: RecordedEvent) => event.exception?.values[0]?.mechanism?.type;
const breadcrumbsOf = (event: RecordedEvent) => (event.breadcrumbs ?? []).map((crumb) => crumb.message);

describe('Sentry bridge (real @sentry/node, local envelope endpoint)', () => {
  let server: EnvelopeServer;

  before(async () => {
    server = await EnvelopeServer.start();
    Sentry.init({ dsn: server.dsn, defaultIntegrations: false, sendClientReports: false, enableRuntimeChannelInjection: false });
  });

  after(async () => {
    await Sentry.close(2000);
    await server.close();
  });

  beforeEach(() => server.reset());

  it('sends one event per failing HTTP request, each with only that request’s tags, user and breadcrumbs', async () => {
    const app = startApp(httpApp(), 'http');
    const statuses = [
      (await app.http('/ok?user=alice&vip=1')).status,
      (await app.http('/fail?user=bob')).status,
      (await app.http('/fail')).status,
      (await app.http('/ok?user=dave&vip=1')).status,
      (await app.http('/fail?user=erin')).status,
    ];
    expect(await app.stop()).to.equal(0);
    expect(statuses).to.deep.equal([200, 500, 500, 200, 500]);

    // Read right after stop: the flush on stop delivered them, no waiting here.
    const events = server.events();
    expect(events.map(messageOf)).to.deep.equal(['failed for bob', 'failed for nobody', 'failed for erin']);
    const [bob, nobody, erin] = events as [RecordedEvent, RecordedEvent, RecordedEvent];

    expect(bob.tags).to.include({ user: 'bob', 'rr.mode': 'http' });
    expect(nobody.tags).to.not.have.property('user');
    expect(erin.tags).to.include({ user: 'erin' });
    for (const event of events) {
      expect(event.tags, 'a tag set by a successful request earlier on the same worker').to.not.have.property('vip');
      expect(mechanismOf(event)).to.equal(SentryMechanism.reported);
    }
    expect((nobody as { user?: unknown }).user).to.equal(undefined);
    expect((erin as { user?: { id: string } }).user).to.deep.equal({ id: 'erin' });
    expect(breadcrumbsOf(bob)).to.deep.equal(['visited /fail as bob']);
    expect(breadcrumbsOf(nobody)).to.deep.equal(['visited /fail as nobody']);
    expect(breadcrumbsOf(erin)).to.deep.equal(['visited /fail as erin']);
    expect(erin.contexts?.roadrunner).to.include({ mode: 'http', worker_pid: process.pid });
  });

  it('is needed: without it, a naive WorkerErrorEvent → captureException carries earlier requests’ tags', async () => {
    // The control for the test above: the same app, reported without per-unit isolation scopes.
    // It runs inside an isolation scope of its own so that what leaks here stays here.
    await Sentry.withIsolationScope(async () => {
      const events = new EventDispatcher();
      events.addListener(WorkerErrorEvent, (event) => void Sentry.captureException(event.error));
      const container = createContainer({ bindings: [httpRequestBinding, { id: HTTP_KERNEL, useValue: taggingKernel() }] });
      const app = startApp({ modes: { http: httpMode({ container, earlyRouterInitialization: false }) }, events }, 'http');
      await app.http('/ok?user=alice&vip=1');
      await app.http('/fail');
      await app.stop();
    });
    await Sentry.flush(2000);
    const [event] = server.events();
    expect(messageOf(event!)).to.equal('failed for nobody');
    expect(event!.tags).to.include({ user: 'alice', vip: 'alice' });
  });

  it('describes the HTTP request by method and URL only, unless told otherwise', async () => {
    const header = { Cookie: ['session=s3cr3t'], Authorization: ['Bearer t0ken'], 'User-Agent': ['probe/1.0'] };
    const plain = startApp(httpApp(), 'http');
    await plain.http('/fail?user=erin&token=query-secret', header);
    await plain.stop();
    const [event] = server.events();
    expect(event!.request).to.deep.equal({ method: 'GET', url: 'http://localhost/fail' });
    const wire = JSON.stringify(server.envelopes);
    for (const secret of ['s3cr3t', 't0ken', 'query-secret', 'probe/1.0']) expect(wire).to.not.contain(secret);

    server.reset();
    const detailed = startApp(httpApp({ httpRequest: { query: true, headers: ['User-Agent', 'cookie', 'authorization'] } }), 'http');
    await detailed.http('/fail?user=erin&token=query-secret', header);
    await detailed.stop();
    const [verbose] = server.events();
    expect(verbose!.request).to.deep.equal({
      method: 'GET',
      url: 'http://localhost/fail',
      query_string: 'user=erin&token=query-secret',
      headers: { 'user-agent': 'probe/1.0' },
    });
    expect(JSON.stringify(server.envelopes)).to.not.contain('s3cr3t').and.not.contain('t0ken');
  });

  it('isolates and captures in every mode: a jobs worker’s throws, reported nacks and afterUnit failures', async () => {
    const booting: ModeFactory = (context) => {
      Sentry.setTag('set-at-boot', 'yes'); // boot runs in its own scope: this must not reach the units
      return jobsFactory(context);
    };
    const app = startApp({ modes: { jobs: withSentry(booting, { sentry: Sentry }) } }, 'jobs');
    const replies = [
      await app.job('ok', '1'),
      await app.job('explode', '2'),
      await app.job('nack', '3'),
      await app.job('reset-fails', '4'),
    ];
    await app.stop();
    expect(replies[0]).to.deep.equal({ reply: '{"type":2,"data":{}}' });
    expect(replies[1]).to.deep.equal({ error: 'Error: job 2 exploded' });

    const events = server.events();
    expect(events.map(messageOf)).to.deep.equal(['job 2 exploded', 'job 3 nacked', 'reset after job 4 failed']);
    expect(events.map(mechanismOf)).to.deep.equal([SentryMechanism.unit, SentryMechanism.reported, SentryMechanism.afterUnit]);
    expect(events.map((event) => event.tags?.['job.id'])).to.deep.equal(['2', '3', '4']);
    for (const event of events) {
      expect(event.tags).to.include({ 'rr.mode': 'jobs' });
      expect(event.tags).to.not.have.property('first-only');
      expect(event.tags).to.not.have.property('set-at-boot');
    }
    // afterUnit re-entered job 4's own scope: its breadcrumb is there, no other job's.
    expect(breadcrumbsOf(events[2]!)).to.deep.equal(['job 4 started']);
    expect(events[0]!.contexts?.job).to.deep.equal({ id: '2', job: 'explode', pipeline: 'default', driver: 'memory', queue: 'default' });
  });

  it('captures each error once although WorkerErrorEvent listeners still receive it (and capture it too)', async () => {
    const events = new EventDispatcher();
    const seen: unknown[] = [];
    events.addListener(WorkerErrorEvent, (event) => {
      seen.push(event.error);
      Sentry.captureException(event.error);
    });
    const app = startApp(httpApp({ events }), 'http');
    await app.http('/fail?user=bob');
    await app.http('/fail?user=carol');
    await app.stop();
    expect(seen.map((error) => (error as Error).message)).to.deep.equal(['failed for bob', 'failed for carol']);
    expect(server.events().map(messageOf)).to.deep.equal(['failed for bob', 'failed for carol']);
  });

  it('delivers the events through the flush on stop: the worker does not exit before Sentry got them', async () => {
    server.hold();
    const app = startApp(httpApp({ flushTimeout: 10_000 }), 'http');
    await app.http('/fail?user=bob');
    await app.http('/fail?user=carol');
    await server.waitForEvents(2); // received, but their responses are held: not yet delivered for the SDK
    const stopping = app.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.isSettled(), 'the worker stopped before its events were delivered').to.equal(false);
    server.release();
    expect(await stopping).to.equal(0);
    expect(app.logs.join('\n')).to.not.contain('flushTimeout');
  });

  it('bounds the flush on stop by flushTimeout', async () => {
    server.hold();
    const app = startApp(httpApp({ flushTimeout: 150 }), 'http');
    await app.http('/fail?user=bob');
    await server.waitForEvents(1);
    expect(await app.stop()).to.equal(0);
    expect(app.logs.join('\n')).to.contain('did not deliver every event within flushTimeout (150 ms) when the worker stopped');
    server.release();
    await Sentry.flush(2000);
  });

  it('captures a boot failure once, tagged as boot, and delivers it before serving the error', async () => {
    const failing: ModeFactory = () => {
      throw new Error('database unreachable');
    };
    const app = startApp({ modes: { http: withSentry(failing, { sentry: Sentry }) } }, 'http');
    const first = await app.unit('{}');
    expect(first[0]!.payload.toString()).to.contain('database unreachable');
    // Flushed at boot, before the first unit was even read.
    expect(server.events().map(messageOf)).to.deep.equal(['database unreachable']);
    await app.unit('{}');
    await app.stop();
    const events = server.events();
    expect(events).to.have.length(1);
    expect(mechanismOf(events[0]!)).to.equal(SentryMechanism.boot);
    expect(events[0]!.tags).to.include({ 'rr.phase': 'boot', 'rr.mode': 'http' });
  });

  it('does not report a unit rr stopped (the client went away)', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const streaming: ModeFactory = () => ({
      async handle(unit) {
        started();
        await new Promise((resolve) => unit.signal.addEventListener('abort', resolve));
        throw new Error('aborted by the client');
      },
    });
    const app = startApp({ modes: { jobs: withSentry(streaming, { sentry: Sentry }) } }, 'jobs');
    const reply = app.unit('{}');
    await running;
    app.peer.streamStop();
    await reply;
    await app.stop();
    expect(server.events()).to.deep.equal([]);
  });

  it('imports @sentry/node itself when no module is given, and reports through the client the app initialised', async () => {
    const app = startApp({ modes: { jobs: withSentry(jobsFactory) } }, 'jobs');
    await app.job('explode', '7');
    await app.stop();
    expect(server.events().map(messageOf)).to.deep.equal(['job 7 exploded']);
  });

  it('withSentryApp wraps every mode and keeps the app’s events', async () => {
    const events = new EventDispatcher();
    const wrapped = withSentryApp({ modes: { jobs: jobsFactory, http: httpApp().modes.http! }, events }, { sentry: Sentry });
    expect(wrapped.events).to.equal(events);
    expect(Object.keys(wrapped.modes)).to.deep.equal(['jobs', 'http']);
    const app = startApp(wrapped, 'jobs');
    await app.job('explode', '8');
    await app.job('ok', '9');
    await app.stop();
    expect(server.events().map((event) => event.tags?.['job.id'])).to.deep.equal(['8']);
  });

  describe('configuration errors', () => {
    const context: ModeContext = modeContext({ mode: 'jobs' });

    it('names @sentry/node when it is not installed, only once the integration boots', async () => {
      const error = await loadSentry('@sentry/not-installed-here').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(SentryNotInstalledError);
      expect((error as SentryNotInstalledError).code).to.equal('ERR_SENTRY_NOT_INSTALLED');
      expect((error as Error).message).to.contain('npm install @sentry/not-installed-here');
    });

    it('refuses an object that is not the SDK namespace, naming what is missing', async () => {
      const factory = withSentry(jobsFactory, { sentry: { captureException: () => '' } as never });
      const error = await Promise.resolve(factory(context)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(InvalidSentryModuleError);
      expect((error as InvalidSentryModuleError).missing).to.include('withIsolationScope').and.include('flush').and.not.include('captureException');
    });

    it('rejects invalid options when the mode is declared', () => {
      expect(() => withSentry(jobsFactory, { flushTimeout: -1 })).to.throw(SentryOptionsError, 'flushTimeout');
      expect(() => withSentry(jobsFactory, { httpRequest: { headers: 'user-agent' as never } })).to.throw(SentryOptionsError, 'httpRequest.headers');
    });
  });
});
