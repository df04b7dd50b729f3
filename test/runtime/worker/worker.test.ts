import { expect } from 'chai';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SETTLED } from '../../../src/container/index.js';
import type { Frame } from '../../../src/runtime/goridge/frame.js';
import type { FrameListener, OutgoingFrame } from '../../../src/runtime/relay/relay.js';
import { FrameFlag, StreamFlag } from '../../../src/runtime/goridge/flags.js';
import { FrameError, StreamStoppedError } from '../../../src/runtime/errors.js';
import { Worker, type UnitHandler, type WorkerTransport } from '../../../src/runtime/worker/worker.js';
import type { UnitOfWork } from '../../../src/runtime/worker/unit-of-work.js';
import { MemoryPeer, parts } from '../../support/memory-peer.js';

type Delivery = 'pushed' | 'iterated';

type StartOptions = Partial<ConstructorParameters<typeof Worker>[0]> & { sendFails?: Error };

function startWorker(delivery: Delivery, handler: UnitHandler, { sendFails, ...options }: StartOptions = {}) {
  const peer = new MemoryPeer();
  const logs: string[] = [];
  // The relays push frames (listen); a transport may also only offer frames() to iterate.
  const { frames, close } = peer.transport;
  const send: WorkerTransport['send'] = sendFails ? () => Promise.reject(sendFails) : peer.transport.send;
  const transport: WorkerTransport = { frames, send, close };
  if (delivery === 'pushed') transport.listen = (listener) => void pushFrames(frames(), listener);
  const worker = new Worker({ transport, handler, pid: 1234, log: (m) => logs.push(m), ...options });
  const done = worker.run();
  return { peer, worker, done, logs };
}

/** Pushes what an iterable yields to a listener, as the relays' `data` handlers do. */
async function pushFrames(frames: AsyncIterable<Frame>, listener: FrameListener): Promise<void> {
  try {
    for await (const frame of frames) listener.frame(frame);
    listener.end();
  } catch (error) {
    listener.error(error);
  }
}

const echo: UnitHandler = async (unit) => unit.respond(unit.body, unit.context);
const EMPTY_BODY = Buffer.alloc(0);

