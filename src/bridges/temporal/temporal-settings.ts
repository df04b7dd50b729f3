import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { TemporalRuntimeConfig, TemporalTlsConfig } from '../../runtime/config/runtime-config.js';
import { loadActivityClass, type ActivityClass } from './activity-class.js';
import { TemporalConfigError } from './errors.js';
import { resolveModuleReference, type ModuleReference } from './module-reference.js';

/** TLS as the SDK's connections take it (`TLSConfig`), with the PEM files already read. */
export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/** How to reach the Temporal server, from `temporal.address`, `namespace`, `api_key` and `tls`. */
export interface TemporalConnectionSettings {
  readonly address: string;
  readonly namespace: string;
  /** Kept out of every message and log line. */
  readonly apiKey: string | undefined;
  /** `undefined` lets the SDK decide (TLS exactly when an API key is set). */
  readonly tls: TemporalTls | boolean | undefined;
}

/** One entry of `temporal.workers`, with its references resolved. */
export interface TemporalWorkerSettings {
  /** The key in `temporal.workers`. */
  readonly name: string;
  readonly taskQueue: string;
  /** Workflow modules, found on disk; their exports are checked when they are bundled. */
  readonly workflows: readonly ModuleReference[];
  /** Activity classes, imported and checked. */
  readonly activities: readonly ActivityClass[];
}

/** The `temporal:` config with every reference resolved: what the container binds as `TEMPORAL_SETTINGS`. */
export interface TemporalSettings {
  /** The directory references and TLS files were resolved against. */
  readonly projectDir: string;
  readonly connection: TemporalConnectionSettings;
  readonly workers: readonly TemporalWorkerSettings[];
}

/**
 * Resolves the `temporal:` section: finds every workflow module, imports every activity class,
 * checks that no two activities of a worker share a name, and reads the TLS files. Everything a
 * config can get wrong fails here, at boot, naming the key.
 *
 * @throws {TemporalConfigError} (and its subclasses `TemporalModuleNotFoundError`,
 *   `TemporalExportNotFoundError`) naming the config key and the reference.
 */
export async function resolveTemporalSettings(config: TemporalRuntimeConfig, projectDir: string): Promise<TemporalSettings> {
  const workers: TemporalWorkerSettings[] = [];
  for (const [name, worker] of Object.entries(config.workers)) {
    const at = `temporal.workers.${name}`;
    const workflows = worker.workflow.map((reference, index) => resolveModuleReference(reference, `${at}.workflow[${index}]`, projectDir));
    assertDistinctWorkflowExports(workflows);
    const activities: ActivityClass[] = [];
    for (const [index, reference] of worker.activity.entries()) {
      const activity = await loadActivityClass(resolveModuleReference(reference, `${at}.activity[${index}]`, projectDir));
      if (!activities.some((listed) => listed.type === activity.type)) activities.push(activity);
    }
    assertDistinctActivityNames(activities);
    workers.push({ name, taskQueue: worker.taskQueue, workflows, activities });
  }
  return {
    projectDir,
    connection: {
      address: config.address,
      namespace: config.namespace,
      apiKey: config.api_key,
      tls: await readTls(config.tls, projectDir),
    },
    workers,
  };
}

function assertDistinctWorkflowExports(workflows: readonly ModuleReference[]): void {
  const seen = new Map<string, ModuleReference>();
  for (const workflow of workflows) {
    if (workflow.exportName === undefined) continue;
    const first = seen.get(workflow.exportName);
    if (first !== undefined) {
      throw new TemporalConfigError(workflow.path, `"${workflow.reference}": a workflow named "${workflow.exportName}" is already registered by ${first.path} ("${first.reference}")`);
    }
    seen.set(workflow.exportName, workflow);
  }
}

/** Activities are registered with the SDK by method name, so a name must mean one method per worker. */
function assertDistinctActivityNames(activities: readonly ActivityClass[]): void {
  const owners = new Map<string, ActivityClass>();
  for (const activity of activities) {
    for (const method of activity.methods) {
      const owner = owners.get(method);
      if (owner !== undefined) {
        throw new TemporalConfigError(
          activity.reference.path,
          `"${activity.reference.reference}": activity "${method}" of class ${activity.type.name} is also provided by ${owner.type.name} (${owner.reference.path}); activities are named after their method, so rename one of them or run them in separate workers`,
        );
      }
      owners.set(method, activity);
    }
  }
}

async function readTls(tls: boolean | TemporalTlsConfig | undefined, projectDir: string): Promise<TemporalTls | boolean | undefined> {
  if (typeof tls !== 'object') return tls;
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    const missing = tls.cert === undefined ? 'cert' : 'key';
    throw new TemporalConfigError(`temporal.tls.${missing}`, `missing: a client certificate needs both temporal.tls.cert and temporal.tls.key`);
  }
  const settings: TemporalTls = {};
  if (tls.server_name !== undefined) settings.serverNameOverride = tls.server_name;
  if (tls.root_ca !== undefined) settings.serverRootCACertificate = await readPem('root_ca', tls.root_ca, projectDir);
  if (tls.cert !== undefined && tls.key !== undefined) {
    settings.clientCertPair = { crt: await readPem('cert', tls.cert, projectDir), key: await readPem('key', tls.key, projectDir) };
  }
  return settings;
}

async function readPem(key: string, file: string, projectDir: string): Promise<Buffer> {
  const path = resolve(projectDir, file);
  try {
    return await readFile(path);
  } catch (cause) {
    throw new TemporalConfigError(`temporal.tls.${key}`, `cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
}
