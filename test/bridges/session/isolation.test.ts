/**
 * The PHP workers' worst bug, tested head-on: two users whose requests interleave through the same
 * long-lived process must each see their own session and never the other's. Requests interleave at
 * every await (a store that yields at random), and through real Worker loops sharing one store.
 */
import { expect } from 'chai';
import { RedisStore } from 'connect-redis';
import { createContainer, Inject, Service } from '../../../src/container/index.js';
import { Controller, Get, HTTP_KERNEL, httpMode, httpRequestBinding, Post, RouterKernel } from '../../../src/bridges/http/index.js';
import {
  ExpressStoreAdapter,
  MemorySessionStore,
  Session,
  sessionBindings,
  SessionStorageFactory,
  type SessionData,
  type SessionStore,
} from '../../../src/bridges/session/index.js';
import { serveHttpWorker } from './serve-http-worker.js';
import { connectLocalRedis, cookiePair, dropAndClose, setCookies, testPrefix, type LocalRedis } from './support.js';

const USERS = ['alice', 'bob'] as const;
type User = (typeof USERS)[number];
const OTHER: Record<User, User> = { alice: 'bob', bob: 'alice' };

/** Deterministic pseudo-random sequence (mulberry32), so a failing interleaving can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Wraps a store so every operation yields to the event loop a random number of times. */
function jittery(inner: SessionStore, next: () => number): SessionStore {
  const yieldSome = async () => {
    for (let i = Math.floor(next() * 4); i > 0; i--) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    get: async (id) => (await yieldSome(), inner.get(id)),
    set: async (id, data, ttl) => (await yieldSome(), inner.set(id, data, ttl)),
    destroy: async (id) => (await yieldSome(), inner.destroy(id)),
    touch: async (id, data, ttl) => (await yieldSome(), inner.touch?.(id, data, ttl)),
  };
}

/** Asserts one response's view of the session belongs to `user` (or to nobody, for `null`). */
function expectOwn(user: User | null, seen: SessionData, label: string): void {
  const text = JSON.stringify(seen);
  if (user === null) {
    expect(seen['user'], label).to.equal(undefined);
    for (const name of USERS) expect(text, label).to.not.contain(name);
    return;
  }
  expect(seen['user'], label).to.equal(user);
  expect(seen[`secret:${user}`], label).to.equal(`${user}-secret`);
  expect(text, label).to.not.contain(OTHER[user]);
}

describe('session isolation between interleaved users', function () {
  this.timeout(120_000);

  it('2,400 concurrent requests through one factory and store: each user sees only their own session', async () => {
    const next = random(0x5e55);
    const sessions = new SessionStorageFactory({ store: jittery(new MemorySessionStore(), next) });

    /** One request of the app: log in, or read and bump the visit counter. */
    async function serve(request: Request): Promise<{ response: Response; seen: SessionData }> {
      const session = sessions.create(request);
      const url = new URL(request.url);
      if (url.pathname === '/login') {
        const user = url.searchParams.get('user')!;
        await session.regenerate();
        await session.set('user', user);
        await session.set(`secret:${user}`, `${user}-secret`);
      } else {
        await session.set(`visit:${(await session.get<string>('user')) ?? 'anonymous'}`, url.searchParams.get('n'));
      }
      const seen = await session.all();
      return { response: await session.commit(new Response(JSON.stringify(seen))), seen };
    }

    const cookies = {} as Record<User, string>;
    await Promise.all(
      USERS.map(async (user) => {
        const { response } = await serve(new Request(`https://app.test/login?user=${user}`, { method: 'POST' }));
        cookies[user] = cookiePair(setCookies(response)[0]!);
      }),
    );
    expect(cookies.alice).to.not.equal(cookies.bob);

    const plan = Array.from({ length: 2_400 }, (_, n) => ({ n, user: next() < 0.1 ? null : USERS[next() < 0.5 ? 0 : 1]! }));
    const counts = { alice: 0, bob: 0, anonymous: 0 };
    // Waves of 100 in flight at once, each request yielding at random inside the store.
    for (let start = 0; start < plan.length; start += 100) {
      await Promise.all(
        plan.slice(start, start + 100).map(async ({ n, user }) => {
          const headers: Record<string, string> = user === null ? {} : { cookie: cookies[user] };
          const { response, seen } = await serve(new Request(`https://app.test/me?n=${n}`, { headers }));
          expectOwn(user, seen, `request #${n} by ${user ?? 'anonymous'}`);
          expectOwn(user, JSON.parse(await response.text()), `body of request #${n}`);
          if (user !== null) expect(setCookies(response), `request #${n}`).to.deep.equal([]);
          counts[user ?? 'anonymous'] += 1;
        }),
      );
    }
    expect(counts.alice + counts.bob).to.be.at.least(2_000);
    expect(counts.alice).to.be.at.least(900);
    expect(counts.bob).to.be.at.least(900);
  });

  for (const storeKind of ['memory', 'connect-redis'] as const) {
    it(`2,000 requests alternating at random across two Worker loops sharing one ${storeKind} store`, async () => {
      let redis: LocalRedis | undefined;
      const prefix = testPrefix();
      try {
        let store: SessionStore;
        if (storeKind === 'memory') {
          store = new MemorySessionStore();
        } else {
          redis = await connectLocalRedis();
          store = new ExpressStoreAdapter(new RedisStore({ client: redis, prefix }));
        }
        // One SessionStorageFactory per worker, as two rr worker processes would each build their own.
        const workers = await Promise.all([0, 1].map(() => serveHttpWorker(httpMode({ container: appContainer(store), earlyRouterInitialization: false }))));
        try {
          await runInterleaved(workers, random(storeKind === 'memory' ? 0xa11ce : 0xb0b));
        } finally {
          await Promise.all(workers.map((worker) => worker.stop()));
        }
      } finally {
        await dropAndClose(redis, prefix);
      }
    });
  }
});