for (const delivery of ['pushed', 'iterated'] as const) describe(`Worker (frames ${delivery})`, () => {
  const start = (handler: UnitHandler, options: StartOptions = {}) => startWorker(delivery, handler, options);
  it('answers the pid handshake with a CONTROL frame carrying its pid', async () => {
    const { peer, done } = start(echo);
    peer.pid();
    const [reply] = await peer.waitForSent(1);
    expect(reply!.flags).to.equal(FrameFlag.CONTROL);
    expect(reply!.options).to.deep.equal([]);
    expect(JSON.parse(reply!.payload.toString())).to.deep.equal({ pid: 1234 });
    peer.end();
    expect(await done).to.equal('eof');
  });

  it('serves units one at a time, replying with one option = context length', async () => {
    const order: string[] = [];
    const { peer, done } = start(async (unit) => {
      order.push(`start ${unit.body}`);
      await new Promise((r) => setTimeout(r, 5));
      order.push(`end ${unit.body}`);
      await unit.respond(Buffer.from(`re:${unit.body}`), Buffer.from('ctx'));
    });
    peer.pid();
    peer.request('c1', 'a');
    peer.request('c2', 'b');
    const frames = await peer.waitForSent(3);
    expect(order).to.deep.equal(['start a', 'end a', 'start b', 'end b']);
    expect(frames[1]!.options).to.deep.equal([3]);
    expect(parts(frames[1]!)).to.deep.equal({ context: 'ctx', body: 're:a' });
    expect(parts(frames[2]!)).to.deep.equal({ context: 'ctx', body: 're:b' });
    peer.end();
    await done;
  });

  it('answers a throwing handler with an ERROR frame and keeps serving', async () => {
    const { peer, done, logs } = start(async (unit) => {
      if (unit.body.toString() === 'boom') throw new TypeError('kaput');
      await unit.respond(Buffer.from('fine'));
    });
    peer.request('', 'boom');
    peer.request('', 'ok');
    const [error, ok] = await peer.waitForSent(2);
    expect(error!.flags & FrameFlag.ERROR).to.equal(FrameFlag.ERROR);
    expect(error!.payload.toString()).to.equal('TypeError: kaput');
    expect(parts(ok!).body).to.equal('fine');
    expect(logs.join('\n')).to.contain('kaput');
    peer.end();
    await done;
  });

  it('finishes the current unit on CONTROL stop, then returns', async () => {
    let release!: () => void;
    const { peer, done } = start(async (unit) => {
      await new Promise<void>((r) => (release = r));
      await unit.respond(Buffer.from('late'));
    });
    peer.request('', 'x');
    await new Promise((r) => setTimeout(r, 5));
    peer.controlStop();
    await new Promise((r) => setTimeout(r, 5));
    expect(peer.sent).to.have.length(0);
    release();
    expect(await done).to.equal('control-stop');
    expect(parts(peer.sent[0]!).body).to.equal('late');
    expect(peer.closed).to.equal(true);
  });

  it('takes nothing rr sends after its CONTROL stop', async () => {
    const served: string[] = [];
    const { peer, done } = start(async (unit) => {
      served.push(unit.body.toString());
      await unit.respond();
    });
    peer.request('', 'before');
    peer.controlStop();
    peer.request('', 'after');
    expect(await done).to.equal('control-stop');
    expect(served).to.deep.equal(['before']);
  });

  it('rejects run() when the pid reply cannot be written', async () => {
    const failure = new Error('EPIPE');
    const { peer, done } = start(echo, { sendFails: failure });
    peer.pid();
    const error = await done.then(() => undefined, (e: unknown) => e);
    expect(error).to.equal(failure);
  });

  it('aborts the unit signal on a stream STOP and closes the stream with one frame without STREAM', async () => {
    let cleanedUp = false;
    const { peer, done } = start(async (unit) => {
      unit.codec = FrameFlag.CODEC_PROTO;
      try {
        for (let i = 0; ; i++) {
          await unit.stream(Buffer.from(`chunk${i}`));
          await new Promise((r) => setTimeout(r, 2));
        }
      } finally {
        cleanedUp = true;
      }
    });
    peer.request('', 'go');
    await peer.waitForSent(3);
    peer.streamStop();
    await new Promise((r) => setTimeout(r, 20));
    peer.end();
    await done;
    expect(cleanedUp).to.equal(true);
    const last = peer.sent.at(-1)!;
    expect(last.streamFlags & StreamFlag.STREAM).to.equal(0);
    expect(last.options).to.deep.equal([0]);
    expect(last.flags).to.equal(FrameFlag.CODEC_PROTO);
    for (const frame of peer.sent.slice(0, -1)) expect(frame.streamFlags & StreamFlag.STREAM).to.equal(StreamFlag.STREAM);
  });

  it('stream() throws StreamStoppedError once rr stopped the stream', async () => {
    let thrown: unknown;
    const { peer, done } = start(async (unit) => {
      await unit.stream(Buffer.from('first'));
      await new Promise<void>((r) => unit.signal.addEventListener('abort', () => r()));
      try {
        await unit.stream(Buffer.from('second'));
      } catch (error) {
        thrown = error;
        throw error;
      }
    });
    peer.request('', '');
    await peer.waitForSent(1);
    peer.streamStop();
    await peer.waitForSent(2);
    peer.end();
    await done;
    expect(thrown).to.be.instanceOf(StreamStoppedError);
    expect(peer.sent).to.have.length(2);
  });

  it('asks rr to replace the worker on the next unit when afterUnit says so', async () => {
    const { peer, done } = start(echo, { afterUnit: async () => ({ replaceWorker: true }) });
    peer.request('', 'one');
    peer.request('', 'two');
    const [first, second] = await peer.waitForSent(2);
    expect(parts(first!).body).to.equal('one');
    expect(parts(second!)).to.deep.equal({ context: '{"stop":true}', body: '' });
    expect(second!.options).to.deep.equal([13]);
    peer.controlStop();
    expect(await done).to.equal('control-stop');
  });

  it('treats a throwing afterUnit hook as a reason to be replaced', async () => {
    const { peer, done, logs } = start(echo, {
      afterUnit: async () => {
        throw new Error('reset failed');
      },
    });
    peer.request('', 'one');
    peer.request('', 'two');
    const frames = await peer.waitForSent(2);
    expect(parts(frames[1]!).context).to.equal('{"stop":true}');
    expect(logs.join('\n')).to.contain('reset failed');
    peer.controlStop();
    await done;
  });

  it('lets a handler ask for its own replacement: {"stop":true} with an empty body', async () => {
    const { peer, done } = start(async (unit) => unit.requestReplacement());
    peer.request('', 'x');
    const [frame] = await peer.waitForSent(1);
    expect(frame!.flags).to.equal(0);
    expect(parts(frame!)).to.deep.equal({ context: '{"stop":true}', body: '' });
    peer.end();
    await done;
  });

  it('refuses to answer a unit twice', async () => {
    let second: unknown;
    const { peer, done } = start(async (unit) => {
      await unit.respond(Buffer.from('one'));
      second = await unit.respond(Buffer.from('two')).catch((e) => e);
    });
    peer.request('', '');
    await peer.waitForSent(1);
    await new Promise((r) => setTimeout(r, 5));
    peer.end();
    await done;
    expect(second).to.be.instanceOf(Error);
    expect((second as Error).message).to.match(/already answered/);
    expect(peer.sent).to.have.length(1);
  });

  it('answers a request frame without exactly one option with an ERROR frame and keeps going', async () => {
    const { peer, done } = start(echo);
    peer.push({ flags: FrameFlag.CODEC_RAW, options: [], payload: Buffer.from('x') });
    peer.push({ flags: FrameFlag.CODEC_RAW, options: [9], payload: Buffer.from('short') });
    peer.request('', 'ok');
    const frames = await peer.waitForSent(3);
    expect(frames[0]!.payload.toString()).to.match(/exactly one option/);
    expect(frames[1]!.payload.toString()).to.match(/context is 9 bytes/);
    expect(parts(frames[2]!).body).to.equal('ok');
    peer.end();
    await done;
  });

  it('sends an empty final reply when a handler returns without answering', async () => {
    const { peer, done, logs } = start(async () => {});
    peer.request('', '');
    const [frame] = await peer.waitForSent(1);
    expect(frame!.payload.length).to.equal(0);
    expect(frame!.options).to.deep.equal([0]);
    expect(logs.join()).to.match(/without answering/);
    peer.end();
    await done;
  });

  it('rejects run() with the input error when the frame stream breaks', async () => {
    const { peer, done } = start(echo);
    peer.fail(new FrameError('crc', 'header CRC mismatch'));
    const error = await done.then(() => undefined, (e) => e);
    expect(error).to.be.instanceOf(FrameError);
  });

  it('fail() answers a unit whose handler never settles, then has every later unit replaced', async () => {
    const { peer, worker, done, logs } = start(() => new Promise<void>(() => {}));
    peer.request('', 'stuck');
    await new Promise((r) => setTimeout(r, 5));
    await worker.fail(new Error('uncaught in a timer'));
    peer.request('', 'next');
    const [failed, replaced] = await peer.waitForSent(2);
    expect(failed!.flags & FrameFlag.ERROR).to.equal(FrameFlag.ERROR);
    expect(failed!.payload.toString()).to.contain('uncaught in a timer');
    expect(parts(replaced!)).to.deep.equal({ context: '{"stop":true}', body: '' });
    peer.controlStop();
    expect(await done).to.equal('control-stop');
    expect(logs.join('\n')).to.not.contain('without answering');
  });

  it('rejects run() with the error when a reply it sends itself cannot be written', async () => {
    const broken = new Error('EPIPE');
    let handled = 0;
    const { peer, done } = start(
      async () => {
        handled += 1;
      },
      { sendFails: broken },
    );
    peer.request('', 'one');
    peer.request('', 'two');
    expect(await done.then(() => undefined, (e: unknown) => e)).to.equal(broken);
    expect(handled, 'nothing more is served once the output broke').to.equal(1);
  });

  it('stop() returns at once when idle and after the unit when busy', async () => {
    const idle = start(echo);
    idle.worker.stop();
    expect(await idle.done).to.equal('signal');

    let release!: () => void;
    const busy = start(async (unit) => {
      await new Promise<void>((r) => (release = r));
      await unit.respond(Buffer.from('done'));
    });
    busy.peer.request('', '');
    await new Promise((r) => setTimeout(r, 5));
    busy.worker.stop();
    release();
    expect(await busy.done).to.equal('signal');
    expect(parts(busy.peer.sent[0]!).body).to.equal('done');
  });
});

