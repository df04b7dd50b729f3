import { expect } from 'chai';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverKvStorages } from '../../../src/bridges/kv/discover-kv-storages.js';
import { writeSodiumKeypair } from '../../../src/bridges/kv/encryption/sodium-keypair.js';
import { KvConfigError, KvConnectionError, KvDiscoveryError, KvKeypairError } from '../../../src/bridges/kv/errors.js';
import { discoverKvBindings, KV_CACHE_TAG, KV_CLIENT, kvBindings } from '../../../src/bridges/kv/kv-bindings.js';
import { KV_CACHE_ID_PREFIX, kvCacheId } from '../../../src/bridges/kv/kv-cache-id.js';
import { KvClient } from '../../../src/bridges/kv/kv-client.js';
import { RrKvCache } from '../../../src/bridges/kv/rr-kv-cache.js';
import { createContainer, currentScope, Inject, Service } from '../../../src/container/index.js';
import { loadRrConfig, loadRuntimeConfig } from '../../../src/runtime/config/index.js';
import { RpcClient } from '../../../src/runtime/rpc/rpc-client.js';
import { rejection } from '../../support/assertions.js';
import { FakeRrKv } from './support/fake-rr-kv.js';

const here = dirname(fileURLToPath(import.meta.url));
const PROJECT = join(here, 'fixtures', 'project');
const DISABLED = join(here, 'fixtures', 'disabled');

/** A tcp address nothing listens on: rr is "down". */
async function downAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `tcp://127.0.0.1:${port}`;
}

describe('kvCacheId', () => {
  it("builds the bundle's id cache.adapter.rr_kv.<NAME>, lower-cased like rr's storage names", () => {
    expect(kvCacheId('local')).to.equal('cache.adapter.rr_kv.local');
    expect(kvCacheId('Redis')).to.equal('cache.adapter.rr_kv.redis');
    expect(KV_CACHE_ID_PREFIX).to.equal('cache.adapter.rr_kv.');
  });
});

