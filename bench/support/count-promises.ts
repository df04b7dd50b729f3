/**
 * Promises made per unit of work, and where: every promise costs time, and once an
 * AsyncLocalStorage ran (the container's scopes) each one also runs async_hooks' init hook.
 * Serves units in process (see in-process.ts) with a promise init hook counting call sites.
 *
 *   node --import tsx bench/support/count-promises.ts [--app bench/support/hello-app.ts] [--path /] [--mode jobs] [--top 30]
 */
import { createHook } from 'node:async_hooks';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkerApp } from '../../src/runtime/app/define-app.js';
import { runInProcess } from './in-process.js';

const arg = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
};
const mode = arg('mode') === 'jobs' ? 'jobs' : 'http';
const appPath = arg('app') ?? (mode === 'jobs' ? 'bench/support/jobs-app.ts' : 'bench/support/hello-app.ts');
const app = ((await import(pathToFileURL(resolve(appPath)).href)) as { default: WorkerApp }).default;
const UNITS = 2000;
const sites = new Map<string, number>();
let total = 0;
Error.stackTraceLimit = 12;
const hook = createHook({
  init(_id, type) {
    if (type !== 'PROMISE') return;
    total += 1;
    // The first frame outside async_hooks and this file is where the promise was made.
    const frames = (new Error().stack ?? '').split('\n').slice(1).map((line) => line.trim());
    const site = frames.find((line) => !line.includes('async_hooks') && !line.includes('count-promises')) ?? '(unknown)';
    const short = site.replace(/^at /, '').replace(/\(.*?\/(src|bench|node_modules)\//, '($1/');
    sites.set(short, (sites.get(short) ?? 0) + 1);
  },
});
hook.enable();
await runInProcess(app, arg('path') ?? '/', UNITS, 0, false, mode);
hook.disable();
console.log(`${appPath} (${mode}): ${(total / UNITS).toFixed(1)} promises per unit (boot and shutdown included, spread over ${UNITS} units)`);
for (const [site, count] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, Number(arg('top') ?? 30))) {
  if (count >= UNITS / 2) console.log(`  ${(count / UNITS).toFixed(2)}  ${site}`);
}
