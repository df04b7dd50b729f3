/**
 * Our worker's user-space cost per request with no pipe and no rr: the app's `http` mode runs in
 * this process under the real `Worker` loop, fed by an in-memory transport that hands it the next
 * request as soon as the previous reply's final frame was sent. What it measures is exactly the
 * JavaScript work per request (decode, map, scope, kernel, encode, frame), so it is the cleanest
 * input for `node --cpu-prof`:
 *
 *   node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx bench/support/in-process.ts \
 *       [--app bench/support/hello-app.ts] [--path /] [--requests 50000] [--iterate]
 *
 * The transport pushes each request to the worker (`listen`), as the real relays do; `--iterate`
 * makes the worker iterate `frames()` instead (a transport without `listen`). `--mode jobs` feeds
 * the app's jobs mode a task as rr's memory driver sends it (bench/support/jobs-app.ts, or
 * scoped-ack-app.ts for the runtime alone).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModeWorker, WorkerApp } from '../../src/runtime/app/define-app.js';
import { SETTLED } from '../../src/container/index.js';
import { decodeFrame, type Frame } from '../../src/runtime/goridge/frame.js';
import type { OutgoingFrame } from '../../src/runtime/relay/relay.js';
import { Worker, type WorkerTransport } from '../../src/runtime/worker/worker.js';
import type { FrameListener } from '../../src/runtime/relay/relay.js';
import { modeContext } from '../../test/support/mode-context.js';
import { jobsTaskFrame, requestFrame } from './pipe-driver.js';

export interface InProcessResult {
  /** CPU (user + sys) of this process per request, microseconds. */
  cpuUs: number;
  /** The last reply's frames, for a sanity check. */
  lastReply: Frame[];
}

/** Boots the app's http (or jobs) mode, serves `warmup` requests, then measures `requests` more. */
export async function runInProcess(
  app: WorkerApp,
  path: string,
  requests: number,
  warmup = Math.ceil(requests / 5),
  iterate = false,
  modeName: 'http' | 'jobs' = 'http',
): Promise<InProcessResult> {
  const factory = app.modes[modeName];
  if (!factory) throw new Error(`the app has no ${modeName} mode`);
  const mode = await factory(modeContext({ mode: modeName, env: { ...process.env, NODE_ENV: 'production' }, log: (line) => void process.stderr.write(`${line}\n`) }));
  const frame = decodeFrame(modeName === 'http' ? requestFrame(path) : jobsTaskFrame());
  await serve(mode, frame, warmup, iterate);
  const before = process.cpuUsage();
  const lastReply = await serve(mode, frame, requests, iterate);
  const used = process.cpuUsage(before);
  await mode.shutdown?.();
  return { cpuUs: (used.user + used.system) / requests, lastReply };
}

async function serve(mode: ModeWorker, frame: Frame, requests: number, iterate: boolean): Promise<Frame[]> {
  let remaining = requests;
  // Pushed: the next request goes to the worker as soon as the previous reply's final frame was sent.
  let listener: FrameListener | undefined;
  const next = () => {
    if (remaining === 0) return listener!.end();
    remaining -= 1;
    listener!.frame(frame);
  };
  let wake: (() => void) | undefined;
  let ready = true;
  let reply: Frame[] = [];
  let lastReply: Frame[] = [];
  const transport: WorkerTransport = {
    async *frames(): AsyncGenerator<Frame> {
      while (remaining > 0) {
        if (!ready) await new Promise<void>((done) => (wake = done));
        ready = false;
        remaining -= 1;
        yield frame;
      }
    },
    send(out: OutgoingFrame): Promise<void> {
      reply.push(out as unknown as Frame);
      if (!((out.streamFlags ?? 0) & 0x01)) {
        lastReply = reply;
        reply = [];
        ready = true;
        if (listener) next();
        else wake?.();
      }
      return SETTLED; // as the pipes relay does when the write went out synchronously
    },
    close: () => Promise.resolve(),
  };
  if (!iterate) {
    transport.listen = (given) => {
      listener = given;
      next();
    };
  }
  const worker = new Worker({ transport, handler: mode.handle, afterUnit: mode.afterUnit?.bind(mode), log: (line) => process.stderr.write(`${line}\n`) });
  await worker.run();
  return lastReply;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index < 0 ? undefined : process.argv[index + 1];
  };
  const appPath = arg('app') ?? 'bench/support/hello-app.ts';
  const app = ((await import(pathToFileURL(resolve(appPath)).href)) as { default: WorkerApp }).default;
  const requests = Number(arg('requests') ?? 50000);
  const iterate = process.argv.includes('--iterate');
  const modeName = arg('mode') === 'jobs' ? 'jobs' : 'http';
  const { cpuUs, lastReply } = await runInProcess(app, arg('path') ?? '/', requests, undefined, iterate, modeName);
  if (modeName === 'jobs') {
    const body = Buffer.concat((lastReply[0]?.payload as unknown as Uint8Array[] | undefined) ?? []).toString();
    if (!body.includes('"type":2')) throw new Error(`the last task was not acked: ${body}`);
  }
  console.log(`${appPath} in process${iterate ? ' (frames iterated)' : ''}: ${cpuUs.toFixed(1)} us CPU per request`);
}
