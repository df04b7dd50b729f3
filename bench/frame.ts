/**
 * goridge codec throughput: `npx tsx bench/frame.ts` (npm run bench:frame).
 * Encode = encodeFrame (one buffer, payload copied) and encodeFrameHeader (header only: what the
 * relay writes in front of a large payload it does not copy). Decode = FrameReader fed the encoded
 * stream in 64 KiB chunks, as a pipe or socket delivers it. MB/s counts payload bytes (1 MB = 10^6 B).
 */
import { FrameFlag } from '../src/runtime/goridge/flags.js';
import { encodeFrame, encodeFrameHeader } from '../src/runtime/goridge/frame.js';
import { FrameReader } from '../src/runtime/goridge/frame-reader.js';

const CHUNK = 64 * 1024;
const MIN_MS = 400;

interface Result {
  frames: number;
  bytes: number;
  ms: number;
}

/** Runs `round` (which handles `framesPerRound` frames) until MIN_MS passed, after a warm-up. */
function measure(framesPerRound: number, payloadSize: number, round: () => void): Result {
  for (let i = 0; i < 3; i++) round();
  let rounds = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    round();
    rounds++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { frames: rounds * framesPerRound, bytes: rounds * framesPerRound * payloadSize, ms: elapsed };
}

function row(label: string, result: Result, countsPayload = true): string {
  const seconds = result.ms / 1000;
  // The header-only encoder never touches the payload, so a MB/s figure for it would be meaningless.
  const mbps = countsPayload ? (result.bytes / 1e6 / seconds).toFixed(0) : '-';
  const fps = result.frames / seconds;
  return `${label.padEnd(44)} ${mbps.padStart(9)} MB/s ${fps.toFixed(0).padStart(12)} frames/s`;
}

function payload(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = (i * 131) & 0xff;
  return out;
}

let sink = 0; // keeps results observable so the work is not optimised away

function bench(size: number, label: string): string[] {
  const body = payload(size);
  const perRound = Math.max(1, Math.floor((4 * 1024 * 1024) / size));
  const lines: string[] = [];

  lines.push(
    row(`encodeFrame        ${label} (copy)`, measure(perRound, size, () => {
      for (let i = 0; i < perRound; i++) sink ^= encodeFrame({ flags: FrameFlag.CODEC_PROTO, options: [i & 0xff], payload: body }).length;
    })),
  );
  lines.push(
    row(`encodeFrameHeader  ${label} (header only)`, measure(perRound, size, () => {
      for (let i = 0; i < perRound; i++) sink ^= encodeFrameHeader(FrameFlag.CODEC_PROTO, 0, [i & 0xff], body.length).length;
    }), false),
  );

  const one = encodeFrame({ flags: FrameFlag.CODEC_PROTO, options: [16], payload: body });
  const stream = Buffer.concat(Array.from({ length: perRound }, () => one));
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; at += CHUNK) chunks.push(stream.subarray(at, at + CHUNK));
  lines.push(
    row(`FrameReader        ${label} (64 KiB chunks)`, measure(perRound, size, () => {
      const reader = new FrameReader();
      let count = 0;
      for (const chunk of chunks) count += reader.push(chunk).length;
      if (count !== perRound) throw new Error(`decoded ${count} frames, expected ${perRound}`);
      sink ^= count;
    })),
  );
  return lines;
}

console.log(`goridge frame codec, node ${process.version}, payload MB/s and frames/s`);
for (const line of [...bench(1024, '1 KiB'), ...bench(1024 * 1024, '1 MiB')]) console.log(line);
if (sink === 0.5) console.log(sink);
