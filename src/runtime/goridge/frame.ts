import { crc32 } from 'node:zlib';
import { FrameError } from '../errors.js';
import { FRAME_HEADER_SIZE, FRAME_VERSION, MAX_FRAME_OPTIONS } from './flags.js';

/** One goridge frame, decoded. */
export interface Frame {
  /** Byte 1: CONTROL, ERROR and codec bits (see {@link FrameFlag}). */
  flags: number;
  /** Byte 10: STREAM, STOP, PING, PONG bits (see {@link StreamFlag}). */
  streamFlags: number;
  /** Up to ten uint32 options; worker request/response frames carry one, the context length. */
  options: number[];
  /** Everything after the header and options. */
  payload: Buffer;
}

/** What {@link encodeFrame} needs; everything but `flags` has an empty default. */
export interface FrameInit {
  flags: number;
  streamFlags?: number;
  options?: readonly number[];
  payload?: Uint8Array;
}

const MAX_UINT32 = 0xffff_ffff;

/**
 * Encodes a frame as one buffer (header, options, payload), ready for a single write: rr reads a
 * frame as one unit and any stray byte between frames desynchronises the stream.
 */
export function encodeFrame(frame: FrameInit): Buffer {
  const options = frame.options ?? [];
  const payload = frame.payload ?? EMPTY;
  if (options.length > MAX_FRAME_OPTIONS) {
    throw new FrameError('options', `a frame carries at most ${MAX_FRAME_OPTIONS} options, got ${options.length}`);
  }
  if (payload.length > MAX_UINT32) {
    throw new FrameError('too-large', `payload of ${payload.length} bytes does not fit a goridge frame (max ${MAX_UINT32})`);
  }
  const headerSize = FRAME_HEADER_SIZE + options.length * 4;
  const out = Buffer.allocUnsafe(headerSize + payload.length);
  writeHeader(out, frame.flags, frame.streamFlags ?? 0, options, payload.length);
  out.set(payload, headerSize);
  return out;
}

/**
 * Encodes only the header and options of a frame whose payload is `payloadLength` bytes long, so a
 * large payload can be sent without being copied (`writev` of header then payload parts).
 */
export function encodeFrameHeader(flags: number, streamFlags: number, options: readonly number[], payloadLength: number): Buffer {
  if (options.length > MAX_FRAME_OPTIONS) {
    throw new FrameError('options', `a frame carries at most ${MAX_FRAME_OPTIONS} options, got ${options.length}`);
  }
  if (!Number.isInteger(payloadLength) || payloadLength < 0) {
    throw new FrameError('too-large', `payload length must be a non-negative integer, got ${payloadLength}`);
  }
  if (payloadLength > MAX_UINT32) {
    throw new FrameError('too-large', `payload of ${payloadLength} bytes does not fit a goridge frame (max ${MAX_UINT32})`);
  }
  const out = Buffer.allocUnsafe(FRAME_HEADER_SIZE + options.length * 4);
  writeHeader(out, flags, streamFlags, options, payloadLength);
  return out;
}

/**
 * Encodes a frame whose payload is given in parts as one buffer: header, options, then the parts
 * copied back to back (one allocation, for payloads small enough to copy).
 */
