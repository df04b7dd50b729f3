import { expect } from 'chai';
import { createCache } from 'cache-manager';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import { KvClearRefusedError } from '../../../src/bridges/kv/errors.js';
import { KvClient } from '../../../src/bridges/kv/kv-client.js';
import { RrKvCache } from '../../../src/bridges/kv/rr-kv-cache.js';
import { RrKvKeyvStore } from '../../../src/bridges/kv/rr-kv-keyv-store.js';
import { FakeRrKv } from './support/fake-rr-kv.js';

describe('RrKvKeyvStore (real keyv and cache-manager)', () => {
  let rr: FakeRrKv;
  let client: KvClient;
  /** How far the fake rr's clock runs ahead of the real one: lets rr expire items while Keyv's own clock has not moved. */
  let skew: number;

  beforeEach(async () => {
    skew = 0;
    rr = await FakeRrKv.start({ now: () => Date.now() + skew });
    client = new KvClient({ address: rr.address });
  });
  afterEach(async () => {
    await client.close();
    await rr.close();
  });

  const storeOn = (storage: string, prefix?: string) => new RrKvKeyvStore(new RrKvCache({ storage, client, ...(prefix === undefined ? {} : { prefix }) }));

  it("satisfies Keyv's KeyvStoreAdapter type", () => {
    const adapter: KeyvStoreAdapter = storeOn('local');
    expect(adapter.opts).to.deep.include({ dialect: 'rr-kv', storage: 'local' });
  });

  for (const storage of ['local', 'redis']) {
    it(`round-trips values through Keyv on the ${storage} storage, keys namespaced once`, async () => {
      const keyv = new Keyv({ store: storeOn(storage), namespace: 'users' });
      expect(await keyv.set('42', { name: 'Ann', tags: ['a'] })).to.equal(true);
      expect(await keyv.get('42')).to.deep.equal({ name: 'Ann', tags: ['a'] });
      expect(await keyv.has('42')).to.equal(true);
      expect(await keyv.get('nope')).to.equal(undefined);
      // Keyv prefixes the key itself and tells the store its namespace: no double prefix in rr.
      expect(keyv.store.namespace).to.equal('users');
      expect(rr.entry(storage, 'users:42')).to.not.equal(undefined);
      expect([...rr.storages.get(storage)!.entries.keys()]).to.deep.equal(['users:42']);

      expect(await keyv.delete('42')).to.equal(true);
      expect(await keyv.delete('42')).to.equal(false);
      expect(await keyv.get('42')).to.equal(undefined);
    });
  }

  it('keeps two namespaces on one storage apart', async () => {
    const store = storeOn('redis');
    const users = new Keyv({ store, namespace: 'users' });
    const posts = new Keyv({ store: storeOn('redis'), namespace: 'posts' });
    await users.set('1', 'user one');
    await posts.set('1', 'post one');
    expect(await users.get('1')).to.equal('user one');
    expect(await posts.get('1')).to.equal('post one');
  });

  it('getMany / setMany / deleteMany / hasMany with missing keys', async () => {
    const keyv = new Keyv({ store: storeOn('local') });
    await keyv.setMany([
      { key: 'a', value: 1 },
      { key: 'b', value: 2, ttl: 60_000 },
    ]);
    expect(await keyv.getMany(['a', 'missing', 'b'])).to.deep.equal([1, undefined, 2]);
    expect(await keyv.hasMany(['a', 'missing'])).to.deep.equal([true, false]);
    expect(await keyv.deleteMany(['a', 'b'])).to.equal(true);
    expect(await keyv.getMany(['a', 'b'])).to.deep.equal([undefined, undefined]);
    expect(rr.callsOf('MGet').map((call) => call.keys)).to.deep.include(['keyv:a', 'keyv:missing', 'keyv:b']);
  });

  it('gives rr the TTL (ms -> s), so rr drops the item even where Keyv has not yet looked', async () => {
    const keyv = new Keyv({ store: storeOn('redis') });
    await keyv.set('short', 'v', 1500);
    const [timeout] = rr.callsOf('Set')[0]!.timeouts;
    const at = Date.parse(timeout!);
    expect(at - Date.now()).to.be.within(1000, 3100);
    expect(await keyv.get('short')).to.equal('v');
    skew = 5000; // rr's clock passes the expiry; Keyv's own `expires` check has not
    expect(await keyv.get('short')).to.equal(undefined);
    expect(await keyv.get('forever-not-set')).to.equal(undefined);
  });

  it("clear() deletes the cache prefix's keys (every Keyv namespace on that cache) and nothing else in the storage", async () => {
    const a = new Keyv({ store: storeOn('local', 'app:'), namespace: 'a' });
    const b = new Keyv({ store: storeOn('local', 'app:'), namespace: 'b' });
    const sessions = new Keyv({ store: storeOn('local', 'sess:'), namespace: 'a' });
    const elsewhere = new Keyv({ store: storeOn('redis', 'app:'), namespace: 'a' });
    await a.set('k', 1);
    await b.set('k', 2);
    await sessions.set('k', 3);
    await elsewhere.set('k', 4);
    await a.clear();
    expect(await a.get('k')).to.equal(undefined);
    expect(await b.get('k')).to.equal(undefined);
    expect(await sessions.get('k')).to.equal(3);
    expect(await elsewhere.get('k')).to.equal(4);
  });

  it('clear() refuses to flush a storage the cache does not own (no prefix), unless told it owns it', async () => {
    const shared = new Keyv({ store: storeOn('local'), throwOnErrors: true });
    await shared.set('k', 1);
    let thrown: unknown;
    await shared.clear().catch((error: unknown) => (thrown = error));
    expect(thrown).to.be.instanceOf(KvClearRefusedError);
    expect(await shared.get('k')).to.equal(1);
    const owner = new Keyv({ store: new RrKvKeyvStore({ storage: 'local', client, ownsStorage: true }) });
    await owner.clear();
    expect(await shared.get('k')).to.equal(undefined);
  });

  it('reports rr failures through Keyv (error event; thrown with throwOnErrors)', async () => {
    const keyv = new Keyv({ store: storeOn('no-such-storage'), throwOnErrors: true });
    const errors: unknown[] = [];
    keyv.on('error', (error) => errors.push(error));
    let thrown: unknown;
    await keyv.set('k', 1).catch((error: unknown) => (thrown = error));
    expect((thrown as Error)?.constructor.name).to.equal('KvStorageNotFoundError');
    expect(errors).to.have.length(1);
  });

  it('works under cache-manager: set/get/mget/mset/del/ttl/wrap', async () => {
    const cache = createCache({ stores: [new Keyv({ store: storeOn('redis', 'cm:') })] });
    expect(await cache.set('k', { n: 1 }, 60_000)).to.deep.equal({ n: 1 });
    expect(await cache.get('k')).to.deep.equal({ n: 1 });
    await cache.mset([
      { key: 'x', value: 'X' },
      { key: 'y', value: 'Y', ttl: 30_000 },
    ]);
    expect(await cache.mget(['x', 'missing', 'y'])).to.deep.equal(['X', undefined, 'Y']);
    const ttl = await cache.ttl('k');
    expect(ttl! - Date.now()).to.be.within(55_000, 60_001);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.wrap('computed', compute, 10_000)).to.equal(1);
    expect(await cache.wrap('computed', compute, 10_000)).to.equal(1);
    expect(calls).to.equal(1);
    expect(await cache.del('x')).to.equal(true);
    expect(await cache.get('x')).to.equal(undefined);
    // All of it went to rr's "redis" storage, under the cache's prefix and Keyv's namespace.
    // (Next to them, under the prefix too, the key index that lets clear() delete exactly these.)
    const keys = [...rr.storages.get('redis')!.entries.keys()];
    expect(keys.filter((key) => !key.startsWith('cm:~rr-kv-index~/')).every((key) => key.startsWith('cm:keyv:'))).to.equal(true);
    expect(rr.entry('redis', 'cm:keyv:computed')).to.not.equal(undefined);
  });
});
