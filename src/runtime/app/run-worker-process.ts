import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BootError } from '../errors.js';
import { createRelay } from '../relay/index.js';
import type { ProtocolOutput } from '../stdout-guard.js';
import { isWorkerApp, type WorkerApp } from './define-app.js';
import { bootFailed, runApp } from './run-app.js';

/** Options of {@link runWorkerProcess}. */
export interface WorkerProcessOptions {
  /** Command-line arguments after the entry script: the app module path. */
  argv: readonly string[];
  /** The real stdout, for the pipes relay. */
  output: ProtocolOutput;
  env?: NodeJS.ProcessEnv;
}

const USAGE = 'usage: roadrunner-worker <app-module> (a module whose default export comes from defineApp)';

/**
 * What the `roadrunner-worker` entry does after guarding stdout: load the app module, then run it.
 * An app module that fails to load is still served, answering every unit with the load error, so
 * rr shows the cause per request instead of respawning a crashing worker forever.
 */
export async function runWorkerProcess(options: WorkerProcessOptions): Promise<number> {
  const env = options.env ?? process.env;
  const log = (message: string) => process.stderr.write(`${message}\n`);
  const connect = () => createRelay(env['RR_RELAY'], { output: options.output });
  const modulePath = options.argv[0];
  if (!modulePath) {
    log(`roadrunner-runtime: no app module given; ${USAGE}`);
    return 1;
  }

  let app: WorkerApp;
  try {
    const loaded: { default?: unknown } = await import(pathToFileURL(resolve(modulePath)).href);
    if (!isWorkerApp(loaded.default)) {
      throw new BootError(`${modulePath} has no default export from defineApp(); ${USAGE}`);
    }
    app = loaded.default;
  } catch (cause) {
    const error = cause instanceof BootError ? cause : new BootError(`loading the app module ${modulePath} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    const broken = bootFailed(error, log);
    // Whatever mode rr asked for is served, with the load error as every answer.
    app = { modes: { [env['RR_MODE'] ?? '']: () => broken } };
  }
  return runApp(app, { env, connect, log });
}
