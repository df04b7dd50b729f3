// What the raw goridge workers of the benches share: the frame encoder and a stdin loop that
// answers the pid handshake, exits on {"stop":true}, and writes one pre-encoded frame for every
// request (STOP/PING frames of a stream are ignored: these workers never stream). Nothing else.
import { crc32 } from 'node:zlib';

export const CONTROL = 0x01;

/**
 * `RAW_BUSY_US`: this many microseconds of hot arithmetic per request (bench:rr-cost): what a
 * worker that spends that CPU per request, and touches almost no memory doing it, pays under rr.
 * 0 (the default): none.
 */
const BUSY_US = Number(process.env.RAW_BUSY_US ?? 0);
// Reassigned while calibrating, so V8 cannot fold it into the loop as a constant: the calls timed
// at start-up and the calls made per request run the same machine code.
let busyIterations = 0;
let busySink = 0;
function busy() {
  let x = 0;
  for (let i = 0; i < busyIterations; i++) x = (x * 31 + i) | 0;
  busySink ^= x;
}
function cpuPerBusyCall() {
  for (let i = 0; i < 2_000; i++) busy();
  const start = process.cpuUsage();
  for (let i = 0; i < 5_000; i++) busy();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 5_000;
}
if (BUSY_US > 0) {
  busyIterations = 10_000;
  for (let pass = 0; pass < 3; pass++) busyIterations = Math.max(1, Math.round((busyIterations * BUSY_US) / cpuPerBusyCall()));
}

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
        if (busyIterations > 0) busy();
        process.stdout.write(reply);
      }
    }
  });
}
