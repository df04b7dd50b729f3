import { modeContext } from '../../../support/mode-context.js';
import { FrameFlag } from '../../../../src/runtime/goridge/flags.js';
import type { Frame } from '../../../../src/runtime/goridge/frame.js';
import type { ModeFactory } from '../../../../src/runtime/app/define-app.js';
import type { RuntimeConfigInput } from '../../../../src/runtime/config/runtime-config.js';
import { Worker } from '../../../../src/runtime/worker/worker.js';
import { decodeHttpResponse, encodeHttpRequest } from '../../../../src/bridges/http/proto/http-v1.js';
import { MemoryPeer } from '../../../support/memory-peer.js';

/** Boots a mode the way runApp does and serves it to an in-memory rr peer. */
export async function serveMode(factory: ModeFactory, env: NodeJS.ProcessEnv = {}, config?: RuntimeConfigInput) {
  const logs: string[] = [];
  const reported: unknown[] = [];
  const mode = await factory(
    modeContext({ env, ...(config ? { config } : {}), log: (m) => void logs.push(m), reportError: async (error) => void reported.push(error) }),
  );
  const peer = new MemoryPeer();
  const done = new Worker({ transport: peer.transport, handler: mode.handle, afterUnit: mode.afterUnit?.bind(mode), log: (m) => logs.push(m) }).run();
  let sent = 0;
  /** Sends a request and collects its whole reply (all frames until one without STREAM). */
  async function fetchVia(path: string, init: { method?: string; header?: Record<string, string[]>; body?: string } = {}) {
    peer.request(
      encodeHttpRequest({ method: init.method ?? 'GET', uri: `http://localhost${path}`, protocol: 'HTTP/1.1', remoteAddr: '127.0.0.1', header: init.header ?? {} }),
      init.body ?? '',
      FrameFlag.CODEC_PROTO,
    );
    const frames: Frame[] = [];
    for (;;) {
      const [frame] = (await peer.waitForSent(sent + 1)).slice(sent);
      sent += 1;
      frames.push(frame!);
      if (frame!.flags & FrameFlag.ERROR) return { status: -1, headers: {}, body: frame!.payload.toString(), frames };
      if (!(frame!.streamFlags & 1)) break;
    }
    const context = decodeHttpResponse(frames[0]!.payload.subarray(0, frames[0]!.options[0]));
    const body = Buffer.concat(frames.map((f) => f.payload.subarray(f.options[0]))).toString();
    return { status: context.status, headers: context.headers, body, frames };
  }
  async function stop() {
    peer.end();
    await done;
    await mode.shutdown?.();
  }
  return { mode, peer, logs, reported, fetch: fetchVia, stop };
}
