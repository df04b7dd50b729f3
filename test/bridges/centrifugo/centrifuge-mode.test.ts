/**
 * centrifugeMode in-process: the worker loop, the container and the event dispatcher are real; rr
 * is played by an in-memory goridge peer (the e2e suite runs the real rr and Centrifugo).
 */
import { expect } from 'chai';
import * as Sentry from '@sentry/node';
import { createContainer, Inject, Service } from '../../../src/container/index.js';
import { defineApp, type WorkerApp } from '../../../src/runtime/app/define-app.js';
import { AsEventListener } from '../../../src/runtime/events/as-event-listener.js';
import { EventDispatcher } from '../../../src/runtime/events/event-dispatcher.js';
import { WorkerErrorEvent } from '../../../src/runtime/events/lifecycle-events.js';
import { withSentry } from '../../../src/bridges/sentry/index.js';
import {
  CENTRIFUGO_EVENT,
  centrifugoBindings,
  CentrifugoClientError,
  centrifugeMode,
  decodeProxyResponse,
  ConnectEvent,
  InvalidEvent,
  RPCEvent,
  SubscribeEvent,
  type AnyCentrifugoEvent,
  type CentrifugeModeOptions,
} from '../../../src/bridges/centrifugo/index.js';
import { EnvelopeServer } from '../sentry/envelope-server.js';
import { json, startCentrifugeApp, text } from './support.js';

/** Per event: the caller, from the event bound in the event's scope. */
@Service({ scope: 'request' })
class Caller {
  static created = 0;
  constructor(@Inject(CENTRIFUGO_EVENT) readonly event: AnyCentrifugoEvent) {
    Caller.created += 1;
  }
}

/** Declared Resettable: emptied after every event. */
@Service({ resettable: true })
class Seen {
  users: string[] = [];
  reset() {
    this.users = [];
  }
}

/** Not declared: its reset() must never be called by the bridge. */
@Service()
class Tally {
  static built = 0;
  count = 0;
  constructor() {
    Tally.built += 1;
  }
  reset() {
    this.count = 0;
  }
}

@Service({ scope: 'request' })
@AsEventListener({ event: RPCEvent, method: 'rpc' })
@AsEventListener({ event: ConnectEvent, method: 'connect', priority: 5 })
class MainListener {
  constructor(
    @Inject(Caller) private readonly caller: Caller,
    @Inject(Seen) private readonly seen: Seen,
    @Inject(Tally) private readonly tally: Tally,
  ) {}

  connect(event: ConnectEvent) {
    const token = (event.data as { token?: string } | undefined)?.token;
    if (token === 'good') {
      event.respond({ user: 'u-good', data: { hello: 'good' } });
      event.stopPropagation();
    }
  }

  async rpc(event: RPCEvent) {
    this.tally.count += 1;
    switch (event.method) {
      case 'who': {
        const before = [...this.seen.users];
        this.seen.users.push(event.user);
        return event.respond({ data: { user: event.user, caller: (this.caller.event as RPCEvent).user, before, tally: this.tally.count } });
      }
      case 'throw':
        throw new Error('listener exploded with a secret=hunter2 inside');
      case 'client-error':
        throw new CentrifugoClientError(4040, 'no such room', { temporary: true });
      case 'unencodable':
        return event.respond({ data: { n: 1n } });
      default:
        return undefined;
    }
  }
}

@Service()
@AsEventListener({ event: ConnectEvent, method: 'connect', priority: -5 })
@AsEventListener({ event: InvalidEvent, method: 'invalid' })
class FallbackListener {
  calls: string[] = [];
  connect(event: ConnectEvent) {
    this.calls.push(`connect:${JSON.stringify(event.data)}`);
    if ((event.data as { token?: string } | undefined)?.token === 'guest') event.respond({ user: '' });
  }
  invalid(event: InvalidEvent) {
    this.calls.push(`invalid:${event.requestType}`);
    if (event.requestType === 'notifychannelstate') event.error(4999, 'not served here');
  }
}

function app(options: Partial<CentrifugeModeOptions> = {}, extra: Partial<WorkerApp> = {}, asyncContext = true) {
  const container = createContainer({ services: [Caller, Seen, Tally, MainListener, FallbackListener], bindings: [...centrifugoBindings()], asyncContext });
  return {
    container,
    app: defineApp({ modes: { centrifuge: centrifugeMode({ container, listeners: [MainListener, FallbackListener], ...options }) }, ...extra }),
  };
}

