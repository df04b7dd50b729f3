/**
 * The KV bridge under the real `rr serve` v2025.1.15 (issue 4, "Must show" 1, 2 and 4): rr's kv
 * plugin with two storages at once, `memory` and `redis` (Redis at 127.0.0.1:6379, database 7 so
 * `clear` never touches other data), driven by our KvClient and RrKvCache from the test, and by
 * the container's `cache.adapter.rr_kv.<NAME>` services in the fixture app's request handlers
 * (test/fixtures/apps/kv-bridge-app.ts). Encrypted values cross rr to and from PHP's sodium.
 * `clear()` of a prefixed cache deletes only that prefix's keys (issue 10), sessions left intact.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { discoverKvStorages, KvClearRefusedError, KvClient, KvSessionStore, KvStorageNotFoundError, RrKvCache } from '../../src/bridges/kv/index.js';
import { rejection } from '../support/assertions.js';
import { ROOT } from '../support/process-peer.js';
import type { KvAppBoot } from '../fixtures/apps/kv-bridge-app.js';
import { waitFor } from './support/http-client.js';
import { freePort, RrServer } from './support/rr-server.js';

const KV_APP = 'test/fixtures/apps/kv-bridge-app.ts';
const STORAGES = ['local', 'redis'] as const;
const KV_YAML = [
  'kv:',
  '  local:',
  '    driver: memory',
  '    config: {}',
  '  redis:',
  '    driver: redis',
  '    config:',
  '      addrs: ["127.0.0.1:6379"]',
  '      db: 7',
].join('\n');

async function fetchJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

function php(code: string, ...args: string[]): string {
  return execFileSync('php', ['-r', code, '--', ...args], { encoding: 'utf8' });
}

describe('KV bridge under the real rr', function () {
  this.timeout(180_000);
  let dir: string;

  before(() => {
    // Redis (and php-cli for the interop part), as npm test's set-up provides them.
    spawnSync('bash', [join(ROOT, 'scripts', 'services.sh')], { stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'rrr-e2e-kv-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('rr with a memory and a redis storage', () => {
    let rr: RrServer;
    let client: KvClient;

    before(async () => {
      rr = await RrServer.start({ app: KV_APP, workers: 1, extraYaml: KV_YAML });
      client = new KvClient({ address: rr.rpcAddress });
      for (const storage of STORAGES) await client.clear(storage);
    });
    after(async () => {
      await client?.close();
      await rr?.dispose();
    });
    afterEach(function () {
      if (this.currentTest?.state === 'failed') console.error(`rr logs (last 20,000 characters):\n${rr?.logs.slice(-20_000)}`);
    });

    for (const storage of STORAGES) {
      describe(`the ${storage} storage`, () => {
        const bytes = (text: string) => new TextEncoder().encode(text);

        it('answers every KvClient method: Set, Has, MGet, TTL, MExpire, Delete, Clear', async () => {
          const start = Date.now();
          await client.set(storage, [
            { key: 'a', value: bytes('one'), ttl: 3600 },
            { key: 'b', value: bytes('two') },
          ]);
          expect(await client.has(storage, ['a', 'b', 'nope'])).to.deep.equal(new Map([['a', true], ['b', true], ['nope', false]]));
          const values = await client.mGet(storage, ['a', 'b', 'nope']);
          expect([text(values.get('a')), text(values.get('b')), values.has('nope')]).to.deep.equal(['one', 'two', false]);

          const ttls = await client.ttl(storage, ['a', 'b']);
          const expiresA = ttls.get('a');
          expect(expiresA).to.be.instanceOf(Date);
          // Whole seconds, rounded up with 0.5 s of slack (kvTimeout): never earlier, at most 1.5 s later.
          expect((expiresA as Date).getTime()).to.be.within(start + 3_600_000, Date.now() + 3_601_500);
          expect([null, undefined], 'a key without expiry').to.include(ttls.get('b'));

          // A shorter expiry through MExpire is observed by the key going away. (Not through TTL:
          // rr's memory driver keeps reporting the timeout given at Set.)
          await client.mExpire(storage, [{ key: 'a', ttl: 2 }]);
          await waitFor(async () => !(await client.has(storage, ['a'])).get('a'), `${storage}: key a expiring after MExpire 2 s`);

          await client.delete(storage, ['b']);
          expect(await client.has(storage, ['a', 'b'])).to.deep.equal(new Map([['a', false], ['b', false]]));
          await client.set(storage, [{ key: 'c', value: bytes('three') }]);
          await client.clear(storage);
          expect(await client.has(storage, ['c'])).to.deep.equal(new Map([['c', false]]));
        });

        it('RrKvCache: getMany with missing keys, a value over 1 MiB, clear', async () => {
          const cache = new RrKvCache({ storage, client, prefix: 'e2e:' });
          await cache.setMany({ x: { n: 1 }, y: [1, 2, 3] });
          expect(await cache.getMany(['x', 'missing', 'y', 'also-missing'], 'default')).to.deep.equal(
            new Map<string, unknown>([['x', { n: 1 }], ['missing', 'default'], ['y', [1, 2, 3]], ['also-missing', 'default']]),
          );
          const large = 'ü'.repeat(700_000) + 'end'; // 1.4 MB of UTF-8 once serialized
          await cache.set('large', large);
          expect(text((await client.mGet(storage, ['e2e:large'])).get('e2e:large'))!.length).to.be.above(1_048_576 / 2);
          expect(await cache.get('large')).to.equal(large);
          await cache.clear();
          expect(await cache.hasMany(['x', 'y', 'large'])).to.deep.equal(new Map([['x', false], ['y', false], ['large', false]]));
        });

        it('clear() of one prefix deletes what every writer put there and leaves sessions, other prefixes and foreign keys intact', async () => {
          // Two RPC connections stand for two workers; each cache keeps its own index record in rr.
          const second = new KvClient({ address: rr.rpcAddress });
          try {
            const worker1 = new RrKvCache({ storage, client, prefix: 'e2e-app:' });
            const worker2 = new RrKvCache({ storage, client: second, prefix: 'e2e-app:' });
            const sessions = new KvSessionStore(new RrKvCache({ storage, client, prefix: 'e2e-sess:' }));
            const noPrefix = new RrKvCache({ storage, client });
            await Promise.all([
              worker1.setMany({ a: 1, b: 2 }, 600),
              worker2.setMany({ c: 3, d: 4 }),
              worker2.set('a', 'from worker 2'),
              sessions.set('sid-1', { user: 'ann' }, 600),
              noPrefix.set('e2e-foreign', 'written without prefix'),
            ]);

            await worker1.clear();

            const appKeys = ['e2e-app:a', 'e2e-app:b', 'e2e-app:c', 'e2e-app:d'];
            expect(await client.has(storage, appKeys)).to.deep.equal(new Map(appKeys.map((key) => [key, false])));
            expect(await sessions.get('sid-1')).to.deep.equal({ user: 'ann' });
            expect(await noPrefix.get('e2e-foreign')).to.equal('written without prefix');

            // A cache without prefix would have to flush the whole storage: it refuses, and nothing goes.
            expect(await rejection(noPrefix.clear())).to.be.instanceOf(KvClearRefusedError);
            expect(await sessions.get('sid-1')).to.deep.equal({ user: 'ann' });
            await sessions.destroy('sid-1');
            await noPrefix.delete('e2e-foreign');
          } finally {
            await second.close();
          }
        });

        it('expires a key when its TTL runs out', async () => {
          const cache = new RrKvCache({ storage, client });
          await cache.set('short-lived', 'soon gone', 2);
          expect(await cache.get('short-lived')).to.equal('soon gone');
          await waitFor(async () => !(await cache.has('short-lived')), `${storage}: the key expiring after 2 s`, 15_000);
          expect(await cache.get('short-lived', 'expired')).to.equal('expired');
        });
      });
    }

    it('names a storage rr does not have with KvStorageNotFoundError', async () => {
      const error = await rejection(client.has('nowhere', ['k']));
      expect(error).to.be.instanceOf(KvStorageNotFoundError);
      expect(error).to.include({ storage: 'nowhere' });
    });

    it('registers cache.adapter.rr_kv.local and .redis from the running rr; request handlers resolve and use them', async () => {
      const boot = await fetchJson<KvAppBoot>(`${rr.httpUrl}/kv`);
      expect(boot.body).to.deep.equal({ source: 'rr', storages: ['local', 'redis'], registered: ['local', 'redis'], serializer: 'json' });

      const put = await fetch(`${rr.httpUrl}/kv/local/greeting`, { method: 'PUT', body: JSON.stringify({ hello: 'world' }) });
      expect(put.status).to.equal(204);
      expect(text((await client.mGet('local', ['greeting'])).get('greeting'))).to.equal('{"hello":"world"}');

      await new RrKvCache({ storage: 'redis', client }).set('from-test', [1, 'two']);
      expect((await fetchJson(`${rr.httpUrl}/kv/redis/from-test`)).body).to.deep.equal({ value: [1, 'two'] });
      expect((await fetchJson(`${rr.httpUrl}/kv/redis/never-set`)).status).to.equal(404);

      // Through the handler with a TTL: rr holds the expiry.
      expect((await fetch(`${rr.httpUrl}/kv/redis/timed?ttl=600`, { method: 'PUT', body: '"t"' })).status).to.equal(204);
      expect((await client.ttl('redis', ['timed'])).get('timed')).to.be.instanceOf(Date);
    });

    it('finds the same storages in the rr config file when rr does not answer (an image build)', async () => {
      const down = `tcp://127.0.0.1:${await freePort()}`;
      const found = await discoverKvStorages({ runtimeConfig: { rr_config_path: join(rr.dir, '.rr.yaml') }, env: { RR_RPC: down }, timeoutMs: 500 });
      expect(found.source).to.equal('file');
      expect(found.storages.map((storage) => [storage.name, storage.driver])).to.deep.equal([['local', 'memory'], ['redis', 'redis']]);
    });

    function text(value: Uint8Array | undefined): string | undefined {
      return value === undefined ? undefined : new TextDecoder().decode(value);
    }
  });

  describe('rr with kv.auto_register: false in the app', () => {
    let rr: RrServer;
    before(async () => {
      rr = await RrServer.start({ app: KV_APP, workers: 1, extraYaml: KV_YAML, env: { KV_APP_AUTO_REGISTER: 'false' } });
    });
    after(async () => {
      await rr?.dispose();
    });

    it('registers no cache at all, and does not even ask rr', async () => {
      const boot = await fetchJson<KvAppBoot>(`${rr.httpUrl}/kv`);
      expect(boot.body).to.deep.equal({ source: 'disabled', storages: [], registered: [], serializer: null });
    });
  });

  describe('rr with an app that seals values (kv.keypair_path), shared with PHP', () => {
    let rr: RrServer;
    let client: KvClient;
    let keypair: string;

    before(async () => {
      keypair = join(dir, 'keypair.key');
      php('file_put_contents($argv[1], sodium_crypto_box_keypair());', keypair);
      rr = await RrServer.start({ app: KV_APP, workers: 1, extraYaml: KV_YAML, env: { KV_APP_KEYPAIR: keypair } });
      client = new KvClient({ address: rr.rpcAddress });
    });
    after(async () => {
      await client?.close();
      await rr?.dispose();
    });

    it('stores only ciphertext in Redis, which PHP opens; reads what PHP sealed; a flipped byte is ERR_KV_DECRYPTION', async () => {
      expect((await fetchJson<KvAppBoot>(`${rr.httpUrl}/kv`)).body.serializer).to.equal('sealed(json)');
      expect((await fetch(`${rr.httpUrl}/kv/redis/card`, { method: 'PUT', body: JSON.stringify({ number: '4111 1111 1111 1111' }) })).status).to.equal(204);
      const stored = Buffer.from((await client.mGet('redis', ['card'])).get('card')!);
      expect(stored.includes('4111')).to.equal(false);
      const opened = php('echo sodium_crypto_box_seal_open(hex2bin($argv[2]), file_get_contents($argv[1]));', keypair, stored.toString('hex'));
      expect(JSON.parse(opened)).to.deep.equal({ number: '4111 1111 1111 1111' });

      const sealedByPhp = Buffer.from(
        php('$k = file_get_contents($argv[1]); echo bin2hex(sodium_crypto_box_seal(json_encode(["from" => "php"]), sodium_crypto_box_publickey($k)));', keypair),
        'hex',
      );
      await client.set('redis', [{ key: 'from-php', value: sealedByPhp }]);
      expect((await fetchJson(`${rr.httpUrl}/kv/redis/from-php`)).body).to.deep.equal({ value: { from: 'php' } });

      sealedByPhp[40]! ^= 0x01;
      await client.set('redis', [{ key: 'from-php', value: sealedByPhp }]);
      const tampered = await fetchJson<{ code: string; message: string }>(`${rr.httpUrl}/kv/redis/from-php`);
      expect(tampered.status).to.equal(500);
      expect(tampered.body.code).to.equal('ERR_KV_DECRYPTION');
      expect(tampered.body.message).to.include('key "from-php" in storage "redis"');
    });
  });
});
