import { loadRuntimeConfig } from '../config/load-runtime-config.js';
import type { RuntimeConfig } from '../config/runtime-config.js';
import { BootError, RuntimeError, UnsupportedModeError } from '../errors.js';
import { WorkerErrorEvent, WorkerStartEvent, WorkerStopEvent } from '../events/lifecycle-events.js';
import { Worker, type WorkerTransport } from '../worker/worker.js';
import type { ModeContext, ModeWorker, WorkerApp } from './define-app.js';

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
 * once and answers every unit with it as an ERROR frame, so rr reports it per request.
 */
export async function runApp(app: WorkerApp, options: RunAppOptions): Promise<number> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const mode = env.RR_MODE ?? '';
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
  const modeWorker = await bootMode(async () => {
    const config = options.config ?? (await loadRuntimeConfig({ env, ...(app.config === undefined ? {} : { overrides: app.config }) }));
    const context: ModeContext = { mode, env, config, log, reportError };
    const booted = await factory(context);
    await events?.dispatch(new WorkerStartEvent(mode));
    return booted;
  }, mode, log);
  let transport: WorkerTransport;
  try {
    transport = await options.connect();
  } catch (error) {
    log(`roadrunner-runtime: cannot open the relay to rr (RR_RELAY=${env.RR_RELAY ?? 'pipes'}): ${describe(error)}`);
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

async function bootMode(boot: () => ModeWorker | Promise<ModeWorker>, mode: string, log: (message: string) => void): Promise<ModeWorker> {
  try {
    return await boot();
  } catch (cause) {
    const error = cause instanceof BootError ? cause : new BootError(`the ${mode} worker failed to boot: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    return bootFailed(error, log);
  }
}

/** A worker that reports its boot failure on every unit instead of dying (and being respawned) in a loop. */
export function bootFailed(error: RuntimeError, log: (message: string) => void): ModeWorker {
  log(`roadrunner-runtime: ${describe(error.cause ?? error)}`);
  log(`roadrunner-runtime: ${error.message}; every request will be answered with this error until the worker is restarted`);
  return {
    handle: async (unit) => unit.error(error.message),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