describe('centrifugeMode', () => {
  it('dispatches by priority; stopPropagation keeps lower listeners out; no answer falls to the default', async () => {
    const { app: served, container } = app();
    const worker = startCentrifugeApp(served);
    const accepted = await worker.call('connect', { data: json({ token: 'good' }) });
    expect(accepted.result?.user).to.equal('u-good');
    expect(text(accepted.result?.data)).to.equal('{"hello":"good"}');
    const guest = await worker.call('connect', { data: json({ token: 'guest' }) });
    expect(guest.result).to.deep.include({ user: '' });
    const stranger = await worker.call('connect', { data: json({ token: 'bad' }) });
    expect(stranger.disconnect).to.deep.equal({ code: 3507, reason: 'permission denied' });
    // The fallback ran for the two the main listener did not stop.
    expect(container.get(FallbackListener).calls).to.deep.equal(['connect:{"token":"guest"}', 'connect:{"token":"bad"}']);
    expect(await worker.stop()).to.equal(0);
  });

  it('runs each event in its own scope: request-scoped listeners and services are new, declared Resettables are reset, others are not', async () => {
    const { app: served } = app();
    const worker = startCentrifugeApp(served);
    const createdBefore = Caller.created;
    for (const user of ['ann', 'ben', 'cat']) {
      const reply = await worker.call('rpc', { user, method: 'who' });
      const data = JSON.parse(text(reply.result?.data)!) as { user: string; caller: string; before: string[]; tally: number };
      expect(data).to.deep.include({ user, caller: user, before: [] });
    }
    expect(Caller.created - createdBefore).to.equal(3);
    // Tally is not declared Resettable: it keeps counting across events.
    const last = JSON.parse(text((await worker.call('rpc', { user: 'dan', method: 'who' })).result?.data)!) as { tally: number };
    expect(last.tally).to.equal(4);
    await worker.stop();
  });

  it('resolves request-scoped listeners from each event’s scope when the container has asyncContext off', async () => {
    const { app: served } = app({}, {}, false);
    const worker = startCentrifugeApp(served);
    for (const user of ['ann', 'ben']) {
      const reply = await worker.call('rpc', { user, method: 'who' });
      expect(JSON.parse(text(reply.result?.data)!)).to.deep.include({ user, caller: user, before: [] });
    }
    await worker.stop();
  });

  it('answers a throwing listener with 100 (temporary), logs one line without the payload, reports it, and serves the next event', async () => {
    const reported: unknown[] = [];
    const events = new EventDispatcher();
    events.addListener(WorkerErrorEvent, (event) => void reported.push(event.error));
    const { app: served } = app({}, { events });
    const worker = startCentrifugeApp(served);
    const failed = await worker.call('rpc', { user: 'ann', method: 'throw', data: json({ password: 'p4ss' }) });
    expect(failed).to.deep.include({ result: undefined, error: { code: 100, message: 'internal server error', temporary: true } });
    expect(reported).to.have.length(1);
    expect((reported[0] as Error).message).to.include('listener exploded');
    const line = worker.logs.find((entry) => entry.includes('centrifugo rpc listener failed'));
    expect(line).to.match(/^roadrunner-runtime: centrifugo rpc listener failed, answered 100 \(internal server error\): Error: listener exploded/);
    expect(worker.logs.join('\n')).to.not.include('p4ss');
    const next = await worker.call('rpc', { user: 'ben', method: 'who' });
    expect(JSON.parse(text(next.result?.data)!)).to.deep.include({ user: 'ben' });
    // A result that cannot be encoded is a failure of the same kind.
    expect((await worker.call('rpc', { method: 'unencodable' })).error?.code).to.equal(100);
    expect(reported).to.have.length(2);
    await worker.stop();
  });

  it('answers a CentrifugoClientError with its own code, without reporting it', async () => {
    const reported: unknown[] = [];
    const events = new EventDispatcher();
    events.addListener(WorkerErrorEvent, (event) => void reported.push(event.error));
    const worker = startCentrifugeApp(app({}, { events }).app);
    expect((await worker.call('rpc', { method: 'client-error' })).error).to.deep.equal({ code: 4040, message: 'no such room', temporary: true });
    expect(reported).to.deep.equal([]);
    await worker.stop();
  });

  it('dispatches an unreadable request as an InvalidEvent (its listener may answer) and defaults to 107', async () => {
    const { app: served, container } = app();
    const worker = startCentrifugeApp(served);
    const unsupported = await worker.raw(JSON.stringify({ type: ['notifychannelstate'] }), Buffer.alloc(0));
    expect(text(unsupported.payload)).to.include('not served here');
    const garbage = await worker.raw('not json', Buffer.from([1, 2, 3]));
    expect(decodeProxyResponse('rpc', garbage.payload).error).to.deep.equal({ code: 107, message: 'bad request', temporary: false });
    expect(container.get(FallbackListener).calls).to.deep.equal(['invalid:notifychannelstate', 'invalid:undefined']);
    expect(worker.logs.filter((line) => line.includes('unreadable proxy request'))).to.have.length(2);
    await worker.stop();
  });

  it('with no listeners, refuses connect, subscribe, publish and RPC', async () => {
    const container = createContainer({ bindings: [...centrifugoBindings()] });
    const worker = startCentrifugeApp(defineApp({ modes: { centrifuge: centrifugeMode({ container }) } }));
    expect((await worker.call('connect', { data: json({ token: 'good' }) })).disconnect?.code).to.equal(3507);
    expect((await worker.call('subscribe', { channel: 'chat:a' })).error?.code).to.equal(103);
    expect((await worker.call('publish', { channel: 'chat:a', data: json({}) })).error?.code).to.equal(103);
    expect((await worker.call('rpc', { method: 'x' })).error?.code).to.equal(104);
    expect((await worker.call('refresh', { user: 'u' })).result?.expired).to.equal(true);
    expect((await worker.call('sub_refresh', { user: 'u' })).result?.expired).to.equal(true);
    await worker.stop();
  });

  describe('centrifugo.lazy_boot', () => {
    it('false (default): singletons are built before the first event', async () => {
      const built = Tally.built;
      const worker = startCentrifugeApp(app().app);
      await worker.call('rpc', { method: 'none' });
      await worker.stop();
      expect(Tally.built - built).to.equal(1);
    });

    it('true in the runtime config: nothing is built until the first event; the option in code wins over it', async () => {
      const { container } = app();
      const built = Tally.built;
      const lazy = startCentrifugeApp(
        defineApp({ config: { centrifugo: { lazy_boot: true } }, modes: { centrifuge: centrifugeMode({ container, listeners: [MainListener] }) } }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(Tally.built - built, 'built at boot').to.equal(0);
      await lazy.call('rpc', { method: 'who', user: 'x' });
      expect(Tally.built - built, 'built by the first event').to.equal(1);
      await lazy.stop();

      const eager = app({ lazyBoot: false });
      const before = Tally.built;
      const worker = startCentrifugeApp({ ...eager.app, config: { centrifugo: { lazy_boot: true } } });
      await worker.call('rpc', { method: 'none' });
      expect(Tally.built - before).to.equal(1);
      await worker.stop();
    });
  });

  it('a boot failure (a listener the container lacks) answers every call 100 (temporary), logged once, never a crash', async () => {
    @Service()
    @AsEventListener({ event: SubscribeEvent, method: 'handle' })
    class Unregistered {
      handle() {}
    }
    const container = createContainer({ bindings: [...centrifugoBindings()] });
    const worker = startCentrifugeApp(defineApp({ modes: { centrifuge: centrifugeMode({ container, listeners: [Unregistered] }) } }));
    for (let i = 0; i < 2; i++) expect((await worker.call('subscribe', { channel: 'a' })).error).to.deep.equal({ code: 100, message: 'internal server error', temporary: true });
    const lines = worker.logs.filter((line) => line.includes('failed to boot'));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include('listener Unregistered is not a service of the container');
    expect(await worker.stop()).to.equal(0);
  });

  describe('with Sentry (the real @sentry/node, a local envelope recorder)', () => {
    let server: EnvelopeServer;
    before(async () => {
      server = await EnvelopeServer.start();
      Sentry.init({ dsn: server.dsn, defaultIntegrations: false, sendClientReports: false, enableRuntimeChannelInjection: false });
    });
    after(async () => {
      await Sentry.close(2000);
      await server.close();
    });

    it('sends the throwing listener’s error once, tagged with the centrifuge mode', async () => {
      const { container } = app();
      const worker = startCentrifugeApp(
        defineApp({ modes: { centrifuge: withSentry(centrifugeMode({ container, listeners: [MainListener] }), { sentry: Sentry }) } }),
      );
      expect((await worker.call('rpc', { method: 'throw' })).error?.code).to.equal(100);
      expect((await worker.call('rpc', { method: 'client-error' })).error?.code).to.equal(4040);
      await worker.stop();
      const events = await server.waitForEvents(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.events()).to.have.length(1);
      expect(events[0]!.exception?.values[0]?.value).to.include('listener exploded');
      expect(events[0]!.tags?.['rr.mode']).to.equal('centrifuge');
    });
  });
});
