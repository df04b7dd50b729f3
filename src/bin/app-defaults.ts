import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Binding } from '../container/binding.js';
import { defaultBindingsTaken, provideDefaultBindings } from '../container/default-bindings.js';
import { loadRuntimeConfig } from '../runtime/config/load-runtime-config.js';
import type { RuntimeConfig, RuntimeConfigInput } from '../runtime/config/runtime-config.js';

/**
 * What the runtime config registers with no call from the app, provided before the app module (and
 * its `createContainer`) loads: `kv.auto_register` makes every storage under `kv:` in rr's config
 * the container service `cache.adapter.rr_kv.NAME`. Called once before the import (an invalid
 * config is then ignored here: the mode's boot reports it) and again with the app's
 * `defineApp({ config })` when it has keys of its own. The worker entry and the CLI's debug
 * commands both do this, so the CLI lists the container the worker would serve.
 */
export async function prepareAppDefaults(env: NodeJS.ProcessEnv, overrides?: RuntimeConfigInput): Promise<void> {
  const config = overrides === undefined ? await loadRuntimeConfig({ env }).catch(() => undefined) : await loadRuntimeConfig({ env, overrides });
  if (overrides !== undefined) {
    // The app's config changes nothing here: keep what the file gave, unless that failed.
    if (overrides.kv === undefined && defaultsProvided) return;
    if (overrides.kv !== undefined && defaultBindingsTaken()) {
      throw new Error(
        'defineApp({ config: { kv } }) is read after the app module loaded, but a container created while it loaded already took the KV caches of the file\'s kv settings: ' +
          'set kv.* in roadrunner.yaml (or the file ROADRUNNER_RUNTIME_CONFIG names), or create the container in the mode factory',
      );
    }
  }
  provideDefaultBindings(config === undefined ? [] : await kvDefaults(config, env));
  defaultsProvided = true;
}

/** Whether a call succeeded; process-wide boot state (the worker prepares once per process). */
let defaultsProvided = false;

async function kvDefaults(config: RuntimeConfig, env: NodeJS.ProcessEnv): Promise<Binding[]> {
  if (!config.kv.auto_register) return [];
  // Not started by rr with an RPC address, and no rr config file to read: no storages to find.
  if (!env['RR_RPC'] && !existsSync(resolve(config.rr_config_path))) return [];
  const { discoverKvBindings } = await import('../bridges/kv/kv-bindings.js');
  return discoverKvBindings({ runtimeConfig: config, env });
}
