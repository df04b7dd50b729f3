/**
 * Drives `createHttpHandler` through a real `Worker` over a `MemoryPeer` and reads back what rr
 * would receive: every frame, the 1xx hints, the final status and headers, and the body bytes.
 */
import { expect } from 'chai';
import { FrameFlag, StreamFlag } from '../../../../src/runtime/goridge/flags.js';
import type { Frame } from '../../../../src/runtime/goridge/frame.js';
import type { OutgoingFrame } from '../../../../src/runtime/relay/relay.js';
import { Worker, type WorkerTransport } from '../../../../src/runtime/worker/worker.js';
import { createHttpHandler, type FetchHandler } from '../../../../src/bridges/http/http-handler.js';
import { decodeHttpResponse, encodeHttpRequest, type HttpResponseMessage } from '../../../../src/bridges/http/proto/http-v1.js';
import { MemoryPeer } from '../../../support/memory-peer.js';

export interface HarnessOptions {
  /** Runs after each frame the worker sends (1-based count of frames so far); the worker waits for it, like a slow client. */
  afterSend?: (sentCount: number, frame: OutgoingFrame) => void | Promise<void>;
}

export interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What rr got for one request. */
export interface Reply {
  frames: Frame[];
  /** Contexts of the 1xx frames, in order. */
  hints: HttpResponseMessage[];
  /** The first non-1xx context. */
  status: number;
  headers: Record<string, string[]>;
  /** Every frame's body, concatenated. */
  body: Buffer;
  /** The ERROR frame's text, when the unit failed before answering. */
  error?: string;
}

export function serveHttp(fetch: FetchHandler, options: HarnessOptions = {}) {
  const peer = new MemoryPeer();
  const logs: string[] = [];
  const unitErrors: unknown[] = [];
  const transport: WorkerTransport = {
    frames: () => peer.transport.frames(),
    send: async (frame) => {
      await peer.transport.send(frame);
      await options.afterSend?.(peer.sent.length, frame);
    },
    close: () => peer.transport.close(),
  };
  const done = new Worker({
    transport,
    handler: createHttpHandler(fetch),
    log: (message) => logs.push(message),
    onUnitError: (error) => void unitErrors.push(error),
  }).run();

  const send = (uri: string, init: RequestInit = {}) => {
    const header: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(init.headers ?? {})) header[name] = [value];
    peer.request(
      encodeHttpRequest({ method: init.method ?? 'GET', uri, protocol: 'HTTP/1.1', remoteAddr: '127.0.0.1', header }),
      init.body ?? '',
      FrameFlag.CODEC_PROTO,
    );
  };

  /** Sends a request and collects frames up to the one without the STREAM bit. */
  const exchange = async (uri: string, init: RequestInit = {}): Promise<Reply> => {
    const start = peer.sent.length;
    send(uri, init);
    const frames = await waitForFinal(start);
    return readReply(frames);
  };

  /** Resolves with the frames sent after `start`, once one of them ends the reply. */
  const waitForFinal = async (start: number): Promise<Frame[]> => {
    for (let count = start + 1; ; count++) {
      await peer.waitForSent(count);
      const frame = peer.sent[count - 1]!;
      if ((frame.streamFlags & StreamFlag.STREAM) === 0) return peer.sent.slice(start, count);
    }
  };

  const close = async () => {
    peer.end();
    await done;
  };

  return { peer, logs, unitErrors, send, exchange, waitForFinal, close };
}

/** Splits frames into hints, final head and body, checking the wire rules every HTTP reply must follow. */
export function readReply(frames: Frame[]): Reply {
  const last = frames.at(-1)!;
  if (last.flags & FrameFlag.ERROR) {
    expect(frames).to.have.length(1);
    return { frames, hints: [], status: 0, headers: {}, body: Buffer.alloc(0), error: last.payload.toString() };
  }
  const hints: HttpResponseMessage[] = [];
  let head: HttpResponseMessage | undefined;
  const body: Buffer[] = [];
  frames.forEach((frame, i) => {
    expect(frame.flags, `frame ${i} flags`).to.equal(FrameFlag.CODEC_PROTO);
    expect(frame.options, `frame ${i} options`).to.have.length(1);
    expect(frame.streamFlags & StreamFlag.STREAM, `frame ${i} STREAM bit`).to.equal(i < frames.length - 1 ? StreamFlag.STREAM : 0);
    const contextLength = frame.options[0]!;
    const bytes = frame.payload.subarray(contextLength);
    if (contextLength > 0) {
      const context = decodeHttpResponse(frame.payload.subarray(0, contextLength));
      if (context.status < 200) {
        expect(bytes.length, 'a 1xx frame has no body').to.equal(0);
        expect(head, 'a 1xx frame after the final status').to.equal(undefined);
        hints.push(context);
        return;
      }
      expect(head, `frame ${i} carries a second status`).to.equal(undefined);
      head = context;
    } else {
      expect(head, `frame ${i} carries body bytes before any status`).to.not.equal(undefined);
    }
    body.push(bytes);
  });
  expect(head, 'no final status').to.not.equal(undefined);
  return { frames, hints, status: head!.status, headers: head!.headers, body: Buffer.concat(body) };
}

/** Open file descriptors of this process that point at `path` (Linux). */
export async function openDescriptorsOf(path: string): Promise<number> {
  const { readdirSync, readlinkSync } = await import('node:fs');
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) count += 1;
    } catch {
      // closed between the listing and the readlink
    }
  }
  return count;
}

/** Waits until `check` holds, polling; fails after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A promise with its resolver, to hold a producer or the transport at a chosen point. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
