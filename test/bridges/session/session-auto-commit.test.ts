/**
 * Sessions commit themselves: `sessionBindings()` registers a response finalizer, so an `httpMode`
 * app with no listener of its own saves every session a request used and sets its cookie, on
 * controller, exception-listener, client-error and streamed responses alike; `autoCommit: false`
 * turns it off. Served through the real Worker loop and protobuf frames (see serve-http-worker.ts).
 */
import { expect } from 'chai';
import { Hono } from 'hono';
import { createContainer, currentScope, Inject, Service } from '../../../src/container/index.js';
import { EventDispatcher } from '../../../src/runtime/events/event-dispatcher.js';
import {
  Controller,
  fetchKernel,
  FileNotFoundError,
  Get,
  HTTP_KERNEL,
  HTTP_RESPONSE_FINALIZER,
  HttpExceptionEvent,
  httpMode,
  httpRequestBinding,
  HttpResponseEvent,
  Post,
  RouterKernel,
  streamResponse,
  type ValuesMap,
} from '../../../src/bridges/http/index.js';
import {
  commitSession,
  MemorySessionStore,
  Session,
  SESSION_AUTO_COMMIT,
  SessionAutoCommit,
  sessionBindings,
  SessionConfigError,
  type SessionBindingsOptions,
  type SessionStore,
} from '../../../src/bridges/session/index.js';
import { serveHttpWorker, type WorkerReply } from './serve-http-worker.js';
import { cookiePair, SpyStore } from './support.js';

class ValidationFailed extends Error {}

@Service({ scope: 'request' })
@Controller()
class AccountController {
  constructor(@Inject(Session) private readonly session: Session) {}

  @Post('/login')
  async login(request: Request): Promise<Response> {
    await this.session.regenerate();
    await this.session.set('user', new URL(request.url).searchParams.get('user'));
    // Immutable headers: the commit has to copy the response.
    return Response.redirect(new URL('/me', request.url), 303);
  }

  @Get('/me')
  async me(): Promise<Response> {
    return Response.json({ user: (await this.session.get('user')) ?? null });
  }

  @Get('/untouched')
  untouched(): Response {
    return new Response('no session here');
  }

  @Post('/form')
  async form(): Promise<Response> {
    await this.session.set('flash', 'please fix the form');
    throw new ValidationFailed('name is required');
  }

  @Post('/attempt')
  async attempt(): Promise<Response> {
    await this.session.set('attempts', ((await this.session.get<number>('attempts')) ?? 0) + 1);
    throw new FileNotFoundError('/report.pdf', 'does not exist'); // an HttpClientError: a deliberate 404
  }

  @Post('/crash')
  async crash(): Promise<Response> {
    await this.session.set('user', 'half-done');
    throw new Error('database gone');
  }

  @Get('/feed')
  async feed(): Promise<Response> {
    await this.session.set('feedSeen', true);
    const session = this.session;
    return streamResponse(
      (async function* () {
        yield 'item 1\n';
        // The head went out with the cookie: changing the session now would be lost, so it throws.
        yield (await session.set('late', 1).then(() => 'late write accepted\n', (error: Error) => `${error.name}\n`));
      })(),
    );
  }
}

/** A RouterKernel app with an exception listener and no session listener. */
function routerApp(store: SessionStore, options: Partial<SessionBindingsOptions> = {}, events = new EventDispatcher()) {
  events.addListener(HttpExceptionEvent, (event) => {
    if (event.error instanceof ValidationFailed) event.response = Response.json({ error: event.error.message }, { status: 422 });
  });
  return createContainer({
    services: [AccountController],
    bindings: [
      httpRequestBinding,
      ...sessionBindings({ factory: { store }, ...options }),
      { id: HTTP_KERNEL, useValue: new RouterKernel({ controllers: [AccountController], events }) },
    ],
  });
}

const setCookieOf = (reply: WorkerReply): string[] => headerValues(reply.headers, 'set-cookie');