@Service({ scope: 'request' })
@Controller()
class AccountController {
  constructor(@Inject(Session) private readonly session: Session) {}

  @Post('/login')
  async login(request: Request): Promise<Response> {
    const user = new URL(request.url).searchParams.get('user')!;
    await this.session.regenerate();
    await this.session.set('user', user);
    await this.session.set(`secret:${user}`, `${user}-secret`);
    return Response.redirect(new URL('/me', request.url), 303);
  }

  @Get('/me')
  async me(request: Request): Promise<Response> {
    const user = (await this.session.get<string>('user')) ?? 'anonymous';
    await this.session.set(`visit:${user}`, new URL(request.url).searchParams.get('n'));
    return Response.json(await this.session.all());
  }
}

/** The app of the session bridge's TSDoc example: RouterKernel, a request-scoped controller, sessions that commit themselves. */
function appContainer(store: SessionStore) {
  return createContainer({
    services: [AccountController],
    bindings: [
      httpRequestBinding,
      ...sessionBindings({ factory: { store, cookie: { secure: 'auto' } } }),
      { id: HTTP_KERNEL, useValue: new RouterKernel({ controllers: [AccountController] }) },
    ],
  });
}

async function runInterleaved(workers: Awaited<ReturnType<typeof serveHttpWorker>>[], next: () => number): Promise<void> {
  const pick = () => workers[next() < 0.5 ? 0 : 1]!;
  const cookies = {} as Record<User, string>;
  for (const user of USERS) {
    const reply = await pick().fetch(`https://app.test/login?user=${user}`, { method: 'POST' });
    expect(reply.status, reply.body).to.equal(303);
    const setCookie = headerValues(reply.headers, 'set-cookie');
    expect(setCookie).to.have.length(1);
    expect(setCookie[0]).to.contain('; Secure');
    cookies[user] = cookiePair(setCookie[0]!);
  }

  const counts = { alice: 0, bob: 0 };
  const pending: Promise<void>[] = [];
  for (let n = 0; n < 2_000; n++) {
    const user = USERS[next() < 0.5 ? 0 : 1]!;
    counts[user] += 1;
    // Both workers serve at once (each one request at a time, as under rr), sharing the store.
    pending.push(
      pick()
        .fetch(`https://app.test/me?n=${n}`, { header: { Cookie: [cookies[user]] } })
        .then((reply) => {
          expect(reply.status, reply.body).to.equal(200);
          expectOwn(user, JSON.parse(reply.body), `request #${n} by ${user}`);
          expect(headerValues(reply.headers, 'set-cookie'), `request #${n}`).to.deep.equal([]);
        }),
    );
    if (pending.length >= 50) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  expect(counts.alice).to.be.at.least(900);
  expect(counts.bob).to.be.at.least(900);

  // A request with no cookie, served by the same workers afterwards, sees nobody's data.
  for (const worker of workers) expectOwn(null, JSON.parse((await worker.fetch('https://app.test/me?n=last')).body), 'anonymous after the run');
}

function headerValues(headers: Record<string, string[]>, name: string): string[] {
  return Object.entries(headers).flatMap(([key, values]) => (key.toLowerCase() === name ? values : []));
}
