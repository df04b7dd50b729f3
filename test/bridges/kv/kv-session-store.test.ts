import { expect } from 'chai';
import { KvConfigError } from '../../../src/bridges/kv/errors.js';
import { KvClient } from '../../../src/bridges/kv/kv-client.js';
import { KvSessionStore } from '../../../src/bridges/kv/kv-session-store.js';
import { RrKvCache } from '../../../src/bridges/kv/rr-kv-cache.js';
import { generateSessionId, SessionDataError, SessionStorageFactory } from '../../../src/bridges/session/index.js';
import { rejection } from '../../support/assertions.js';
import { FakeRrKv } from './support/fake-rr-kv.js';

const cookieOf = (response: Response) => response.headers.getSetCookie()[0]?.split(';')[0];
const requestWith = (cookie?: string) => new Request('https://app.test/', cookie === undefined ? {} : { headers: { cookie } });

describe('KvSessionStore', () => {
  let rr: FakeRrKv;
  let client: KvClient;
  let clock: number;
  const now = () => clock;

  beforeEach(async () => {
    clock = Date.now();
    rr = await FakeRrKv.start({ now });
    client = new KvClient({ address: rr.address, now });
  });
  afterEach(async () => {
    await client.close();
    await rr.close();
  });

  for (const storage of ['local', 'redis']) {
    it(`keeps sessions across requests through SessionStorageFactory on the ${storage} storage, with the TTL in rr`, async () => {
      const store = new KvSessionStore(new RrKvCache({ storage, client, now }));
      const sessions = new SessionStorageFactory({ store, ttl: 600 });

      // Request 1: log in.
      const first = sessions.create(requestWith());
      await first.set('user', { id: 7, name: 'Ann' });
      const cookie = cookieOf(await first.commit(new Response('ok')));
      expect(cookie).to.match(/=.+/);
      const key = [...rr.storages.get(storage)!.entries.keys()][0]!;
      expect(key).to.match(/^session:/);
      expect(rr.callsOf('Set')[0]!.timeouts[0]).to.not.equal(''); // stored with an rr expiry

      // Request 2 (another worker would see the same): read it back, unchanged -> touch (kv.MExpire).
      const second = sessions.create(requestWith(cookie));
      expect(await second.get('user')).to.deep.equal({ id: 7, name: 'Ann' });
      await second.commit(new Response('ok'));
      expect(rr.callsOf('MExpire').map((call) => call.keys)).to.deep.equal([[key]]);

      // The touch pushed the expiry: 500 s after it the session is still there; 700 s after, gone.
      clock += 500_000;
      expect(await sessions.create(requestWith(cookie)).get('user')).to.deep.equal({ id: 7, name: 'Ann' });
      clock += 200_000;
      const expired = sessions.create(requestWith(cookie));
      expect(await expired.get('user')).to.equal(undefined);
      expect(expired.isNew).to.equal(true);
    });
  }

  it('destroy removes the session from rr', async () => {
    const cache = new RrKvCache({ storage: 'redis', client, now });
    const sessions = new SessionStorageFactory({ store: new KvSessionStore(cache, { keyPrefix: 'sess:' }) });
    const first = sessions.create(requestWith());
    await first.set('a', 1);
    const cookie = cookieOf(await first.commit(new Response('ok')));
    expect([...rr.storages.get('redis')!.entries.keys()][0]).to.match(/^sess:/);

    const second = sessions.create(requestWith(cookie));
    await second.load();
    await second.destroy();
    await second.commit(new Response('ok'));
    expect(rr.storages.get('redis')!.entries.size).to.equal(0);
    expect(await sessions.create(requestWith(cookie)).get('a')).to.equal(undefined);
  });

  it('treats a session touched after it expired (rr memory leaves an empty value) as no session', async () => {
    const store = new KvSessionStore(new RrKvCache({ storage: 'local', client, now }));
    await store.touch('abc', {}, 60);
    expect(rr.entry('local', 'session:abc')?.value.length).to.equal(0);
    expect(await store.get('abc')).to.equal(undefined);
  });

  it('refuses a foreign value under a session key instead of handing it to the application', async () => {
    const cache = new RrKvCache({ storage: 'local', client, now });
    const sessions = new SessionStorageFactory({ store: new KvSessionStore(cache) });
    const id = generateSessionId();
    await cache.set(`session:${id}`, ['not', 'a', 'session']);
    const session = sessions.create(requestWith(`${sessions.cookieName}=${id}`));
    const error = await rejection(session.get('a'));
    expect(error).to.be.instanceOf(SessionDataError);
    expect((error as Error).message).to.contain('plain object');
  });

  it('needs a cache', () => {
    expect(() => new KvSessionStore({} as RrKvCache)).to.throw(KvConfigError, /RrKvCache/);
  });
});
