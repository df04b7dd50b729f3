import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { FrameError, RelayError } from '../../../src/runtime/errors.js';
import { FrameFlag } from '../../../src/runtime/goridge/flags.js';
import type { Frame } from '../../../src/runtime/goridge/frame.js';
import { createRelay } from '../../../src/runtime/relay/create-relay.js';
import type { Relay } from '../../../src/runtime/relay/relay.js';
import { SocketRelay } from '../../../src/runtime/relay/socket-relay.js';
import { StreamRelay } from '../../../src/runtime/relay/stream-relay.js';
import { FakeRr } from '../../support/goridge-fake-rr.js';
import { socketDir } from '../../support/goridge-rpc-server.js';
import { captureSink } from '../../support/goridge-streams.js';
import { FRAME_VECTORS, hex } from '../../support/goridge-vectors.js';
import { rejection } from '../../support/assertions.js';

async function collect(iterable: AsyncIterable<Frame>): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const frame of iterable) out.push(frame);
  return out;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs the pid handshake as rr does on a fresh socket connection and checks the exact reply bytes. */
async function handshake(rr: FakeRr, relay: Relay): Promise<void> {
  const peer = await rr.accept();
  const iterator = relay.frames()[Symbol.asyncIterator]();
  await peer.raw(hex(FRAME_VECTORS[0]!.hex));
  const request = (await iterator.next()).value as Frame;
  expect(JSON.parse(request.payload.toString())).to.deep.equal({ pid: 4242 });
  await relay.send(FRAME_VECTORS[1]!.frame);
  await peer.waitFor(1);
  expect((peer.stream as Socket).bytesRead).to.equal(24);
  expect(peer.received[0]!.payload.toString()).to.equal('{"pid":1234}');
}

