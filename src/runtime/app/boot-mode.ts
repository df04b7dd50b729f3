import { loadRuntimeConfig } from '../config/load-runtime-config.js';
import type { RuntimeConfig } from '../config/runtime-config.js';
import { UnsupportedModeError } from '../errors.js';
import type { ModeContext, ModeWorker, WorkerApp, WorkerMode } from './define-app.js';

/** Options of {@link bootMode}. */
export interface BootModeOptions {
  /** The mode to build, as `RR_MODE` names it. */
  mode: WorkerMode;
  /** The environment the mode sees; `RR_MODE` is set to `mode`. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The runtime config. Default: `loadRuntimeConfig()` with the app's `config` as overrides, as the worker reads it. */
  config?: RuntimeConfig;
  /** Where the mode's diagnostic lines go. Default: stderr. */
  log?: (message: string) => void;
}

/** A mode's worker, booted and never served; see {@link bootMode}. */
export interface BootedMode {
  readonly worker: ModeWorker;
  readonly config: RuntimeConfig;
  /**
   * The error-level lines the mode logged while it booted: a mode whose container or kernel failed
   * to boot names the cause here (and would answer every unit as unavailable).
   */
  readonly errors: readonly string[];
}

/**
 * Builds the worker of one mode the way a worker process does before it answers rr's handshake
 * (the runtime config read, the mode factory run: container built and, unless lazy boot, booted),
 * but opens no relay and serves nothing: for tools that look at the app, such as
 * `roadrunner-runtime debug:container`. The caller shuts the worker down (`worker.shutdown()`).
 *
 * @throws UnsupportedModeError when the app has no factory for `mode`; the config's `ConfigError`;
 *   whatever the factory throws (the worker process would answer every unit with it).
 */
export async function bootMode(app: WorkerApp, options: BootModeOptions): Promise<BootedMode> {
  const { mode } = options;
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), RR_MODE: mode };
  const factory = app.modes[mode];
  if (!factory) throw new UnsupportedModeError(mode, Object.keys(app.modes));
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const config = options.config ?? (await loadRuntimeConfig({ env, ...(app.config === undefined ? {} : { overrides: app.config }) }));
  const errors: string[] = [];
  const context: ModeContext = {
    mode,
    env,
    config,
    log,
    logError: async (line) => {
      errors.push(line);
    },
    // Reported errors also reach logError when they matter here (a boot failure): nothing to add.
    reportError: async () => {},
  };
  const worker = await factory(context);
  return { worker, config, errors };
}
