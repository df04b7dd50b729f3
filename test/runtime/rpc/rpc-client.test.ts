import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FrameError, ProtocolError, RpcConnectionError, RpcError, RpcTimeoutError } from '../../../src/runtime/errors.js';
import { FrameFlag } from '../../../src/runtime/goridge/flags.js';
import { encodeFrame } from '../../../src/runtime/goridge/frame.js';
import { RpcClient } from '../../../src/runtime/rpc/rpc-client.js';
import { GoridgeRpcServer, socketDir } from '../../support/goridge-rpc-server.js';
import { FRAME_VECTORS, hex, KV_HAS_BODY } from '../../support/goridge-vectors.js';
import { rejection } from '../../support/assertions.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RpcClient', () => {
  let server: GoridgeRpcServer;
  let rpc: RpcClient;

  beforeEach(async () => {
    server = await GoridgeRpcServer.start();
    rpc = new RpcClient({ address: server.address, timeoutMs: 2000 });
  });
  afterEach(async () => {
    await rpc.close();
    await server.close();
  });

  describe('codecs', () => {
    it('calls with JSON by default: flags 0x08, options [seq, len(method)], argument and result JSON', async () => {
      server.json('resetter.Reset', (arg) => arg === 'http');
      expect(await rpc.call('resetter.Reset', 'http')).to.equal(true);
      const [request] = server.requests;
      expect(request).to.deep.include({ seq: 1, method: 'resetter.Reset', flags: FrameFlag.CODEC_JSON, options: [1, 14] });
      expect(request!.body.toString()).to.equal('"http"');
    });

    it('sends no argument bytes for an undefined argument and returns objects', async () => {
      server.json('informer.Workers', (arg) => ({ arg: arg ?? 'none', workers: [{ pid: 1 }] }));
      expect(await rpc.call('informer.Workers')).to.deep.equal({ arg: 'none', workers: [{ pid: 1 }] });
      expect(server.requests[0]!.body.length).to.equal(0);
    });

    it('sends the kv.Has golden bytes for a first proto call and returns the result bytes', async () => {
      server.handlers.set('kv.Has', () => ({ body: hex('0a 05 0a 01 61 10 01') }));
      const result = await rpc.callProto('kv.Has', KV_HAS_BODY);
      expect(Buffer.from(result).toString('hex')).to.equal('0a050a01611001');
      const wire = Buffer.concat(server.received[0]!);
      expect(wire.toString('hex')).to.equal(hex(FRAME_VECTORS.find((v) => v.name.includes('kv.Has'))!.hex).toString('hex'));
    });

    it('calls with the raw codec: bytes in, bytes out', async () => {
      server.handlers.set('rpc.Config', (request) => ({ body: Buffer.concat([Buffer.from('{"cfg":'), request.body, Buffer.from('}')]) }));
      const result = await rpc.callRaw('rpc.Config', Buffer.from('1'));
      expect(Buffer.from(result).toString()).to.equal('{"cfg":1}');
      expect(server.requests[0]!.flags).to.equal(FrameFlag.CODEC_RAW);
    });

    it('returns undefined for an empty JSON result and rejects a non-JSON one with a ProtocolError', async () => {
      server.handlers.set('empty', () => ({ body: Buffer.alloc(0) }));
      server.handlers.set('garbled', () => ({ body: Buffer.from('{nope') }));
      expect(await rpc.call('empty')).to.equal(undefined);
      const error = await rejection(rpc.call('garbled'));
      expect(error).to.be.instanceOf(ProtocolError);
      expect((error as Error).message).to.contain('garbled');
      expect((error as Error).message).to.contain('{nope');
    });
  });

  describe('pipelining', () => {
    it('matches answers to calls by seq when rr answers out of order, on one connection', async () => {
      server.handlers.set('echo.Delay', async (request) => {
        const { id, delay } = JSON.parse(request.body.toString()) as { id: number; delay: number };
        await sleep(delay);
        return { body: Buffer.from(JSON.stringify({ id })) };
      });
      const delays = [60, 5, 40, 0, 25, 50, 10, 30];
      const results = await Promise.all(delays.map((delay, id) => rpc.call('echo.Delay', { id, delay })));
      expect(results).to.deep.equal(delays.map((_, id) => ({ id })));
      expect(server.connections).to.equal(1);
      expect(server.requests.map((r) => r.seq)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(server.answered).to.not.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(server.answered[0]).to.equal(4);
    });

    it('connects lazily, on the first call', async () => {
      server.json('x', () => 1);
      await sleep(10);
      expect(server.connections).to.equal(0);
      await rpc.call('x');
      expect(server.connections).to.equal(1);
    });

    it('shares one connection attempt between calls made before it is up', async () => {
      server.json('x', (n) => n);
      expect(await Promise.all([1, 2, 3].map((n) => rpc.call('x', n)))).to.deep.equal([1, 2, 3]);
      expect(server.connections).to.equal(1);
    });
  });

  describe('errors', () => {
    it('rejects with RpcError carrying the text of an ERROR frame, and the connection stays usable', async () => {
      server.handlers.set('kv.Get', () => ({ error: 'no such storage: cache' }));
      server.json('ok', () => 'fine');
      const error = await rejection(rpc.callProto('kv.Get', Buffer.alloc(0)));
      expect(error).to.be.instanceOf(RpcError);
      expect((error as RpcError).method).to.equal('kv.Get');
      expect((error as Error).message).to.equal('rr RPC kv.Get failed: no such storage: cache');
      const unknown = await rejection(rpc.call('nope.Missing'));
      expect((unknown as Error).message).to.contain("can't find method nope.Missing");
      expect(await rpc.call('ok')).to.equal('fine');
      expect(server.connections).to.equal(1);
    });

    it('times a call out with RpcTimeoutError and ignores its late answer', async () => {
      server.handlers.set('slow', async () => {
        await sleep(80);
        return { body: Buffer.from('"late"') };
      });
      server.json('fast', () => 'mine');
      const started = Date.now();
      const error = await rejection(rpc.call('slow', undefined, { timeoutMs: 30 }));
      expect(error).to.be.instanceOf(RpcTimeoutError);
      expect((error as Error).message).to.contain('slow');
      expect((error as Error).message).to.contain('30 ms');
      expect(Date.now() - started).to.be.lessThan(75);
      await sleep(100);
      expect(server.answered).to.include(1);
      expect(await rpc.call('fast')).to.equal('mine');
    });

    it('uses the client-wide default timeout', async () => {
      const client = new RpcClient({ address: server.address, timeoutMs: 20 });
      server.handlers.set('never', () => ({ none: true }));
      try {
        expect(await rejection(client.call('never'))).to.be.instanceOf(RpcTimeoutError);
      } finally {
        await client.close();
      }
    });

    it('rejects every call in flight with RpcConnectionError when rr drops the connection, then reconnects on the next call', async () => {
      server.handlers.set('hang', () => ({ none: true }));
      server.json('ok', () => 'again');
      const inFlight = [rpc.call('hang'), rpc.call('hang'), rpc.callProto('hang', Buffer.from('x'))];
      while (server.requests.length < 3) await sleep(2);
      server.destroyConnections();
      const errors = await Promise.all(inFlight.map(rejection));
      for (const error of errors) {
        expect(error).to.be.instanceOf(RpcConnectionError);
        expect((error as Error).message).to.contain('3 calls in flight');
        expect((error as RpcConnectionError).address).to.equal(server.address);
      }
      expect(await rpc.call('ok')).to.equal('again');
      expect(server.connections).to.equal(2);
      expect(server.requests.at(-1)!.connection).to.equal(1);
    });

    it('treats a garbage response as a broken connection: RpcConnectionError with the FrameError as cause', async () => {
      server.handlers.set('bad', () => ({ raw: Buffer.from('not a frame at all') }));
      server.json('ok', () => 1);
      const error = await rejection(rpc.call('bad'));
      expect(error).to.be.instanceOf(RpcConnectionError);
      expect((error as Error).cause).to.be.instanceOf(FrameError);
      expect((error as Error).message).to.contain('unsupported goridge version');
      expect(await rpc.call('ok')).to.equal(1);
      expect(server.connections).to.equal(2);
    });

    it('treats a response frame without [seq, len(method)] as a broken connection (ProtocolError cause)', async () => {
      server.handlers.set('bad', () => ({ raw: encodeFrame({ flags: FrameFlag.CODEC_JSON, options: [1], payload: Buffer.from('bad1') }) }));
      const error = await rejection(rpc.call('bad'));
      expect(error).to.be.instanceOf(RpcConnectionError);
      expect((error as Error).cause).to.be.instanceOf(ProtocolError);
      expect((error as Error).message).to.contain('malformed response frame');
    });

    it('rejects with RpcConnectionError when it cannot connect, and connects on a later call once rr is up', async () => {
      const dir = socketDir();
      const path = join(dir.dir, 'rpc.sock');
      const client = new RpcClient({ address: `unix://${path}` });
      let late: GoridgeRpcServer | undefined;
      try {
        const error = await rejection(client.call('x'));
        expect(error).to.be.instanceOf(RpcConnectionError);
        expect((error as Error).message).to.contain(`rr RPC connection to unix://${path}: cannot connect`);
        expect((error as Error).message).to.contain('ENOENT');
        late = await GoridgeRpcServer.start({ unixPath: path });
        late.json('x', () => 'up');
        expect(await client.call('x')).to.equal('up');
      } finally {
        await client.close();
        await late?.close();
        dir.remove();
      }
    });

    it('rejects an address that is not tcp:// or unix:// at construction', () => {
      for (const address of ['pipes', 'http://x:1', 'tcp://nohost']) {
        expect(() => new RpcClient({ address })).to.throw(RpcConnectionError, address);
      }
    });

    it('rejects a call with the abort reason when its signal aborts', async () => {
      server.handlers.set('hang', () => ({ none: true }));
      const controller = new AbortController();
      const call = rpc.call('hang', undefined, { signal: controller.signal });
      await sleep(10);
      const reason = new Error('caller gave up');
      controller.abort(reason);
      expect(await rejection(call)).to.equal(reason);
      expect(await rejection(rpc.call('hang', undefined, { signal: controller.signal }))).to.equal(reason);
    });
  });

  describe('close', () => {
    it('rejects calls in flight and later calls with RpcConnectionError; is idempotent', async () => {
      server.handlers.set('hang', () => ({ none: true }));
      const call = rejection(rpc.call('hang'));
      while (server.requests.length < 1) await sleep(2);
      await rpc.close();
      const error = await call;
      expect(error).to.be.instanceOf(RpcConnectionError);
      expect((error as Error).message).to.contain('closed');
      expect(await rejection(rpc.call('hang'))).to.be.instanceOf(RpcConnectionError);
      await rpc.close();
    });
  });

  describe('addresses', () => {
    it('talks over a unix socket given by a relative path', async () => {
      const dir = socketDir();
      const path = join(dir.dir, 'rr-rpc.sock');
      const unixServer = await GoridgeRpcServer.start({ unixPath: path });
      unixServer.json('rpc.Version', () => '2025.1.15');
      const client = new RpcClient({ address: `unix://${relative(process.cwd(), path)}` });
      try {
        expect(await client.call('rpc.Version')).to.equal('2025.1.15');
      } finally {
        await client.close();
        await unixServer.close();
        dir.remove();
      }
    });

    it('reads RR_RPC, else defaults to tcp://127.0.0.1:6001', () => {
      const saved = process.env.RR_RPC;
      try {
        delete process.env.RR_RPC;
        expect(new RpcClient().address).to.equal('tcp://127.0.0.1:6001');
        process.env.RR_RPC = 'unix:///run/rr.sock';
        expect(new RpcClient().address).to.equal('unix:///run/rr.sock');
      } finally {
        if (saved === undefined) delete process.env.RR_RPC;
        else process.env.RR_RPC = saved;
      }
    });
  });

  it('does not keep the process alive with an idle connection', async function () {
    this.timeout(15_000);
    server.json('rpc.Version', () => 'v');
    const entry = fileURLToPath(new URL('../../../src/runtime/rpc/index.ts', import.meta.url));
    const code = `const { RpcClient } = await import(${JSON.stringify(entry)});
const rpc = new RpcClient({ address: ${JSON.stringify(server.address)} });
process.stdout.write(String(await rpc.call('rpc.Version')));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    const exit = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve("still running after 10 s");
      }, 10_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code ?? -1);
      });
    });
    expect(exit, err).to.equal(0);
    expect(out).to.equal('v');
  });
});
