import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BootError } from '../errors.js';
import { isWorkerApp, type WorkerApp } from './define-app.js';

/** Options of {@link importWorkerApp}. */
export interface ImportWorkerAppOptions {
  /** Appended to the error for a module without the default export: how to call the command. */
  hint?: string;
  /** Imports a `file:` URL. Default: `import()`; the CLI passes tsx's to load a TypeScript app. */
  load?: (url: string) => Promise<unknown>;
}

/**
 * Imports the app module at `modulePath` (relative to the working directory) and returns its
 * default export from `defineApp`.
 *
 * @throws BootError `loading the app module <path> failed: <its error>` (the module's own error as
 *   `cause`), or `<path> has no default export from defineApp()` followed by the hint.
 */
export async function importWorkerApp(modulePath: string, options: ImportWorkerAppOptions = {}): Promise<WorkerApp> {
  const { hint } = options;
  let loaded: { default?: unknown };
  try {
    const url = pathToFileURL(resolve(modulePath)).href;
    loaded = (await (options.load ? options.load(url) : import(url))) as { default?: unknown };
  } catch (cause) {
    throw new BootError(`loading the app module ${modulePath} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  if (!isWorkerApp(loaded.default)) throw new BootError(`${modulePath} has no default export from defineApp()${hint === undefined ? '' : `; ${hint}`}`);
  return loaded.default;
}
