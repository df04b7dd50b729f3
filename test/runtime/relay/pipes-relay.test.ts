import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { SETTLED } from '../../../src/container/index.js';
import { FrameError, RelayError } from '../../../src/runtime/errors.js';
import { FrameFlag, StreamFlag } from '../../../src/runtime/goridge/flags.js';
import { decodeFrame, encodeFrame, type Frame } from '../../../src/runtime/goridge/frame.js';
import { FrameReader } from '../../../src/runtime/goridge/frame-reader.js';
import { openPipesRelay } from '../../../src/runtime/relay/pipes-relay.js';
import { StreamRelay } from '../../../src/runtime/relay/stream-relay.js';
import { captureSink } from '../../support/goridge-streams.js';
import { FRAME_VECTORS, hex } from '../../support/goridge-vectors.js';
import { rejection } from '../../support/assertions.js';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a listener was told, in order: frames, then `end` or the error. */
function listenTo(relay: StreamRelay) {
  const events: Array<Frame | 'end' | { error: unknown }> = [];
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  relay.listen({
    frame: (frame) => events.push(frame),
    end: () => {
      events.push('end');
      settle();
    },
    error: (error) => {
      events.push({ error });
      settle();
    },
  });
  return { events, settled };
}

async function collect(iterable: AsyncIterable<Frame>): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const frame of iterable) out.push(frame);
  return out;
}

function pipes(options: { delayMs?: number; fail?: Error } = {}) {
  const input = new PassThrough();
  const output = captureSink(options);
  const relay = openPipesRelay({ input, output });
  return { input, output, relay };
}

