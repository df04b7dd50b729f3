// The floor for bench:jobs: an rr jobs worker with nothing but the goridge wire format. It answers
// the pid handshake, exits on {"stop":true}, and acks every task with one pre-encoded frame (the
// body PHP's worker sends, {"type":2,"data":{}}). It decodes nothing: no context JSON, no payload,
// no container, no event.
import { crc32 } from 'node:zlib';

function frame(flags, payload, options = []) {
  const header = Buffer.alloc((3 + options.length) * 4);
  header[0] = (1 << 4) | (3 + options.length);
  header[1] = flags;
  header.writeUInt32LE(payload.length, 2);
  header.writeUInt32LE(crc32(header.subarray(0, 6)) >>> 0, 6);
  options.forEach((option, i) => header.writeUInt32LE(option, 12 + 4 * i));
  return Buffer.concat([header, payload]);
}

const CONTROL = 0x01;
const ack = frame(0, Buffer.from('{"type":2,"data":{}}'), [0]);

let buffered = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
  while (buffered.length >= 12) {
    const headerSize = (buffered[0] & 0x0f) * 4;
    const total = headerSize + buffered.readUInt32LE(2);
    if (buffered.length < total) return;
    const flags = buffered[1];
    const payload = buffered.subarray(headerSize, total);
    buffered = buffered.subarray(total);
    if (flags & CONTROL) {
      const message = JSON.parse(payload.toString());
      if (message.stop) process.exit(0);
      if (message.pid !== undefined) process.stdout.write(frame(CONTROL, Buffer.from(JSON.stringify({ pid: process.pid }))));
    } else {
      process.stdout.write(ack);
    }
  }
});