export function encodeFrameFromParts(flags: number, streamFlags: number, options: readonly number[], parts: readonly Uint8Array[]): Buffer {
  let payloadLength = 0;
  for (const part of parts) payloadLength += part.length;
  if (options.length > MAX_FRAME_OPTIONS) {
    throw new FrameError('options', `a frame carries at most ${MAX_FRAME_OPTIONS} options, got ${options.length}`);
  }
  if (payloadLength > MAX_UINT32) {
    throw new FrameError('too-large', `payload of ${payloadLength} bytes does not fit a goridge frame (max ${MAX_UINT32})`);
  }
  const headerSize = FRAME_HEADER_SIZE + options.length * 4;
  const out = Buffer.allocUnsafe(headerSize + payloadLength);
  writeHeader(out, flags, streamFlags, options, payloadLength);
  let offset = headerSize;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function writeHeader(out: Buffer, flags: number, streamFlags: number, options: readonly number[], payloadLength: number): void {
  out[0] = (FRAME_VERSION << 4) | (3 + options.length);
  out[1] = flags & 0xff;
  out.writeUInt32LE(payloadLength, 2);
  out.writeUInt32LE(crc32(out.subarray(0, 6)) >>> 0, 6);
  out[10] = streamFlags & 0xff;
  out[11] = 0;
  for (let i = 0; i < options.length; i++) {
    const option = options[i]!;
    if (!Number.isInteger(option) || option < 0 || option > MAX_UINT32) {
      throw new FrameError('options', `frame option ${i} must be a uint32, got ${option}`);
    }
    out.writeUInt32LE(option, FRAME_HEADER_SIZE + i * 4);
  }
}

/** The parts of a header that say how long the whole frame is. */
export interface FrameHeader {
  flags: number;
  streamFlags: number;
  optionCount: number;
  payloadLength: number;
  /** Header plus options, in bytes. */
  headerSize: number;
}

/**
 * Validates the fixed 12 header bytes at `buf[start..start+12)`: version, header length and CRC.
 * Throws a {@link FrameError} naming what is wrong.
 */
export function readFrameHeader(buf: Buffer, start = 0, streamOffset?: number): FrameHeader {
  if (buf.length - start < FRAME_HEADER_SIZE) {
    // Without this a short buffer surfaces as a RangeError from readUInt32LE, not a FrameError.
    throw new FrameError('truncated', `a frame header needs ${FRAME_HEADER_SIZE} bytes, got ${Math.max(0, buf.length - start)}`, streamOffset);
  }
  const byte0 = buf[start]!;
  const version = byte0 >> 4;
  if (version !== FRAME_VERSION) {
    throw new FrameError(
      'version',
      `unsupported goridge version ${version} in byte 0 (0x${hex(byte0)}); expected ${FRAME_VERSION}` +
        (looksLikeText(buf, start) ? `; the bytes look like text: ${JSON.stringify(buf.toString('latin1', start, start + FRAME_HEADER_SIZE))}` : ''),
      streamOffset,
    );
  }
  const headerWords = byte0 & 0x0f;
  if (headerWords < 3 || headerWords > 3 + MAX_FRAME_OPTIONS) {
    throw new FrameError('header-length', `header length ${headerWords} words in byte 0 is outside 3..${3 + MAX_FRAME_OPTIONS}`, streamOffset);
  }
  const expected = buf.readUInt32LE(start + 6);
  const actual = crc32(buf.subarray(start, start + 6)) >>> 0;
  if (expected !== actual) {
    throw new FrameError('crc', `header CRC mismatch: frame says 0x${expected.toString(16)}, bytes 0-5 give 0x${actual.toString(16)}`, streamOffset);
  }
  return {
    flags: buf[start + 1]!,
    streamFlags: buf[start + 10]!,
    optionCount: headerWords - 3,
    payloadLength: buf.readUInt32LE(start + 2),
    headerSize: headerWords * 4,
  };
}

/** Decodes a buffer that holds exactly one frame. */
export function decodeFrame(buf: Buffer): Frame {
  if (buf.length < FRAME_HEADER_SIZE) {
    throw new FrameError('truncated', `a frame needs at least ${FRAME_HEADER_SIZE} header bytes, got ${buf.length}`);
  }
  const header = readFrameHeader(buf);
  const total = header.headerSize + header.payloadLength;
  if (buf.length < total) {
    throw new FrameError('truncated', `frame declares ${total} bytes (header ${header.headerSize} + payload ${header.payloadLength}) but only ${buf.length} are present`);
  }
  if (buf.length > total) {
    throw new FrameError('too-large', `${buf.length - total} bytes follow the end of a ${total}-byte frame`);
  }
  return frameAt(buf, 0, header);
}

/** Builds a {@link Frame} from a validated header; the payload is a view, not a copy. */
export function frameAt(buf: Buffer, start: number, header: FrameHeader): Frame {
  const options: number[] = [];
  for (let i = 0; i < header.optionCount; i++) {
    options.push(buf.readUInt32LE(start + FRAME_HEADER_SIZE + i * 4));
  }
  const payloadStart = start + header.headerSize;
  return {
    flags: header.flags,
    streamFlags: header.streamFlags,
    options,
    payload: buf.subarray(payloadStart, payloadStart + header.payloadLength),
  };
}

const EMPTY = Buffer.alloc(0);

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

function looksLikeText(buf: Buffer, start: number): boolean {
  for (let i = start; i < start + FRAME_HEADER_SIZE && i < buf.length; i++) {
    const c = buf[i]!;
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c > 0x7e) return false;
  }
  return true;
}
