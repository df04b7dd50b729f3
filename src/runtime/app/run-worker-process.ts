import { BootError } from '../errors.js';
import { createRelay } from '../relay/index.js';
import type { ProtocolOutput } from '../stdout-guard.js';
import type { RuntimeConfigInput } from '../config/runtime-config.js';
import type { WorkerApp } from './define-app.js';
import { importWorkerApp } from './import-worker-app.js';
import { bootFailed, type BootFailureAnswer } from './boot-failure.js';
import { createErrorLog } from './error-log.js';
import { runApp } from './run-app.js';

/** Options of {@link runWorkerProcess}. */
export interface WorkerProcessOptions {
  /** Command-line arguments after the entry script: the app module path. */
  argv: readonly string[];
  /** The real stdout, for the pipes relay. */
  output: ProtocolOutput;
  env?: NodeJS.ProcessEnv;
  /** Per-mode answers while the worker cannot boot (see `RunAppOptions.bootFailureAnswers`). */
  bootFailureAnswers?: Readonly<Record<string, BootFailureAnswer>>;
  /**
   * Runs before the app module is imported, e.g. to provide the container's default bindings from
   * the runtime config (`provideDefaultBindings`), and once more after it loaded when the app's
   * `defineApp({ config })` has keys of its own (`overrides`). A failure before the import lets the
   * app load (its own config gets the second call, which may fix it) and then fails the boot unless
   * that second call succeeds; a failure of the second call fails the boot.
   */
  prepare?: (env: NodeJS.ProcessEnv, overrides?: RuntimeConfigInput) => Promise<void>;
}

const USAGE = 'usage: roadrunner-worker <app-module> (a module whose default export comes from defineApp)';

/**
 * What the `roadrunner-worker` entry does after guarding stdout: load the app module, then run it.
 * An app module that fails to load is still served, answering every unit the mode's safe way with
 * the cause logged once at error level, instead of being respawned by rr forever. An error that
 * escapes while the module loads ends the process (exit 1), its stack on stderr: there is no unit to
 * answer yet and nothing can be trusted.
 */
export async function runWorkerProcess(options: WorkerProcessOptions): Promise<number> {
  const env = options.env ?? process.env;
  const log = (message: string) => process.stderr.write(`${message}\n`);
  const logError = createErrorLog(env, log);
  const connect = () => createRelay(env['RR_RELAY'], { output: options.output });
  const modulePath = options.argv[0];
  if (!modulePath) {
    log(`roadrunner-runtime: no app module given; ${USAGE}`);
    return 1;
  }

  const whileLoading = (error: unknown) => {
    log(`roadrunner-runtime: an error escaped while the app module loaded: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  };
  process.on('uncaughtException', whileLoading);
  process.on('unhandledRejection', whileLoading);
  // A config that asks for something the worker cannot provide (a missing keypair file, say) must
  // not leave a worker serving without it: remembered here, it fails the boot below.
  let prepareFailure: { error: unknown } | undefined;
  if (options.prepare) {
    await options.prepare(env).catch((error: unknown) => (prepareFailure = { error }));
  }
  let app: WorkerApp;
  try {
    app = await importWorkerApp(modulePath, { hint: USAGE });
    // The app's own config may change what the defaults are (kv.auto_register: false, say).
    if (options.prepare && app.config !== undefined) await options.prepare(env, app.config);
    else if (prepareFailure !== undefined) {
      const { error } = prepareFailure;
      throw new BootError(`the runtime config could not be applied: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  } catch (cause) {
    const error = cause instanceof BootError ? cause : new BootError(`loading the app module ${modulePath} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    const mode = env['RR_MODE'] ?? '';
    const broken = await bootFailed(error, { mode, logError, answer: options.bootFailureAnswers?.[mode] });
    // Whatever mode rr asked for is served, with the mode's boot-failure answer.
    app = { modes: { [mode]: () => broken } };
  } finally {
    process.off('uncaughtException', whileLoading);
    process.off('unhandledRejection', whileLoading);
  }
  return runApp(app, { env, connect, log, logError, ...(options.bootFailureAnswers ? { bootFailureAnswers: options.bootFailureAnswers } : {}) });
}
