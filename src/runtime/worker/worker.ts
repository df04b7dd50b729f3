import { SETTLED } from '../../container/index.js';
import { FrameFlag, StreamFlag } from '../goridge/flags.js';
import type { Frame } from '../goridge/frame.js';
import type { FrameListener, OutgoingFrame } from '../relay/relay.js';
import { ProtocolError, RuntimeError } from '../errors.js';
import { UnitOfWork, type FrameSink } from './unit-of-work.js';

/** The duplex frame channel to rr the worker needs; every relay (pipes, tcp, unix) provides it. */
export interface WorkerTransport {
  /** Frames from rr in arrival order; the iteration ends at EOF and throws on a broken stream. */
  frames(): AsyncIterable<Frame>;
  /**
   * Optional, instead of {@link frames}: hands each frame to `listener` as soon as it is decoded,
   * then `end` or `error` once. Saves the promises an async iteration costs per frame; the
   * worker uses it when present. Called at most once, and never together with `frames()`.
   */
  listen?(listener: FrameListener): void;
  /** Sends one frame; resolves once it is handed to the OS. */
  send(frame: OutgoingFrame): Promise<void>;
  /** Flushes and closes the channel. */
  close(): Promise<void>;
}

/** Handles one unit of work. Throwing answers the unit with an ERROR frame (when nothing was sent yet). */
export type UnitHandler = (unit: UnitOfWork) => Promise<void>;

/** What happens after each unit (reset services, close the scope); see {@link WorkerOptions.afterUnit}. */
export interface AfterUnitResult {
  /** Ask rr to replace this worker before it serves another unit (a reset failed, memory is too high...). */
  replaceWorker?: boolean;
}

/** Why {@link Worker.run} returned. */
export type WorkerStopReason = 'control-stop' | 'eof' | 'signal';

/** Options of {@link Worker}. */
export interface WorkerOptions {
  /** The relay to rr. */
  transport: WorkerTransport;
  /** Serves each unit. */
  handler: UnitHandler;
  /**
   * Runs after each unit was answered; its result can ask for replacement. Errors are logged and
   * ask for replacement. May answer synchronously (no promise per unit when there is nothing to wait for).
   */
  afterUnit?: ((unit: UnitOfWork) => AfterUnitResult | void | Promise<AfterUnitResult | void>) | undefined;
  /** Observes every unit that failed (after it was answered with an ERROR frame, or its stream ended). */
  onUnitError?: ((error: unknown, unit: UnitOfWork) => void | Promise<void>) | undefined;
  /** The pid reported in the handshake. Default `process.pid`; socket relays need the real one. */
  pid?: number;
  /** Where diagnostics go. Default: stderr, which rr logs. Never stdout. */
  log?: (message: string) => void;
}

/**
 * The goridge worker loop: answers the pid handshake, serves units one at a time, honours rr's
 * CONTROL stop (finish the current unit, then return), stream STOP (abort the unit's signal), EOF,
 * and {@link Worker.stop} (used for SIGTERM/SIGINT).
 *
 * The reading side never waits for a unit to finish, so a STOP frame reaches a unit that is still
 * streaming.
 */
export class Worker {
  private readonly transport: WorkerTransport;
  private readonly handler: UnitHandler;
  private readonly afterUnit: WorkerOptions['afterUnit'];
  private readonly onUnitError: WorkerOptions['onUnitError'];
  private readonly pid: number;
  private readonly log: (message: string) => void;

  /** How units send their frames: one object for the worker's life, not one per unit. */
  private readonly sink: FrameSink = { send: (out) => this.transport.send(out) };
  private readonly queue: Frame[] = [];
  /** Settles {@link run}; undefined before it and once it settled. */
  private ended: { resolve(reason: WorkerStopReason): void; reject(error: unknown): void } | undefined;
  /** A unit is being served (from its frame until its after-unit hook settled). */
  private busy = false;
  /** {@link pump} is on the stack: a unit that ends synchronously lets that loop take the next frame. */
  private pumping = false;
  private current: UnitOfWork | undefined;
  /** The unit whose handler has not settled yet (or been given up on by {@link fail}). */
  private waitingFor: UnitOfWork | undefined;
  private stopReason: WorkerStopReason | undefined;
  private replaceRequested = false;
  /** Set by {@link fail}: the process state is unknown, nothing more is served. */
  private failed = false;
  private inputError: unknown;
  /** Resolves the pushed reading side; undefined once it stopped taking frames. */
  private readingDone: (() => void) | undefined;
  private served = 0;

