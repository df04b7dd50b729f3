/**
 * The byte vectors of reference/rr-protocol.md §1.7 (cross-checked there against PHP's
 * Frame::packFrame), with the fields each one decodes to.
 */
import { crc32 } from 'node:zlib';
import type { FrameInit } from '../../src/runtime/goridge/frame.js';

export interface FrameVector {
  name: string;
  hex: string;
  frame: Required<FrameInit> & { payload: Buffer };
}

export function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

const httpResponseProto = hex('08 c8 01 12 1c 0a 0c 43 6f 6e 74 65 6e 74 2d 54 79 70 65 12 0c 0a 0a 74 65 78 74 2f 70 6c 61 69 6e');

export const FRAME_VECTORS: FrameVector[] = [
  {
    name: 'rr→worker pid request {"pid":4242}, CONTROL|JSON',
    hex: '13 09 0c 00 00 00 5f 0c 46 73 00 00 7b 22 70 69 64 22 3a 34 32 34 32 7d',
    frame: { flags: 0x09, streamFlags: 0, options: [], payload: Buffer.from('{"pid":4242}') },
  },
  {
    name: 'worker→rr pid reply {"pid":1234}, CONTROL',
    hex: '13 01 0c 00 00 00 9e 47 36 43 00 00 7b 22 70 69 64 22 3a 31 32 33 34 7d',
    frame: { flags: 0x01, streamFlags: 0, options: [], payload: Buffer.from('{"pid":1234}') },
  },
  {
    name: 'rr→worker stop {"stop":true}, CONTROL|JSON',
    hex: '13 09 0d 00 00 00 3a 6b fa cb 00 00 7b 22 73 74 6f 70 22 3a 74 72 75 65 7d',
    frame: { flags: 0x09, streamFlags: 0, options: [], payload: Buffer.from('{"stop":true}') },
  },
  {
    name: 'worker→rr HTTP response 0x80, option [33], body "hello"',
    hex:
      '14 80 26 00 00 00 5e a1 3a 1d 00 00 21 00 00 00 08 c8 01 12 1c 0a 0c 43 6f 6e 74 65 6e 74 2d 54' +
      '79 70 65 12 0c 0a 0a 74 65 78 74 2f 70 6c 61 69 6e 68 65 6c 6c 6f',
    frame: { flags: 0x80, streamFlags: 0, options: [33], payload: Buffer.concat([httpResponseProto, Buffer.from('hello')]) },
  },
  {
    name: 'same HTTP response as a non-final stream chunk (byte10 = STREAM)',
    hex:
      '14 80 26 00 00 00 5e a1 3a 1d 01 00 21 00 00 00 08 c8 01 12 1c 0a 0c 43 6f 6e 74 65 6e 74 2d 54' +
      '79 70 65 12 0c 0a 0a 74 65 78 74 2f 70 6c 61 69 6e 68 65 6c 6c 6f',
    frame: { flags: 0x80, streamFlags: 0x01, options: [33], payload: Buffer.concat([httpResponseProto, Buffer.from('hello')]) },
  },
  {
    name: 'worker→rr jobs ack {"type":2,"data":{}}, option [0]',
    hex: '14 00 14 00 00 00 e6 21 fe f6 00 00 00 00 00 00 7b 22 74 79 70 65 22 3a 32 2c 22 64 61 74 61 22 3a 7b 7d 7d',
    frame: { flags: 0x00, streamFlags: 0, options: [0], payload: Buffer.from('{"type":2,"data":{}}') },
  },
  {
    name: 'worker→rr error "boom", ERROR, no options',
    hex: '13 40 04 00 00 00 88 1e 11 e3 00 00 62 6f 6f 6d',
    frame: { flags: 0x40, streamFlags: 0, options: [], payload: Buffer.from('boom') },
  },
  {
    name: 'rr→worker stream STOP (byte10 = 0x02)',
    hex: '13 00 00 00 00 00 96 d1 80 34 02 00',
    frame: { flags: 0x00, streamFlags: 0x02, options: [], payload: Buffer.alloc(0) },
  },
  {
    name: 'rr→worker PONG (byte10 = 0x08)',
    hex: '13 00 00 00 00 00 96 d1 80 34 08 00',
    frame: { flags: 0x00, streamFlags: 0x08, options: [], payload: Buffer.alloc(0) },
  },
  {
    name: 'RPC request kv.Has seq=1, proto',
    hex: '15 80 12 00 00 00 0d 1d 2f a9 00 00 01 00 00 00 06 00 00 00 6b 76 2e 48 61 73 0a 05 6c 6f 63 61 6c 12 03 0a 01 61',
    frame: { flags: 0x80, streamFlags: 0, options: [1, 6], payload: Buffer.concat([Buffer.from('kv.Has'), hex('0a 05 6c 6f 63 61 6c 12 03 0a 01 61')]) },
  },
  {
    name: 'RPC request informer.Workers seq=7, JSON "http"',
    hex: '15 08 16 00 00 00 09 71 db a7 00 00 07 00 00 00 10 00 00 00 69 6e 66 6f 72 6d 65 72 2e 57 6f 72 6b 65 72 73 22 68 74 74 70 22',
    frame: { flags: 0x08, streamFlags: 0, options: [7, 16], payload: Buffer.from('informer.Workers"http"') },
  },
];

/** The kv.v1.Request{storage:"local", items:[{key:"a"}]} body of the kv.Has vector. */
export const KV_HAS_BODY = hex('0a 05 6c 6f 63 61 6c 12 03 0a 01 61');

/** Rewrites the header CRC (bytes 6-9) of the frame at `start` to match its bytes 0-5, in place. */
export function withCrc(buf: Buffer, start = 0): Buffer {
  buf.writeUInt32LE(crc32(buf.subarray(start, start + 6)) >>> 0, start + 6);
  return buf;
}
