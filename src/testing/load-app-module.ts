import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isWorkerApp } from '../runtime/app/define-app.js';
import { TestWorkerError } from './errors.js';

/** An app module's exports: `default` from `defineApp`, and whatever else it exports (its container...). */
export type AppModule = Record<string, unknown> & { default: unknown };

// Each load gets its own URL, hence its own module instance; only this counter is shared.
let loads = 0;

/**
 * Imports the app module afresh, as rr starts each worker as a new process: its module-level
 * state (the container created at the top of the file, caches...) is this load's own, so a worker
 * closed by one test (which disposes the container) leaves the next one a working app. Only the
 * app module itself is evaluated again; the modules it imports are shared by the loads of one test
 * process, as Node caches them.
 *
 * A relative path resolves against the working directory, as the worker entry's argument does.
 *
 * @throws TestWorkerError when the module's default export does not come from `defineApp`.
 */
export async function loadAppModule(path: string | URL): Promise<AppModule> {
  const url = path instanceof URL ? new URL(path) : path.startsWith('file:') ? new URL(path) : pathToFileURL(isAbsolute(path) ? path : resolve(path));
  loads += 1;
  url.searchParams.set('roadrunner-test-worker', String(loads));
  const module = (await import(url.href)) as AppModule;
  if (!isWorkerApp(module.default)) {
    throw new TestWorkerError(`${String(path)} has no default export from defineApp(): the test kit runs what the roadrunner-worker entry would`);
  }
  return module;
}