  constructor(options: WorkerOptions) {
    this.transport = options.transport;
    this.handler = options.handler;
    this.afterUnit = options.afterUnit;
    this.onUnitError = options.onUnitError;
    this.pid = options.pid ?? process.pid;
    this.log = options.log ?? ((message) => process.stderr.write(`${message}\n`));
  }

  /** Units answered so far. */
  get unitsServed(): number {
    return this.served;
  }

  /**
   * Serves until rr stops the worker, the input ends, or {@link stop} is called. Resolves with the
   * reason; rejects only when the input stream broke (a malformed frame: the pipe is out of sync).
   */
  async run(): Promise<WorkerStopReason> {
    const ended = new Promise<WorkerStopReason>((resolve, reject) => (this.ended = { resolve, reject }));
    const reading = this.read();
    this.pump();
    try {
      return await ended;
    } finally {
      await this.transport.close().catch((error) => this.log(`roadrunner-runtime: closing the relay failed: ${describe(error)}`));
      await reading;
    }
  }

  /** Stops after the current unit (or at once when idle). Used for SIGTERM/SIGINT. */
  stop(reason: WorkerStopReason = 'signal'): void {
    this.stopReason ??= reason;
    this.pump();
  }

  /** Makes the next unit be answered with a replacement request instead of being served. */
  requestReplacement(): void {
    this.replaceRequested = true;
  }

  /**
   * For an error that escaped every handler (`uncaughtException`, `unhandledRejection`): the
   * process state is unknown, so the worker must not serve again. The current unit, if any, is
   * answered now with an ERROR frame (or its stream is ended), without waiting for its handler,
   * which may never settle; its after-unit hook (resets) is skipped; every later unit is answered
   * with a replacement request, so rr re-dispatches it to another worker and replaces this one.
   *
   * @param answer how the mode answers a unit it cannot serve (jobs: requeue, so the task is not
   *   lost); default an ERROR frame.
   */
  async fail(error: unknown, answer?: (unit: UnitOfWork) => Promise<void>): Promise<void> {
    this.failed = true;
    this.replaceRequested = true;
    const unit = this.current;
    // Stop waiting for its handler, which may never settle.
    if (this.waitingFor !== undefined) this.handlerSettled(this.waitingFor, undefined);
    if (unit === undefined || unit.answered) return;
    if (unit.streaming) await unit.respond();
    else if (answer) await answer(unit);
    else await unit.error(`the worker failed while serving this unit: ${errorText(error)}`);
  }

  /**
   * Serves the queued frames one at a time, and settles {@link run} once the queue is empty and
   * the input ended or a stop was asked for. Called whenever a frame or a stop arrives and when a
   * unit ends. The loop is callbacks rather than an async function: per unit, every promise and
   * await costs time, and AsyncLocalStorage's hooks run for each one.
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.busy) {
        const frame = this.queue.shift();
        if (frame) {
          this.busy = true;
          this.serve(frame);
          continue;
        }
        const ended = this.ended;
        if (ended === undefined) return;
        if (this.inputError !== undefined) {
          this.ended = undefined;
          ended.reject(this.inputError);
        } else if (this.stopReason) {
          this.ended = undefined;
          ended.resolve(this.stopReason);
        }
        return;
      }
    } finally {
      this.pumping = false;
    }
  }

  private unitEnded(): void {
    this.busy = false;
    this.pump();
  }

  /** A reply could not be sent: the output is broken, so {@link run} rejects and nothing more is served. */
  private outputFailed(error: unknown): void {
    const ended = this.ended;
    this.ended = undefined;
    this.queue.length = 0;
    ended?.reject(error);
  }

  /** Ends the unit once `sending` settled (its only frame, sent by the worker itself). */
  private endAfter(sending: Promise<void>): void {
    sending.then(
      () => this.unitEnded(),
      (error: unknown) => this.outputFailed(error),
    );
  }

