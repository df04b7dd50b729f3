import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealedSerializer } from '../../../../src/bridges/kv/encryption/sealed-serializer.js';
import { loadSodiumKeypair, writeSodiumKeypair } from '../../../../src/bridges/kv/encryption/sodium-keypair.js';
import { KvDecryptionError } from '../../../../src/bridges/kv/errors.js';
import { KvClient } from '../../../../src/bridges/kv/kv-client.js';
import { RrKvCache } from '../../../../src/bridges/kv/rr-kv-cache.js';
import { jsonSerializer } from '../../../../src/bridges/kv/serializer/json-serializer.js';
import { rejection } from '../../../support/assertions.js';
import { FakeRrKv } from '../support/fake-rr-kv.js';

/**
 * Values shared with PHP workers: RoadRunner's PHP `SodiumSerializer` is
 * `sodium_crypto_box_seal(serialized, sodium_crypto_box_publickey($keypair))` and
 * `sodium_crypto_box_seal_open($value, $keypair)`. These tests run those exact calls in Debian's
 * php-cli (npm test's set-up installs it) against bytes our cache wrote, and the other way round.
 */
function php(code: string, ...args: string[]): string {
  return execFileSync('php', ['-r', code, '--', ...args], { encoding: 'utf8' });
}

describe('KV encryption interop with PHP sodium', () => {
  let dir: string;
  let rr: FakeRrKv;
  let client: KvClient;

  before(function () {
    try {
      php('exit(function_exists("sodium_crypto_box_seal") ? 0 : 1);');
    } catch (error) {
      throw new Error(`these tests need php with the sodium extension (apt-get install php-cli; npm test's set-up installs it when it can): ${(error as Error).message}`);
    }
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rrr-php-sodium-'));
    rr = await FakeRrKv.start();
    client = new KvClient({ address: rr.address });
  });
  afterEach(async () => {
    await client.close();
    await rr.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a keypair file written by PHP\'s sodium_crypto_box_keypair()', async () => {
    const path = join(dir, 'php.key');
    const publicHex = php('$k = sodium_crypto_box_keypair(); file_put_contents($argv[1], $k); echo bin2hex(sodium_crypto_box_publickey($k));', path);
    const keypair = await loadSodiumKeypair(path);
    expect(Buffer.from(keypair.publicKey).toString('hex')).to.equal(publicHex);
  });

  it('PHP opens a value our cache sealed (json serializer), with a keypair our CLI code wrote', async () => {
    const path = await writeSodiumKeypair(join(dir, 'node.key'));
    const cache = new RrKvCache({ storage: 'redis', client, serializer: sealedSerializer(jsonSerializer, await loadSodiumKeypair(path)) });
    const value = { user: 'Zoë', roles: ['admin'], balance: 12.5, active: true };
    await cache.set('profile', value);

    const stored = rr.entry('redis', 'profile')!.value;
    const opened = php(
      '$plain = sodium_crypto_box_seal_open(hex2bin($argv[2]), file_get_contents($argv[1])); if ($plain === false) { fwrite(STDERR, "open failed"); exit(1); } echo json_encode(json_decode($plain, true));',
      path,
      Buffer.from(stored).toString('hex'),
    );
    expect(JSON.parse(opened)).to.deep.equal(value);
  });

  it('our cache reads a value PHP sealed, and a flipped byte gives KvDecryptionError naming the key', async () => {
    const path = join(dir, 'shared.key');
    const sealedHex = php(
      '$k = sodium_crypto_box_keypair(); file_put_contents($argv[1], $k); echo bin2hex(sodium_crypto_box_seal(json_encode(["order" => 7, "items" => ["tea", "milk"]]), sodium_crypto_box_publickey($k)));',
      path,
    );
    const cache = new RrKvCache({ storage: 'local', client, prefix: 'app:', serializer: sealedSerializer(jsonSerializer, await loadSodiumKeypair(path)) });
    const sealed = Buffer.from(sealedHex, 'hex');
    await client.set('local', [{ key: 'app:order', value: sealed }]);
    expect(await cache.get('order')).to.deep.equal({ order: 7, items: ['tea', 'milk'] });

    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 3]! ^= 0x80;
    await client.set('local', [{ key: 'app:order', value: tampered }]);
    const error = await rejection(cache.get('order'));
    expect(error).to.be.instanceOf(KvDecryptionError);
    expect(error).to.include({ key: 'order', storage: 'local', serializer: 'sealed(json)' });
    expect((error as Error).message).to.include('cannot decrypt the KV value of key "order" in storage "local"');
  });
});
