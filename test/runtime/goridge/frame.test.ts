import { expect } from 'chai';
import { FrameError } from '../../../src/runtime/errors.js';
import { FrameFlag, StreamFlag } from '../../../src/runtime/goridge/flags.js';
import { decodeFrame, encodeFrame, encodeFrameFromParts, encodeFrameHeader, readFrameHeader } from '../../../src/runtime/goridge/frame.js';
import { FRAME_VECTORS, hex, withCrc } from '../../support/goridge-vectors.js';
import { frameErrorOf } from '../../support/assertions.js';

/** A 12-byte header whose CRC is right for the bytes 0-5 given, so only the field under test is wrong. */
function headerWith(byte0: number, flags: number, payloadLength: number): Buffer {
  const header = encodeFrameHeader(flags, 0, [], payloadLength);
  header[0] = byte0;
  return withCrc(header);
}

describe('goridge frame codec', () => {
  describe('golden vectors (rr-protocol.md §1.7)', () => {
    for (const vector of FRAME_VECTORS) {
      it(`encodes ${vector.name}`, () => {
        expect(encodeFrame(vector.frame).toString('hex')).to.equal(hex(vector.hex).toString('hex'));
      });

      it(`encodes the header of ${vector.name} for a zero-copy write`, () => {
        const { flags, streamFlags, options, payload } = vector.frame;
        const header = encodeFrameHeader(flags, streamFlags, options, payload.length);
        expect(Buffer.concat([header, payload]).toString('hex')).to.equal(hex(vector.hex).toString('hex'));
      });

      it(`encodes ${vector.name} from its payload in parts`, () => {
        const { flags, streamFlags, options, payload } = vector.frame;
        const cut = Math.floor(payload.length / 2);
        const encoded = encodeFrameFromParts(flags, streamFlags, options, [payload.subarray(0, cut), new Uint8Array(0), payload.subarray(cut)]);
        expect(encoded.toString('hex')).to.equal(hex(vector.hex).toString('hex'));
      });

      it(`decodes ${vector.name}`, () => {
        const frame = decodeFrame(hex(vector.hex));
        expect(frame.flags).to.equal(vector.frame.flags);
        expect(frame.streamFlags).to.equal(vector.frame.streamFlags);
        expect(frame.options).to.deep.equal(vector.frame.options);
        expect(frame.payload.toString('hex')).to.equal(vector.frame.payload.toString('hex'));
      });
    }

    it('decodes the payload as a view of the input, not a copy', () => {
      const bytes = hex(FRAME_VECTORS[0]!.hex);
      const frame = decodeFrame(bytes);
      expect(frame.payload.buffer).to.equal(bytes.buffer);
      expect(frame.payload.byteOffset).to.equal(bytes.byteOffset + 12);
    });
  });

  describe('encodeFrame', () => {
    it('writes byte 0 as version 1 with the header length in words (3 + options)', () => {
      for (let n = 0; n <= 10; n++) {
        const options = Array.from({ length: n }, (_, i) => i);
        const out = encodeFrame({ flags: 0, options });
        expect(out[0]).to.equal(0x10 | (3 + n));
        expect(out.length).to.equal(12 + 4 * n);
        expect(decodeFrame(out).options).to.deep.equal(options);
      }
    });

    it('writes options and the payload length little-endian, the max uint32 option included', () => {
      const out = encodeFrame({ flags: FrameFlag.CODEC_RAW, options: [0xffff_ffff, 0x0102_0304], payload: Buffer.alloc(0x0203) });
      expect(out.readUInt32LE(2)).to.equal(0x0203);
      expect(out.subarray(12, 20).toString('hex')).to.equal('ffffffff04030201');
    });

    it('refuses more than ten options, and a bad option, from parts too', () => {
      expect(() => encodeFrameFromParts(0, 0, new Array(11).fill(0), [])).to.throw(FrameError, /at most 10 options/);
      expect(() => encodeFrameFromParts(0, 0, [-1], [])).to.throw(FrameError, /uint32/);
    });

    it('refuses more than ten options', () => {
      const error = frameErrorOf(() => encodeFrame({ flags: 0, options: new Array(11).fill(0) }));
      expect(error.reason).to.equal('options');
      expect(frameErrorOf(() => encodeFrameHeader(0, 0, new Array(11).fill(0), 0)).reason).to.equal('options');
    });

    it('refuses an option that is not a uint32', () => {
      for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) {
        const error = frameErrorOf(() => encodeFrame({ flags: 0, options: [bad] }));
        expect(error.reason).to.equal('options');
        expect(error.message).to.contain(String(bad));
      }
    });

    it('refuses a header for a payload length that is not a uint32', () => {
      for (const bad of [-1, 0.5, 2 ** 32]) expect(frameErrorOf(() => encodeFrameHeader(0, 0, [], bad)).reason).to.equal('too-large');
    });

    it('keeps the stream byte independent of the flags byte', () => {
      const out = encodeFrame({ flags: FrameFlag.CODEC_PROTO, streamFlags: StreamFlag.STREAM | StreamFlag.PING, options: [0] });
      expect(out[1]).to.equal(0x80);
      expect(out[10]).to.equal(0x05);
      expect(out[11]).to.equal(0);
    });
  });

  describe('decodeFrame errors', () => {
    const valid = hex(FRAME_VECTORS[0]!.hex);

    it('rejects a version other than 1, quoting text that was printed instead of a frame', () => {
      const error = frameErrorOf(() => decodeFrame(Buffer.from('Could not open input file: worker.php')));
      expect(error.reason).to.equal('version');
      expect(error.code).to.equal('ERR_FRAME_VERSION');
      expect(error.message).to.contain('"Could not op"');
      const v2 = headerWith(0x23, 0, 0);
      expect(frameErrorOf(() => decodeFrame(v2)).reason).to.equal('version');
    });

    it('rejects a header length outside 3..13 words', () => {
      for (const words of [0, 1, 2, 14, 15]) {
        const error = frameErrorOf(() => decodeFrame(headerWith(0x10 | words, 0, 0)));
        expect(error.reason).to.equal('header-length');
        expect(error.code).to.equal('ERR_FRAME_HEADER_LENGTH');
      }
    });

    it('rejects a header whose CRC does not match bytes 0-5', () => {
      const bad = Buffer.from(valid);
      bad[2] = bad[2]! + 1;
      const error = frameErrorOf(() => decodeFrame(bad));
      expect(error.reason).to.equal('crc');
      expect(error.message).to.match(/CRC mismatch/);
    });

    it('ignores bytes 10-11 for the CRC (rr does too)', () => {
      const stop = hex('13 00 00 00 00 00 96 d1 80 34 02 00');
      stop[11] = 0xff;
      expect(decodeFrame(stop).streamFlags).to.equal(StreamFlag.STOP);
    });

    it('rejects a buffer shorter than the header or than the frame it announces', () => {
      expect(frameErrorOf(() => decodeFrame(valid.subarray(0, 11))).reason).to.equal('truncated');
      expect(frameErrorOf(() => decodeFrame(valid.subarray(0, valid.length - 1))).reason).to.equal('truncated');
      expect(frameErrorOf(() => decodeFrame(Buffer.alloc(0))).reason).to.equal('truncated');
    });

    it('rejects options announced but missing', () => {
      const header = encodeFrameHeader(0, 0, [1, 2], 0);
      expect(frameErrorOf(() => decodeFrame(header.subarray(0, 16))).reason).to.equal('truncated');
    });

    it('rejects bytes after the frame', () => {
      expect(frameErrorOf(() => decodeFrame(Buffer.concat([valid, Buffer.from([0])]))).reason).to.equal('too-large');
    });

    it('readFrameHeader throws a FrameError, not a RangeError, on a short buffer', () => {
      expect(frameErrorOf(() => readFrameHeader(valid.subarray(0, 5))).reason).to.equal('truncated');
      expect(frameErrorOf(() => readFrameHeader(valid, valid.length - 4)).reason).to.equal('truncated');
    });

    it('reads a header at an offset and reports the stream offset in errors', () => {
      const two = Buffer.concat([Buffer.alloc(3), valid]);
      expect(readFrameHeader(two, 3).payloadLength).to.equal(12);
      const bad = Buffer.from(two);
      bad[3] = 0x33;
      const error = frameErrorOf(() => readFrameHeader(bad, 3, 1000));
      expect(error.offset).to.equal(1000);
      expect(error.message).to.contain('offset 1000');
    });
  });
});
