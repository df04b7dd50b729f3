import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BootError } from '../errors.js';
import { isWorkerApp, type WorkerApp } from './define-app.js';

/**
 * Imports the app module at `modulePath` (relative to the working directory) and returns its
 * default export from `defineApp`.
 *
 * @throws BootError `loading the app module <path> failed: <its error>` (the module's own error as
 *   `cause`), or `<path> has no default export from defineApp()` followed by `hint`.
 */
export async function importWorkerApp(modulePath: string, hint?: string): Promise<WorkerApp> {
  let loaded: { default?: unknown };
  try {
    loaded = await import(pathToFileURL(resolve(modulePath)).href);
  } catch (cause) {
    throw new BootError(`loading the app module ${modulePath} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  if (!isWorkerApp(loaded.default)) throw new BootError(`${modulePath} has no default export from defineApp()${hint === undefined ? '' : `; ${hint}`}`);
  return loaded.default;
}