describe('Worker with frames arriving together', () => {
  it('serves units answered synchronously (handler and afterUnit) one after another without growing the stack', async () => {
    // One read can hold many frames; each unit after the first ends before its handler's caller returns.
    const count = 20_000;
    const request: Frame = { flags: FrameFlag.CODEC_RAW, streamFlags: 0, options: [0], payload: Buffer.from('x') };
    let sent = 0;
    const transport: WorkerTransport = {
      frames: () => {
        throw new Error('listen() is used');
      },
      listen(listener) {
        for (let n = 0; n < count; n++) listener.frame(request);
        listener.end();
      },
      send: async () => {
        sent += 1;
      },
      close: async () => {},
    };
    // The first unit waits until every frame has arrived, so the others are all queued behind it.
    let first = true;
    const handler = ((unit: UnitOfWork) => {
      if (first) {
        first = false;
        return new Promise<void>((resolve) => setImmediate(resolve)).then(() => unit.respond(EMPTY_BODY));
      }
      void unit.respond(EMPTY_BODY);
      return undefined;
    }) as unknown as UnitHandler;
    const worker = new Worker({ transport, handler, afterUnit: () => undefined, pid: 1, log: () => {} });
    expect(await worker.run()).to.equal('eof');
    expect(sent).to.equal(count);
    expect(worker.unitsServed).to.equal(count);
  });
});

