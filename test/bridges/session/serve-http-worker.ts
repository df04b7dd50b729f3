/**
 * Runs an `httpMode` worker against an in-memory rr peer ({@link MemoryPeer}): the real Worker
 * loop, protobuf request/response frames, scopes and resets, with no process in between.
 */
import { modeContext } from '../../support/mode-context.js';
import { decodeHttpResponse, encodeHttpRequest, type ValuesMap } from '../../../src/bridges/http/index.js';
import type { ModeFactory } from '../../../src/runtime/app/define-app.js';
import { FrameFlag, StreamFlag } from '../../../src/runtime/goridge/flags.js';
import type { Frame } from '../../../src/runtime/goridge/frame.js';
import { Worker } from '../../../src/runtime/worker/worker.js';
import { MemoryPeer } from '../../support/memory-peer.js';

export interface WorkerReply {
  status: number;
  headers: ValuesMap;
  body: string;
}

export interface ServedWorker {
  /** Sends one request and waits for its whole reply. Requests to one worker are served one at a time, as rr does. */
  fetch(uri: string, init?: { method?: string; header?: ValuesMap; body?: string }): Promise<WorkerReply>;
  logs: string[];
  stop(): Promise<void>;
}

export async function serveHttpWorker(factory: ModeFactory): Promise<ServedWorker> {
  const logs: string[] = [];
  const mode = await factory(modeContext({ log: (m) => void logs.push(m) }));
  const peer = new MemoryPeer();
  const done = new Worker({ transport: peer.transport, handler: mode.handle, afterUnit: mode.afterUnit?.bind(mode), log: (m) => logs.push(m) }).run();
  let seen = 0;
  // One request in flight at a time per worker: chain them.
  let queue: Promise<unknown> = Promise.resolve();

  async function send(uri: string, init: { method?: string; header?: ValuesMap; body?: string }): Promise<WorkerReply> {
    peer.request(
      encodeHttpRequest({ method: init.method ?? 'GET', uri, protocol: 'HTTP/1.1', remoteAddr: '127.0.0.1', header: init.header ?? {} }),
      init.body ?? '',
      FrameFlag.CODEC_PROTO,
    );
    const frames: Frame[] = [];
    for (;;) {
      const frame = (await peer.waitForSent(seen + 1))[seen]!;
      seen += 1;
      frames.push(frame);
      if (frame.flags & FrameFlag.ERROR) throw new Error(`worker answered with an error frame: ${frame.payload.toString()}`);
      if (!(frame.streamFlags & StreamFlag.STREAM)) break;
    }
    const head = decodeHttpResponse(frames[0]!.payload.subarray(0, frames[0]!.options[0]));
    const body = Buffer.concat(frames.map((f) => f.payload.subarray(f.options[0] ?? 0))).toString();
    return { status: head.status, headers: head.headers, body };
  }

  return {
    logs,
    fetch(uri, init = {}) {
      const reply = queue.then(() => send(uri, init));
      queue = reply.catch(() => {});
      return reply;
    },
    async stop() {
      peer.end();
      await done;
      await mode.shutdown?.();
    },
  };
}