describe('discoverKvStorages', () => {
  let rr: FakeRrKv | undefined;
  afterEach(async () => {
    await rr?.close();
    rr = undefined;
  });

  it('reads the .rr.yaml at rr_config_path when rr is not running, and says why rr was not used', async () => {
    const runtimeConfig = await loadRuntimeConfig({ projectDir: PROJECT });
    const address = await downAddress();
    const found = await discoverKvStorages({ runtimeConfig, projectDir: PROJECT, env: { RR_RPC: address } });
    expect(found.source).to.equal('file');
    expect(found.from).to.equal('.rr.yaml');
    expect(found.storages.map((storage) => [storage.name, storage.driver])).to.deep.equal([
      ['local', 'memory'],
      ['redis', 'redis'],
    ]);
    expect(found.rpcAddress).to.equal(address);
    expect((found.rrFailure as Error).message).to.contain(address);
  });

  it("asks rr at the file's rpc.listen when RR_RPC is not set (a CLI command next to a running rr)", async () => {
    rr = await FakeRrKv.start({ storages: { fromrr: 'memory' } });
    const found = await discoverKvStorages({ projectDir: PROJECT, env: { KV_TEST_RPC: rr.address } });
    expect(found).to.deep.include({ source: 'rr', from: rr.address, rpcAddress: rr.address });
    expect(found.storages.map((storage) => storage.name)).to.deep.equal(['fromrr']);
  });

  it('prefers the running rr (rpc.Config over the raw codec) to the file', async () => {
    rr = await FakeRrKv.start({ storages: { cache: 'memory', sessions: 'redis' } });
    const found = await discoverKvStorages({ projectDir: PROJECT, env: { RR_RPC: rr.address } });
    expect(found.source).to.equal('rr');
    expect(found.storages.map((storage) => [storage.name, storage.driver])).to.deep.equal([
      ['cache', 'memory'],
      ['sessions', 'redis'],
    ]);
    const [call] = rr.server.requests;
    expect(call).to.deep.include({ method: 'rpc.Config', flags: 0x04 });
  });

  it('accepts the base64 JSON string form of rpc.Config too (what the JSON codec returns)', async () => {
    rr = await FakeRrKv.start({ storages: { b64: 'memory' } });
    rr.server.handlers.set('rpc.Config', () => ({ body: Buffer.from(JSON.stringify(Buffer.from(JSON.stringify(rr!.config)).toString('base64'))) }));
    const found = await discoverKvStorages({ projectDir: PROJECT, env: { RR_RPC: rr.address } });
    expect(found.storages.map((storage) => storage.name)).to.deep.equal(['b64']);
  });

  it('falls back to the file when rr is too slow, within the timeout', async () => {
    rr = await FakeRrKv.start({ storages: { slow: 'memory' } });
    rr.server.handlers.set('rpc.Config', () => ({ none: true }));
    const started = Date.now();
    const found = await discoverKvStorages({ projectDir: PROJECT, env: { RR_RPC: rr.address }, timeoutMs: 150 });
    expect(found.source).to.equal('file');
    expect(Date.now() - started).to.be.below(2000);
    expect((found.rrFailure as Error).constructor.name).to.equal('RpcTimeoutError');
  });

  it('uses a given RpcClient and leaves it open', async () => {
    rr = await FakeRrKv.start({ storages: { shared: 'memory' } });
    const rpc = new RpcClient({ address: rr.address });
    try {
      const found = await discoverKvStorages({ projectDir: PROJECT, rpc });
      expect(found.storages.map((storage) => storage.name)).to.deep.equal(['shared']);
      expect(Buffer.from(await rpc.callRaw('rpc.Config')).length).to.be.above(0);
    } finally {
      await rpc.close();
    }
  });

  it('throws KvDiscoveryError naming both failures when rr is down and the file is missing', async () => {
    const address = await downAddress();
    const error = (await rejection(
      discoverKvStorages({ runtimeConfig: { rr_config_path: 'nope/.rr.yaml' }, projectDir: PROJECT, env: { RR_RPC: address } }),
    )) as KvDiscoveryError;
    expect(error).to.be.instanceOf(KvDiscoveryError);
    expect(error.message).to.contain(`rpc.Config at ${address}`);
    expect(error.message).to.contain('nope/.rr.yaml');
    expect(error.message).to.contain('file not found');
    expect(error.rrFailure).to.be.instanceOf(Error);
    expect(error.file).to.equal(join(PROJECT, 'nope', '.rr.yaml'));
  });

  it('does no I/O at all with kv.auto_register: false', async () => {
    rr = await FakeRrKv.start();
    const runtimeConfig = await loadRuntimeConfig({ projectDir: DISABLED });
    const found = await discoverKvStorages({ runtimeConfig, projectDir: DISABLED, env: { RR_RPC: rr.address } });
    expect(found).to.deep.include({ source: 'disabled', storages: [] });
    expect(rr.server.connections).to.equal(0);
  });
});

