import type { EnvSource } from './expand-env.js';
import type { RuntimeConfig } from './runtime-config.js';
import { defaultRuntimeConfig, runtimeConfigSchema } from './runtime-config.js';
import { validateConfig } from './validate-config.js';

/** Options of {@link parseRuntimeConfig}. */
export interface ParseRuntimeConfigOptions {
  /** Only `NODE_ENV` is read, for the default of `http.early_router_initialization`. Default `process.env`. */
  env?: EnvSource;
  /** Absolute path of the file the object came from, copied to `ConfigError.file`. */
  file?: string;
}

/**
 * Validates runtime options given as an object (config in code, or a parsed file) and applies the
 * defaults. `undefined` or `null` mean "no options". No `${VAR}` expansion happens here: code can
 * read `process.env` itself, and files are expanded by {@link loadRuntimeConfig}.
 *
 * @param source names the object in error messages, e.g. `roadrunner.yaml` or `defineApp({ config })`.
 * @throws ConfigError listing every invalid, missing or unknown key.
 */
export function parseRuntimeConfig(input: unknown, source = 'runtime config', options: ParseRuntimeConfigOptions = {}): RuntimeConfig {
  const env = options.env ?? process.env;
  const production = env['NODE_ENV'] === 'production';
  // No options at all (no file, nothing in code), a worker's usual case: the defaults, without
  // loading zod to build a schema that would only produce them.
  if (input === undefined || input === null) return defaultRuntimeConfig({ production });
  const schema = runtimeConfigSchema({ production });
  const config: RuntimeConfig = validateConfig(schema, input, { label: source, ...(options.file === undefined ? {} : { file: options.file }) });
  if (config.kv.keypair_path === undefined) delete config.kv.keypair_path;
  if (config.temporal.api_key === undefined) delete config.temporal.api_key;
  if (config.temporal.tls === undefined) delete config.temporal.tls;
  return config;
}
