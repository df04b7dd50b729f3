import { resolve } from 'node:path';
import type * as ClientSdk from '@temporalio/client';
import type { Binding } from '../../container/index.js';
import type { RuntimeConfig } from '../../runtime/config/runtime-config.js';
import { connectionOptions } from './connection-options.js';
import { loadTemporalPackage } from './load-temporal-package.js';
import { TemporalClient } from './temporal-client.js';
import { resolveTemporalSettings, type TemporalSettings } from './temporal-settings.js';
import { activityContextBinding, TEMPORAL_CLIENT, TEMPORAL_SETTINGS } from './tokens.js';

/** Options of {@link temporalBindings}. */
export interface TemporalBindingsOptions {
  /**
   * The validated runtime config (`loadRuntimeConfig()` reads `roadrunner.yaml`;
   * `parseRuntimeConfig({...})` takes it in code): its `temporal:` section.
   */
  runtimeConfig: Pick<RuntimeConfig, 'temporal'>;
  /** The directory module references and TLS files resolve against. Default `process.cwd()`. */
  projectDir?: string | undefined;
}

/**
 * The container bindings of the Temporal bridge, from the `temporal:` config:
 *
 * - every activity class of `temporal.workers.*.activity` as a public, request-scoped service (its
 *   class is the id), so it can never be forgotten and is built in the scope of each activity call;
 * - `ACTIVITY_CONTEXT`, the running activity's context, for services of that scope;
 * - `TEMPORAL_CLIENT`, a singleton {@link TemporalClient} that connects on first use;
 * - `TEMPORAL_SETTINGS`, the resolved config `temporalWorkers()` runs.
 *
 * Everything the config names is checked here, at boot: a workflow module or an activity module,
 * export or class that does not exist fails with an error naming the key and the reference.
 * Workflow exports are checked when the worker process bundles them.
 *
 * @throws {TemporalConfigError} (`TemporalModuleNotFoundError`, `TemporalExportNotFoundError`) for a bad reference.
 * @throws {TemporalNotInstalledError} when `@temporalio/client` is not installed.
 */
export async function temporalBindings(options: TemporalBindingsOptions): Promise<Binding[]> {
  const settings = await resolveTemporalSettings(options.runtimeConfig.temporal, resolve(options.projectDir ?? process.cwd()));
  const sdk = await loadTemporalPackage<typeof ClientSdk>('@temporalio/client');
  const activityTypes = new Set(settings.workers.flatMap((worker) => worker.activities.map((activity) => activity.type)));
  return [
    { id: TEMPORAL_SETTINGS, useValue: settings },
    activityContextBinding,
    ...[...activityTypes].map((type): Binding => ({ id: type, useClass: type, scope: 'request' })),
    { id: TEMPORAL_CLIENT, useFactory: () => createClient(sdk, settings) },
  ];
}

function createClient(sdk: typeof ClientSdk, settings: TemporalSettings): TemporalClient {
  const { connection } = settings;
  const client = new sdk.Client({ connection: sdk.Connection.lazy(connectionOptions(connection)), namespace: connection.namespace });
  return new TemporalClient({ sdk, client, address: connection.address, defaultTaskQueue: defaultTaskQueue(settings) });
}

/** The task queue of the `default` worker, or of the only one. */
function defaultTaskQueue(settings: TemporalSettings): string | undefined {
  const named = settings.workers.find((worker) => worker.name === 'default');
  if (named !== undefined) return named.taskQueue;
  return settings.workers.length === 1 ? settings.workers[0]!.taskQueue : undefined;
}
