import { StoppableEvent } from './stoppable-event.js';

/**
 * Worker lifecycle events, dispatched by the mode runner around the worker loop. Deliberately few:
 * per-unit hooks belong to each bridge (HTTP terminate, `JobsRunEvent`, Centrifugo events).
 * `mode` is the worker's `RR_MODE` (`http`, `jobs`, `centrifuge`, ...).
 */

/**
 * The app booted (the kernel too, unless `lazy_boot`) and the worker is about to take its first
 * unit of work. A listener that throws fails the boot: the worker then answers every unit with
 * that error (rather than exiting and being respawned in a loop).
 */
export class WorkerStartEvent extends StoppableEvent {
  readonly mode: string;

  constructor(mode: string) {
    super();
    this.mode = mode;
  }
}

/**
 * The worker loop ended and the process is about to exit. `reason` is why: `control-stop` (rr
 * asked), `eof` (rr closed the relay), `signal` (SIGTERM/SIGINT) or `error` (the relay broke).
 * Listeners release resources (connections, timers); they cannot keep the worker alive.
 */
export class WorkerStopEvent extends StoppableEvent {
  readonly mode: string;
  readonly reason: string;

  constructor(mode: string, reason: string) {
    super();
    this.mode = mode;
    this.reason = reason;
  }
}

/**
 * A unit of work failed with an error the bridge turned into an error reply (HTTP 500, job nack,
 * Centrifugo disconnect...). For logging and error reporting; the reply is already decided, so
 * listeners only observe. `error` is what was thrown, unwrapped.
 */
export class WorkerErrorEvent extends StoppableEvent {
  readonly mode: string;
  readonly error: unknown;

  constructor(mode: string, error: unknown) {
    super();
    this.mode = mode;
    this.error = error;
  }
}
