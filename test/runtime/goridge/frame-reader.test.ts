import { expect } from 'chai';
import { FrameError } from '../../../src/runtime/errors.js';
import { FrameFlag } from '../../../src/runtime/goridge/flags.js';
import { encodeFrame, encodeFrameHeader, type Frame } from '../../../src/runtime/goridge/frame.js';
import { FrameReader } from '../../../src/runtime/goridge/frame-reader.js';
import { FRAME_VECTORS, hex, withCrc } from '../../support/goridge-vectors.js';
import { frameErrorOf } from '../../support/assertions.js';

const stream = Buffer.concat(FRAME_VECTORS.map((v) => hex(v.hex)));

function plain(frames: Frame[]) {
  return frames.map((f) => ({ flags: f.flags, streamFlags: f.streamFlags, options: f.options, payload: f.payload.toString('hex') }));
}

const expected = FRAME_VECTORS.map((v) => ({ ...v.frame, options: [...v.frame.options], payload: v.frame.payload.toString('hex') }));

describe('FrameReader', () => {
  it('decodes every §1.7 vector from one coalesced chunk, in order', () => {
    const reader = new FrameReader();
    expect(plain(reader.push(stream))).to.deep.equal(expected);
    expect(reader.pendingBytes).to.equal(0);
    reader.end();
  });

  it('gives the same frames whatever byte the stream is split at', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const reader = new FrameReader();
      const frames = [...reader.push(stream.subarray(0, cut)), ...reader.push(stream.subarray(cut))];
      expect(plain(frames), `split at byte ${cut}`).to.deep.equal(expected);
      reader.end();
    }
  });

  it('gives the same frames when split at every pair of boundaries', () => {
    const bytes = stream.subarray(0, 120);
    const whole = plain(new FrameReader().push(bytes));
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) {
        const reader = new FrameReader();
        const frames = [...reader.push(bytes.subarray(0, a)), ...reader.push(bytes.subarray(a, b)), ...reader.push(bytes.subarray(b))];
        expect(plain(frames)).to.deep.equal(whole);
      }
    }
  });

  it('gives the same frames fed one byte at a time, each frame emitted on its last byte', () => {
    const reader = new FrameReader();
    const frames: Frame[] = [];
    const ends: number[] = [];
    for (let i = 0; i < stream.length; i++) {
      const got = reader.push(stream.subarray(i, i + 1));
      if (got.length > 0) ends.push(i + 1);
      frames.push(...got);
    }
    expect(plain(frames)).to.deep.equal(expected);
    let offset = 0;
    expect(ends).to.deep.equal(FRAME_VECTORS.map((v) => (offset += hex(v.hex).length)));
  });

  it('decodes thousands of frames coalesced in one chunk', () => {
    const frames = Array.from({ length: 5000 }, (_, i) =>
      encodeFrame({ flags: FrameFlag.CODEC_RAW, options: [i % 7], payload: Buffer.from(`payload-${i}`.repeat(i % 5)) }),
    );
    const reader = new FrameReader();
    const out = reader.push(Buffer.concat(frames));
    expect(out).to.have.length(5000);
    expect(out[4321]!.options).to.deep.equal([4321 % 7]);
    expect(out[4321]!.payload.toString()).to.equal('payload-4321'.repeat(4321 % 5));
  });

  it('assembles a 1 MiB payload arriving in 64 KiB chunks, and only on the last chunk', () => {
    const payload = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + 7) & 0xff;
    const bytes = Buffer.concat([encodeFrame({ flags: FrameFlag.CODEC_PROTO, options: [100], payload }), encodeFrame({ flags: FrameFlag.CONTROL })]);
    const reader = new FrameReader();
    const frames: Frame[] = [];
    const chunk = 64 * 1024;
    for (let at = 0; at < bytes.length; at += chunk) {
      const got = reader.push(bytes.subarray(at, at + chunk));
      if (at + chunk < 12 + 4 + payload.length) expect(got, `chunk at ${at}`).to.have.length(0);
      frames.push(...got);
    }
    expect(frames).to.have.length(2);
    expect(frames[0]!.options).to.deep.equal([100]);
    expect(frames[0]!.payload.equals(payload)).to.equal(true);
    expect(frames[1]!.flags).to.equal(FrameFlag.CONTROL);
    reader.end();
  });

  it('counts pending bytes of an unfinished frame', () => {
    const reader = new FrameReader();
    const bytes = hex(FRAME_VECTORS[3]!.hex);
    reader.push(bytes.subarray(0, 20));
    expect(reader.pendingBytes).to.equal(20);
    reader.push(bytes.subarray(20));
    expect(reader.pendingBytes).to.equal(0);
  });

  describe('errors', () => {
    it('rejects a bad version with the stream offset of the frame', () => {
      const reader = new FrameReader();
      const good = hex(FRAME_VECTORS[0]!.hex);
      const bad = withCrc(encodeFrameHeader(0, 0, [], 0));
      bad[0] = 0x23;
      withCrc(bad);
      expect(reader.push(good)).to.have.length(1);
      const error = frameErrorOf(() => reader.push(bad));
      expect(error.reason).to.equal('version');
      expect(error.offset).to.equal(good.length);
    });

    it('rejects a bad header length', () => {
      const bad = withCrc(encodeFrameHeader(0, 0, [], 0));
      bad[0] = 0x12;
      withCrc(bad);
      expect(frameErrorOf(() => new FrameReader().push(bad)).reason).to.equal('header-length');
    });

    it('rejects a CRC mismatch as soon as the 12 header bytes are in', () => {
      const bad = Buffer.from(hex(FRAME_VECTORS[0]!.hex));
      bad[7] = bad[7]! ^ 0x01;
      const reader = new FrameReader();
      expect(reader.push(bad.subarray(0, 11))).to.have.length(0);
      expect(frameErrorOf(() => reader.push(bad.subarray(11, 12))).reason).to.equal('crc');
    });

    it('rejects a payload over maxPayload from the header alone, without buffering the payload', () => {
      const reader = new FrameReader({ maxPayload: 1024 });
      expect(reader.push(encodeFrame({ flags: 0, payload: Buffer.alloc(1024) }))).to.have.length(1);
      const error = frameErrorOf(() => reader.push(encodeFrameHeader(0, 0, [], 1025)));
      expect(error.reason).to.equal('too-large');
      expect(error.message).to.contain('1025');
      expect(error.message).to.contain('1024');
      expect(reader.pendingBytes).to.equal(0);
    });

    it('rejects a stream that ends inside a frame, naming the leftover bytes', () => {
      for (const cut of [1, 11, 12, 15, 30]) {
        const reader = new FrameReader();
        reader.push(hex(FRAME_VECTORS[0]!.hex));
        reader.push(hex(FRAME_VECTORS[3]!.hex).subarray(0, cut));
        const error = frameErrorOf(() => reader.end());
        expect(error.reason).to.equal('truncated');
        expect(error.message).to.contain(`${cut} bytes`);
        expect(error.offset).to.equal(24);
      }
    });

    it('after an error, every push and end throws that same error', () => {
      const reader = new FrameReader();
      const first = frameErrorOf(() => reader.push(Buffer.from('hello, this is not a frame')));
      const valid = hex(FRAME_VECTORS[0]!.hex);
      for (const chunk of [valid, Buffer.alloc(0), valid.subarray(0, 3)]) {
        expect(() => reader.push(chunk)).to.throw().that.equals(first);
      }
      expect(() => reader.end()).to.throw().that.equals(first);
    });

    it('throws for a chunk holding a good frame then garbage, the offset pointing past the good frame', () => {
      const reader = new FrameReader();
      const bytes = Buffer.concat([hex(FRAME_VECTORS[0]!.hex), Buffer.from('garbage-garbage')]);
      expect(frameErrorOf(() => reader.push(bytes)).offset).to.equal(24);
    });
  });
});
