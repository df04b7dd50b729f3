// The floor for bench:http: an rr HTTP worker with nothing but the goridge wire format. It answers
// the pid handshake, exits on {"stop":true}, and answers every request with one pre-encoded
// frame: http.v1.Response{status: 200, headers: {Content-Type: [text/plain]}} and the body
// "Hello". It decodes nothing it does not have to: no request mapping, no container, no kernel.
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
const CODEC_PROTO = 0x80;
// status 200 (field 1), headers {"Content-Type": {value: ["text/plain"]}} (field 2), as bytes
const context = Buffer.from('08c801121c0a0c436f6e74656e742d54797065120c0a0a746578742f706c61696e', 'hex');
const reply = frame(CODEC_PROTO, Buffer.concat([context, Buffer.from('Hello')]), [context.length]);

let buffered = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
  while (buffered.length >= 12) {
    const headerSize = (buffered[0] & 0x0f) * 4;
    const total = headerSize + buffered.readUInt32LE(2);
    if (buffered.length < total) return;
    const flags = buffered[1];
    const streamFlags = buffered[10]; // STOP/PING of a stream: this worker never streams
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
