/**
 * Runs a jobs mode through `runApp` (boot, worker loop, shutdown) against an in-memory rr peer,
 * as rr starts a `RR_MODE=jobs` worker, and sends it tasks shaped like rr's drivers write them.
 */
import { expect } from 'chai';
import type { ModeFactory } from '../../../../src/runtime/app/define-app.js';
import type { RuntimeConfigInput } from '../../../../src/runtime/config/runtime-config.js';
import { runApp } from '../../../../src/runtime/app/run-app.js';
import { EventDispatcher } from '../../../../src/runtime/events/event-dispatcher.js';
import { WorkerErrorEvent } from '../../../../src/runtime/events/lifecycle-events.js';
import { FrameFlag } from '../../../../src/runtime/goridge/flags.js';
import type { Frame } from '../../../../src/runtime/goridge/frame.js';
import { MemoryPeer } from '../../../support/memory-peer.js';

/** rr's jobs context for one task; defaults are what rr's memory driver writes. */
export interface TaskContext {
  id?: string;
  job?: string;
  driver?: string;
  headers?: Record<string, string[]> | null;
  pipeline?: string;
  queue?: string;
  topic?: string;
  partition?: number;
  offset?: number;
}

export function taskContext(fields: TaskContext = {}): string {
  return JSON.stringify({ id: 'job-1', job: 'test.job', driver: 'memory', headers: null, pipeline: 'default', ...fields });
}

/** A decoded reply body: `{ type, data }` as rr's jobs protocol reads it. */
export interface JobsReply {
  type: number;
  data: Record<string, unknown>;
}

/** Checks a reply frame is what rr reads as intended, and returns its decoded body. */
export function readReply(frame: Frame): JobsReply {
  expect(frame.flags & FrameFlag.ERROR, `an ERROR frame: ${frame.payload}`).to.equal(0);
  expect(frame.streamFlags, 'stream bits').to.equal(0);
  expect(frame.options).to.have.length(1);
  const body = frame.payload.subarray(frame.options[0]).toString();
  const reply = JSON.parse(body) as JobsReply;
  expect(reply.type).to.be.oneOf([2, 3, 4]);
  expect(reply.data).to.be.an('object').and.not.equal(null);
  return reply;
}

/** Runs `factory` as the app's jobs mode; `config` is the app's `defineApp({ config })`. */
export function startJobsWorker(factory: ModeFactory, env: NodeJS.ProcessEnv = {}, config?: RuntimeConfigInput) {
  const peer = new MemoryPeer();
  const logs: string[] = [];
  const reported: unknown[] = [];
  const events = new EventDispatcher();
  events.addListener(WorkerErrorEvent, (event) => void reported.push(event.error));
  const exit = runApp({ modes: { jobs: factory }, events, ...(config === undefined ? {} : { config }) }, { env: { RR_MODE: 'jobs', ...env }, connect: () => peer.transport, log: (m) => logs.push(m), handleSignals: false });
  let sent = 0;

  /** The next reply the worker sends, checked by {@link readReply}. */
  async function next(): Promise<JobsReply> {
    await peer.waitForSent(sent + 1);
    const frame = peer.sent[sent]!;
    sent += 1;
    return readReply(frame);
  }

  /** Sends one task and resolves with its reply. */
  function task(context: TaskContext | string = {}, payload: string | Uint8Array = '{}'): Promise<JobsReply> {
    peer.request(typeof context === 'string' ? context : taskContext(context), payload, FrameFlag.CODEC_RAW);
    return next();
  }

  /** Ends rr's side (EOF) and resolves with runApp's exit code once shutdown finished. */
  function stop(): Promise<number> {
    peer.end();
    return exit;
  }

  return { peer, logs, reported, task, next, stop };
}