describe('Worker with replies handed over synchronously', () => {
  /** Delivers one frame and reports what ran before `listener.frame()` returned. */
  function serveOne(sent: Promise<void>): { sendCalls: number; afterUnitCalls: number } {
    const request: Frame = { flags: FrameFlag.CODEC_RAW, streamFlags: 0, options: [0], payload: Buffer.from('x') };
    const seen = { sendCalls: 0, afterUnitCalls: 0 };
    const transport: WorkerTransport = {
      frames: () => {
        throw new Error('listen() is used');
      },
      listen: (listener) => listener.frame(request),
      send: () => {
        seen.sendCalls += 1;
        return sent;
      },
      close: async () => {},
    };
    const afterUnit = () => {
      seen.afterUnitCalls += 1;
    };
    void new Worker({ transport, handler: (unit) => unit.respond(EMPTY_BODY), afterUnit, pid: 1, log: () => {} }).run();
    return { ...seen };
  }

  it('ends a unit whose reply the transport answered with SETTLED in the same turn, with no promise to wait on', () => {
    expect(serveOne(SETTLED)).to.deep.equal({ sendCalls: 1, afterUnitCalls: 1 });
  });

  it('waits a turn for any other promise, settled or not', () => {
    expect(serveOne(Promise.resolve())).to.deep.equal({ sendCalls: 1, afterUnitCalls: 0 });
  });
});

describe('Worker memory', () => {
  it('holds no memory per unit served once the unit is done', async function () {
    this.timeout(60_000);
    // A unit's bookkeeping must be garbage once it is answered: a reaction left on a promise that
    // lives as long as the worker (racing each handler against one never-settling promise did
    // that) grows the heap by ~300 bytes per unit, forever.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const request: Frame = { flags: FrameFlag.CODEC_RAW, streamFlags: 0, options: [0], payload: Buffer.from('x') };
    const heapAt: number[] = [];
    let remaining = 32_000;
    let wake: (() => void) | undefined;
    let answered = true;
    const transport = {
      async *frames(): AsyncGenerator<Frame> {
        while (remaining > 0) {
          if (!answered) await new Promise<void>((resolve) => (wake = resolve));
          answered = false;
          remaining -= 1;
          yield request;
        }
      },
      send(_frame: OutgoingFrame): Promise<void> {
        answered = true;
        wake?.();
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
    // Measured from inside the handler, while the worker (and whatever it holds) is alive.
    const handler: UnitHandler = async (unit) => {
      if (remaining === 30_000 || remaining === 0) {
        gc();
        heapAt.push(process.memoryUsage().heapUsed);
      }
      await unit.respond(unit.body);
    };
    await new Worker({ transport, handler, log: () => {} }).run();
    const grown = heapAt[1]! - heapAt[0]!;
    expect(grown, `heap grew by ${grown} bytes over 30,000 units`).to.be.below(3_000_000);
  });
});
