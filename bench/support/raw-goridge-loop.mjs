// What the raw goridge workers of the benches share: the frame encoder and a stdin loop that
// answers the pid handshake, exits on {"stop":true}, and writes one pre-encoded frame for every
// request (STOP/PING frames of a stream are ignored: these workers never stream). Nothing else.
import { crc32 } from 'node:zlib';

export const CONTROL = 0x01;

export function frame(flags, payload, options = []) {
  const header = Buffer.alloc((3 + options.length) * 4);
  header[0] = (1 << 4) | (3 + options.length);
  header[1] = flags;
  header.writeUInt32LE(payload.length, 2);
  header.writeUInt32LE(crc32(header.subarray(0, 6)) >>> 0, 6);
  options.forEach((option, i) => header.writeUInt32LE(option, 12 + 4 * i));
  return Buffer.concat([header, payload]);
}

/** Answers every request frame on stdin with `reply`, a whole encoded frame. */
export function answerEveryRequest(reply) {
  let buffered = Buffer.alloc(0);
  process.stdin.on('data', (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (buffered.length >= 12) {
      const headerSize = (buffered[0] & 0x0f) * 4;
      const total = headerSize + buffered.readUInt32LE(2);
      if (buffered.length < total) return;
      const flags = buffered[1];
      const streamFlags = buffered[10];
      const payload = buffered.subarray(headerSize, total);
      buffered = buffered.subarray(total);
      if (flags & CONTROL) {
        const message = JSON.parse(payload.toString());
        if (message.stop) process.exit(0);
        if (message.pid !== undefined) process.stdout.write(frame(CONTROL, Buffer.from(JSON.stringify({ pid: process.pid }))));
      } else if (streamFlags === 0) {
        process.stdout.write(reply);
      }
    }
  });
}
