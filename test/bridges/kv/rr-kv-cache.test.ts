import { expect } from 'chai';
import { KvClearRefusedError, KvConfigError, KvKeyError, KvStorageNotFoundError, KvValueError } from '../../../src/bridges/kv/errors.js';
import { KvClient } from '../../../src/bridges/kv/kv-client.js';
import { KV_INDEX_MARKER } from '../../../src/bridges/kv/kv-key-index.js';
import { RrKvCache } from '../../../src/bridges/kv/rr-kv-cache.js';
import type { Serializer } from '../../../src/bridges/kv/serializer/serializer.js';
import { rejection } from '../../support/assertions.js';
import { FakeRrKv } from './support/fake-rr-kv.js';

const decode = (value: Uint8Array | undefined) => (value === undefined ? undefined : new TextDecoder().decode(value));

describe('RrKvCache', () => {
  let rr: FakeRrKv;
  let client: KvClient;
  let clock: number;
  const now = () => clock;

  beforeEach(async () => {
    clock = Date.UTC(2024, 0, 2, 3, 4, 5);
    rr = await FakeRrKv.start({ now });
    client = new KvClient({ address: rr.address, now });
  });
  afterEach(async () => {
    await client.close();
    await rr.close();
  });

  const cacheOn = (storage: string, extra: Partial<ConstructorParameters<typeof RrKvCache>[0]> = {}) => new RrKvCache({ storage, client, now, ...extra });

  for (const storage of ['local', 'redis']) {
    describe(`on the ${storage} storage`, () => {
      it('stores values as JSON by default and reads them back; a missing key gives undefined or the default', async () => {
        const cache = cacheOn(storage);
        await cache.set('user:1', { name: 'Ann', roles: ['admin'], n: 1.5, ok: true, none: null });
        expect(await cache.get('user:1')).to.deep.equal({ name: 'Ann', roles: ['admin'], n: 1.5, ok: true, none: null });
        expect(decode(rr.entry(storage, 'user:1')?.value)).to.equal('{"name":"Ann","roles":["admin"],"n":1.5,"ok":true,"none":null}');
        expect(await cache.get('missing')).to.equal(undefined);
        expect(await cache.get('missing', 'fallback')).to.equal('fallback');
        await cache.set('null', null);
        expect(await cache.get('null', 'fallback')).to.equal(null); // stored null is a value, not a miss
      });

      it('has / delete / clear', async () => {
        const cache = cacheOn(storage, { prefix: 'p:' });
        await cache.set('a', 1);
        await cache.set('b', 2);
        expect(await cache.has('a')).to.equal(true);
        await cache.delete('a');
        expect(await cache.has('a')).to.equal(false);
        await cache.delete('never-there');
        await cache.clear();
        expect(await cache.has('b')).to.equal(false);
      });

      it('expires values after their TTL (seconds or Date)', async () => {
        const cache = cacheOn(storage);
        await cache.set('s', 'seconds', 30);
        await cache.set('d', 'date', new Date(clock + 60_000));
        await cache.set('forever', 'no ttl');
        clock += 29_000;
        expect(await cache.getMany(['s', 'd', 'forever'])).to.deep.equal(new Map([['s', 'seconds'], ['d', 'date'], ['forever', 'no ttl']]));
        clock += 2_000;
        expect(await cache.get('s')).to.equal(undefined);
        clock += 31_000;
        expect(await cache.getMany(['s', 'd', 'forever'])).to.deep.equal(new Map([['s', undefined], ['d', undefined], ['forever', 'no ttl']]));
      });

      it('deletes instead of storing for a TTL <= 0 or a past Date (PSR-16), where rr would keep it forever', async () => {
        const cache = cacheOn(storage);
        for (const ttl of [0, -10, new Date(clock - 1)]) {
          await cache.set('k', 'old');
          await cache.set('k', 'new', ttl);
          expect(await cache.has('k'), `ttl ${String(ttl)}`).to.equal(false);
        }
        expect(rr.callsOf('Set').every((call) => call.timeouts.every((timeout) => timeout === ''))).to.equal(true);
      });

      it('getMany keeps the order asked (repeats collapsed), with the default for missing keys, in one rr call', async () => {
        const cache = cacheOn(storage);
        await cache.setMany({ a: 'A', c: 'C' });
        const before = rr.callsOf('MGet').length;
        const values = await cache.getMany(['c', 'missing', 'a', 'c'], 'default');
        expect([...values]).to.deep.equal([
          ['c', 'C'],
          ['missing', 'default'],
          ['a', 'A'],
        ]);
        expect(rr.callsOf('MGet').length - before).to.equal(1);
        expect((await cache.getMany([])).size).to.equal(0);
      });

      it('setMany takes a Map, pairs or an object, with one TTL; deleteMany removes several keys in one call', async () => {
        const cache = cacheOn(storage);
        await cache.setMany(new Map([['m1', 1], ['m2', 2]]), 10);
        await cache.setMany([['p1', 'x']]);
        await cache.setMany({ o1: [1, 2] });
        expect(rr.callsOf('Set')[0]!.keys).to.deep.equal(['m1', 'm2']);
        expect(rr.callsOf('Set')[0]!.timeouts.every((timeout) => timeout !== '')).to.equal(true);
        expect(await cache.getMany(['m1', 'm2', 'p1', 'o1'])).to.deep.equal(new Map<string, unknown>([['m1', 1], ['m2', 2], ['p1', 'x'], ['o1', [1, 2]]]));
        await cache.deleteMany(['m1', 'p1']);
        expect(rr.callsOf('Delete').at(-1)!.keys).to.deep.equal(['m1', 'p1']);
        expect(await cache.hasMany(['m1', 'm2', 'p1', 'o1'])).to.deep.equal(new Map([['m1', false], ['m2', true], ['p1', false], ['o1', true]]));
      });

      it('expire renews a key without rewriting it, and deletes it for a TTL <= 0', async () => {
        const cache = cacheOn(storage);
        await cache.set('k', 'v', 10);
        await cache.expire('k', 100);
        expect(rr.callsOf('MExpire')).to.have.length(1);
        clock += 50_000;
        expect(await cache.get('k')).to.equal('v');
        const expiresAt = await cache.expiresAt('k');
        expect(expiresAt!.getTime()).to.be.above(clock);
        await cache.expire('k', 0);
        expect(await cache.has('k')).to.equal(false);
      });

      it('stores a value larger than 1 MiB', async () => {
        const cache = cacheOn(storage);
        const big = 'x'.repeat(1024 * 1024) + 'end';
        await cache.set('big', { big });
        expect(((await cache.get<{ big: string }>('big'))!).big).to.equal(big);
      });
    });
  }

  it('prefixes every rr key, so two caches share one storage without seeing each other', async () => {
    const a = cacheOn('local', { prefix: 'app-a:' });
    const b = cacheOn('local', { prefix: 'app-b:' });
    await a.set('k', 'A');
    await b.set('k', 'B');
    await a.setMany({ m: 1 });
    expect(await a.get('k')).to.equal('A');
    expect(await b.get('k')).to.equal('B');
    expect(rr.entry('local', 'app-a:k')).to.not.equal(undefined);
    expect(rr.entry('local', 'app-a:m')).to.not.equal(undefined);
    expect(await a.getMany(['k', 'm'])).to.deep.equal(new Map<string, unknown>([['k', 'A'], ['m', 1]]));
    await a.delete('k');
    expect(await b.get('k')).to.equal('B');
    expect(rr.calls.flatMap((call) => call.keys).every((key) => key.startsWith('app-'))).to.equal(true);
  });

  it('uses the serializer it is given, both ways', async () => {
    const upper: Serializer = {
      name: 'upper',
      serialize: (value: unknown) => new TextEncoder().encode(String(value).toUpperCase()),
      deserialize: (bytes: Uint8Array) => `read:${new TextDecoder().decode(bytes)}`,
    };
    const cache = cacheOn('redis', { serializer: upper });
    await cache.set('k', 'hello');
    expect(decode(rr.entry('redis', 'k')?.value)).to.equal('HELLO');
    expect(await cache.get('k')).to.equal('read:HELLO');
  });

  it('reads the empty value rr memory leaves after kv.MExpire on a missing key as missing', async () => {
    const cache = cacheOn('local');
    await cache.expire('gone', 60);
    expect(rr.entry('local', 'gone')?.value.length).to.equal(0); // what rr's memory driver does
    expect(await cache.get('gone', 'default')).to.equal('default');
  });

  it('fails a serializer refusal before writing anything, naming the key', async () => {
    const cache = cacheOn('local');
    const error = await rejection(cache.setMany({ ok: 1, bad: undefined }));
    expect(error).to.be.instanceOf(KvValueError);
    expect((error as KvValueError).key).to.equal('bad');
    expect((error as KvValueError).cause).to.be.instanceOf(TypeError);
    expect((error as Error).message).to.match(/key "bad" in storage "local".*json serializer/);
    expect(rr.callsOf('Set')).to.have.length(0);
  });

  it('reports stored bytes the serializer cannot read as a KvValueError with the key, for get and getMany', async () => {
    const cache = cacheOn('local', { prefix: 'p:' });
    await client.set('local', [{ key: 'p:broken', value: new TextEncoder().encode('{not json') }]);
    await cache.set('fine', 1);
    for (const read of [() => cache.get('broken'), () => cache.getMany(['fine', 'broken'])]) {
      const error = await rejection(read());
      expect(error).to.be.instanceOf(KvValueError);
      expect(error).to.include({ key: 'broken', storage: 'local', serializer: 'json', code: 'ERR_KV_VALUE' });
      expect((error as KvValueError).cause).to.be.instanceOf(SyntaxError);
    }
  });

  it('does not connect when constructed; connects at first use', async () => {
    const own = new RrKvCache({ storage: 'local', address: rr.address });
    try {
      expect(rr.server.connections).to.equal(0);
      await own.set('a', 1);
      expect(rr.server.connections).to.equal(1);
      expect(await own.get('a')).to.equal(1);
    } finally {
      await own.close();
    }
  });

  it('surfaces an unknown storage as KvStorageNotFoundError', async () => {
    const error = (await rejection(cacheOn('nope').get('a'))) as KvStorageNotFoundError;
    expect(error).to.be.instanceOf(KvStorageNotFoundError);
    expect(error.storage).to.equal('nope');
  });

  it('validates its options', () => {
    expect(() => new RrKvCache({ storage: '' })).to.throw(KvConfigError, /storage/);
    expect(() => new RrKvCache({ storage: 'a', prefix: 3 as unknown as string })).to.throw(KvConfigError, /prefix/);
    expect(() => new RrKvCache({ storage: 'a', serializer: {} as Serializer })).to.throw(KvConfigError, /serializer/);
  });
  describe('clear()', () => {
    /** Every live rr key of a storage that is not part of the key index. */
    const dataKeys = (storage: string) =>
      [...rr.storages.get(storage)!.entries.keys()].filter((key) => !key.includes(KV_INDEX_MARKER) && rr.entry(storage, key)!.value.length > 0).sort();
    const indexWrites = (storage: string) => rr.callsOf('Set').filter((call) => call.storage === storage && call.keys.some((key) => key.includes('/w/')));

    it('refuses, with a typed error saying how to opt in, when the cache has no prefix; nothing is deleted', async () => {
      const cache = cacheOn('local');
      await cache.set('mine', 1);
      await client.set('local', [{ key: 'session:abc', value: new TextEncoder().encode('{}') }]);
      const error = (await rejection(cache.clear())) as KvClearRefusedError;
      expect(error).to.be.instanceOf(KvClearRefusedError);
      expect(error).to.include({ code: 'ERR_KV_CLEAR_REFUSED', storage: 'local', method: 'kv.Clear' });
      expect(error.message).to.match(/storage "local".*no key prefix.*whole storage.*prefix.*ownsStorage: true.*clearStorage\(\)/);
      expect(rr.callsOf('Clear')).to.have.length(0);
      expect(dataKeys('local')).to.deep.equal(['mine', 'session:abc']);
    });

    it('empties the whole storage when the cache owns it (ownsStorage: true), or through clearStorage()', async () => {
      const owner = cacheOn('local', { ownsStorage: true, prefix: 'o:' });
      await owner.set('k', 1);
      await client.set('local', [{ key: 'foreign', value: new TextEncoder().encode('1') }]);
      await owner.clear();
      expect(dataKeys('local')).to.deep.equal([]);
      expect(indexWrites('local'), 'an owner keeps no index').to.have.length(0);
      await client.set('local', [{ key: 'foreign', value: new TextEncoder().encode('1') }]);
      await cacheOn('local').clearStorage();
      expect(dataKeys('local')).to.deep.equal([]);
      expect(() => cacheOn('local', { ownsStorage: 'yes' as never })).to.throw(KvConfigError, /ownsStorage/);
    });

    for (const storage of ['local', 'redis']) {
      it(`on the ${storage} storage, removes the keys every worker wrote under the prefix and nothing else`, async () => {
        // Two caches with the same prefix stand for two workers: each keeps its own index record.
        const worker1 = cacheOn(storage, { prefix: 'app:' });
        const worker2 = cacheOn(storage, { prefix: 'app:' });
        const sessions = cacheOn(storage, { prefix: 'sess:' });
        await worker1.set('a', 1);
        await worker1.setMany({ b: 2, c: 3 }, 60);
        await worker2.set('d', 4, new Date(clock + 3_600_000));
        await worker2.set('a', 'overwritten by worker 2');
        await sessions.set('s1', { user: 'ann' }, 600);
        await client.set(storage, [{ key: 'raw', value: new TextEncoder().encode('untouched') }]);
        await client.set(storage, [{ key: 'app-other', value: new TextEncoder().encode('same start, other prefix') }]);

        await worker1.clear();

        expect(dataKeys(storage)).to.deep.equal(['app-other', 'raw', 'sess:s1']);
        expect(await sessions.get('s1')).to.deep.equal({ user: 'ann' });
        expect(rr.callsOf('Clear')).to.have.length(0);

        // Clearing again after new writes works the same: the records still list re-set keys.
        await worker1.set('a', 'again');
        await worker2.set('e', 5);
        await worker2.clear();
        expect(dataKeys(storage)).to.deep.equal(['app-other', 'raw', 'sess:s1']);
      });
    }

    it('loses no key written concurrently by several workers (one index record per writer, never shared)', async () => {
      const workers = Array.from({ length: 4 }, () => cacheOn('redis', { prefix: 'app:' }));
      await Promise.all(workers.flatMap((cache, w) => Array.from({ length: 25 }, (_, i) => cache.set(`w${w}-k${i}`, i, i % 2 === 0 ? 120 : undefined))));
      // Joining the registry is the one read-modify-write (two writers drawing the same of 64 slots
      // at the same moment can drop one); a dropped writer joins again at its next new key. One
      // more key each makes this test independent of the slots drawn.
      for (const [w, cache] of workers.entries()) await cache.set(`w${w}-last`, 'x');
      expect(dataKeys('redis')).to.have.length(104);
      // Record writes of one writer are coalesced, not one per set.
      expect(indexWrites('redis').length).to.be.below(4 * 26);
      await workers[0]!.clear();
      expect(dataKeys('redis')).to.deep.equal([]);
    });

    it('a writer dropped from the registry joins again at its next new key', async () => {
      const cache = cacheOn('local', { prefix: 'app:' });
      await cache.set('a', 1);
      for (const key of [...rr.storages.get('local')!.entries.keys()]) if (key.includes('/r/')) rr.storages.get('local')!.entries.delete(key);
      await cache.set('b', 2);
      await cacheOn('local', { prefix: 'app:' }).clear();
      expect(dataKeys('local')).to.deep.equal([]);
    });

    it('rewrites the index only for new keys or longer lives: a hot key re-set on every request costs no index write', async () => {
      const cache = cacheOn('local', { prefix: 'app:' });
      await cache.set('hot', 1, 60);
      expect(indexWrites('local')).to.have.length(1);
      for (let i = 0; i < 20; i++) {
        clock += 1000;
        await cache.set('hot', i, 60);
      }
      expect(indexWrites('local')).to.have.length(1);
      clock += 50_000; // past the first TTL: the record must be extended before it could lapse
      await cache.set('hot', 'later', 60);
      expect(indexWrites('local')).to.have.length(2);
      await cache.get('hot');
      await cache.delete('hot');
      expect(indexWrites('local'), 'reads and deletes never write the index').to.have.length(2);
    });

    it("the index record lives as long as its writer's keys (rr expires it), and expire() extends it", async () => {
      const cache = cacheOn('redis', { prefix: 'app:' });
      await cache.set('short', 1, 10);
      const recordKey = [...rr.storages.get('redis')!.entries.keys()].find((key) => key.includes('/w/'))!;
      const first = rr.entry('redis', recordKey)!.expiresAt!;
      expect(first).to.be.above(clock + 10_000);
      await cache.expire('short', 3600);
      expect(rr.entry('redis', recordKey)!.expiresAt!).to.be.above(clock + 3_600_000);
      await cache.set('forever', 1);
      expect(rr.entry('redis', recordKey)!.expiresAt, 'a key without TTL keeps the record').to.equal(undefined);
      clock += 7_300_000;
      await cache.deleteMany(['forever']);
      await cacheOn('redis', { prefix: 'app:' }).clear();
      expect(dataKeys('redis')).to.deep.equal([]);
    });

    it('refuses keys that would collide with the index, and fails clear() on an index record it did not write', async () => {
      const cache = cacheOn('local', { prefix: 'app:' });
      for (const write of [() => cache.set(`x${KV_INDEX_MARKER}/r/0`, 1), () => cache.get(`${KV_INDEX_MARKER}`)]) {
        const refused = await rejection(write());
        expect(refused).to.be.instanceOf(KvKeyError);
        expect((refused as Error).message).to.match(/reserved for the key index/);
      }
      await client.set('local', [{ key: `app:${KV_INDEX_MARKER}/r/3`, value: new TextEncoder().encode('"not a list"') }]);
      const error = (await rejection(cache.clear())) as KvValueError;
      expect(error).to.be.instanceOf(KvValueError);
      expect(error.message).to.match(/index record .* is not one the cache wrote/);
    });
  });
});
