#!/usr/bin/env node
/**
 * The process rr starts (`server.command`):
 *
 *   server:
 *     command: ["node", "node_modules/roadrunner-runtime/dist/bin/worker.js", "dist/app.js"]
 *
 * (TypeScript apps in development: `["node", "--import", "tsx", ".../worker.js", "src/app.ts"]`,
 * with tsx as the app's own dependency.) Start `node` itself, never through npx or a shell:
 * socket relays match the worker by its pid.
 *
 * It guards stdout before anything else loads, imports the app module (its default export comes
 * from `defineApp`) and serves the mode rr asked for in `RR_MODE`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Binding } from '../container/binding.js';
import type { RuntimeConfig } from '../runtime/config/runtime-config.js';
import { installStdoutGuard } from '../runtime/stdout-guard.js';

const output = installStdoutGuard();

const { runWorkerProcess } = await import('../runtime/app/run-worker-process.js');
/** Whether the first call (the file alone) failed: then the call with the app's config must redo it. */
let firstPassFailed = false;
const code = await runWorkerProcess({
  argv: process.argv.slice(2),
  output,
  // What the runtime config registers with no call from the app, before the app module (and its
  // createContainer) loads: `kv.auto_register` makes every storage under `kv:` in rr's config the
  // container service `cache.adapter.rr_kv.NAME`. An invalid config is reported when the mode boots.
  prepare: async (env, overrides) => {
    const { loadRuntimeConfig } = await import('../runtime/config/load-runtime-config.js');
    const { defaultBindingsTaken, provideDefaultBindings } = await import('../container/default-bindings.js');
    const config = overrides === undefined ? await loadRuntimeConfig({ env }).catch(() => undefined) : await loadRuntimeConfig({ env, overrides });
    if (overrides !== undefined) {
      if (overrides.kv === undefined && !firstPassFailed) return;
      if (overrides.kv !== undefined && defaultBindingsTaken()) {
        throw new Error(
          'defineApp({ config: { kv } }) is read after the app module loaded, but a container created while it loaded already took the KV caches of the file\'s kv settings: ' +
            'set kv.* in roadrunner.yaml (or the file ROADRUNNER_RUNTIME_CONFIG names), or create the container in the mode factory',
        );
      }
    }
    try {
      provideDefaultBindings(config === undefined ? [] : await kvDefaults(config, env));
    } catch (error) {
      if (overrides === undefined) firstPassFailed = true;
      throw error;
    }
  },
  // How each bridge answers while the worker cannot boot (the app module or its config failed);
  // loaded only when needed, so an app never loads a bridge it does not use.
  bootFailureAnswers: {
    http: async (unit) => (await import('../bridges/http/kernel/answer-http-unavailable.js')).answerHttpUnavailable(unit),
    jobs: async (unit) => (await import('../bridges/jobs/answer-jobs-unavailable.js')).answerJobsUnavailable(unit),
    centrifuge: async (unit) => (await import('../bridges/centrifugo/answer-centrifugo-unavailable.js')).answerCentrifugoUnavailable(unit),
  },
});
async function kvDefaults(config: RuntimeConfig, env: NodeJS.ProcessEnv): Promise<Binding[]> {
  if (!config.kv.auto_register) return [];
  // Not started by rr with an RPC address, and no rr config file to read: no storages to find.
  if (!env['RR_RPC'] && !existsSync(resolve(config.rr_config_path))) return [];
  const { discoverKvBindings } = await import('../bridges/kv/kv-bindings.js');
  return discoverKvBindings({ runtimeConfig: config, env });
}

// The loop is over and the relay flushed: exit now rather than wait for timers or sockets the app
// left open (rr would wait 10 s for them, then SIGKILL the worker).
process.exit(code);
