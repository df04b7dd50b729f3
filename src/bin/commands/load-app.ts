import { createRequire } from 'node:module';
import { join } from 'node:path';
import { importWorkerApp } from '../../runtime/app/import-worker-app.js';
import type { WorkerApp } from '../../runtime/app/define-app.js';
import { prepareAppDefaults } from '../app-defaults.js';
import { CliError } from './cli-error.js';

const TYPESCRIPT = /\.(c|m)?tsx?$/;

/**
 * Loads the app module as the worker entry does (the runtime config's default bindings provided
 * before the import, and again with the app's own `defineApp({ config })`), so the CLI sees the
 * container the worker would serve. A TypeScript module that this `node` cannot load is imported
 * through the project's tsx, as `node --import tsx` would in `server.command`.
 *
 * @throws BootError from the app module (its own error as `cause`); CliError when a TypeScript
 *   module needs tsx and the project has none.
 */
export async function loadApp(modulePath: string, env: NodeJS.ProcessEnv, hint: string): Promise<WorkerApp> {
  // An invalid config is not reported here: the command that needs the config reports it.
  await prepareAppDefaults(env).catch(() => {});
  let app: WorkerApp;
  try {
    app = await importWorkerApp(modulePath, { hint });
  } catch (error) {
    if (!TYPESCRIPT.test(modulePath) || (error as { cause?: { code?: unknown } }).cause?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    const load = await tsxImporter(modulePath);
    app = await importWorkerApp(modulePath, { hint, load });
  }
  if (app.config !== undefined) await prepareAppDefaults(env, app.config);
  return app;
}

/**
 * tsx's scoped importer, from the project (the working directory) or else beside this package.
 * Scoped (a namespace) because the first plain import of the module failed, and Node remembers that
 * failure for its URL.
 */
async function tsxImporter(modulePath: string): Promise<(url: string) => Promise<unknown>> {
  for (const base of [join(process.cwd(), 'package.json'), import.meta.url]) {
    let api: string;
    try {
      api = createRequire(base).resolve('tsx/esm/api');
    } catch {
      continue;
    }
    const { register } = (await import(api)) as { register(options: { namespace: string }): { import(specifier: string, parent: string): Promise<unknown> } };
    const scoped = register({ namespace: 'roadrunner-runtime-cli' });
    return (url) => scoped.import(url, import.meta.url);
  }
  throw new CliError(
    `${modulePath} is TypeScript, which this node cannot load by itself: install tsx in the project (npm install --save-dev tsx), ` +
      'run the command with node --import tsx, or pass the compiled module (dist/app.js)',
  );
}