  /**
   * The reading side: takes every frame as it is decoded, whatever the serving side is doing.
   * A transport that can push frames ({@link WorkerTransport.listen}) hands them over from its
   * input's `data` handler; otherwise the frames are iterated.
   */
  private read(): Promise<void> {
    if (typeof this.transport.listen !== 'function') return this.iterate();
    return new Promise<void>((resolve) => {
      this.readingDone = resolve;
      try {
        this.transport.listen!({
          frame: (frame) => {
            if (this.readingDone === undefined) return;
            // A failed pid reply is a broken output: reading stops as on a broken input.
            this.take(frame)?.catch((error: unknown) => this.inputFailed(error));
          },
          end: () => this.inputEnded(),
          error: (error) => this.inputFailed(error),
        });
      } catch (error) {
        this.inputFailed(error);
      }
    });
  }

  private async iterate(): Promise<void> {
    try {
      for await (const frame of this.transport.frames()) {
        await this.take(frame);
        if (this.stopReason === 'control-stop') break;
      }
      this.endOfInput();
    } catch (error) {
      this.inputError = error;
      this.current?.stop(error);
    }
    this.pump();
  }

  /** End of the input (EOF, the relay closed) or rr's CONTROL stop: no more frames are taken. */
  private inputEnded(): void {
    if (this.readingDone === undefined) return;
    this.endOfInput();
    this.stopTaking();
  }

  private inputFailed(error: unknown): void {
    if (this.readingDone === undefined) return;
    this.inputError = error;
    this.current?.stop(error);
    this.stopTaking();
  }

  private endOfInput(): void {
    this.stopReason ??= 'eof';
    this.current?.stop(new RuntimeError('ERR_RELAY_EOF', 'rr closed the relay while a unit was in progress'));
  }

  private stopTaking(): void {
    const done = this.readingDone;
    this.readingDone = undefined;
    this.pump();
    done?.();
  }

  /** Handles one frame from rr at once; returns the pid reply being sent, if it was a handshake. */
  private take(frame: Frame): Promise<void> | undefined {
    if (frame.flags & FrameFlag.CONTROL) return this.control(frame);
    if (frame.streamFlags & StreamFlag.STOP) {
      this.current?.stop();
      return undefined;
    }
    if (frame.streamFlags & (StreamFlag.PONG | StreamFlag.PING)) return undefined;
    this.queue.push(frame);
    this.pump();
    return undefined;
  }

  private control(frame: Frame): Promise<void> | undefined {
    let command: { pid?: unknown; stop?: unknown };
    try {
      command = JSON.parse(frame.payload.toString('utf8'));
    } catch {
      this.log(`roadrunner-runtime: ignoring a CONTROL frame whose payload is not JSON: ${JSON.stringify(frame.payload.toString('utf8').slice(0, 200))}`);
      return undefined;
    }
    const replied = command.pid === undefined ? undefined : this.transport.send({ flags: FrameFlag.CONTROL, payload: Buffer.from(JSON.stringify({ pid: this.pid })) });
    if (command.stop === true) {
      this.stopReason = 'control-stop';
      // Past rr's stop nothing more is read (the iterating reader breaks out of its loop).
      if (this.readingDone !== undefined) this.inputEnded();
      else this.pump();
    }
    return replied;
  }

  /** Serves one unit; calls {@link unitEnded} when it is done (sync or later), never throws. */
  private serve(frame: Frame): void {
    const split = splitPayload(frame);
    if (split instanceof ProtocolError) {
      this.log(`roadrunner-runtime: ${split.message}`);
      this.endAfter(send(this.sink, { flags: FrameFlag.ERROR, payload: Buffer.from(split.message) }));
      return;
    }
    const unit = new UnitOfWork(this.sink, split);
    if (this.replaceRequested) {
      // rr re-dispatches this unit to another worker and then sends us the CONTROL stop.
      this.endAfter(unit.requestReplacement());
      return;
    }

    this.current = unit;
    this.waitingFor = unit;
    let handled: unknown;
    try {
      handled = this.handler(unit);
    } catch (error) {
      this.handlerSettled(unit, { error });
      return;
    }
    // SETTLED: the handler's reply was written before it returned (the common case), no turn to wait.
    if (handled !== SETTLED && isThenable(handled)) {
      handled.then(
        () => this.handlerSettled(unit, undefined),
        (error: unknown) => this.handlerSettled(unit, { error }),
      );
    } else {
      this.handlerSettled(unit, undefined);
    }
  }

