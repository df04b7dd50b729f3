import type * as WorkerSdk from '@temporalio/worker';
import type { LogLevel, NativeConnection, WorkerOptions } from '@temporalio/worker';
import { ServicesResetter, type Container } from '../../container/index.js';
import { flushSentry } from '../sentry/flush-sentry.js';
import { assertSentryModule, type SentryModule } from '../sentry/sentry-module.js';
import { activityScopeInterceptor } from './activity-scope-interceptor.js';
import { bundleWorkflows, type WorkflowBundle } from './bundle-workflows.js';
import { connectionOptions } from './connection-options.js';
import { containerActivities } from './container-activities.js';
import { TemporalConfigError, TemporalConnectionError, TemporalError } from './errors.js';
import { IdleResetter } from './idle-resetter.js';
import { loadTemporalPackage } from './load-temporal-package.js';
import { sentryActivityReporting, TEMPORAL_ACTIVITY_MECHANISM } from './sentry-activity-reporting.js';
import type { TemporalConnectionSettings, TemporalSettings, TemporalWorkerSettings } from './temporal-settings.js';
import { TEMPORAL_SETTINGS } from './tokens.js';

/** SDK worker options a worker may set in code; the config owns the rest (connection, task queue, workflows, activities). */
export type TemporalWorkerOptions = Omit<WorkerOptions, 'connection' | 'namespace' | 'taskQueue' | 'activities' | 'workflowsPath' | 'workflowBundle'>;

/** Options of {@link temporalWorkers}. */
export interface TemporalWorkersOptions {
  /** The app's container, with `temporalBindings()` registered in it. Disposed when the workers stop. */
  container: Container;
  /**
   * SDK options per worker: one object for every worker, or a function of the worker's name (the
   * key in `temporal.workers`). E.g. `{ maxConcurrentActivityTaskExecutions: 1 }` to reset the
   * Resettable services after every single call. Interceptors given here run inside the bridge's
   * scope interceptor. Default: the SDK's defaults.
   */
  workerOptions?: TemporalWorkerOptions | ((worker: string) => TemporalWorkerOptions);
  /**
   * How long in-flight activities may run on after SIGTERM/SIGINT before they are cancelled
   * (Temporal then retries them elsewhere). Keep it below rr's `service.NAME.timeout_stop_sec`
   * (5 s by default), after which rr kills the process. Default `'4s'`.
   */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /** How long to keep trying to reach the Temporal server when the process starts, in ms. Default 60000. */
  connectTimeout?: number;
  /**
   * The initialised Sentry SDK (`import * as Sentry from '@sentry/node'`, after `Sentry.init()`):
   * every activity call gets its own isolation scope, and every failure is captured, tagged
   * `temporal.retryable` / `temporal.will_retry`. Default: no Sentry.
   */
  sentry?: SentryModule;
  /** Longest wait for queued Sentry events when the process stops, in ms. Default 2000. */
  sentryFlushTimeout?: number;
  /** The least severe SDK log line written to stderr. Default `'WARN'`. */
  logLevel?: LogLevel;
}

/** Options of {@link TemporalWorkerApp.run}. */
export interface TemporalRunOptions {
  /** Aborting it stops the workers gracefully: no new tasks, in-flight ones get `shutdownGraceTime`. */
  signal?: AbortSignal;
  /** Diagnostics sink. Default: stderr, one line each. */
  log?: (message: string) => void;
}

const TEMPORAL_WORKER_APP = Symbol.for('roadrunner-runtime.temporal-worker-app');

/** The Temporal workers of an app, as `temporalWorkers()` makes them: what the Temporal worker process runs. */
export interface TemporalWorkerApp {
  readonly [TEMPORAL_WORKER_APP]: true;
  /**
   * Bundles the workflows, connects, runs one SDK worker per `temporal.workers` entry until
   * `signal` aborts, drains them, then disposes the container. Rejects when a worker fails, or
   * after a failed reset of the Resettable services (their state is unknown: replace the process).
   */
  run(options?: TemporalRunOptions): Promise<void>;
}

/** True for what {@link temporalWorkers} returns. */
export function isTemporalWorkerApp(value: unknown): value is TemporalWorkerApp {
  return typeof value === 'object' && value !== null && (value as Partial<TemporalWorkerApp>)[TEMPORAL_WORKER_APP] === true;
}

