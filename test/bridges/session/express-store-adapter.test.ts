import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { RedisStore } from 'connect-redis';
import {
  ExpressStoreAdapter,
  SessionConfigError,
  SessionDataError,
  SessionStorageFactory,
  SessionStoreError,
  type ExpressSessionRecord,
  type ExpressSessionStoreLike,
  type ExpressStoreCallback,
} from '../../../src/bridges/session/index.js';
import { rejection } from '../../support/assertions.js';
import { connectLocalRedis, cookiePair, cookieValue, dropAndClose, requestWith, setCookies, testPrefix, type LocalRedis } from './support.js';

/**
 * The smallest express-session style store: callbacks only, answered on a later tick as a network
 * store would, records kept as JSON like connect-redis does, expiry taken from `cookie.expires`.
 */
class CallbackStore implements ExpressSessionStoreLike {
  readonly records = new Map<string, { json: string; expiresAt: number }>();
  readonly calls: string[] = [];
  failNext: Error | undefined;
  now = () => Date.now();

  get(sid: string, callback: ExpressStoreCallback): void {
    this.later('get', callback, () => {
      const record = this.records.get(sid);
      if (!record || record.expiresAt <= this.now()) return null;
      return JSON.parse(record.json);
    });
  }
  set(sid: string, session: ExpressSessionRecord, callback: ExpressStoreCallback): void {
    this.later('set', callback, () => void this.records.set(sid, { json: JSON.stringify(session), expiresAt: Date.parse(session.cookie.expires) }));
  }
  touch(sid: string, session: ExpressSessionRecord, callback: ExpressStoreCallback): void {
    this.later('touch', callback, () => {
      const record = this.records.get(sid);
      if (record) record.expiresAt = Date.parse(session.cookie.expires);
    });
  }
  destroy(sid: string, callback: ExpressStoreCallback): void {
    this.later('destroy', callback, () => void this.records.delete(sid));
  }

  private later(op: string, callback: ExpressStoreCallback, run: () => unknown): void {
    this.calls.push(op);
    const failure = this.failNext;
    this.failNext = undefined;
    setImmediate(() => (failure ? callback(failure) : callback(null, run())));
  }
}

