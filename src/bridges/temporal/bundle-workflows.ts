import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type * as WorkerSdk from '@temporalio/worker';
import { TemporalExportNotFoundError, TemporalWorkflowBundleError } from './errors.js';
import type { ModuleReference } from './module-reference.js';
import type { TemporalWorkerSettings } from './temporal-settings.js';

/** A bundle for the SDK's `Worker.create({ workflowBundle })`. */
export interface WorkflowBundle {
  code: string;
}

/** A webpack problem, reduced to what is needed to name the config entry at fault. */
interface BundleProblem {
  resource: string | undefined;
  message: string;
}

/**
 * Bundles the workflows of one worker with the SDK's bundler (webpack + swc), once, when the
 * worker process starts. The config may list several modules, and single exports of them, so the
 * bundle's entry is a small generated ES module that re-exports exactly those: an export the
 * module does not have is then a webpack error on that entry (strict ES modules make it one), which
 * becomes a {@link TemporalExportNotFoundError} naming the config key.
 *
 * @throws {TemporalExportNotFoundError} for a `#export` the module does not have.
 * @throws {TemporalWorkflowBundleError} for any other bundling failure (syntax errors, disallowed
 *   Node modules in workflow code...).
 */
export async function bundleWorkflows(sdk: Pick<typeof WorkerSdk, 'bundleWorkflowCode'>, worker: TemporalWorkerSettings): Promise<WorkflowBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'roadrunner-temporal-workflows-'));
  const entry = join(dir, 'workflows.mjs');
  await writeFile(entry, entryModule(worker.workflows));
  const problems: BundleProblem[] = [];
  try {
    const bundle = await sdk.bundleWorkflowCode({
      workflowsPath: entry,
      logger: silentLogger,
      webpackConfigHook: (config) => {
        // The entry lives in a temp dir with no node_modules above it: let it find the SDK's
        // own workflow runtime (and the app's packages) where the SDK is installed.
        config.resolve = { ...config.resolve, modules: [...(config.resolve?.modules ?? []), sdkNodeModules()] };
        config.plugins = [...(config.plugins ?? []), problemCollector(problems)];
        return config;
      },
    });
    return { code: bundle.code };
  } catch (cause) {
    throw translate(cause, problems, worker, entry);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function entryModule(workflows: readonly ModuleReference[]): string {
  return workflows
    .map(({ module, exportName }) => (exportName === undefined ? `export * from ${JSON.stringify(module)};\n` : `export { ${exportName} } from ${JSON.stringify(module)};\n`))
    .join('');
}

const MISSING_EXPORT = /export '([^']+)' \(reexported as '[^']+'\) was not found in '([^']+)'(?: \(possible exports: ([^)]*)\))?/;

function translate(cause: unknown, problems: readonly BundleProblem[], worker: TemporalWorkerSettings, entry: string): Error {
  for (const problem of problems) {
    if (problem.resource !== entry) continue;
    const match = MISSING_EXPORT.exec(problem.message);
    const workflow = match && worker.workflows.find((reference) => reference.exportName === match[1] && reference.module === match[2]);
    if (match && workflow) {
      const available = match[3] === undefined ? [] : match[3].split(',').map((name) => name.trim()).filter((name) => name !== '');
      return new TemporalExportNotFoundError(workflow.path, { reference: workflow.reference, module: workflow.module, exportName: match[1]!, available });
    }
  }
  const detail =
    problems.length > 0
      ? problems
          .slice(0, 3)
          .map((problem) => `${problem.resource ?? 'webpack'}: ${problem.message.split('\n')[0]}`)
          .join('; ')
      : cause instanceof Error
        ? cause.message
        : String(cause);
  return new TemporalWorkflowBundleError(worker.name, detail, { cause });
}

/** A webpack plugin (a plain object: webpack is the SDK's dependency, not ours) that keeps the build's errors. */
function problemCollector(problems: BundleProblem[]) {
  return {
    apply(compiler: { hooks: { done: { tap(name: string, callback: (stats: WebpackStats) => void): void } } }) {
      compiler.hooks.done.tap('roadrunner-runtime-temporal', (stats) => {
        for (const error of stats.compilation.errors) problems.push({ resource: error.module?.resource, message: String(error.message) });
      });
    },
  };
}

interface WebpackStats {
  compilation: { errors: ReadonlyArray<{ message: string; module?: { resource?: string } | null }> };
}

/** The `node_modules` directory the SDK's workflow package is installed in. */
function sdkNodeModules(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@temporalio/workflow'));
  while (basename(dir) !== 'node_modules' && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

// The bundler logs webpack's whole report; its errors reach the user through the typed error instead.
const silentLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