/**
 * The Temporal worker process of an app: one SDK worker per `temporal.workers` entry, with its
 * task queue, its workflows (bundled once at start) and its activities resolved from `container`
 * in a fresh scope per call. Export it from the app module; the Temporal worker entry runs it:
 *
 * ```ts
 * export const temporal = temporalWorkers({ container });
 * ```
 * ```yaml
 * service:
 *   temporal:
 *     command: "node node_modules/roadrunner-runtime/dist/bridges/temporal/bin/temporal-worker.js dist/app.js"
 * ```
 *
 * Creating it does nothing; {@link TemporalWorkerApp.run} does the work.
 *
 * @throws TemporalConfigError when the container was created with `asyncContext: false`.
 */
export function temporalWorkers(options: TemporalWorkersOptions): TemporalWorkerApp {
  if (!options.container.asyncContext) {
    // Activities run concurrently, and each finds its call's scope with currentScope().
    throw new TemporalConfigError('createContainer({ asyncContext })', 'the Temporal bridge resolves activities from the scope of each call, which needs asyncContext on (the default)');
  }
  const sentry = options.sentry === undefined ? undefined : assertSentryModule(options.sentry);
  return {
    [TEMPORAL_WORKER_APP]: true,
    run: (runOptions = {}) => new TemporalWorkerRun(options, sentry, runOptions).run(),
  };
}

/** One run of the workers, from start to drained. */
class TemporalWorkerRun {
  readonly #options: TemporalWorkersOptions;
  readonly #sentry: SentryModule | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #log: (message: string) => void;
  /** Aborted by the caller's signal, by a failing worker, or by a failed reset. */
  readonly #stopping = new AbortController();
  #failure: { error: unknown } | undefined;

  constructor(options: TemporalWorkersOptions, sentry: SentryModule | undefined, runOptions: TemporalRunOptions) {
    this.#options = options;
    this.#sentry = sentry;
    this.#signal = runOptions.signal;
    const sink = runOptions.log ?? ((message: string) => process.stderr.write(`${message}\n`));
    this.#log = (message) => sink(`roadrunner-runtime: temporal: ${message}`);
  }

