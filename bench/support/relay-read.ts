/**
 * The relay's reading side alone: one request frame at a time written into a `StreamRelay` over a
 * PassThrough (the next one once the previous was taken), taken by iterating `frames()` or pushed
 * to a `listen()` listener. Prints CPU microseconds per frame for each, alternating rounds.
 *
 *   npx tsx bench/support/relay-read.ts [--frames 200000] [--rounds 4]
 */
import { PassThrough } from 'node:stream';
import { FrameFlag } from '../../src/runtime/goridge/flags.js';
import { encodeFrame } from '../../src/runtime/goridge/frame.js';
import { StreamRelay } from '../../src/runtime/relay/stream-relay.js';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
};
const FRAMES = arg('frames', 200_000);
const ROUNDS = arg('rounds', 4);
const frame = encodeFrame({ flags: FrameFlag.CODEC_PROTO, options: [120], payload: Buffer.alloc(140, 1) });
/** An output that takes every write at once: only the reading side is measured. */
const sink = () => ({ write: (_chunk: Uint8Array, callback: () => void) => (callback(), true), stream: new PassThrough() });

async function pushed(count: number): Promise<number> {
  const input = new PassThrough();
  const relay = new StreamRelay({ input, output: sink(), description: 'bench' });
  const started = process.cpuUsage();
  await new Promise<void>((resolve) => {
    let taken = 0;
    relay.listen({
      frame: () => {
        if (++taken === count) resolve();
        // As rr: the next request comes in a later turn of the event loop.
        else setImmediate(() => input.write(frame));
      },
      end: () => {},
      error: () => {},
    });
    input.write(frame);
  });
  const used = process.cpuUsage(started);
  await relay.close();
  return (used.user + used.system) / count;
}

async function iterated(count: number): Promise<number> {
  const input = new PassThrough();
  const relay = new StreamRelay({ input, output: sink(), description: 'bench' });
  const started = process.cpuUsage();
  input.write(frame);
  let taken = 0;
  for await (const _ of relay.frames()) {
    if (++taken === count) break;
    setImmediate(() => input.write(frame));
  }
  const used = process.cpuUsage(started);
  await relay.close();
  return (used.user + used.system) / count;
}

await iterated(FRAMES / 10);
await pushed(FRAMES / 10);
for (let round = 0; round < ROUNDS; round++) {
  const first = round % 2 === 0 ? 'iterated' : 'pushed';
  const results = { iterated: 0, pushed: 0 };
  for (const way of first === 'iterated' ? (['iterated', 'pushed'] as const) : (['pushed', 'iterated'] as const)) {
    results[way] = await (way === 'iterated' ? iterated : pushed)(FRAMES);
  }
  console.log(`iterated ${results.iterated.toFixed(2)} us/frame, pushed ${results.pushed.toFixed(2)} us/frame`);
}