describe('socket relays', () => {
  describe('tcp', () => {
    let rr: FakeRr;
    beforeEach(async () => {
      rr = await FakeRr.listen();
    });
    afterEach(async () => {
      await rr.close();
    });

    it('dials rr, answers the pid handshake, and writes the exact frame bytes', async () => {
      const relay = await createRelay(rr.relay);
      expect(relay).to.be.instanceOf(SocketRelay);
      expect(relay.description).to.equal(rr.relay);
      await handshake(rr, relay);
      await relay.close();
    });

    it('ends the iteration when rr closes the connection (EOF: the worker exits)', async () => {
      const relay = await createRelay(rr.relay);
      const peer = await rr.accept();
      const frames = collect(relay.frames());
      await peer.raw(hex(FRAME_VECTORS[2]!.hex));
      peer.stream.end();
      const got = await frames;
      expect(got).to.have.length(1);
      expect(got[0]!.payload.toString()).to.equal('{"stop":true}');
      await relay.close();
    });

    it('reports a connection reset as a RelayError', async () => {
      const relay = await createRelay(rr.relay);
      const peer = await rr.accept();
      const frames = collect(relay.frames());
      (peer.stream as Socket).resetAndDestroy();
      const error = await rejection(frames);
      expect(error).to.be.instanceOf(RelayError);
      expect((error as Error).message).to.match(/tcp:\/\/127\.0\.0\.1:\d+: reading failed: .*ECONNRESET/);
      await relay.close();
    });

    it('reports garbage from rr as a FrameError', async () => {
      const relay = await createRelay(rr.relay);
      const peer = await rr.accept();
      const frames = collect(relay.frames());
      await peer.raw(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
      expect(await rejection(frames)).to.be.instanceOf(FrameError);
      await relay.close();
    });

    it('close() flushes, then ends the connection so rr sees EOF', async () => {
      const relay = await createRelay(rr.relay);
      const peer = await rr.accept();
      const big = Buffer.alloc(4 * 1024 * 1024, 7);
      const sending = relay.send({ flags: FrameFlag.CODEC_RAW, options: [0], payload: [big] });
      await relay.close();
      await sending;
      await peer.ended;
      expect(peer.received).to.have.length(1);
      expect(peer.received[0]!.payload.equals(big)).to.equal(true);
    });

    it('rejects sends after rr went away with a RelayError', async () => {
      const relay = await createRelay(rr.relay);
      const peer = await rr.accept();
      const frames = collect(relay.frames());
      peer.stream.destroy();
      await frames.catch(() => undefined);
      let error: unknown;
      for (let i = 0; i < 20 && !error; i++) error = await relay.send({ flags: 0, payload: Buffer.alloc(1000) }).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(RelayError);
      await relay.close();
    });
  });

  describe('unix', () => {
    let dir: ReturnType<typeof socketDir>;
    let rr: FakeRr;
    beforeEach(async () => {
      dir = socketDir();
      rr = await FakeRr.listen(join(dir.dir, 'rr.sock'));
    });
    afterEach(async () => {
      await rr.close();
      dir.remove();
    });

    it('dials an absolute path', async () => {
      const relay = await createRelay(`unix://${join(dir.dir, 'rr.sock')}`);
      await handshake(rr, relay);
      await relay.close();
    });

    it('resolves a relative path against the process cwd', async () => {
      const relay = await createRelay(`unix://${relative(process.cwd(), join(dir.dir, 'rr.sock'))}`);
      expect(relay.description).to.equal(`unix://${join(dir.dir, 'rr.sock')}`);
      await handshake(rr, relay);
      await relay.close();
    });

    it('resolves a relative path against an explicit cwd', async () => {
      const relay = await createRelay('unix://rr.sock', { cwd: dir.dir });
      await handshake(rr, relay);
      await relay.close();
    });

    it('dials a relative path whose absolute form is too long for a unix socket address', async () => {
      const deep = join(dir.dir, 'd'.repeat(60), 'e'.repeat(60));
      mkdirSync(deep, { recursive: true });
      const home = process.cwd();
      process.chdir(deep);
      let deepRr: FakeRr | undefined;
      try {
        deepRr = await FakeRr.listen('rr.sock');
        const relay = await createRelay('unix://rr.sock');
        expect(relay.description.length).to.be.greaterThan(120);
        await handshake(deepRr, relay);
        await relay.close();
      } finally {
        process.chdir(home);
        await deepRr?.close();
      }
    });

    it('rejects with a RelayError naming a socket that does not exist', async () => {
      const error = await rejection(createRelay(`unix://${join(dir.dir, 'missing.sock')}`));
      expect(error).to.be.instanceOf(RelayError);
      expect((error as Error).message).to.contain(`unix://${join(dir.dir, 'missing.sock')}: could not connect`);
      expect((error as Error).message).to.contain('ENOENT');
    });
  });

  describe('createRelay', () => {
    it('rejects with a RelayError naming a tcp port nobody listens on', async () => {
      const port = await freePort();
      const error = await rejection(createRelay(`tcp://127.0.0.1:${port}`));
      expect(error).to.be.instanceOf(RelayError);
      expect((error as Error).message).to.contain(`tcp://127.0.0.1:${port}: could not connect`);
      expect((error as Error).message).to.contain('ECONNREFUSED');
    });

    it('rejects with a RelayError naming an unsupported spec', async () => {
      const error = await rejection(createRelay('ws://rr:80'));
      expect(error).to.be.instanceOf(RelayError);
      expect((error as Error).message).to.contain('"ws://rr:80"');
    });

    it('opens pipes over the given input and output', async () => {
      const input = new PassThrough();
      const output = captureSink();
      const relay = await createRelay('pipes', { input, output });
      expect(relay).to.be.instanceOf(StreamRelay);
      expect(relay.description).to.equal('pipes');
      const frames = collect(relay.frames());
      input.end(hex(FRAME_VECTORS[7]!.hex));
      expect((await frames).map((f) => f.streamFlags)).to.deep.equal([0x02]);
      await relay.send(FRAME_VECTORS[6]!.frame);
      expect(output.bytes().toString('hex')).to.equal(hex(FRAME_VECTORS[6]!.hex).toString('hex'));
      await relay.close();
    });

    it('reads RR_RELAY when no spec is given', async () => {
      const rr = await FakeRr.listen();
      const saved = process.env.RR_RELAY;
      process.env.RR_RELAY = rr.relay;
      try {
        const relay = await createRelay();
        expect(relay.description).to.equal(rr.relay);
        await relay.close();
      } finally {
        if (saved === undefined) delete process.env.RR_RELAY;
        else process.env.RR_RELAY = saved;
        await rr.close();
      }
    });
  });
});