  async run(): Promise<void> {
    const sdk = await loadTemporalPackage<typeof WorkerSdk>('@temporalio/worker');
    const { container } = this.#options;
    const settings = settingsOf(container);
    installRuntime(sdk, this.#options.logLevel ?? 'WARN', this.#log);
    const stop = () => this.#stopping.abort();
    if (this.#signal?.aborted) stop();
    this.#signal?.addEventListener('abort', stop, { once: true });
    try {
      container.boot();
      await this.#serve(sdk, settings);
    } finally {
      this.#signal?.removeEventListener('abort', stop);
      await container.dispose().catch((error: unknown) => this.#log(`disposing the container failed: ${describe(error)}`));
      await this.#flushSentry();
    }
    if (this.#failure !== undefined) throw this.#failure.error;
  }

  async #serve(sdk: typeof WorkerSdk, settings: TemporalSettings): Promise<void> {
    const bundles = new Map<string, WorkflowBundle>();
    for (const worker of settings.workers) {
      if (this.#stopping.signal.aborted) return;
      if (worker.workflows.length > 0) bundles.set(worker.name, await bundleWorkflows(sdk, worker));
    }
    const connection = await this.#connect(sdk, settings.connection);
    if (connection === undefined) return;
    try {
      const interceptor = this.#activityInterceptor();
      const workers = await Promise.all(settings.workers.map((worker) => sdk.Worker.create(this.#workerOptions(worker, connection, settings, bundles.get(worker.name), interceptor))));
      // run() marks a worker RUNNING synchronously, so shutdown() may follow at once.
      const runs = workers.map((worker) =>
        worker.run().catch((error: unknown) => {
          this.#fail(error);
        }),
      );
      const shutdown = () => {
        for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      };
      if (this.#stopping.signal.aborted) shutdown();
      else this.#stopping.signal.addEventListener('abort', shutdown, { once: true });
      this.#log(`serving ${settings.workers.map(describeWorker).join('; ')} in namespace ${settings.connection.namespace} at ${settings.connection.address}`);
      await Promise.all(runs);
      this.#log('all workers stopped');
    } finally {
      await connection.close().catch((error: unknown) => this.#log(`closing the connection failed: ${describe(error)}`));
    }
  }

  #activityInterceptor() {
    const container = this.#options.container;
    const servicesResetter = new ServicesResetter(container);
    return activityScopeInterceptor({
      container,
      resetter: new IdleResetter(() => servicesResetter.reset()),
      log: this.#log,
      ...(this.#sentry === undefined ? {} : sentryActivityReporting(this.#sentry, this.#log)),
      onResetFailure: (error) => {
        this.#log(`resetting services failed, stopping so that rr replaces this process: ${describe(error)}`);
        this.#sentry?.captureException(error, { mechanism: { type: TEMPORAL_ACTIVITY_MECHANISM, handled: false } });
        this.#fail(new TemporalError('ERR_TEMPORAL_RESET', 'resetting the Resettable services after an activity failed; their state is unknown', { cause: error }));
      },
    });
  }

  #workerOptions(
    worker: TemporalWorkerSettings,
    connection: NativeConnection,
    settings: TemporalSettings,
    bundle: WorkflowBundle | undefined,
    interceptor: ReturnType<typeof activityScopeInterceptor>,
  ): WorkerOptions {
    const given = this.#options.workerOptions;
    const custom = (typeof given === 'function' ? given(worker.name) : given) ?? {};
    const options: WorkerOptions = {
      shutdownGraceTime: this.#options.shutdownGraceTime ?? '4s',
      ...custom,
      connection,
      namespace: settings.connection.namespace,
      taskQueue: worker.taskQueue,
      activities: containerActivities(worker.activities),
      // Ours first, so the app's own activity interceptors run inside the call's scope.
      interceptors: { ...custom.interceptors, activity: [interceptor, ...(custom.interceptors?.activity ?? [])] },
    };
    if (bundle !== undefined) options.workflowBundle = bundle;
    return options;
  }

  /** Connects, retrying until `connectTimeout` while the server is not up yet (it may start after rr). */
  async #connect(sdk: typeof WorkerSdk, connection: TemporalConnectionSettings): Promise<NativeConnection | undefined> {
    const timeout = this.#options.connectTimeout ?? 60_000;
    const deadline = Date.now() + timeout;
    let waiting = false;
    for (;;) {
      try {
        return await sdk.NativeConnection.connect(connectionOptions(connection));
      } catch (error) {
        if (Date.now() >= deadline) {
          throw new TemporalConnectionError(connection.address, `${messageOf(error)} (still failing after ${timeout} ms)`, { cause: error });
        }
        if (!waiting) this.#log(`waiting for the Temporal server at ${connection.address}: ${messageOf(error)}`);
        waiting = true;
        if (!(await pause(1000, this.#stopping.signal))) return undefined;
      }
    }
  }

  #fail(error: unknown): void {
    this.#failure ??= { error };
    this.#stopping.abort();
  }

  async #flushSentry(): Promise<void> {
    if (this.#sentry === undefined) return;
    const timeout = this.#options.sentryFlushTimeout ?? 2000;
    if (timeout > 0 && !(await flushSentry(this.#sentry, timeout))) {
      this.#log(`Sentry did not deliver every event within ${timeout} ms; some may be lost`);
    }
  }
}

function settingsOf(container: Container): TemporalSettings {
  const settings = container.getOptional(TEMPORAL_SETTINGS);
  if (settings === undefined) {
    throw new TemporalConfigError('temporal', 'the container has no Temporal bindings: register them with createContainer({ bindings: [...(await temporalBindings({ runtimeConfig }))] })');
  }
  if (settings.workers.length === 0) throw new TemporalConfigError('temporal.workers', 'no worker is configured: add one, e.g. temporal.workers.default.taskQueue');
  for (const worker of settings.workers) {
    if (worker.workflows.length === 0 && worker.activities.length === 0) {
      throw new TemporalConfigError(`temporal.workers.${worker.name}`, 'lists neither a workflow nor an activity');
    }
  }
  return settings;
}

/**
 * The SDK's process-wide runtime, with its logs on our sink and without its own signal handlers:
 * the worker entry decides what SIGTERM and SIGINT do. A runtime installed earlier in this process
 * (a second run in a test) is kept.
 */
function installRuntime(sdk: typeof WorkerSdk, level: LogLevel, log: (message: string) => void): void {
  try {
    sdk.Runtime.install({ shutdownSignals: [], logger: new sdk.DefaultLogger(level, (entry) => log(`${entry.level} ${entry.message}${formatMeta(entry.meta)}`)) });
  } catch (error) {
    if (!(error instanceof sdk.IllegalStateError)) throw error;
  }
}

/** The scalar fields of an SDK log line (task queue, workflow id...); objects such as payloads stay out. */
function formatMeta(meta: Record<string, unknown> | undefined): string {
  if (meta === undefined) return '';
  const fields = Object.entries(meta).filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value));
  return fields.length === 0 ? '' : ` (${fields.map(([key, value]) => `${key}=${String(value)}`).join(', ')})`;
}

function describeWorker(worker: TemporalWorkerSettings): string {
  const activities = worker.activities.flatMap((activity) => activity.methods);
  return `worker "${worker.name}" on task queue ${worker.taskQueue} (${worker.workflows.length} workflow module reference(s), activities: ${activities.join(', ') || 'none'})`;
}

/** Resolves true after `ms`, false as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