describe('kvBindings', () => {
  let rr: FakeRrKv;
  beforeEach(async () => {
    rr = await FakeRrKv.start({ storages: { local: 'memory', redis: 'redis' } });
  });
  afterEach(async () => {
    await rr.close();
  });

  @Service({ scope: 'request' })
  class VisitCounter {
    constructor(@Inject(kvCacheId('redis')) private readonly cache: RrKvCache) {}
    async hit(): Promise<number> {
      const next = ((await this.cache.get<number>('visits')) ?? 0) + 1;
      await this.cache.set('visits', next, 60);
      return next;
    }
  }

  it('registers cache.adapter.rr_kv.<NAME> for every storage, resolved in a request scope, connecting only at first use', async () => {
    const runtimeConfig = await loadRuntimeConfig({ projectDir: PROJECT });
    const storages = await discoverKvStorages({ runtimeConfig, projectDir: PROJECT, env: { RR_RPC: rr.address } });
    expect(storages.source).to.equal('rr');
    const discovery = rr.server.connections; // discovery's own short-lived client
    const container = createContainer({ services: [VisitCounter], bindings: kvBindings({ runtimeConfig, storages }) });
    let client: KvClient | undefined;
    try {
      container.boot(); // singletons built: still no connection
      expect(rr.server.connections).to.equal(discovery);

      const scope = container.createScope();
      const result = await scope.run(async () => {
        const local = currentScope().get<RrKvCache>(kvCacheId('local'));
        const redis = currentScope().get<RrKvCache>(kvCacheId('redis'));
        expect(local).to.be.instanceOf(RrKvCache);
        expect(local.storage).to.equal('local');
        expect(redis.storage).to.equal('redis');
        expect(rr.server.connections).to.equal(discovery); // resolved, not used
        await local.set('greeting', 'hello', 30);
        const counter = currentScope().get(VisitCounter);
        return { greeting: await local.get('greeting'), visits: [await counter.hit(), await counter.hit()] };
      });
      await scope.dispose();
      expect(result).to.deep.equal({ greeting: 'hello', visits: [1, 2] });
      expect(rr.entry('local', 'greeting')).to.not.equal(undefined);
      expect(rr.entry('redis', 'visits')).to.not.equal(undefined);
      expect(rr.server.connections - discovery).to.equal(1); // both caches share one KV client and one connection
      client = container.get(KV_CLIENT);
      expect(client).to.be.instanceOf(KvClient);
      expect(container.getTagged(KV_CACHE_TAG).map((cache) => cache.storage).sort()).to.deep.equal(['local', 'redis']);
    } finally {
      await container.dispose();
    }
    // Disposing the container closed the shared client it made.
    expect(((await rejection(client!.has('local', ['x']))) as Error).message).to.contain('the client is closed');
  });

  it('registers from a .rr.yaml fixture with rr down, without any connection attempt', async () => {
    const rrConfig = await loadRrConfig({ projectDir: PROJECT, env: {} });
    const bindings = kvBindings({ rrConfig });
    const container = createContainer({ bindings });
    container.boot();
    expect(bindings.map((binding) => String(binding.id))).to.include.members([kvCacheId('local'), kvCacheId('redis')]);
    expect(container.get<RrKvCache>(kvCacheId('local')).storage).to.equal('local');
    await container.dispose();
  });

  it('discoverKvBindings with rr down registers the fixture file\'s storages; using one then fails with KvConnectionError', async () => {
    const runtimeConfig = await loadRuntimeConfig({ projectDir: PROJECT });
    const address = await downAddress();
    const container = createContainer({ bindings: await discoverKvBindings({ runtimeConfig, projectDir: PROJECT, env: { RR_RPC: address } }) });
    try {
      container.boot();
      const local = container.get<RrKvCache>(kvCacheId('local'));
      expect(container.get<RrKvCache>(kvCacheId('redis')).storage).to.equal('redis');
      const error = (await rejection(local.get('k'))) as KvConnectionError;
      expect(error).to.be.instanceOf(KvConnectionError);
      expect(error.message).to.contain(address); // the client was pointed where discovery looked
    } finally {
      await container.dispose();
    }
  });

  it('registers nothing with kv.auto_register: false', async () => {
    const runtimeConfig = await loadRuntimeConfig({ projectDir: DISABLED });
    expect(kvBindings({ runtimeConfig, storages: ['local', 'redis'] })).to.deep.equal([]);
    expect(await discoverKvBindings({ runtimeConfig, projectDir: DISABLED, env: { RR_RPC: rr.address } })).to.deep.equal([]);
    const container = createContainer({ bindings: kvBindings({ runtimeConfig, storages: ['local'] }) });
    expect(container.has(kvCacheId('local'))).to.equal(false);
    expect(rr.server.connections).to.equal(0);
  });

  it('discoverKvBindings asks rr, then registers what rr reported', async () => {
    const bindings = await discoverKvBindings({ projectDir: PROJECT, env: { RR_RPC: rr.address }, prefix: 'p:' });
    const container = createContainer({ bindings });
    try {
      const cache = container.get<RrKvCache>(kvCacheId('redis'));
      expect(cache.prefix).to.equal('p:');
      await cache.set('k', 1);
      expect(rr.entry('redis', 'p:k')).to.not.equal(undefined);
    } finally {
      await container.dispose();
    }
  });

  it('uses a shared RpcClient and the given serializer, and leaves the client open on dispose', async () => {
    const rpc = new RpcClient({ address: rr.address });
    const serializer = { name: 'text', serialize: (value: unknown) => new TextEncoder().encode(String(value)), deserialize: (bytes: Uint8Array) => new TextDecoder().decode(bytes) };
    const container = createContainer({ bindings: kvBindings({ storages: ['LOCAL'], rpc, serializer }) });
    const cache = container.get<RrKvCache>(kvCacheId('local'));
    await cache.set('n', 42);
    expect(await cache.get('n')).to.equal('42');
    await container.dispose();
    expect(Buffer.from(await rpc.callRaw('rpc.Config')).length).to.be.above(0);
    await rpc.close();
  });

  it('gives every cache the serializer kv.serializer names, checked when the bindings are made', () => {
    const cacheWith = (kv: { serializer?: string | null }, serializers = {}) =>
      createContainer({ bindings: kvBindings({ runtimeConfig: { kv }, storages: ['local'], rpc: new RpcClient({ address: rr.address }), serializers }) }).get<RrKvCache>(kvCacheId('local'));
    expect(cacheWith({ serializer: 'v8' }).serializer.name).to.equal('v8');
    // JSON although msgpackr is a devDependency here: msgpack only when named.
    expect(cacheWith({ serializer: null }).serializer.name).to.equal('json');
    expect(cacheWith({}).serializer.name).to.equal('json');
    expect(cacheWith({ serializer: 'msgpack' }).serializer.name).to.equal('msgpack');
    expect(cacheWith({ serializer: 'json' }).serializer.name).to.equal('json');
    const text = { name: 'text', serialize: () => new Uint8Array([1]), deserialize: () => 'x' };
    expect(cacheWith({ serializer: 'text' }, { text }).serializer).to.equal(text);
    expect(() => kvBindings({ runtimeConfig: { kv: { serializer: 'igbinary' } }, storages: ['local'] })).to.throw(KvConfigError, /unknown serializer "igbinary"/);
  });

  it('refuses kv.keypair_path rather than store values unencrypted: the keypair loads in discoverKvBindings', () => {
    expect(() => kvBindings({ runtimeConfig: { kv: { keypair_path: 'bin/keypair.key' } }, storages: ['local'] })).to.throw(KvConfigError, /keypair_path.*discoverKvBindings/);
  });

  it('discoverKvBindings seals values with kv.keypair_path (relative to projectDir), and fails at boot without the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rrr-kv-sealed-'));
    try {
      const runtimeConfig = { rr_config_path: join(PROJECT, '.rr.yaml'), kv: { serializer: 'json', keypair_path: 'keys/kv.key' } };
      const missing = await rejection(discoverKvBindings({ runtimeConfig, projectDir: dir, env: { RR_RPC: rr.address } }));
      expect(missing).to.be.instanceOf(KvKeypairError);
      expect((missing as Error).message).to.include(join(dir, 'keys/kv.key'));

      await mkdir(join(dir, 'keys'));
      await writeSodiumKeypair(join(dir, 'keys/kv.key'));
      const container = createContainer({ bindings: await discoverKvBindings({ runtimeConfig, projectDir: dir, env: { RR_RPC: rr.address } }) });
      try {
        const cache = container.get<RrKvCache>(kvCacheId('local'));
        expect(cache.serializer.name).to.equal('sealed(json)');
        await cache.set('card', '4111-1111');
        expect(Buffer.from(rr.entry('local', 'card')!.value).includes('4111')).to.equal(false);
        expect(await cache.get('card')).to.equal('4111-1111');
      } finally {
        await container.dispose();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to guess the storages', () => {
    expect(() => kvBindings({})).to.throw(KvConfigError, /discoverKvStorages/);
    expect(() => kvBindings({ storages: [''] })).to.throw(KvConfigError, /storages\[0\]/);
  });
});