  /**
   * The unit's handler returned or threw (or {@link fail} gave up on it: later settlements are
   * ignored). A unit that answered without failing goes straight to its after-unit hook; anything
   * else takes {@link finishUnit}.
   */
  private handlerSettled(unit: UnitOfWork, failure: { error: unknown } | undefined): void {
    if (this.waitingFor !== unit) return;
    this.waitingFor = undefined;
    if (failure !== undefined || !unit.answered || this.failed) {
      this.finishUnit(unit, failure).then(
        (served) => (served ? this.runAfterUnit(unit) : this.unitEnded()),
        (error: unknown) => this.outputFailed(error),
      );
      return;
    }
    this.current = undefined;
    this.served += 1;
    this.runAfterUnit(unit);
  }

  /**
   * The rare endings: a failed handler, a unit left unanswered, a worker that failed meanwhile.
   * Resolves with whether the unit counts as served (its after-unit hook runs next).
   */
  private async finishUnit(unit: UnitOfWork, settled: { error: unknown } | undefined): Promise<boolean> {
    let failure: { error: unknown } | undefined;
    try {
      if (settled !== undefined && !unit.stopped) {
        failure = settled;
        this.log(`roadrunner-runtime: unit of work failed: ${describe(settled.error)}`);
        if (!unit.answered && !unit.streaming) await unit.error(errorText(settled.error));
      }
    } finally {
      this.current = undefined;
    }
    if (this.failed) return false;
    if (!unit.answered) {
      // A stopped stream, or a handler that gave up after streaming: rr waits for one frame
      // without the STREAM bit before it frees the worker.
      if (!unit.stopped && !unit.streaming) this.log('roadrunner-runtime: the handler returned without answering its unit; sent an empty reply');
      await unit.respond();
    }
    this.served += 1;

    if (failure && this.onUnitError) {
      try {
        await this.onUnitError(failure.error, unit);
      } catch (error) {
        this.log(`roadrunner-runtime: a unit-error listener failed: ${describe(error)}`);
      }
    }
    return true;
  }

  /** Runs the after-unit hook, then ends the unit. */
  private runAfterUnit(unit: UnitOfWork): void {
    if (!this.afterUnit) return this.unitEnded();
    let after: AfterUnitResult | void | Promise<AfterUnitResult | void>;
    try {
      after = this.afterUnit(unit);
    } catch (error) {
      return this.afterUnitRejected(error);
    }
    if (isThenable(after)) after.then(this.afterUnitFulfilled, this.afterUnitRejected);
    else this.afterUnitFulfilled(after);
  }

  // Bound once, not per unit.
  private readonly afterUnitFulfilled = (result: AfterUnitResult | void): void => {
    if (result?.replaceWorker) this.replaceRequested = true;
    this.unitEnded();
  };

  private readonly afterUnitRejected = (error: unknown): void => {
    this.log(`roadrunner-runtime: after-unit hook failed, asking rr to replace this worker: ${describe(error)}`);
    this.replaceRequested = true;
    this.unitEnded();
  };
}

function splitPayload(frame: Frame): { flags: number; context: Buffer; body: Buffer } | ProtocolError {
  if (frame.options.length !== 1) {
    return new ProtocolError(`request frame must carry exactly one option (the context length), got ${frame.options.length}`);
  }
  const contextLength = frame.options[0]!;
  if (contextLength > frame.payload.length) {
    return new ProtocolError(`request frame says its context is ${contextLength} bytes but the payload has only ${frame.payload.length}`);
  }
  return { flags: frame.flags, context: frame.payload.subarray(0, contextLength), body: frame.payload.subarray(contextLength) };
}

/** The sink's send, with a synchronous throw (a custom transport's) turned into a rejection. */
function send(sink: FrameSink, frame: OutgoingFrame): Promise<void> {
  try {
    return sink.send(frame);
  } catch (error) {
    return Promise.reject(error);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