describe('ExpressStoreAdapter', () => {
  describe('with a callback store', () => {
    it('round-trips data as { cookie, data } with the TTL in cookie.expires', async () => {
      const inner = new CallbackStore();
      const store = new ExpressStoreAdapter(inner, { now: () => 1_700_000_000_000 });
      await store.set('id1', { user: 'ann', cookie: 'a key like any other' }, 90);
      const raw = JSON.parse(inner.records.get('id1')!.json);
      expect(raw).to.deep.equal({
        cookie: { originalMaxAge: 90_000, expires: new Date(1_700_000_090_000).toISOString(), path: '/', httpOnly: true },
        data: { user: 'ann', cookie: 'a key like any other' },
      });
      inner.now = () => 0;
      expect(await store.get('id1')).to.deep.equal({ user: 'ann', cookie: 'a key like any other' });
      expect(await store.get('nope')).to.equal(undefined);
    });

    it("layout 'flat' writes express-session's own shape and reserves the cookie key", async () => {
      const inner = new CallbackStore();
      const store = new ExpressStoreAdapter(inner, { layout: 'flat' });
      await store.set('id1', { user: 'ann' }, 90);
      const raw = JSON.parse(inner.records.get('id1')!.json);
      expect(Object.keys(raw).sort()).to.deep.equal(['cookie', 'user']);
      expect(await store.get('id1')).to.deep.equal({ user: 'ann' });
      const error = await rejection(store.set('id2', { cookie: 'x' }, 90));
      expect(error).to.be.instanceOf(SessionDataError);
      expect((error as Error).message).to.contain('reserved');
    });

    it('touches and destroys through the callbacks', async () => {
      const inner = new CallbackStore();
      let now = 1_700_000_000_000;
      const store = new ExpressStoreAdapter(inner, { now: () => now });
      await store.set('id1', { n: 1 }, 10);
      now += 5_000;
      await store.touch('id1', { n: 1 }, 10);
      expect(inner.records.get('id1')!.expiresAt).to.equal(now + 10_000);
      await store.destroy('id1');
      expect(inner.records.has('id1')).to.equal(false);
      expect(inner.calls).to.deep.equal(['set', 'touch', 'destroy']);
    });

    it('turns a callback error, a synchronous throw and a rejected promise into SessionStoreError', async () => {
      const inner = new CallbackStore();
      const store = new ExpressStoreAdapter(inner);
      const reset = new Error('connection reset');
      inner.failNext = reset;
      const viaCallback = await rejection(store.get('id1'));
      expect(viaCallback).to.be.instanceOf(SessionStoreError);
      expect((viaCallback as SessionStoreError).cause).to.equal(reset);
      expect((viaCallback as Error).message).to.contain('connection reset');

      const throwing = new ExpressStoreAdapter({
        get: () => {
          throw new Error('sync boom');
        },
        set: () => undefined,
        destroy: () => undefined,
      });
      expect(await rejection(throwing.get('x'))).to.be.instanceOf(SessionStoreError).with.property('message').that.contains('sync boom');

      const rejecting = new ExpressStoreAdapter({
        get: async () => {
          throw new Error('async boom');
        },
        set: () => undefined,
        destroy: () => undefined,
      });
      expect(await rejection(rejecting.get('x'))).to.be.instanceOf(SessionStoreError).with.property('message').that.contains('async boom');
    });

    it('waits for the callback even when the method returns an already resolved promise', async () => {
      const store = new ExpressStoreAdapter({
        // An async method wrapping an old-style client: its promise resolves before the callback.
        get: async (_sid: string, callback: ExpressStoreCallback) => {
          setTimeout(() => callback(null, { cookie: {}, data: { late: true } }), 5);
        },
        set: () => undefined,
        destroy: () => undefined,
      });
      expect(await store.get('x')).to.deep.equal({ late: true });
    });

    it('settles once when a store calls back twice', async () => {
      const store = new ExpressStoreAdapter({
        get: (_sid: string, callback: ExpressStoreCallback) => {
          callback(null, { cookie: {}, data: { first: true } });
          callback(new Error('second call'));
        },
        set: () => undefined,
        destroy: () => undefined,
      });
      expect(await store.get('x')).to.deep.equal({ first: true });
    });

    it('reports a malformed record instead of starting an empty session', async () => {
      const store = new ExpressStoreAdapter({
        get: (_sid: string, callback: ExpressStoreCallback) => callback(null, { cookie: {}, user: 'written by express-session' }),
        set: () => undefined,
        destroy: () => undefined,
      });
      const error = await rejection(store.get('x'));
      expect(error).to.be.instanceOf(SessionStoreError);
      expect((error as Error).message).to.contain("layout: 'flat'");
    });

    it('refuses something that is not a store', () => {
      expect(() => new ExpressStoreAdapter({} as ExpressSessionStoreLike)).to.throw(SessionConfigError, /express-session store/);
    });

    it('serves sessions end to end through the factory', async () => {
      const inner = new CallbackStore();
      const sessions = new SessionStorageFactory({ store: new ExpressStoreAdapter(inner), ttl: 30 });
      const first = sessions.create(requestWith());
      await first.set('user', 'ann');
      const cookie = cookiePair(setCookies(await first.commit(new Response()))[0]!);
      const second = sessions.create(requestWith(cookie));
      expect(await second.get('user')).to.equal('ann');
      await second.regenerate();
      const [line] = setCookies(await second.commit(new Response()));
      expect(inner.records.has(cookieValue(cookie))).to.equal(false);
      expect(inner.records.has(cookieValue(line!))).to.equal(true);
      expect(inner.calls).to.deep.equal(['set', 'get', 'destroy', 'set']);
    });
  });

  describe('with connect-redis on the local Redis (127.0.0.1:6379)', function () {
    this.timeout(30_000);
    const prefix = testPrefix();
    let client: LocalRedis;

    before(async () => {
      client = await connectLocalRedis();
    });

    after(() => dropAndClose(client, prefix));

    function factory(ttl = 60) {
      const store = new ExpressStoreAdapter(new RedisStore({ client, prefix }));
      return new SessionStorageFactory({ store, ttl });
    }

    it('saves, reads back, regenerates and destroys sessions in Redis', async () => {
      const sessions = factory(60);
      const first = sessions.create(requestWith());
      await first.set('user', 'ann');
      await first.set('roles', ['admin']);
      const cookie = cookiePair(setCookies(await first.commit(new Response()))[0]!);
      const id = cookieValue(cookie);
      expect(JSON.parse((await client.get(`${prefix}${id}`))!)).to.have.property('data').that.deep.equals({ user: 'ann', roles: ['admin'] });
      const ttl = await client.ttl(`${prefix}${id}`);
      expect(ttl).to.be.within(55, 60);

      const second = sessions.create(requestWith(cookie));
      expect(await second.all()).to.deep.equal({ user: 'ann', roles: ['admin'] });
      await second.regenerate();
      const newCookie = cookiePair(setCookies(await second.commit(new Response()))[0]!);
      expect(await client.exists(`${prefix}${id}`)).to.equal(0);
      expect(await client.exists(`${prefix}${cookieValue(newCookie)}`)).to.equal(1);

      const third = sessions.create(requestWith(newCookie));
      await third.destroy();
      expect(setCookies(await third.commit(new Response()))[0]).to.match(/^sid=; /);
      expect(await client.exists(`${prefix}${cookieValue(newCookie)}`)).to.equal(0);
    });

    it('renews the Redis TTL when a session is only read (touch)', async () => {
      const sessions = factory(60);
      const first = sessions.create(requestWith());
      await first.set('user', 'ann');
      const cookie = cookiePair(setCookies(await first.commit(new Response()))[0]!);
      const key = `${prefix}${cookieValue(cookie)}`;
      await client.expire(key, 5);
      const reader = sessions.create(requestWith(cookie));
      expect(await reader.get('user')).to.equal('ann');
      await reader.commit(new Response());
      expect(await client.ttl(key)).to.be.within(55, 60);
    });

    it('does not adopt an id Redis does not hold', async () => {
      const sessions = factory();
      const planted = randomBytes(24).toString('base64url');
      const session = await sessions.create(requestWith(`sid=${planted}`)).load();
      expect(session.isNew).to.equal(true);
      expect(session.id).to.not.equal(planted);
    });
  });
});
