import { runApp } from '../../../src/runtime/app/run-app.js';
import type { WorkerApp } from '../../../src/runtime/app/define-app.js';
import { FrameFlag } from '../../../src/runtime/goridge/flags.js';
import type { Frame } from '../../../src/runtime/goridge/frame.js';
import {
  decodeProxyResponse,
  encodeProxyRequest,
  type ProxyCallType,
  type ProxyRequestBase,
} from '../../../src/bridges/centrifugo/index.js';
import { MemoryPeer } from '../../support/memory-peer.js';
import { RR_PROXY_TYPES } from '../../../src/testing/test-worker.js';

/** The `type` rr's centrifuge plugin names each call with: the kit's table. */
export const RR_TYPES = RR_PROXY_TYPES;

/**
 * Runs `app` through `runApp` with `RR_MODE=centrifuge` against an in-memory rr peer, and sends
 * proxy calls the way rr's centrifuge plugin does (metadata JSON with `type` as the context, the
 * protobuf request as the body, codec proto).
 */
export function startCentrifugeApp(app: WorkerApp) {
  const peer = new MemoryPeer();
  const logs: string[] = [];
  const exit = runApp(app, { env: { RR_MODE: 'centrifuge' }, connect: () => peer.transport, log: (m) => logs.push(m), handleSignals: false });
  let sent = 0;

  /** Sends one raw unit and resolves with the worker's reply frame. */
  async function raw(context: Uint8Array | string, body: Uint8Array | string): Promise<Frame> {
    peer.request(context, body, FrameFlag.CODEC_PROTO);
    const [frame] = (await peer.waitForSent(sent + 1)).slice(sent);
    sent += 1;
    return frame!;
  }

  /** One proxy call; resolves with the decoded response (throws on an ERROR frame). */
  async function call<T extends ProxyCallType>(type: T, request: Partial<ProxyRequestBase> & Record<string, unknown> = {}, metadata: Record<string, string[]> = {}) {
    const frame = await raw(JSON.stringify({ ...metadata, type: [RR_TYPES[type]] }), encodeProxyRequest(type, { client: 'client-1', transport: 'websocket', protocol: 'json', encoding: 'json', ...request } as never));
    if (frame.flags & FrameFlag.ERROR) throw new Error(`ERROR frame: ${frame.payload.toString()}`);
    return decodeProxyResponse(type, frame.payload.subarray(frame.options[0] ?? 0));
  }

  async function stop(): Promise<number> {
    peer.controlStop();
    return exit;
  }

  return { peer, logs, raw, call, stop, exit };
}

export const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
export const text = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : Buffer.from(bytes).toString());
