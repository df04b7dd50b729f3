import { loadRuntimeConfig } from '../config/load-runtime-config.js';
import type { RuntimeConfig } from '../config/runtime-config.js';
import { UnsupportedModeError } from '../errors.js';
import { WorkerErrorEvent, WorkerStartEvent, WorkerStopEvent } from '../events/lifecycle-events.js';
import { Worker, type WorkerTransport } from '../worker/worker.js';
import { bootFailed, causeChain, type BootFailureAnswer } from './boot-failure.js';
import type { ModeContext, ModeWorker, WorkerApp } from './define-app.js';
import { createErrorLog } from './error-log.js';

/** Options of {@link runApp}. */
export interface RunAppOptions {
  /** The environment rr prepared. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Opens the relay to rr; called only once the mode is known to be served. */
  connect: () => WorkerTransport | Promise<WorkerTransport>;
  /** Diagnostics sink. Default: stderr. */
  log?: (message: string) => void;
  /** Handle SIGTERM/SIGINT by finishing the current unit and stopping. Default true. */
  handleSignals?: boolean;
  /**
   * Handle `uncaughtException` and `unhandledRejection` while serving: the process state is
   * unknown, so the current unit is answered with an error, the cause is logged at error level and
   * the worker asks rr to replace it (rr re-dispatches the next request to another worker).
   * Default true.
   */
  handleUncaught?: boolean;
  /**
   * Writes one error-level line to rr's log. Default: rr's app logger over `RR_RPC`, else stderr
   * (see `createErrorLog`).
   */
  logError?: (line: string) => Promise<void>;
  /**
   * How each mode answers a unit it cannot serve: while its worker failed to boot before the mode
   * could say (the app module, the runtime config or the mode factory failed), and the unit in
   * progress when an error escaped every handler. The worker entry gives the bridges' answers
   * (HTTP: 503, jobs: a delayed requeue, Centrifugo: 100); the default is an ERROR frame.
   */
  bootFailureAnswers?: Readonly<Record<string, BootFailureAnswer>>;
  /**
   * The runtime config. Default: `loadRuntimeConfig()` from the working directory with the app's
   * `config` as overrides; an invalid file fails the boot (every unit is answered with the error).
   */
  config?: RuntimeConfig;
}

/**
 * Runs `app` as the worker for `RR_MODE` and resolves with the process exit code: 0 after a clean
 * stop (rr's CONTROL stop, EOF, SIGTERM), 1 when the mode is not served or the relay broke.
 *
 * A failing boot does not crash-loop the pool: the worker completes the handshake, logs the cause
 * once at error level and answers every unit the mode's safe way (see `bootFailureAnswers`).
 */
export async function runApp(app: WorkerApp, options: RunAppOptions): Promise<number> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const logError = options.logError ?? createErrorLog(env, log);
  const mode = env['RR_MODE'] ?? '';
  const factory = app.modes[mode];
  if (!factory) {
    log(`roadrunner-runtime: ${new UnsupportedModeError(mode, Object.keys(app.modes)).message}`);
    return 1;
  }

  const events = app.events;
  const reportError = async (error: unknown) => {
    try {
      await events?.dispatch(new WorkerErrorEvent(mode, error));
    } catch (listenerError) {
      log(`roadrunner-runtime: a WorkerErrorEvent listener failed: ${describe(listenerError)}`);
    }
  };
  let modeWorker: ModeWorker;
  try {
    const config = options.config ?? (await loadRuntimeConfig({ env, ...(app.config === undefined ? {} : { overrides: app.config }) }));
    const context: ModeContext = { mode, env, config, log, logError, reportError };
    modeWorker = await factory(context);
    await events?.dispatch(new WorkerStartEvent(mode));
  } catch (error) {
    modeWorker = await bootFailed(error, { mode, logError, answer: options.bootFailureAnswers?.[mode] });
  }
  let transport: WorkerTransport;
  try {
    transport = await options.connect();
  } catch (error) {
    log(`roadrunner-runtime: cannot open the relay to rr (RR_RELAY=${env['RR_RELAY'] ?? 'pipes'}): ${describe(error)}`);
    return 1;
  }

  const worker = new Worker({
    transport,
    handler: modeWorker.handle,
    afterUnit: modeWorker.afterUnit?.bind(modeWorker),
    onUnitError: events ? reportError : undefined,
    log,
  });
  const onSignal = () => worker.stop('signal');
  if (options.handleSignals !== false) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  const onUncaught = (error: unknown) => {
    void logError(`roadrunner-runtime: an error escaped every handler (${causeChain(error)}); the ${mode} worker's state is unknown, it answers the current unit with an error and asks rr to replace it`);
    if (error instanceof Error && error.stack) log(error.stack);
    void worker.fail(error, options.bootFailureAnswers?.[mode]).catch((failure: unknown) => log(`roadrunner-runtime: answering after an uncaught error failed: ${describe(failure)}`));
  };
  if (options.handleUncaught !== false) {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
  }

  let exitCode = 0;
  let reason: string;
  try {
    reason = await worker.run();
  } catch (error) {
    log(`roadrunner-runtime: the relay to rr broke, stopping: ${describe(error)}`);
    reason = 'error';
    exitCode = 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }
  try {
    await events?.dispatch(new WorkerStopEvent(mode, reason));
  } catch (error) {
    log(`roadrunner-runtime: a WorkerStopEvent listener failed: ${describe(error)}`);
    exitCode = 1;
  }
  // Always runs: it is where telemetry is flushed and connections are closed.
  try {
    await modeWorker.shutdown?.();
  } catch (error) {
    log(`roadrunner-runtime: shutdown of the ${mode} worker failed: ${describe(error)}`);
    exitCode = 1;
  }
  return exitCode;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
