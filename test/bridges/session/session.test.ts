import { expect } from 'chai';
import {
  generateSessionId,
  isValidSessionId,
  MemorySessionStore,
  SessionCommittedError,
  SessionDataError,
  SessionNotLoadedError,
  SessionStorageFactory,
  SessionStoreError,
  withSession,
  type SessionOptions,
} from '../../../src/bridges/session/index.js';
import { rejection } from '../../support/assertions.js';
import { cookiePair, cookieValue, requestWith, setCookies, SpyStore } from './support.js';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';

function setup(options: Partial<SessionOptions> = {}) {
  const store = new SpyStore();
  const sessions = new SessionStorageFactory({ store, ...options });
  return { store, sessions };
}

/** Starts a session holding `data` and returns the Cookie header that names it. */
async function login(sessions: SessionStorageFactory, data: Record<string, string> = { user: 'ann' }): Promise<string> {
  const session = sessions.create(requestWith());
  for (const [key, value] of Object.entries(data)) await session.set(key, value);
  const [line] = setCookies(await session.commit(new Response('ok')));
  return cookiePair(line!);
}

describe('Session', () => {
  describe('ids', () => {
    it('generates 32 url-safe characters (192 random bits), all different', () => {
      const ids = new Set(Array.from({ length: 1000 }, () => generateSessionId()));
      expect(ids.size).to.equal(1000);
      for (const id of ids) expect(isValidSessionId(id)).to.equal(true);
    });

    it('validates the exact shape', () => {
      expect(isValidSessionId('a'.repeat(32))).to.equal(true);
      expect(isValidSessionId('a'.repeat(31))).to.equal(false);
      expect(isValidSessionId('a'.repeat(33))).to.equal(false);
      expect(isValidSessionId(`${'a'.repeat(31)}=`)).to.equal(false);
      expect(isValidSessionId(`${'a'.repeat(31)}/`)).to.equal(false);
      expect(isValidSessionId('../../etc/passwd-aaaaaaaaaaaaaaaa')).to.equal(false);
    });
  });

  describe('lazy loading', () => {
    it('does not read the store when the session is never touched, and sends no cookie', async () => {
      const { store, sessions } = setup();
      const cookie = await login(sessions);
      store.calls.length = 0;
      const session = sessions.create(requestWith(cookie));
      const response = await session.commit(new Response('ok', { headers: { 'cache-control': 'public, max-age=60' } }));
      expect(store.calls).to.deep.equal([]);
      expect(setCookies(response)).to.deep.equal([]);
      expect(response.headers.get('cache-control')).to.equal('public, max-age=60');
      expect(session.loaded).to.equal(false);
    });

    it('reads the store once, on first access, however many accessors run at once', async () => {
      const { store, sessions } = setup();
      const cookie = await login(sessions, { user: 'ann', role: 'admin' });
      store.calls.length = 0;
      const session = sessions.create(requestWith(cookie));
      expect(store.calls).to.deep.equal([]);
      const [user, role, has] = await Promise.all([session.get('user'), session.get('role'), session.has('nope')]);
      expect([user, role, has]).to.deep.equal(['ann', 'admin', false]);
      expect(store.ops()).to.deep.equal(['get']);
    });

    it('hides id and isNew until loaded: the cookie is only a claim', async () => {
      const { sessions } = setup();
      const session = sessions.create(requestWith(`sid=${'x'.repeat(32)}`));
      expect(() => session.id).to.throw(SessionNotLoadedError);
      expect(() => session.isNew).to.throw(SessionNotLoadedError);
      await session.load();
      expect(session.id).to.not.equal('x'.repeat(32));
      expect(session.isNew).to.equal(true);
    });

    it('does not read the store at all for a new visitor', async () => {
      const { store, sessions } = setup();
      const session = sessions.create(requestWith());
      expect(await session.get('user')).to.equal(undefined);
      expect(store.calls).to.deep.equal([]);
    });
  });

  describe('adopting ids', () => {
    it('adopts a known id and reads its data back', async () => {
      const { sessions } = setup();
      const cookie = await login(sessions);
      const session = await sessions.create(requestWith(cookie)).load();
      expect(session.isNew).to.equal(false);
      expect(session.id).to.equal(cookie.slice('sid='.length));
      expect(await session.all()).to.deep.equal({ user: 'ann' });
    });

    it('never adopts a well-formed id the store does not know (session fixation)', async () => {
      const { store, sessions } = setup();
      const planted = generateSessionId();
      const session = sessions.create(requestWith(`sid=${planted}`));
      await session.set('user', 'victim');
      const [line] = setCookies(await session.commit(new Response()));
      expect(store.calls[0]).to.deep.equal({ op: 'get', id: planted });
      expect(session.id).to.not.equal(planted);
      expect(cookieValue(line!)).to.equal(session.id);
      expect(await store.inner.get(planted)).to.equal(undefined);
      expect(await store.inner.get(session.id)).to.deep.equal({ user: 'victim' });
    });

    for (const [what, value] of [
      ['too short', 'abc'],
      ['too long', 'a'.repeat(33)],
      ['bad characters', `${'a'.repeat(30)};x`],
      ['a path', '../../../../etc/passwd'],
      ['empty', ''],
    ] as const) {
      it(`never sends a ${what} id to the store, and starts a new session`, async () => {
        const { store, sessions } = setup();
        const session = sessions.create(requestWith(`sid=${value}`));
        await session.set('k', 'v');
        await session.commit(new Response());
        expect(store.ops()).to.deep.equal(['set']);
        expect(session.isNew).to.equal(true);
        expect(isValidSessionId(session.id)).to.equal(true);
      });
    }

    it('with a secret, refuses a known id whose signature is forged or missing', async () => {
      const { store, sessions } = setup({ secret: SECRET });
      const cookie = await login(sessions);
      const id = cookieValue(cookie).split('.')[0]!;
      for (const forged of [`sid=${id}`, `sid=${id}.${'A'.repeat(43)}`, `sid=${id}.`]) {
        store.calls.length = 0;
        const session = await sessions.create(requestWith(forged)).load();
        expect(store.calls, forged).to.deep.equal([]);
        expect(session.isNew).to.equal(true);
        expect(await session.get('user')).to.equal(undefined);
      }
    });

    it('takes the first valid cookie when several carry the name', async () => {
      const { sessions } = setup();
      const cookie = await login(sessions);
      const session = await sessions.create(requestWith(`sid=junk; ${cookie}`)).load();
      expect(await session.get('user')).to.equal('ann');
    });

    it('expires a cookie that names no session once the session is used', async () => {
      const { sessions } = setup();
      const session = sessions.create(requestWith(`sid=${generateSessionId()}`));
      await session.get('user');
      const [line] = setCookies(await session.commit(new Response()));
      // Attribute order changed on purpose: the cookie package writes Max-Age before Path.
      expect(line).to.match(/^sid=; Max-Age=0; Path=\/; /);
    });
  });

  describe('writing', () => {
    it('sends Set-Cookie for a new session with data, and saves it with the TTL', async () => {
      const { store, sessions } = setup({ ttl: 120 });
      const session = sessions.create(requestWith());
      await session.set('user', 'ann');
      const response = await session.commit(new Response('ok'));
      expect(setCookies(response)).to.have.length(1);
      expect(store.calls).to.deep.equal([{ op: 'set', id: session.id, ttl: 120 }]);
    });

    it('neither saves nor sends a cookie for a new session left empty', async () => {
      const { store, sessions } = setup();
      const session = sessions.create(requestWith());
      await session.set('tmp', 1);
      await session.delete('tmp');
      expect(await session.get('tmp')).to.equal(undefined);
      const response = await session.commit(new Response());
      expect(setCookies(response)).to.deep.equal([]);
      expect(store.calls).to.deep.equal([]);
    });

    it('re-saves a changed existing session without re-sending the cookie', async () => {
      const { store, sessions } = setup();
      const cookie = await login(sessions);
      store.calls.length = 0;
      const session = sessions.create(requestWith(cookie));
      await session.set('cart', [1, 2]);
      const response = await session.commit(new Response());
      expect(setCookies(response)).to.deep.equal([]);
      expect(store.ops()).to.deep.equal(['get', 'set']);
      expect(await store.inner.get(session.id)).to.deep.equal({ user: 'ann', cart: [1, 2] });
    });

    it('renews the expiry of an unchanged session that was read (touch), once', async () => {
      const { store, sessions } = setup({ ttl: 300 });
      const cookie = await login(sessions);
      store.calls.length = 0;
      const session = sessions.create(requestWith(cookie));
      await session.get('user');
      await session.save();
      await session.commit(new Response());
      expect(store.calls).to.deep.equal([
        { op: 'get', id: session.id },
        { op: 'touch', id: session.id, ttl: 300 },
      ]);
    });

    it('with rolling, re-sends the cookie whenever the session was used, never when untouched', async () => {
      const { sessions } = setup({ rolling: true, cookie: { maxAge: 600 } });
      const cookie = await login(sessions);
      const used = sessions.create(requestWith(cookie));
      await used.get('user');
      const [line] = setCookies(await used.commit(new Response()));
      expect(cookiePair(line!)).to.equal(cookie);
      expect(line).to.contain('Max-Age=600');
      const untouched = sessions.create(requestWith(cookie));
      expect(setCookies(await untouched.commit(new Response()))).to.deep.equal([]);
    });

    it('without rolling, an existing session that was only read gets no cookie', async () => {
      const { sessions } = setup({ cookie: { maxAge: 600 } });
      const cookie = await login(sessions);
      const session = sessions.create(requestWith(cookie));
      await session.get('user');
      expect(setCookies(await session.commit(new Response()))).to.deep.equal([]);
    });

    it('clear() empties the session but keeps its id', async () => {
      const { store, sessions } = setup();
      const cookie = await login(sessions);
      const session = sessions.create(requestWith(cookie));
      await session.clear();
      expect(await session.all()).to.deep.equal({});
      expect(setCookies(await session.commit(new Response()))).to.deep.equal([]);
      expect(await store.inner.get(session.id)).to.deep.equal({});
    });
  });

  describe('regenerate and destroy', () => {
    it('regenerate moves the data to a new id and destroys the old one in the store', async () => {
      const { store, sessions } = setup();
      const cookie = await login(sessions, { cart: 'book' });
      const oldId = cookieValue(cookie);
      const session = sessions.create(requestWith(cookie));
      await session.regenerate();
      expect(await store.inner.get(oldId)).to.equal(undefined);
      expect(store.calls.at(-1)).to.deep.equal({ op: 'destroy', id: oldId });
      await session.set('user', 'ann');
      const [line] = setCookies(await session.commit(new Response()));
      expect(session.id).to.not.equal(oldId);
      expect(cookieValue(line!)).to.equal(session.id);
      expect(await store.inner.get(session.id)).to.deep.equal({ cart: 'book', user: 'ann' });
      const replay = await sessions.create(requestWith(cookie)).load();
      expect(replay.isNew).to.equal(true);
    });

    it('destroy deletes the session from the store and expires the cookie', async () => {
      const { store, sessions } = setup();
      const cookie = await login(sessions);
      const session = sessions.create(requestWith(cookie));
      await session.destroy();
      expect(await store.inner.get(cookieValue(cookie))).to.equal(undefined);
      expect(await session.all()).to.deep.equal({});
      expect(session.isNew).to.equal(true);
      const [line, ...more] = setCookies(await session.commit(new Response()));
      expect(more).to.deep.equal([]);
      expect(line).to.match(/^sid=; .*Max-Age=0/);
    });

    it('a value set after destroy starts a brand-new session under a new id', async () => {
      const { store, sessions } = setup();
      const cookie = await login(sessions);
      const session = sessions.create(requestWith(cookie));
      await session.destroy();
      await session.set('flash', 'logged out');
      const [line] = setCookies(await session.commit(new Response()));
      expect(cookieValue(line!)).to.equal(session.id);
      expect(session.id).to.not.equal(cookieValue(cookie));
      expect(await store.inner.get(session.id)).to.deep.equal({ flash: 'logged out' });
      expect(await store.inner.get(cookieValue(cookie))).to.equal(undefined);
    });
  });

  describe('data', () => {
    it('keeps JSON values and returns frozen copies', async () => {
      const { sessions } = setup();
      const session = sessions.create(requestWith());
      const profile = { name: 'ann', tags: ['a'], nested: { n: 1.5, ok: true, none: null } };
      await session.set('profile', profile);
      profile.tags.push('mutated after set');
      const stored = (await session.get('profile')) as { tags: string[] };
      expect(stored).to.deep.equal({ name: 'ann', tags: ['a'], nested: { n: 1.5, ok: true, none: null } });
      expect(() => stored.tags.push('b')).to.throw(TypeError);
    });

    const bad: Array<[string, unknown, string]> = [
      ['undefined', undefined, 'v'],
      ['a Date', new Date(), 'v'],
      ['a Map', new Map(), 'v'],
      ['NaN', Number.NaN, 'v'],
      ['Infinity deep inside', { a: [1, Infinity] }, 'v.a[1]'],
      ['a function', () => 1, 'v'],
      ['a bigint', 10n, 'v'],
      ['a class instance', new (class Point {})(), 'v'],
      ['symbol keys', { [Symbol('s')]: 1 }, 'v'],
    ];
    for (const [what, value, path] of bad) {
      it(`refuses ${what} with a SessionDataError naming ${path}`, async () => {
        const { sessions } = setup();
        const error = await rejection(sessions.create(requestWith()).set('v', value as never));
        expect(error).to.be.instanceOf(SessionDataError);
        expect((error as SessionDataError).path).to.equal(path);
      });
    }

    it('refuses a cycle', async () => {
      const { sessions } = setup();
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      const error = await rejection(sessions.create(requestWith()).set('v', cyclic as never));
      expect(error).to.be.instanceOf(SessionDataError);
      expect((error as Error).message).to.contain('circular');
    });

    it('keeps a "__proto__" key as plain data', async () => {
      const { store, sessions } = setup();
      const session = sessions.create(requestWith());
      await session.set('__proto__', { polluted: true });
      await session.commit(new Response());
      const again = await sessions.create(requestWith(`sid=${session.id}`)).load();
      expect(await again.get('__proto__')).to.deep.equal({ polluted: true });
      expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
      expect(await store.inner.get(session.id)).to.have.own.property('__proto__');
    });
  });

  describe('commit', () => {
    it('copies a response whose headers are immutable (Response.redirect)', async () => {
      const { sessions } = setup();
      const session = sessions.create(requestWith());
      await session.set('user', 'ann');
      const redirect = Response.redirect('http://app.test/me', 303);
      const response = await session.commit(redirect);
      expect(response).to.not.equal(redirect);
      expect(response.status).to.equal(303);
      expect(response.headers.get('location')).to.equal('http://app.test/me');
      expect(setCookies(response)).to.have.length(1);
    });

    it('changes a mutable response in place, keeping other Set-Cookie lines', async () => {
      const { sessions } = setup();
      const session = sessions.create(requestWith());
      await session.set('user', 'ann');
      const original = new Response('ok', { headers: { 'set-cookie': 'theme=dark' } });
      const response = await session.commit(original);
      expect(response).to.equal(original);
      expect(setCookies(response)).to.have.length(2);
      expect(setCookies(response)[0]).to.equal('theme=dark');
    });

    it('writes into a Headers object for frameworks that collect headers', async () => {
      const { sessions } = setup();
      const session = sessions.create(requestWith());
      await session.set('user', 'ann');
      const headers = await session.commit(new Headers());
      expect(setCookies(headers)).to.have.length(1);
    });

    it('makes a response that used the session private, unless it already is', async () => {
      const { sessions } = setup();
      const cookie = await login(sessions);
      const read = async (init?: ResponseInit) => {
        const session = sessions.create(requestWith(cookie));
        await session.get('user');
        return (await session.commit(new Response('ok', init))).headers.get('cache-control');
      };
      expect(await read({ headers: { 'cache-control': 'public, max-age=3600' } })).to.equal('private, no-cache');
      expect(await read()).to.equal('private, no-cache');
      expect(await read({ headers: { 'cache-control': 'private, max-age=60' } })).to.equal('private, max-age=60');
      expect(await read({ headers: { 'cache-control': 'no-store' } })).to.equal('no-store');
      const off = new SessionStorageFactory({ store: sessions.store, privateCache: false }).create(requestWith(cookie));
      await off.get('user');
      expect((await off.commit(new Response('ok'))).headers.get('cache-control')).to.equal(null);
    });

    it('refuses changes after commit, and a second commit adds nothing', async () => {
      const { sessions } = setup();
      const session = sessions.create(requestWith());
      await session.set('user', 'ann');
      const response = await session.commit(new Response());
      expect(await rejection(session.set('late', 1))).to.be.instanceOf(SessionCommittedError);
      expect(await rejection(session.destroy())).to.be.instanceOf(SessionCommittedError);
      expect(await rejection(session.regenerate())).to.be.instanceOf(SessionCommittedError);
      expect(await session.get('user')).to.equal('ann');
      expect(setCookies(await session.commit(response))).to.have.length(1);
    });

    it('wraps store failures in SessionStoreError, without the id in the message', async () => {
      const failing = new SpyStore();
      failing.get = async () => {
        throw new Error('ECONNREFUSED');
      };
      const sessions = new SessionStorageFactory({ store: failing });
      const id = generateSessionId();
      const error = await rejection(sessions.create(requestWith(`sid=${id}`)).get('user'));
      expect(error).to.be.instanceOf(SessionStoreError);
      expect((error as SessionStoreError).operation).to.equal('get');
      expect((error as Error).message).to.contain('ECONNREFUSED').and.not.contain(id);
    });
  });

  describe('withSession', () => {
    it('hands the handler the request session and commits its response', async () => {
      const { sessions } = setup();
      const handler = withSession(sessions, async (_request, session, suffix: string) => {
        const visits = ((await session.get<number>('visits')) ?? 0) + 1;
        await session.set('visits', visits);
        return new Response(`visit ${visits}${suffix}`);
      });
      const first = await handler(requestWith(), '!');
      const cookie = cookiePair(setCookies(first)[0]!);
      expect(await first.text()).to.equal('visit 1!');
      expect(await (await handler(requestWith(cookie), '?')).text()).to.equal('visit 2?');
      expect(await (await handler(requestWith(), '.')).text()).to.equal('visit 1.');
    });
  });
});
