/**
 * Feeds well over 100,000 valid, mutated, truncated and random inputs to decodeFrame and to a
 * FrameReader in random chunkings. Every input must end in frames or a FrameError: never another
 * exception, never a frame that disagrees with decodeFrame. Seeded: rerun a failure with
 * FRAME_FUZZ_SEED=<seed from the suite title>.
 */
import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import { FrameError } from '../../../src/runtime/errors.js';
import { decodeFrame, encodeFrame, type Frame } from '../../../src/runtime/goridge/frame.js';
import { FrameReader } from '../../../src/runtime/goridge/frame-reader.js';
import { withCrc } from '../../support/goridge-vectors.js';
import { prng } from '../../support/prng.js';

const SEED = process.env.FRAME_FUZZ_SEED ? Number(process.env.FRAME_FUZZ_SEED) : randomInt(2 ** 31);
const CASES = 120_000;
const STREAMS = 3_000;

function flipBit(bytes: Buffer, index: number, bit: number): void {
  bytes[index] = bytes[index]! ^ (1 << bit);
}

type Outcome = { frames: Frame[] } | { error: FrameError };

class Fuzzer {
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = prng(seed);
  }

  int(maxExclusive: number): number {
    return Math.floor(this.random() * maxExclusive);
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }

  payloadLength(): number {
    if (this.chance(0.7)) return this.int(48);
    if (this.chance(0.9)) return this.int(1024);
    return this.int(70_000);
  }

  validFrame(): Buffer {
    return encodeFrame({
      flags: this.int(256),
      streamFlags: this.int(256),
      options: Array.from({ length: this.chance(0.5) ? this.int(3) : this.int(11) }, () => (this.chance(0.5) ? this.int(100) : this.int(2 ** 32))),
      payload: this.bytes(this.payloadLength()),
    });
  }

  /** One input, tagged with how it was made. */
  input(): { kind: string; bytes: Buffer } {
    const kind = this.int(9);
    switch (kind) {
      case 0:
        return { kind: 'valid', bytes: this.validFrame() };
      case 1: {
        const bytes = this.validFrame();
        for (let n = 1 + this.int(3); n > 0; n--) flipBit(bytes, this.int(bytes.length), this.int(8));
        return { kind: 'bit-flips', bytes };
      }
      case 2: {
        const bytes = this.validFrame();
        for (let n = 1 + this.int(4); n > 0; n--) bytes[this.int(bytes.length)] = this.int(256);
        return { kind: 'byte-replacements', bytes };
      }
      case 3: {
        // Header fields changed with the CRC fixed up, to get past the CRC check into the
        // version, header-length, length and truncation paths.
        const bytes = this.validFrame();
        const field = this.int(3);
        if (field === 0) bytes[0] = this.int(256);
        else if (field === 1) bytes.writeUInt32LE(this.chance(0.5) ? this.int(2 ** 32) : Math.max(0, bytes.readUInt32LE(2) + this.int(64) - 32), 2);
        else bytes[0] = 0x10 | this.int(16);
        return { kind: 'fields-with-valid-crc', bytes: withCrc(bytes) };
      }
      case 4: {
        const bytes = this.validFrame();
        return { kind: 'truncated', bytes: bytes.subarray(0, this.int(bytes.length)) };
      }
      case 5:
        return { kind: 'trailing-bytes', bytes: Buffer.concat([this.validFrame(), this.bytes(1 + this.int(20))]) };
      case 6:
        return { kind: 'garbage', bytes: this.bytes(this.int(80)) };
      case 7: {
        // Random header words with a valid version and CRC: random lengths and options.
        const bytes = this.bytes(12 + this.int(60));
        bytes[0] = 0x10 | (3 + this.int(11));
        if (this.chance(0.7)) bytes.writeUInt32LE(this.int(64), 2);
        return { kind: 'random-with-valid-crc', bytes: withCrc(bytes) };
      }
      default:
        return { kind: 'empty-or-tiny', bytes: this.bytes(this.int(13)) };
    }
  }

  /** Feeds `bytes` to a fresh reader in random chunks, then ends it. */
  read(bytes: Buffer, maxPayload?: number): Outcome {
    const reader = new FrameReader(maxPayload === undefined ? {} : { maxPayload });
    const frames: Frame[] = [];
    try {
      let at = 0;
      while (at < bytes.length) {
        const size = this.chance(0.3) ? 1 + this.int(4) : 1 + this.int(bytes.length - at);
        frames.push(...reader.push(bytes.subarray(at, at + size)));
        at += size;
      }
      if (this.chance(0.2)) frames.push(...reader.push(Buffer.alloc(0)));
      reader.end();
      return { frames };
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      return { error };
    }
  }
}

function decode(bytes: Buffer): { frame: Frame } | { error: FrameError } {
  try {
    return { frame: decodeFrame(bytes) };
  } catch (error) {
    if (!(error instanceof FrameError)) throw error;
    return { error };
  }
}

