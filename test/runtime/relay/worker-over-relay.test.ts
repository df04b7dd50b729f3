/**
 * The relay is the worker's transport: the worker loop from src/runtime/worker over a real tcp
 * socket and over pipes, against a fake rr speaking raw frames.
 */
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { FrameFlag, StreamFlag } from '../../../src/runtime/goridge/flags.js';
import { FrameReader } from '../../../src/runtime/goridge/frame-reader.js';
import { encodeFrame } from '../../../src/runtime/goridge/frame.js';
import { createRelay } from '../../../src/runtime/relay/create-relay.js';
import { Worker } from '../../../src/runtime/worker/worker.js';
import { FakeRr } from '../../support/goridge-fake-rr.js';
import { captureSink } from '../../support/goridge-streams.js';
import { FRAME_VECTORS, hex } from '../../support/goridge-vectors.js';

describe('Worker over a relay', () => {
  it('serves the handshake, a streamed unit stopped by rr, and ends on EOF (tcp)', async () => {
    const rr = await FakeRr.listen();
    try {
      const relay = await createRelay(rr.relay);
      const chunksSent: number[] = [];
      const worker = new Worker({
        transport: relay,
        pid: 1234,
        log: () => {},
        handler: async (unit) => {
          for (let i = 0; ; i++) {
            if (unit.signal.aborted) return;
            await unit.stream(Buffer.from(`chunk ${i}`));
            chunksSent.push(i);
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
        },
      });
      const running = worker.run();
      const peer = await rr.accept();

      await peer.raw(hex(FRAME_VECTORS[0]!.hex));
      const [pid] = await peer.waitFor(1);
      expect(pid!.flags).to.equal(FrameFlag.CONTROL);
      expect(JSON.parse(pid!.payload.toString())).to.deep.equal({ pid: 1234 });

      await peer.send({ flags: FrameFlag.CODEC_RAW, options: [3], payload: Buffer.from('ctxbody') });
      await peer.waitFor(4);
      await peer.raw(hex(FRAME_VECTORS[7]!.hex)); // STOP
      // rr waits for one frame without the STREAM bit: that is how it knows the stream ended.
      for (let n = 5; ; n++) {
        const frames = await peer.waitFor(n);
        if (!(frames[n - 1]!.streamFlags & StreamFlag.STREAM)) break;
      }
      const last = peer.received.at(-1)!;
      expect(last.options).to.deep.equal([0]);
      expect(peer.received.slice(1, -1).every((f) => f.streamFlags === StreamFlag.STREAM)).to.equal(true);

      peer.stream.end();
      expect(await running).to.equal('eof');
    } finally {
      await rr.close();
    }
  });

  it('answers over pipes and stops on rr’s CONTROL stop', async () => {
    const input = new PassThrough();
    const output = captureSink();
    const relay = await createRelay('pipes', { input, output });
    const worker = new Worker({ transport: relay, pid: 77, log: () => {}, handler: async (unit) => unit.respond(Buffer.from(`re:${unit.body}`)) });
    const running = worker.run();
    input.write(hex(FRAME_VECTORS[0]!.hex));
    input.write(encodeFrame({ flags: FrameFlag.CODEC_RAW, options: [0], payload: Buffer.from('hi') }));
    input.write(hex(FRAME_VECTORS[2]!.hex)); // CONTROL stop
    expect(await running).to.equal('control-stop');
    const frames = new FrameReader().push(output.bytes());
    expect(frames.map((f) => f.payload.toString())).to.deep.equal(['{"pid":77}', 're:hi']);
    expect(input.destroyed).to.equal(true);
  });
});
