import { expect } from 'chai';
import { MemorySessionStore, SessionConfigError, SessionStorageFactory } from '../../../src/bridges/session/index.js';
import { cookiePair, requestWith, setCookies } from './support.js';

describe('MemorySessionStore', () => {
  let now = 1_000_000;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('returns what was set until the TTL runs out, then nothing', async () => {
    const store = new MemorySessionStore({ now: clock });
    await store.set('a', { user: 'ann' }, 10);
    now += 9_999;
    expect(await store.get('a')).to.deep.equal({ user: 'ann' });
    now += 1;
    expect(await store.get('a')).to.equal(undefined);
    expect(store.size).to.equal(0);
  });

  it('touch pushes the expiry out; it does not revive an expired session', async () => {
    const store = new MemorySessionStore({ now: clock });
    await store.set('a', { n: 1 }, 10);
    now += 8_000;
    await store.touch('a', { n: 1 }, 10);
    now += 8_000;
    expect(await store.get('a')).to.deep.equal({ n: 1 });
    now += 2_000;
    expect(await store.get('a')).to.equal(undefined);
    await store.touch('a', { n: 1 }, 10);
    expect(await store.get('a')).to.equal(undefined);
  });

  it('destroys and clears', async () => {
    const store = new MemorySessionStore();
    await store.set('a', { n: 1 }, 10);
    await store.set('b', { n: 2 }, 10);
    await store.destroy('a');
    await store.destroy('never-there');
    expect(await store.get('a')).to.equal(undefined);
    expect(await store.get('b')).to.deep.equal({ n: 2 });
    store.clear();
    expect(store.size).to.equal(0);
  });

  it('keeps a serialized copy: changing the object given or returned changes nothing stored', async () => {
    const store = new MemorySessionStore();
    const data = { list: [1] };
    await store.set('a', data, 10);
    data.list.push(2);
    const read = (await store.get('a')) as { list: number[] };
    expect(read).to.deep.equal({ list: [1] });
    expect(() => read.list.push(3)).to.throw(TypeError);
  });

  it('stays within maxSessions by dropping the least recently used', async () => {
    const store = new MemorySessionStore({ maxSessions: 3, now: clock });
    for (const id of ['a', 'b', 'c']) await store.set(id, { id }, 60);
    await store.touch('a', { id: 'a' }, 60); // a is now the most recently used
    await store.set('d', { id: 'd' }, 60);
    expect(store.size).to.equal(3);
    expect(await store.get('b')).to.equal(undefined);
    for (const id of ['a', 'c', 'd']) expect(await store.get(id)).to.deep.equal({ id });
  });

  it('refuses a maxSessions below 1', () => {
    expect(() => new MemorySessionStore({ maxSessions: 0 })).to.throw(SessionConfigError, /maxSessions/);
  });

  it('ends a session through the factory once its TTL passes without use', async () => {
    const store = new MemorySessionStore({ now: clock });
    const sessions = new SessionStorageFactory({ store, ttl: 60 });
    const first = sessions.create(requestWith());
    await first.set('user', 'ann');
    const cookie = cookiePair(setCookies(await first.commit(new Response()))[0]!);

    now += 50_000; // used within the TTL: the expiry slides (touch)
    const active = sessions.create(requestWith(cookie));
    expect(await active.get('user')).to.equal('ann');
    await active.commit(new Response());

    now += 50_000; // 100 s after login, 50 s after last use: still there
    const stillActive = sessions.create(requestWith(cookie));
    expect(await stillActive.get('user')).to.equal('ann');
    await stillActive.commit(new Response());

    now += 60_001;
    const expired = await sessions.create(requestWith(cookie)).load();
    expect(expired.isNew).to.equal(true);
    expect(await expired.get('user')).to.equal(undefined);
  });
});