function same(a: Frame, b: Frame): boolean {
  return a.flags === b.flags && a.streamFlags === b.streamFlags && a.options.join() === b.options.join() && a.payload.equals(b.payload);
}

function hexOf(bytes: Buffer): string {
  return bytes.length > 96 ? `${bytes.subarray(0, 96).toString('hex')}… (${bytes.length} bytes)` : bytes.toString('hex');
}

describe(`goridge frame fuzz (seed ${SEED}; rerun with FRAME_FUZZ_SEED=${SEED})`, function () {
  this.timeout(30_000);

  it(`decodeFrame and FrameReader agree on ${CASES} random and mutated inputs, failing only with FrameError`, () => {
    const fuzz = new Fuzzer(SEED);
    const kinds = new Map<string, { frames: number; errors: number }>();
    for (let i = 0; i < CASES; i++) {
      const { kind, bytes } = fuzz.input();
      const maxPayload = fuzz.chance(0.1) ? fuzz.int(256) : undefined;
      try {
        const decoded = decode(bytes);
        const read = fuzz.read(bytes, maxPayload);
        const tally = kinds.get(kind) ?? { frames: 0, errors: 0 };
        kinds.set(kind, tally);
        if ('frame' in decoded) {
          tally.frames++;
          const frame = decoded.frame;
          expect(frame.payload.length).to.equal(bytes.readUInt32LE(2));
          expect(frame.options.length).to.equal((bytes[0]! & 0x0f) - 3);
          expect(12 + 4 * frame.options.length + frame.payload.length).to.equal(bytes.length);
          if (maxPayload !== undefined && frame.payload.length > maxPayload) {
            expect('error' in read && read.error.reason, 'reader must refuse a payload over maxPayload').to.equal('too-large');
          } else {
            expect('frames' in read, 'reader must accept what decodeFrame accepts').to.equal(true);
            const frames = (read as { frames: Frame[] }).frames;
            expect(frames).to.have.length(1);
            expect(same(frames[0]!, frame), 'reader and decodeFrame disagree').to.equal(true);
          }
        } else {
          tally.errors++;
          const reason = decoded.error.reason;
          if (reason === 'version' || reason === 'header-length' || reason === 'crc') {
            // Both check the same 12 header bytes first.
            expect('error' in read && read.error.reason).to.equal(reason);
          } else if (reason === 'truncated' && bytes.length === 0) {
            // An empty stream is no frame at all, not a broken one.
            expect('frames' in read && read.frames.length).to.equal(0);
          } else if (reason === 'truncated') {
            expect('error' in read && read.error.reason).to.be.oneOf(['truncated', 'too-large']);
          } else {
            // Trailing bytes: the reader sees a first frame, then whatever the rest makes.
            expect(reason).to.equal('too-large');
          }
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`seed ${SEED}, case ${i} (${kind}, maxPayload ${maxPayload}): ${message}\ninput: ${hexOf(bytes)}`, { cause: error });
      }
    }
    // The generators must reach both outcomes, or the fuzzer proves little.
    expect(kinds.get('valid')!.errors).to.equal(0);
    expect(kinds.get('valid')!.frames).to.be.greaterThan(CASES / 20);
    expect(kinds.get('fields-with-valid-crc')!.frames).to.be.greaterThan(0);
    expect(kinds.get('fields-with-valid-crc')!.errors).to.be.greaterThan(0);
    expect(kinds.get('random-with-valid-crc')!.frames).to.be.greaterThan(0);
  });

  it(`streams of valid frames in random chunkings decode exactly; a mutated frame ends the stream with a FrameError or a differing frame (${STREAMS} streams)`, () => {
    const fuzz = new Fuzzer(SEED ^ 0x5eed);
    let broken = 0;
    for (let i = 0; i < STREAMS; i++) {
      const frames = Array.from({ length: 1 + fuzz.int(20) }, () => fuzz.validFrame());
      const mutated = fuzz.chance(0.3) ? fuzz.int(frames.length) : -1;
      const pieces = frames.map((f) => Buffer.from(f));
      if (mutated >= 0) flipBit(pieces[mutated]!, fuzz.int(12), fuzz.int(8));
      const bytes = Buffer.concat(pieces);
      try {
        const read = fuzz.read(bytes);
        const originals = frames.map((f) => decodeFrame(f));
        if (mutated < 0) {
          expect('frames' in read).to.equal(true);
          const got = (read as { frames: Frame[] }).frames;
          expect(got).to.have.length(frames.length);
          got.forEach((frame, k) => expect(same(frame, originals[k]!), `frame ${k}`).to.equal(true));
        } else {
          if ('error' in read) broken++;
          // Frames before the mutated one come out intact (when their chunk completed first).
          const got = 'frames' in read ? read.frames : [];
          for (let k = 0; k < Math.min(mutated, got.length); k++) expect(same(got[k]!, originals[k]!), `frame ${k}`).to.equal(true);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`seed ${SEED}, stream ${i} (mutated frame ${mutated}): ${message}`, { cause: error });
      }
    }
    expect(broken).to.be.greaterThan(0);
  });
});