function headerValues(headers: ValuesMap, name: string): string[] {
  return Object.entries(headers).flatMap(([key, values]) => (key.toLowerCase() === name ? values : []));
}

describe('sessions commit themselves (sessionBindings autoCommit)', () => {
  it('logs in with no listener: the cookie is set and the next request sees the user', async () => {
    const store = new SpyStore();
    const worker = await serveHttpWorker(httpMode({ container: routerApp(store) }));
    try {
      const login = await worker.fetch('http://app.test/login?user=ada', { method: 'POST' });
      expect(login.status).to.equal(303);
      expect(setCookieOf(login)).to.have.length(1);
      expect(headerValues(login.headers, 'cache-control')).to.deep.equal(['private, no-cache']);
      const cookie = cookiePair(setCookieOf(login)[0]!);

      const me = await worker.fetch('http://app.test/me', { header: { Cookie: [cookie] } });
      expect(JSON.parse(me.body)).to.deep.equal({ user: 'ada' });
      expect(setCookieOf(me), 'an unchanged session sends no new cookie').to.deep.equal([]);
      expect(store.ops()).to.deep.equal(['set', 'get', 'touch']);

      const stranger = await worker.fetch('http://app.test/me');
      expect(JSON.parse(stranger.body)).to.deep.equal({ user: null });
    } finally {
      await worker.stop();
    }
  });

  it('leaves a request that never asked for its session alone: no store call, no cookie, no Cache-Control', async () => {
    const store = new SpyStore();
    const worker = await serveHttpWorker(httpMode({ container: routerApp(store) }));
    try {
      const reply = await worker.fetch('http://app.test/untouched', { header: { Cookie: ['sid=whatever'] } });
      expect(reply.body).to.equal('no session here');
      expect(setCookieOf(reply)).to.deep.equal([]);
      expect(headerValues(reply.headers, 'cache-control')).to.deep.equal([]);
      expect(store.calls).to.deep.equal([]);
    } finally {
      await worker.stop();
    }
  });

  it("commits the response an HttpExceptionEvent listener made, and a thrown HttpClientError's", async () => {
    const store = new SpyStore();
    const worker = await serveHttpWorker(httpMode({ container: routerApp(store) }));
    try {
      const form = await worker.fetch('http://app.test/form', { method: 'POST' });
      expect(form.status).to.equal(422);
      expect(setCookieOf(form)).to.have.length(1);
      const cookie = cookiePair(setCookieOf(form)[0]!);
      const id = cookie.slice('sid='.length);
      expect(await store.inner.get(id)).to.deep.equal({ flash: 'please fix the form' });

      const attempt = await worker.fetch('http://app.test/attempt', { method: 'POST', header: { Cookie: [cookie] } });
      expect(attempt.status).to.equal(404);
      expect(await store.inner.get(id)).to.deep.equal({ flash: 'please fix the form', attempts: 1 });
    } finally {
      await worker.stop();
    }
  });

  it("does not save what a request changed before an unhandled error (the 500 page gets no cookie)", async () => {
    const store = new SpyStore();
    const worker = await serveHttpWorker(httpMode({ container: routerApp(store), production: true }));
    try {
      const crash = await worker.fetch('http://app.test/crash', { method: 'POST' });
      expect(crash.status).to.equal(500);
      expect(setCookieOf(crash)).to.deep.equal([]);
      expect(store.ops()).to.deep.equal([]);
    } finally {
      await worker.stop();
    }
  });

  it('commits a streamed response before its first chunk; a change made while streaming is refused', async () => {
    const store = new SpyStore();
    const worker = await serveHttpWorker(httpMode({ container: routerApp(store) }));
    try {
      const feed = await worker.fetch('http://app.test/feed');
      expect(feed.body).to.equal('item 1\nSessionCommittedError\n');
      expect(setCookieOf(feed)).to.have.length(1);
      const id = cookiePair(setCookieOf(feed)[0]!).slice('sid='.length);
      expect(await store.inner.get(id)).to.deep.equal({ feedSeen: true });
    } finally {
      await worker.stop();
    }
  });

  it('commits sessions used inside a Fetch app mounted with fetchKernel (Hono)', async () => {
    const store = new MemorySessionStore();
    const hono = new Hono()
      .post('/visit', async (c) => {
        const session = currentScope().get(Session);
        const visits = ((await session.get<number>('visits')) ?? 0) + 1;
        await session.set('visits', visits);
        return c.text(`visit ${visits}`);
      });
    const container = createContainer({ bindings: [httpRequestBinding, ...sessionBindings({ factory: { store } }), { id: HTTP_KERNEL, useValue: fetchKernel(hono) }] });
    const worker = await serveHttpWorker(httpMode({ container }));
    try {
      const first = await worker.fetch('http://app.test/visit', { method: 'POST' });
      const cookie = cookiePair(setCookieOf(first)[0]!);
      const second = await worker.fetch('http://app.test/visit', { method: 'POST', header: { Cookie: [cookie] } });
      expect([first.body, second.body]).to.deep.equal(['visit 1', 'visit 2']);
    } finally {
      await worker.stop();
    }
  });

  it('keeps a hand-written commit listener working: one cookie, committed once', async () => {
    const store = new SpyStore();
    const events = new EventDispatcher();
    events.addListener(HttpResponseEvent, async (event) => {
      event.response = await commitSession(event.scope, event.response);
    });
    const worker = await serveHttpWorker(httpMode({ container: routerApp(store, {}, events) }));
    try {
      const login = await worker.fetch('http://app.test/login?user=ada', { method: 'POST' });
      expect(setCookieOf(login)).to.have.length(1);
      expect(store.ops()).to.deep.equal(['set']);
    } finally {
      await worker.stop();
    }
  });

  it('turns a store failure while committing into the 500 page, never a 200 that lost the login', async () => {
    const store = new SpyStore();
    store.set = () => Promise.reject(new Error('redis connection refused'));
    const worker = await serveHttpWorker(httpMode({ container: routerApp(store), production: true }));
    try {
      const login = await worker.fetch('http://app.test/login?user=ada', { method: 'POST' });
      expect(login.status).to.equal(500);
      expect(setCookieOf(login)).to.deep.equal([]);
      expect(worker.logs.join('\n')).to.contain('session store set failed: redis connection refused');
    } finally {
      await worker.stop();
    }
  });

  describe('autoCommit: false', () => {
    it('registers no finalizer: a session nobody commits is neither saved nor sent', async () => {
      const store = new SpyStore();
      const container = routerApp(store, { autoCommit: false });
      expect(container.has(SESSION_AUTO_COMMIT)).to.equal(false);
      expect(container.getTagged(HTTP_RESPONSE_FINALIZER)).to.deep.equal([]);
      const worker = await serveHttpWorker(httpMode({ container }));
      try {
        const login = await worker.fetch('http://app.test/login?user=ada', { method: 'POST' });
        expect(login.status).to.equal(303);
        expect(setCookieOf(login)).to.deep.equal([]);
        expect(store.ops()).to.deep.equal([]);
      } finally {
        await worker.stop();
      }
    });

    it('is on by default, and refuses a value that is not a boolean', () => {
      const container = routerApp(new MemorySessionStore());
      expect(container.getTagged(HTTP_RESPONSE_FINALIZER)).to.have.length(1);
      expect(container.get(SESSION_AUTO_COMMIT)).to.be.instanceOf(SessionAutoCommit);
      expect(() => sessionBindings({ factory: { store: new MemorySessionStore() }, autoCommit: 'no' as never })).to.throw(
        SessionConfigError,
        'session option autoCommit: expected true or false, got "no"',
      );
    });
  });
});
