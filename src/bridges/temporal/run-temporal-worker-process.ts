import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RuntimeError } from '../../runtime/errors.js';
import { TemporalEntryError } from './errors.js';
import { isTemporalWorkerApp, type TemporalWorkerApp } from './temporal-workers.js';

/** Options of {@link runTemporalWorkerProcess}. */
export interface TemporalWorkerProcessOptions {
  /** Command-line arguments after the entry script: `<app-module>[#export]`. */
  argv: readonly string[];
  /** Diagnostics sink. Default: stderr, one line each. */
  log?: (message: string) => void;
  /** The process whose SIGTERM and SIGINT stop the workers. Default `process`. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/** The export the entry runs when the argument names none. */
export const DEFAULT_TEMPORAL_EXPORT = 'temporal';

const USAGE = `usage: temporal-worker <app-module>[#export] (a module exporting temporalWorkers({ container }) as "${DEFAULT_TEMPORAL_EXPORT}", or as the export after #)`;

/**
 * What the Temporal worker entry does: import the app module, take its `temporal` export (what
 * `temporalWorkers()` made), run it until SIGTERM or SIGINT (rr's `service` plugin stops a
 * service with SIGINT), then drain. Resolves with the exit code: 0 after a clean stop, 1 when the
 * app could not be loaded or booted, or a worker failed (rr's service plugin then restarts the
 * process when `remain_after_exit` is on). A second signal does not wait for the drain.
 */
export async function runTemporalWorkerProcess(options: TemporalWorkerProcessOptions): Promise<number> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const signals = options.signals ?? process;
  let app: TemporalWorkerApp;
  try {
    app = await loadApp(options.argv);
  } catch (error) {
    log(`roadrunner-runtime: temporal: the Temporal worker cannot start: ${describe(error)}`);
    return 1;
  }

  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      log(`roadrunner-runtime: temporal: ${signal} again, exiting without waiting for in-flight activities`);
      process.exit(1);
    }
    log(`roadrunner-runtime: temporal: ${signal}: finishing in-flight activities, then stopping`);
    stop.abort();
  };
  signals.on('SIGTERM', onSignal);
  signals.on('SIGINT', onSignal);
  try {
    await app.run({ signal: stop.signal, log });
    return 0;
  } catch (error) {
    log(`roadrunner-runtime: temporal: the Temporal worker stopped on an error: ${describe(error)}`);
    return 1;
  } finally {
    signals.off('SIGTERM', onSignal);
    signals.off('SIGINT', onSignal);
  }
}

async function loadApp(argv: readonly string[]): Promise<TemporalWorkerApp> {
  const argument = argv[0];
  if (argument === undefined || argv.length > 1) throw new TemporalEntryError(argument === undefined ? `no app module given; ${USAGE}` : `unexpected arguments ${argv.slice(1).join(' ')}; ${USAGE}`);
  const hash = argument.lastIndexOf('#');
  const modulePath = hash === -1 ? argument : argument.slice(0, hash);
  const exportName = hash === -1 ? DEFAULT_TEMPORAL_EXPORT : argument.slice(hash + 1);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
  } catch (cause) {
    throw new TemporalEntryError(`loading the app module ${modulePath} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const app = loaded[exportName];
  if (!isTemporalWorkerApp(app)) {
    throw new TemporalEntryError(
      app === undefined
        ? `${modulePath} has no export "${exportName}"; ${USAGE}`
        : `the export "${exportName}" of ${modulePath} is not what temporalWorkers() returns; ${USAGE}`,
    );
  }
  return app;
}

/**
 * Our typed errors say what is wrong and where in their message: one line, no stack. Anything
 * else (a bug, a syntax error in the app) keeps its stack, the cause's when it was wrapped.
 */
function describe(error: unknown): string {
  if (!(error instanceof RuntimeError)) return error instanceof Error ? (error.stack ?? error.message) : String(error);
  const cause = error.cause;
  const unexpected = cause instanceof Error && !(cause instanceof RuntimeError) ? `\ncaused by: ${cause.stack ?? cause.message}` : '';
  return `${error.name}: ${error.message}${unexpected}`;
}