describe('pipes relay', () => {
  describe('reading', () => {
    it('yields rr frames in order and ends the iteration at EOF', async () => {
      const { input, relay } = pipes();
      const frames = collect(relay.frames());
      const bytes = Buffer.concat(FRAME_VECTORS.map((v) => hex(v.hex)));
      input.write(bytes.subarray(0, 30));
      input.write(bytes.subarray(30));
      input.end();
      const got = await frames;
      expect(got.map((f) => f.payload.toString('hex'))).to.deep.equal(FRAME_VECTORS.map((v) => v.frame.payload.toString('hex')));
      expect(relay.inputEnded).to.equal(true);
    });

    it('throws a truncated FrameError when the input ends inside a frame', async () => {
      const { input, relay } = pipes();
      const frames = collect(relay.frames());
      input.end(hex(FRAME_VECTORS[0]!.hex).subarray(0, 20));
      const error = await rejection(frames);
      expect(error).to.be.instanceOf(FrameError);
      expect((error as FrameError).reason).to.equal('truncated');
    });

    it('delivers the frames before a malformed one, then throws its FrameError', async () => {
      const { input, relay } = pipes();
      const seen: Frame[] = [];
      const done = (async () => {
        for await (const frame of relay.frames()) seen.push(frame);
      })();
      input.write(hex(FRAME_VECTORS[0]!.hex));
      await tick();
      input.write('Deprecated: something printed on the pipe');
      const error = await rejection(done);
      expect(seen).to.have.length(1);
      expect(error).to.be.instanceOf(FrameError);
      expect((error as FrameError).reason).to.equal('version');
    });

    it('turns an input stream error into a RelayError carrying the cause', async () => {
      const { input, relay } = pipes();
      const frames = collect(relay.frames());
      const cause = Object.assign(new Error('read EIO'), { code: 'EIO' });
      input.destroy(cause);
      const error = await rejection(frames);
      expect(error).to.be.instanceOf(RelayError);
      expect((error as RelayError).message).to.contain('pipes: reading failed: read EIO');
      expect((error as RelayError).cause).to.equal(cause);
    });

    it('keeps reading while the consumer is busy with a frame, so a STOP is already decoded', async () => {
      const input = new PassThrough({ highWaterMark: 1024 });
      const relay = openPipesRelay({ input, output: captureSink() });
      const iterator = relay.frames()[Symbol.asyncIterator]();
      input.write(encodeFrame({ flags: FrameFlag.CODEC_PROTO, options: [0], payload: Buffer.from('request') }));
      const first = await iterator.next();
      expect(first.value.payload.toString()).to.equal('request');

      // The consumer is "processing" and not pulling. A pull-based reader would leave these
      // writes stuck behind the PassThrough's 1 KiB buffer; this relay drains them.
      for (let i = 0; i < 200; i++) {
        await new Promise<void>((resolve, reject) =>
          input.write(encodeFrame({ flags: 0, options: [0], payload: Buffer.alloc(500, i) }), (error) => (error ? reject(error) : resolve())),
        );
      }
      await new Promise<void>((resolve) => input.write(encodeFrame({ flags: 0, streamFlags: StreamFlag.STOP }), () => resolve()));
      expect(input.readableLength).to.equal(0);

      let last: Frame | undefined;
      for (let i = 0; i < 201; i++) last = (await iterator.next()).value;
      expect(last!.streamFlags).to.equal(StreamFlag.STOP);
      await relay.close();
    });

    it('pauses the input when undelivered payload passes the high-water mark, resumes once consumed', async () => {
      const input = new PassThrough();
      const relay = new StreamRelay({ input, output: captureSink(), description: 'test', highWaterMark: 4096 });
      const iterator = relay.frames()[Symbol.asyncIterator]();
      for (let i = 0; i < 4; i++) input.write(encodeFrame({ flags: 0, payload: Buffer.alloc(1000) }));
      await tick();
      expect(input.isPaused()).to.equal(false);
      input.write(encodeFrame({ flags: 0, payload: Buffer.alloc(1000) }));
      await tick();
      expect(input.isPaused()).to.equal(true);
      for (let i = 0; i < 2; i++) await iterator.next();
      expect(input.isPaused(), 'still 3000 bytes queued').to.equal(true);
      await iterator.next();
      expect(input.isPaused()).to.equal(false);
      await relay.close();
    });

    it('has one reader: a second frames() call throws a RelayError', () => {
      const { relay } = pipes();
      relay.frames();
      expect(() => relay.frames()).to.throw(RelayError, /one reader/);
    });
  });

  describe('reading by listen() (pushed frames)', () => {
    it('hands over each frame as soon as it is decoded, in order, then end at EOF', async () => {
      const { input, relay } = pipes();
      const { events, settled } = listenTo(relay);
      const bytes = Buffer.concat(FRAME_VECTORS.map((v) => hex(v.hex)));
      input.write(bytes.subarray(0, 30));
      input.write(bytes.subarray(30));
      await tick();
      expect(events).to.have.length(FRAME_VECTORS.length);
      input.end();
      await settled;
      expect(events.slice(0, -1).map((f) => (f as Frame).payload.toString('hex'))).to.deep.equal(FRAME_VECTORS.map((v) => v.frame.payload.toString('hex')));
      expect(events.at(-1)).to.equal('end');
    });

    it('hands over frames decoded before listen() first', async () => {
      const { input, relay } = pipes();
      input.write(hex(FRAME_VECTORS[0]!.hex));
      input.end(hex(FRAME_VECTORS[1]!.hex));
      await tick();
      const { events, settled } = listenTo(relay);
      await settled;
      expect(events.map((e) => (e === 'end' ? e : (e as Frame).payload.toString('hex')))).to.deep.equal([
        FRAME_VECTORS[0]!.frame.payload.toString('hex'),
        FRAME_VECTORS[1]!.frame.payload.toString('hex'),
        'end',
      ]);
    });

    it('reports a malformed frame once, after the frames before it, and stops reading', async () => {
      const { input, relay } = pipes();
      const { events, settled } = listenTo(relay);
      input.write(hex(FRAME_VECTORS[0]!.hex));
      await tick();
      input.write('Deprecated: something printed on the pipe');
      await settled;
      input.write(hex(FRAME_VECTORS[0]!.hex));
      input.end();
      await tick();
      expect(events).to.have.length(2);
      const error = (events[1] as { error: unknown }).error;
      expect(error).to.be.instanceOf(FrameError);
      expect((error as FrameError).reason).to.equal('version');
    });

    it('reports an input stream error as a RelayError', async () => {
      const { input, relay } = pipes();
      const { events, settled } = listenTo(relay);
      input.destroy(new Error('read EIO'));
      await settled;
      expect(events).to.have.length(1);
      expect((events[0] as { error: unknown }).error).to.be.instanceOf(RelayError);
    });

    it('ends the listener on close(), and drops the rest of a chunk once the listener closed the relay', async () => {
      const { input, relay } = pipes();
      const events: Array<Frame | 'end'> = [];
      relay.listen({
        frame: (frame) => {
          events.push(frame);
          void relay.close();
        },
        end: () => events.push('end'),
        error: () => expect.fail('no error expected'),
      });
      input.write(Buffer.concat([hex(FRAME_VECTORS[0]!.hex), hex(FRAME_VECTORS[1]!.hex)]));
      await relay.close();
      expect(events).to.have.length(2);
      expect(events[1]).to.equal('end');
    });

    it('has one reader: listen() after frames(), or frames() after listen(), throws a RelayError', () => {
      const first = pipes().relay;
      first.frames();
      expect(() => listenTo(first)).to.throw(RelayError, /one reader/);
      const second = pipes().relay;
      listenTo(second);
      expect(() => second.frames()).to.throw(RelayError, /one reader/);
    });
  });

  describe('writing', () => {
    it('writes a frame as its exact bytes', async () => {
      const { output, relay } = pipes();
      for (const vector of FRAME_VECTORS) await relay.send(vector.frame);
      expect(output.bytes().toString('hex')).to.equal(Buffer.concat(FRAME_VECTORS.map((v) => hex(v.hex))).toString('hex'));
    });

    it('writes a small frame in one chunk, header and payload joined', async () => {
      const { output, relay } = pipes();
      await relay.send({ flags: FrameFlag.CODEC_PROTO, options: [2], payload: [Buffer.from('ct'), Buffer.from('body')] });
      expect(output.calls).to.have.length(1);
      expect(output.calls[0]).to.have.length(1);
      expect(decodeFrame(output.calls[0]![0]!).payload.toString()).to.equal('ctbody');
    });

    it('writes a large payload as header + the caller’s own buffers (no copy), in one writev', async () => {
      const { output, relay } = pipes();
      const context = Buffer.alloc(70_000, 1);
      const body = new Uint8Array(1024 * 1024).fill(2);
      await relay.send({ flags: FrameFlag.CODEC_PROTO, options: [context.length], payload: [context, body] });
      expect(output.calls).to.have.length(1);
      const [header, first, second] = output.calls[0]!;
      expect(output.calls[0]).to.have.length(3);
      expect(header!.length).to.equal(16);
      expect(first).to.equal(context);
      expect(second!.buffer).to.equal(body.buffer);
      const frame = decodeFrame(output.bytes());
      expect(frame.options).to.deep.equal([70_000]);
      expect(frame.payload.length).to.equal(70_000 + 1024 * 1024);
    });

    it('resolves a send only once its bytes were handed over (the write callback), not when queued', async () => {
      const { relay } = pipes({ delayMs: 30 });
      let sent = false;
      const sending = relay.send({ flags: 0, payload: Buffer.alloc(10) }).then(() => (sent = true));
      await tick(10);
      expect(sent).to.equal(false);
      await sending;
      expect(sent).to.equal(true);
    });

    it('answers SETTLED for a frame an OS pipe took before send returned, a pending promise for one that waits', async () => {
      // A real pipe, as rr's: a child's stdin, which takes small writes synchronously.
      const child = spawn('cat', [], { stdio: ['pipe', 'ignore', 'inherit'] });
      try {
        const relay = openPipesRelay({ input: new PassThrough(), output: child.stdin! });
        expect(relay.send({ flags: 0, payload: Buffer.alloc(100) })).to.equal(SETTLED);
        await relay.close();
      } finally {
        child.kill();
      }
      const { relay } = pipes({ delayMs: 5 });
      const sending = relay.send({ flags: 0, payload: Buffer.alloc(10) });
      expect(sending).not.to.equal(SETTLED);
      await sending;
    });

    it('never answers SETTLED for a write that failed', async () => {
      const { relay } = pipes({ fail: Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) });
      const sending = relay.send({ flags: 0 });
      expect(sending).not.to.equal(SETTLED);
      expect(await rejection(sending)).to.be.instanceOf(RelayError);
    });

    it('never interleaves concurrent sends, whatever their size', async () => {
      const { output, relay } = pipes({ delayMs: 1 });
      const frames = Array.from({ length: 60 }, (_, i) => ({
        flags: FrameFlag.CODEC_RAW,
        options: [i],
        payload: i % 3 === 0 ? [Buffer.alloc(40_000, i), Buffer.alloc(40_000, i + 1)] : Buffer.alloc(i * 10, i),
      }));
      await Promise.all(frames.map((frame) => relay.send(frame)));
      const decoded = new FrameReader().push(output.bytes());
      expect(decoded.map((f) => f.options[0])).to.deep.equal(frames.map((_, i) => i));
      expect(decoded[3]!.payload.length).to.equal(80_000);
      expect(decoded[3]!.payload[50_000]).to.equal(4);
    });

    it('writes through an injected stdout-guard writer, never through the guarded stream.write', async () => {
      const real = captureSink();
      const write = real.write.bind(real) as (chunk: Uint8Array, cb: (error?: Error | null) => void) => boolean;
      real.write = (() => {
        throw new Error('the guard intercepted a frame');
      }) as unknown as typeof real.write;
      const relay = openPipesRelay({ input: new PassThrough(), output: { stream: real, write } });
      await relay.send(FRAME_VECTORS[1]!.frame);
      await relay.send({ flags: 0, payload: [Buffer.alloc(100_000)] });
      expect(real.bytes().subarray(0, 24).toString('hex')).to.equal(hex(FRAME_VECTORS[1]!.hex).toString('hex'));
      expect(real.bytes().length).to.equal(24 + 12 + 100_000);
      await relay.close();
    });

    it('writes to a file descriptor', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rrr-fd-'));
      try {
        const fd = openSync(join(dir, 'out'), 'w');
        const relay = openPipesRelay({ input: new PassThrough(), output: fd });
        await relay.send(FRAME_VECTORS[6]!.frame);
        await relay.close();
        closeSync(fd);
        expect(readFileSync(join(dir, 'out')).toString('hex')).to.equal(hex(FRAME_VECTORS[6]!.hex).toString('hex'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('rejects sends with a RelayError once the output broke (EPIPE), without crashing the process', async () => {
      const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      const { relay } = pipes({ fail: epipe });
      const first = await rejection(relay.send({ flags: 0 }));
      expect(first).to.be.instanceOf(RelayError);
      expect((first as RelayError).message).to.contain('pipes: writing failed: write EPIPE');
      expect((first as RelayError).cause).to.equal(epipe);
      expect(await rejection(relay.send({ flags: 0 }))).to.equal(first);
    });

    it('rejects a frame that cannot be encoded with a FrameError and writes nothing', async () => {
      const { output, relay } = pipes();
      const error = await rejection(relay.send({ flags: 0, options: new Array(11).fill(0) }));
      expect(error).to.be.instanceOf(FrameError);
      expect(output.calls).to.have.length(0);
      await relay.send({ flags: 0 });
      expect(output.calls).to.have.length(1);
    });
  });

  describe('close', () => {
    it('flushes pending sends, ends the iteration (dropping queued frames), refuses later sends, destroys stdin', async () => {
      const { input, output, relay } = pipes({ delayMs: 20 });
      const iterator = relay.frames()[Symbol.asyncIterator]();
      input.write(Buffer.concat([hex(FRAME_VECTORS[0]!.hex), hex(FRAME_VECTORS[2]!.hex)]));
      expect((await iterator.next()).done).to.equal(false);
      const pending = relay.send({ flags: 0, payload: Buffer.from('last') });
      await relay.close();
      expect(output.calls).to.have.length(1);
      await pending;
      expect((await iterator.next()).done).to.equal(true);
      expect(input.destroyed).to.equal(true);
      const error = await rejection(relay.send({ flags: 0 }));
      expect(error).to.be.instanceOf(RelayError);
      expect((error as Error).message).to.contain('closed');
      await relay.close();
    });

    it('wakes a reader waiting for frames', async () => {
      const { relay } = pipes();
      const frames = collect(relay.frames());
      await tick();
      await relay.close();
      expect(await frames).to.deep.equal([]);
    });

    it('leaves a Writable output open: it is the process’s stdout', async () => {
      const output = new Writable({ write: (_c, _e, cb) => cb() });
      const relay = openPipesRelay({ input: new PassThrough(), output });
      await relay.close();
      expect(output.writableEnded).to.equal(false);
    });
  });
});
