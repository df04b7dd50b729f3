import { runApp } from '../../../src/runtime/app/run-app.js';
import type { WorkerApp } from '../../../src/runtime/app/define-app.js';
import { FrameFlag } from '../../../src/runtime/goridge/flags.js';
import type { Frame } from '../../../src/runtime/goridge/frame.js';
import { decodeHttpResponse, encodeHttpRequest } from '../../../src/bridges/http/proto/http-v1.js';
import { MemoryPeer } from '../../support/memory-peer.js';

/**
 * Runs `app` through `runApp` (boot, lifecycle events, worker loop, shutdown) against an in-memory
 * rr peer, as rr would start it with `RR_MODE=mode`.
 */
export function startApp(app: WorkerApp, mode: string, env: NodeJS.ProcessEnv = {}) {
  const peer = new MemoryPeer();
  const logs: string[] = [];
  let settled = false;
  const exit = runApp(app, { env: { RR_MODE: mode, ...env }, connect: () => peer.transport, log: (m) => logs.push(m), handleSignals: false }).finally(
    () => (settled = true),
  );
  let sent = 0;

  /** Sends one unit and resolves with every frame of its reply (until one without the STREAM bit). */
  async function unit(context: string | Uint8Array, body = '', flags: number = FrameFlag.CODEC_RAW): Promise<Frame[]> {
    peer.request(context, body, flags);
    const frames: Frame[] = [];
    for (;;) {
      const [frame] = (await peer.waitForSent(sent + 1)).slice(sent);
      sent += 1;
      frames.push(frame!);
      if (frame!.flags & FrameFlag.ERROR || !(frame!.streamFlags & 1)) return frames;
    }
  }

  /** An HTTP request through rr's proto codec; resolves with the status (-1 for an ERROR frame) and body. */
  async function http(path: string, header: Record<string, string[]> = {}) {
    const frames = await unit(
      encodeHttpRequest({ method: 'GET', uri: `http://localhost${path}`, protocol: 'HTTP/1.1', remoteAddr: '127.0.0.1', header }),
      '',
      FrameFlag.CODEC_PROTO,
    );
    const first = frames[0]!;
    if (first.flags & FrameFlag.ERROR) return { status: -1, body: first.payload.toString() };
    const status = decodeHttpResponse(first.payload.subarray(0, first.options[0])).status;
    return { status, body: Buffer.concat(frames.map((f) => f.payload.subarray(f.options[0]))).toString() };
  }

  /** A jobs unit: rr's jobs context JSON; resolves with the reply body (or the ERROR text). */
  async function job(name: string, id: string, payload = '{}') {
    const context = JSON.stringify({ id, job: name, driver: 'memory', headers: null, pipeline: 'default', queue: 'default' });
    const [frame] = await unit(context, payload, FrameFlag.CODEC_JSON);
    const text = frame!.payload.subarray(frame!.options[0] ?? 0).toString();
    return frame!.flags & FrameFlag.ERROR ? { error: frame!.payload.toString() } : { reply: text };
  }

  /** Ends rr's side (EOF) and resolves with runApp's exit code once shutdown finished. */
  async function stop(): Promise<number> {
    peer.end();
    return exit;
  }

  return { peer, logs, unit, http, job, stop, exit, isSettled: () => settled };
}
