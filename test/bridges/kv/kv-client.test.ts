import { expect } from 'chai';
import { createServer, type AddressInfo } from 'node:net';
import {
  KvConnectionError,
  KvError,
  KvKeyError,
  KvStorageNotFoundError,
  KvTtlError,
} from '../../../src/bridges/kv/errors.js';
import { KvClient } from '../../../src/bridges/kv/kv-client.js';
import { FrameFlag } from '../../../src/runtime/goridge/flags.js';
import { RpcClient } from '../../../src/runtime/rpc/rpc-client.js';
import { rejection } from '../../support/assertions.js';
import { FakeRrKv } from './support/fake-rr-kv.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => (value === undefined ? undefined : new TextDecoder().decode(value));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const STORAGES = ['local', 'redis'] as const;

/** A port nothing listens on: rr is "down". */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('KvClient', () => {
  let rr: FakeRrKv;
  let kv: KvClient;
  let clock: number;

  beforeEach(async () => {
    clock = Date.UTC(2024, 4, 6, 7, 8, 9, 300);
    rr = await FakeRrKv.start({ now: () => clock });
    kv = new KvClient({ address: rr.address, now: () => clock, timeoutMs: 5000 });
  });
  afterEach(async () => {
    await kv.close();
    await rr.close();
  });

  it('does not connect when constructed, only at the first call, then keeps one connection', async () => {
    expect(rr.server.connections).to.equal(0);
    await kv.has('local', ['a']);
    await kv.mGet('redis', ['a']);
    expect(rr.server.connections).to.equal(1);
  });

  it('speaks protobuf (codec 0x80) with method names kv.<Method> and the storage in the request', async () => {
    await kv.set('local', [{ key: 'a', value: bytes('1') }]);
    const [request] = rr.server.requests;
    expect(request!.method).to.equal('kv.Set');
    expect(request!.flags).to.equal(FrameFlag.CODEC_PROTO);
    expect(rr.calls[0]).to.deep.include({ method: 'Set', storage: 'local', keys: ['a'] });
  });

  for (const storage of STORAGES) {
    describe(`on the ${storage} storage`, () => {
      it('set / mGet / has round-trip bytes; missing keys are absent from mGet and false in has', async () => {
        await kv.set(storage, [
          { key: 'a', value: bytes('alpha') },
          { key: 'b', value: Uint8Array.of(0, 1, 2, 255) },
        ]);
        const values = await kv.mGet(storage, ['a', 'b', 'missing']);
        expect([...values.keys()].sort()).to.deep.equal(['a', 'b']);
        expect(text(values.get('a'))).to.equal('alpha');
        expect([...values.get('b')!]).to.deep.equal([0, 1, 2, 255]);
        expect([...(await kv.has(storage, ['a', 'missing', 'b']))]).to.deep.equal([
          ['a', true],
          ['missing', false],
          ['b', true],
        ]);
      });

      it('sends an absolute RFC 3339 timeout for a TTL in seconds and the item expires when it says', async () => {
        await kv.set(storage, [{ key: 't', value: bytes('x'), ttl: 10 }, { key: 'forever', value: bytes('y') }]);
        const [timeout, none] = rr.callsOf('Set')[0]!.timeouts;
        expect(timeout).to.match(/^2024-05-06T07:08:20\+00:00$/); // 07:08:09.3 + 10 s + slack, rounded up
        expect(none).to.equal('');

        clock += 9_000;
        expect((await kv.has(storage, ['t'])).get('t')).to.equal(true);
        clock += 2_000;
        expect((await kv.has(storage, ['t', 'forever']))).to.deep.equal(new Map([['t', false], ['forever', true]]));
        expect((await kv.mGet(storage, ['t'])).size).to.equal(0);
      });

      it('accepts a Date as an absolute expiry', async () => {
        await kv.set(storage, [{ key: 'd', value: bytes('x'), ttl: new Date(clock + 60_000) }]);
        clock += 59_000;
        expect((await kv.has(storage, ['d'])).get('d')).to.equal(true);
        clock += 3_000;
        expect((await kv.has(storage, ['d'])).get('d')).to.equal(false);
      });

      it('mExpire gives an existing key a new expiry without changing its value; ttl reads it back', async () => {
        await kv.set(storage, [{ key: 'k', value: bytes('keep'), ttl: 5 }]);
        await kv.mExpire(storage, [{ key: 'k', ttl: 100 }]);
        clock += 50_000;
        expect(text((await kv.mGet(storage, ['k'])).get('k'))).to.equal('keep');
        const ttl = await kv.ttl(storage, ['k', 'missing']);
        expect(ttl.has('missing')).to.equal(false);
        const expires = ttl.get('k');
        expect(expires).to.be.instanceOf(Date);
        expect(expires!.getTime() - (clock - 50_000)).to.be.within(100_000, 102_000);
        clock += 52_000;
        expect((await kv.mGet(storage, ['k'])).size).to.equal(0);
      });

      it('delete removes only the keys named; clear empties this storage and not the other one', async () => {
        const other = storage === 'local' ? 'redis' : 'local';
        await kv.set(storage, [{ key: 'a', value: bytes('1') }, { key: 'b', value: bytes('2') }, { key: 'c', value: bytes('3') }]);
        await kv.set(other, [{ key: 'a', value: bytes('other') }]);
        await kv.delete(storage, ['a', 'b', 'never-there']);
        expect([...(await kv.mGet(storage, ['a', 'b', 'c'])).keys()]).to.deep.equal(['c']);
        await kv.clear(storage);
        expect((await kv.mGet(storage, ['c'])).size).to.equal(0);
        expect(text((await kv.mGet(other, ['a'])).get('a'))).to.equal('other');
      });

      it('stores and reads back a value larger than 1 MiB intact', async () => {
        const big = new Uint8Array(3 * 1024 * 1024 + 5);
        for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 256;
        await kv.set(storage, [{ key: 'big', value: big }]);
        const back = (await kv.mGet(storage, ['big'])).get('big');
        expect(back?.length).to.equal(big.length);
        expect(Buffer.from(back!).equals(Buffer.from(big))).to.equal(true);
      });
    });
  }

  it('uses both storages at once over one connection, each with its own data', async () => {
    await Promise.all([
      kv.set('local', [{ key: 'same', value: bytes('from local') }]),
      kv.set('redis', [{ key: 'same', value: bytes('from redis') }]),
    ]);
    const [local, redis] = await Promise.all([kv.mGet('local', ['same']), kv.mGet('redis', ['same'])]);
    expect(text(local.get('same'))).to.equal('from local');
    expect(text(redis.get('same'))).to.equal('from redis');
    expect(rr.server.connections).to.equal(1);
  });

  it('reports a key without expiry as null on memory, and absent on redis (rr omits it there)', async () => {
    await kv.set('local', [{ key: 'k', value: bytes('1') }]);
    await kv.set('redis', [{ key: 'k', value: bytes('1') }]);
    expect((await kv.ttl('local', ['k'])).get('k')).to.equal(null);
    expect((await kv.ttl('redis', ['k'])).has('k')).to.equal(false);
  });

  it('observes a real 1-second TTL expiring on the memory driver (no fake clock)', async function () {
    this.timeout(10_000);
    const realRr = await FakeRrKv.start();
    const realKv = new KvClient({ address: realRr.address });
    try {
      await realKv.set('local', [{ key: 'short', value: bytes('x'), ttl: 1 }]);
      expect((await realKv.has('local', ['short'])).get('short')).to.equal(true);
      // rr's memory driver keeps it int(seconds until the timeout) = 1 or 2 s; never forever.
      await sleep(2100);
      expect((await realKv.has('local', ['short'])).get('short')).to.equal(false);
    } finally {
      await realKv.close();
      await realRr.close();
    }
  });

  it('turns "no such storage" into KvStorageNotFoundError with the storage and the method', async () => {
    const error = await rejection(kv.mGet('nope', ['a']));
    expect(error).to.be.instanceOf(KvStorageNotFoundError);
    expect(error).to.be.instanceOf(KvError);
    expect((error as KvStorageNotFoundError).storage).to.equal('nope');
    expect((error as KvStorageNotFoundError).method).to.equal('kv.MGet');
    expect((error as Error).message).to.contain('"nope"');
    for (const call of [kv.has('nope', ['a']), kv.set('nope', [{ key: 'a', value: bytes('1') }]), kv.mExpire('nope', [{ key: 'a', ttl: 5 }]), kv.ttl('nope', ['a']), kv.delete('nope', ['a']), kv.clear('nope')]) {
      expect(await rejection(call)).to.be.instanceOf(KvStorageNotFoundError);
    }
  });

  it('surfaces any other rr error as a KvError carrying the method, the storage and rr\'s text', async () => {
    rr.server.handlers.set('kv.Set', () => ({ error: 'rpc_set: redis_driver_set: dial tcp 127.0.0.1:6379: connect: connection refused' }));
    const error = (await rejection(kv.set('redis', [{ key: 'a', value: bytes('1') }]))) as KvError;
    expect(error).to.be.instanceOf(KvError);
    expect(error).not.to.be.instanceOf(KvStorageNotFoundError);
    expect(error.code).to.equal('ERR_KV');
    expect(error.method).to.equal('kv.Set');
    expect(error.storage).to.equal('redis');
    expect(error.message).to.contain('connection refused');
  });

  it('refuses empty keys and expired TTLs before calling rr', async () => {
    expect(await rejection(kv.set('local', [{ key: '  ', value: bytes('1') }]))).to.be.instanceOf(KvKeyError);
    expect(await rejection(kv.mGet('local', ['ok', '']))).to.be.instanceOf(KvKeyError);
    const ttlError = (await rejection(kv.set('local', [{ key: 'a', value: bytes('1'), ttl: -1 }]))) as KvTtlError;
    expect(ttlError).to.be.instanceOf(KvTtlError);
    expect(ttlError.method).to.equal('kv.Set');
    expect(await rejection(kv.mExpire('local', [{ key: 'a', ttl: new Date(clock - 1000) }]))).to.be.instanceOf(KvTtlError);
    expect(rr.server.requests).to.have.length(0);
  });

  it('answers empty key lists without calling rr (rr refuses them)', async () => {
    expect((await kv.mGet('local', [])).size).to.equal(0);
    expect((await kv.has('local', [])).size).to.equal(0);
    expect((await kv.ttl('local', [])).size).to.equal(0);
    await kv.set('local', []);
    await kv.delete('local', []);
    await kv.mExpire('local', []);
    expect(rr.server.requests).to.have.length(0);
  });

  it('turns an unreachable rr into KvConnectionError', async () => {
    const down = new KvClient({ address: `tcp://127.0.0.1:${await closedPort()}` });
    try {
      const error = (await rejection(down.has('local', ['a']))) as KvConnectionError;
      expect(error).to.be.instanceOf(KvConnectionError);
      expect(error.method).to.equal('kv.Has');
      expect(error.message).to.contain('could not reach rr');
    } finally {
      await down.close();
    }
  });

  it('leaves a shared RpcClient open on close, and closes its own', async () => {
    const rpc = new RpcClient({ address: rr.address });
    const shared = new KvClient({ rpc });
    await shared.has('local', ['a']);
    await shared.close();
    expect((await rpc.callProto('kv.Has', new Uint8Array(0)).catch((error: Error) => error)).constructor.name).to.equal('RpcError');
    await rpc.close();

    await kv.has('local', ['a']);
    await kv[Symbol.asyncDispose]();
    expect((await rejection(kv.has('local', ['a'])) as Error).message).to.contain('closed');
  });
});
