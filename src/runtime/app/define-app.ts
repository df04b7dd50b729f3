import type { AfterUnitResult, UnitHandler } from '../worker/worker.js';
import type { UnitOfWork } from '../worker/unit-of-work.js';
import type { EventDispatcher } from '../events/event-dispatcher.js';
import type { RuntimeConfig, RuntimeConfigInput } from '../config/runtime-config.js';
import type { Container } from '../../container/container.js';

/** rr's worker pools, as `RR_MODE` names them. */
export type WorkerMode = 'http' | 'jobs' | 'centrifuge' | 'temporal' | 'grpc' | 'tcp' | (string & {});

/** What a mode factory gets when the worker process starts. */
export interface ModeContext {
  /** The `RR_MODE` this process serves. */
  readonly mode: WorkerMode;
  /** The process environment rr prepared (`RR_RPC`, `RR_VERSION`, `server.env` entries...). */
  readonly env: NodeJS.ProcessEnv;
  /**
   * The runtime config, validated, defaults applied: `roadrunner.yaml` (or the file named by
   * `ROADRUNNER_RUNTIME_CONFIG`) merged with `defineApp({ config })`, code winning. A mode reads its
   * keys here; an option passed to the mode factory in code wins over them.
   */
  readonly config: RuntimeConfig;
  /** Writes a diagnostic line to stderr, which rr logs (at INFO). */
  log(message: string): void;
  /**
   * Writes one error-level line to rr's log (through rr's app logger when `RR_RPC` is set, else
   * stderr): for what an operator must see, such as a boot failure. Never put request data in it.
   */
  logError(line: string): Promise<void>;
  /**
   * Reports an error a mode handled itself (an HTTP 500 page, a nacked job) as a
   * `WorkerErrorEvent`, so error reporters (Sentry) see it although nothing was thrown to the worker.
   */
  reportError(error: unknown): Promise<void>;
}

/** A booted worker for one mode: how to serve a unit, what to do after it, how to shut down. */
export interface ModeWorker {
  /** Serves one unit of work. */
  handle: UnitHandler;
  /** Runs after each unit: reset services, close the unit's scope. May ask for replacement; may answer synchronously. */
  afterUnit?(unit: UnitOfWork): AfterUnitResult | void | Promise<AfterUnitResult | void>;
  /** Runs once when the worker stops (flush telemetry, close connections). */
  shutdown?(): Promise<void>;
  /**
   * The container this worker serves its units from, when it has one (`scopedMode` and the
   * bridges' modes set it): how `roadrunner-runtime debug:container` finds the services of a mode
   * it built without serving it. A mode factory of your own sets it to be listed too.
   */
  readonly container?: Container | undefined;
}

/** Boots the worker for one mode. A throw is reported and every unit is then answered with the error. */
export type ModeFactory = (context: ModeContext) => ModeWorker | Promise<ModeWorker>;

/** An application: one factory per `RR_MODE` it serves. */
export interface WorkerApp {
  /** One factory per `RR_MODE` this app serves; any other mode makes the worker exit 1. */
  readonly modes: Readonly<Partial<Record<WorkerMode, ModeFactory>>>;
  /**
   * Receives the worker lifecycle events: `WorkerStartEvent` once the mode booted,
   * `WorkerErrorEvent` for every failed unit, `WorkerStopEvent` when the loop ended.
   */
  readonly events?: EventDispatcher;
  /**
   * Runtime options in code, with the keys of `roadrunner.yaml` (`http.lazy_boot`,
   * `centrifugo.lazy_boot`, `kv.*`, `temporal.workers.*`...). They win over the file, key by key,
   * and are validated the same way.
   */
  readonly config?: RuntimeConfigInput;
}

/**
 * Declares the application a worker process runs. The module passed to the `roadrunner-worker`
 * entry default-exports the result:
 *
 * ```ts
 * export default defineApp({
 *   modes: {
 *     http: () => ({ handle: createHttpHandler((request) => new Response('hello')) }),
 *   },
 * });
 * ```
 */
export function defineApp(app: WorkerApp): WorkerApp {
  return app;
}

/** Type guard for a module's default export. */
export function isWorkerApp(value: unknown): value is WorkerApp {
  return typeof value === 'object' && value !== null && typeof (value as WorkerApp).modes === 'object' && (value as WorkerApp).modes !== null;
}
